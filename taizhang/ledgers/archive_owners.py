"""What the archive files: for each kind of record that takes attachments, its records of the campaign in an
organisation's subtree, and for one record its class, date, source text (来源记录) and organisation
(ledgers.archive describes the rules)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q

from .archive_names import DEPLOY, OTHER, RECTIFY, RESEARCH, STUDY, book_title, source_text


@dataclass(frozen=True)
class Owners:
    """A kind of record that takes attachments: its records of the campaign in the subtree, and for one
    record its class, date, source text and organisation."""

    label: str  # app_label.ModelName
    records: Callable  # (campaign, org_ids) -> queryset
    describe: Callable  # (record) -> (class, date | None, source, organisation name)


def _of_campaign_dates(field_name: str, campaign, *, or_unknown: bool = False) -> Q:
    q = Q(**{f"{field_name}__range": (campaign.start_date, campaign.end_date)})
    return q | Q(**{f"{field_name}__isnull": True}) if or_unknown else q


def _filed(folder: str, kind: str, day: datetime.date | None, org: str, what: str = ""):
    """What `describe` returns: the class, the date, the source text (see source_text) and the organisation."""
    return folder, day, source_text(kind, day, org, what), org


def meetings_of(campaign, ids):
    from taizhang.study.models import Meeting

    return Meeting.objects.filter(organiser__in=ids, campaign=campaign).select_related("organiser")


def meeting_class(meeting) -> str:
    from taizhang.study.choices import DEPLOYMENT_TYPES

    return DEPLOY if meeting.type in DEPLOYMENT_TYPES else STUDY


def meeting_source(meeting) -> str:
    what = f" {meeting.type}{book_title(meeting.topic)}"
    return source_text("会议活动", meeting.date, meeting.organiser.name, what)


def _describe_meeting(m):
    return meeting_class(m), m.date, meeting_source(m), m.organiser.name


def _measures(campaign, ids):
    from taizhang.rectify.models import Measure

    return Measure.objects.filter(
        problem__owner_org__in=ids, problem__campaign=campaign, problem__deleted_at__isnull=True
    ).select_related("problem__owner_org")


def _describe_measure(m):
    what = f" 第{m.problem.number}号问题 {m.short}（{m.status}）"
    return _filed(RECTIFY, "整改措施", m.completed_on or m.problem.found_on, m.problem.owner_org.name, what)


def _progress(campaign, ids):
    from taizhang.rectify.models import ProgressEntry

    return ProgressEntry.objects.filter(
        measure__problem__owner_org__in=ids,
        measure__problem__campaign=campaign,
        measure__deleted_at__isnull=True,
        measure__problem__deleted_at__isnull=True,
    ).select_related("measure__problem__owner_org")


def _describe_progress(e):
    problem = e.measure.problem
    what = f" 第{problem.number}号问题 {e.measure.short}（{e.get_kind_display()}）"
    return _filed(RECTIFY, "整改进展", e.on, problem.owner_org.name, what)


def _remedies(campaign, ids):
    from taizhang.rectify.models import Remedy

    return Remedy.objects.filter(organisation__in=ids, campaign=campaign).select_related("organisation")


def _describe_remedy(r):
    day = r.accepted_on or r.started_on
    return _filed(RECTIFY, "软弱涣散党组织整顿", day, r.organisation.name, f"（{r.status}）")


def _remedy_entries(campaign, ids):
    from taizhang.rectify.models import RemedyEntry

    return RemedyEntry.objects.filter(
        remedy__organisation__in=ids, remedy__campaign=campaign, remedy__deleted_at__isnull=True
    ).select_related("remedy__organisation")


def _describe_remedy_entry(e):
    return _filed(RECTIFY, "整顿进展", e.on, e.remedy.organisation.name)


def _visits(campaign, ids):
    from taizhang.research.models import ResearchVisit

    return ResearchVisit.objects.filter(
        _of_campaign_dates("date", campaign), organisation__in=ids, topic__deleted_at__isnull=True
    ).select_related("organisation", "topic")


def _describe_visit(v):
    what = f" {v.place}（课题{book_title(v.topic.title)}）"
    return _filed(RESEARCH, "调研走访", v.date, v.organisation.name, what)


def _projects(campaign, ids):
    from taizhang.serve.models import ServiceProject

    return ServiceProject.objects.filter(
        _of_campaign_dates("completed_on", campaign, or_unknown=True), organisation__in=ids
    ).select_related("organisation")


def _describe_project(p):
    day = p.completed_on or p.planned_on
    return _filed(RECTIFY, "为民办实事", day, p.organisation.name, f" {p.name}（{p.status}）")


def _joint_activities(campaign, ids):
    from taizhang.serve.models import JointActivity

    return JointActivity.objects.filter(
        _of_campaign_dates("date", campaign),
        partnership__organisation__in=ids,
        partnership__deleted_at__isnull=True,
    ).select_related("partnership__organisation")


def _describe_joint(a):
    what = f" 与{a.partnership.partner}共建“{a.title}”"
    return _filed(RECTIFY, "结对共建", a.date, a.partnership.organisation.name, what)


def _publicity(campaign, ids):
    from taizhang.serve.models import PublicityItem

    return PublicityItem.objects.filter(
        _of_campaign_dates("date", campaign), organisation__in=ids
    ).select_related("organisation")


def _describe_publicity(p):
    return _filed(OTHER, "宣传", p.date, p.organisation.name, f" {p.kind}“{p.content}”")


OWNERS = (
    Owners("study.Meeting", meetings_of, _describe_meeting),
    Owners("rectify.Measure", _measures, _describe_measure),
    Owners("rectify.ProgressEntry", _progress, _describe_progress),
    Owners("rectify.Remedy", _remedies, _describe_remedy),
    Owners("rectify.RemedyEntry", _remedy_entries, _describe_remedy_entry),
    Owners("research.ResearchVisit", _visits, _describe_visit),
    Owners("serve.ServiceProject", _projects, _describe_project),
    Owners("serve.JointActivity", _joint_activities, _describe_joint),
    Owners("serve.PublicityItem", _publicity, _describe_publicity),
)


def _field(model, path: str):
    """The model field at the end of a lookup path, or None."""
    try:
        for part in path.split("__")[:-1]:
            model = model._meta.get_field(part).related_model
        return model._meta.get_field(path.split("__")[-1])
    except (FieldDoesNotExist, AttributeError):
        return None


def generic_owners(model) -> Owners | None:
    """Owners of another model that takes attachments: scoped by its scope_path, of the campaign by its
    campaign (path) or its date; filed in 其他类. None for a model that cannot be scoped."""
    path = getattr(model, "scope_path", None)
    if not path:
        return None
    campaign_path = getattr(model, "campaign_path", None) or (
        "campaign" if _field(model, "campaign") else None
    )
    date_path = getattr(model, "as_of_field", None)
    date_field = _field(model, date_path) if date_path else None
    dated = date_field is not None and date_field.get_internal_type() == "DateField"

    def records(campaign, ids):
        qs = model._default_manager.filter(**{f"{path}__in": ids})
        if campaign_path:
            qs = qs.filter(**{campaign_path: campaign})
        elif dated:
            qs = qs.filter(_of_campaign_dates(date_path, campaign, or_unknown=True))
        values = {"_archive_org": f"{path}__name"}
        if dated:
            values["_archive_date"] = date_path
        return qs.annotate(**{k: F(v) for k, v in values.items()})

    def describe(obj):
        day = getattr(obj, "_archive_date", None)
        org = obj._archive_org or ""
        source = source_text(model._meta.verbose_name, day, org, f" {obj}").replace("  ", " ")
        return OTHER, day, source, org

    return Owners(model._meta.label, records, describe)
