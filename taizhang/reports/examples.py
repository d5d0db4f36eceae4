"""Examples from the records for the work summary: named lists of short texts ("notable meeting topics",
"the research topics", "partnerships", "service projects done") that a template may quote.

An area offers a list by naming a function in its AppConfig, so that reports never import the areas:

    class StudyConfig(AppConfig):
        report_examples = {"meeting_topics": "taizhang.study.selectors.notable_topics"}

The function is called as `function(campaign, root, as_of)` (root: the organisation whose subtree the summary
covers; as_of: a date or None) and returns a list of strings, most notable first, each a few words without
end punctuation ("学习贯彻党的二十大精神", "市商务局"). It should run a constant number of queries. A name
that no area offers is an empty list, and a template sentence quoting it is left out.

The names below are the ones the default templates quote; an area may offer more (its names are then
accepted in templates too).
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

# name: (what it lists, the area expected to offer it)
CATALOGUE: dict[str, tuple[str, str]] = {
    "meeting_topics": ("专题研讨、专题党课等重点会议的主题", "study"),
    "research_topics": ("调研课题名称", "research"),
    "action_items_done": ("已完成的干事创业清单事项", "research"),
    "partnerships": ("结对共建单位", "serve"),
    "service_projects": ("已办结的为民办实事项目", "serve"),
}


def providers() -> dict[str, str]:
    """{example name: dotted path of its function}, from every app's `report_examples`; two apps offering the
    same name is a mistake that fails loudly."""
    found: dict[str, str] = {}
    offered_by: dict[str, str] = {}
    for config in apps.get_app_configs():
        for name, path in (getattr(config, "report_examples", None) or {}).items():
            if name in found:
                raise ImproperlyConfigured(
                    f"report_examples: “{name}” is offered by both {offered_by[name]} and {config.name}."
                )
            found[name], offered_by[name] = path, config.name
    return found


def known_names() -> dict[str, str]:
    """{example name: its description} of every name a template may quote."""
    names = {name: description for name, (description, _area) in CATALOGUE.items()}
    for name in providers():
        names.setdefault(name, name)
    return names


def collect(campaign, root, as_of: datetime.date | None) -> dict[str, list[str]]:
    """Every known example list for the summary of root's subtree (empty where no area offers it)."""
    lists = {name: [] for name in known_names()}
    for name, path in providers().items():
        items = import_string(path)(campaign, root, as_of)
        lists[name] = [str(item).strip() for item in items or [] if str(item).strip()]
    return lists
