"""The work summary's Word template: its tags, their check, and rendering with sentences left out.

A template is a .docx with Jinja tags (docxtpl). An indicator is written as its code: `{{ study.seminars }}`
prints the figure ("57"). A figure that is zero, or that the campaign does not compute yet, is never printed:

- the clause holding it (the words between two of ，；。！？) is left out, and the sentence with it when no other
  figure remains in that sentence ("截至目前，党委班子查摆问题{{ rectify.leadership_problems }}条，各基层党组织查摆
  问题{{ rectify.grassroots_problems }}条，分类施策逐一整改。" keeps the clauses whose figures are not zero);
- for more control, `{% if study.seminars %}…{% endif %}` (inside a paragraph) or `{%p if study.seminars %}` …
  `{%p endif %}` (each in a paragraph of its own: whole paragraphs).

Example lists from the records work the same way: `{{ examples.research_topics }}` (or `|cn_list(3, quote=True)`)
and an empty list leaves its clause out. See taizhang/reports/README.md for the clerk's version.

Uploaded templates are checked before they are stored (every tag must name a declared indicator or one of the
TEXT_NAMES) and rendered in Jinja's sandbox: a template is a township's file, not code we trust.

The work is in three modules: template_context (the names a template sees and the sandbox), template_check
(reading and checking an uploaded template) and template_pruning (leaving out the clauses of zero figures).
This module renders a summary and re-exports their names, so callers import from here.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from jinja2 import TemplateError
from jinja2.sandbox import SecurityError

from .summary import SummaryData
from .template_check import check_template, open_template, template_problems, template_source
from .template_context import TEXT_NAMES, Examples, Figure, Names, cn_list, context_for, environment
from .template_pruning import CLAUSE_END, DATA, SENTENCE_END, ZERO, finish, plan, prune_paragraph, prune_text

__all__ = [
    "CLAUSE_END",
    "DATA",
    "SENTENCE_END",
    "TEXT_NAMES",
    "ZERO",
    "Examples",
    "Figure",
    "Names",
    "check_template",
    "cn_list",
    "context_for",
    "environment",
    "finish",
    "plan",
    "prune_paragraph",
    "prune_text",
    "render_summary",
    "template_problems",
    "template_source",
]


def render_summary(data: SummaryData, template: bytes) -> bytes:
    """The summary as a .docx: the template rendered with the data, zero figures' sentences left out."""
    tpl = open_template(template)
    try:
        tpl.render(context_for(data), jinja_env=environment(), autoescape=True)
    except SecurityError as exc:
        raise ValidationError(f"模板含有不允许的写法：{exc}") from exc
    except TemplateError as exc:
        raise ValidationError(f"模板无法生成总结：{exc}") from exc
    finish(tpl.docx)
    tpl.docx.core_properties.title = data.title
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
