"""The kinds of record the rectify area keeps, declared once for the generic pages (core.records): their
create, edit and delete pages, and the area's trash. Their detail pages, the ledger and the steps of a
measure (progress, sign-off, reopening, claiming) and of a remedy are the area's own views."""

from taizhang.core.kinds import area_kind
from taizhang.core.records import RecordType, register

from . import selectors
from . import services as s
from .forms import MeasureForm, ProblemForm
from .forms_checks import CheckForm, RemedyForm
from .forms_talks import TalkForm
from .models import HealthCheck, Measure, Problem, Remedy, Talk


def _campaign_form(request, *, instance=None, parent=None) -> dict:
    """A form that offers the campaign's leading group: the record's campaign, or the current one."""
    return {"campaign": instance.campaign if instance is not None else selectors.current_campaign()}


def _current_campaign(request) -> dict:
    return {"campaign": selectors.current_campaign()}


def _parent_form(name: str):
    """The form of a kind created under a parent takes that parent (`name`): the one created under, or the
    edited record's own."""

    def extra(request, *, instance=None, parent=None) -> dict:
        return {name: getattr(instance, name) if instance is not None else parent}

    return extra


def rectify_kind(slug: str, *, listed: bool = True, under: str = "", **declared) -> RecordType:
    """A kind of the area (core.kinds): written by services' <slug>_create/_update/_delete, shown on
    rectify:<slug>_detail (and listed on rectify:<slug>_list), its forms on the area's form page. A kind
    created `under` a parent record (a measure under its problem) has its form take that parent, which
    fixes where it is, rather than the user."""
    if not listed:
        declared["list_url"] = ""
    if under:
        declared.update(parent=under, form_extra=_parent_form(under), form_takes_user=False)
    return area_kind(s, slug, form_template="rectify/form.html", **declared)


PROBLEM = register(
    rectify_kind(
        "problem",
        model=Problem,
        label="问题",
        form=ProblemForm,
        form_extra=_campaign_form,
        create_extra=_current_campaign,
        error_fields={"owner_org": "owner", "owner_member": "owner", "owner_kind": "owner"},
        create_title="登记问题",
        created_message="已登记问题。请接着制定整改措施。",
        deleted_message="已删除问题“{obj}”及其整改措施。乡党委管理员可在回收站中恢复。",
        delete_note="该问题的整改措施随之删除，恢复问题时一并恢复。",
    )
)

MEASURE = register(
    rectify_kind(
        "measure",
        under="problem",
        listed=False,  # a measure is listed under its problem
        model=Measure,
        label="整改措施",
        form=MeasureForm,
        create_title="制定整改措施",
        created_message="已制定整改措施。",
        after_create=lambda measure: measure.problem.get_absolute_url(),
        edit_title=lambda measure: f"修改整改措施：{measure.problem}",
        deleted_message="已删除整改措施。乡党委管理员可在回收站中恢复。",
        after_delete=lambda measure: measure.problem.get_absolute_url(),
        # a measure deleted with its problem comes back with it: the trash lists only the problem
        trash_filter=lambda deleted: deleted.filter(problem__deleted_at__isnull=True),
    )
)


def office_kind(slug: str, model, form, noun: str, **declared) -> RecordType:
    """A kind the township office records for the current campaign (a talk, a health check), whose pages say
    alike that a 谈话 or a 体检 was recorded, is edited as a record, and was deleted."""
    return register(
        rectify_kind(
            slug,
            model=model,
            form=form,
            create_extra=_current_campaign,
            created_message=f"已记录{noun}。",
            edit_title=lambda obj: f"修改{noun}记录",
            deleted_message=f"已删除{noun}记录。可在回收站中恢复。",
            **declared,
        )
    )


def _checked_organisation(request) -> dict:
    """A health check is recorded from its organisation's page (?organisation=)."""
    return {"organisation": request.GET.get("organisation")}


TALK = office_kind(
    "talk", Talk, TalkForm, "谈话", label="谈心谈话", form_extra=_campaign_form, create_title="记录谈话"
)
CHECK = office_kind(
    "check",
    HealthCheck,
    CheckForm,
    "体检",
    label="党建工作体检",
    initial=_checked_organisation,
    create_title="记录党建工作体检",
)

# A remedy is started from the health check that graded its organisation 软弱涣散, and is never deleted:
# the kit gives its create and edit pages, but it is not registered, so the trash does not offer it.
REMEDY = rectify_kind(
    "remedy",
    under="health_check",
    model=Remedy,
    label="软弱涣散党组织整顿",
    form=RemedyForm,
    create_title="软弱涣散党组织整顿",
    created_message="已开始整顿。",
    edit_title=lambda remedy: f"修改整顿：{remedy.organisation.name}",
)
