"""The kinds of record the serve area keeps, declared once for the generic pages (core.records)."""

from taizhang.core.deadlines import today
from taizhang.core.kinds import area_kinds

from . import selectors, services
from .forms import JointActivityForm, PartnershipForm, PublicityItemForm, ServiceProjectForm, VanguardPostForm
from .models import JointActivity, Partnership, PublicityItem, ServiceProject, VanguardPost

kind = area_kinds(services)

PROJECT = kind(
    "project",
    ServiceProject,
    "为民办实事",
    form=ServiceProjectForm,
    detail_related=("township", "organisation", "leader"),
    edit_title=lambda project: f"修改为民办实事：第{project.serial}件",
)

PARTNERSHIP = kind(
    "partnership",
    Partnership,
    "结对共建",
    form=PartnershipForm,
    detail_related=("organisation",),
    detail_context=lambda request, partnership: {"activities": selectors.activities_of(partnership)},
    edit_title=lambda partnership: f"修改结对共建：{partnership.partner}",
)

# A joint activity is listed on its partnership's page and created under it.
ACTIVITY = kind(
    "activity",
    JointActivity,
    "共建活动",
    listed=False,
    parent="partnership",
    form=JointActivityForm,
    form_takes_user=False,
    initial=lambda request: {"date": today()},
    detail_related=("partnership__organisation",),
    create_title="登记共建活动",
    created_message="已登记共建活动。",
    edit_title=lambda activity: f"修改共建活动：{activity.title}",
)

POST = kind(
    "post",
    VanguardPost,
    "党员先锋岗、责任区、突击队",
    form=VanguardPostForm,
    detail_related=("organisation",),
    detail_prefetch=("members",),
    create_title="新增党员先锋岗、责任区或突击队",
    created_message="已新增。",
    edit_title=lambda post: f"修改：{post}",
)

PUBLICITY = kind(
    "publicity",
    PublicityItem,
    "宣传",
    form=PublicityItemForm,
    initial=lambda request: {"date": today()},
    detail_related=("organisation",),
    context_name="item",
    create_title="登记宣传",
    created_message="已登记宣传。",
    edit_title=lambda item: f"修改宣传：{item}",
)
