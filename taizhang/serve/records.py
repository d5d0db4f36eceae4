"""The kinds of record the serve area keeps, declared once for the generic pages (core.records)."""

from taizhang.core.deadlines import today
from taizhang.core.records import RecordType, register

from . import selectors, services
from .forms import JointActivityForm, PartnershipForm, PublicityItemForm, ServiceProjectForm, VanguardPostForm
from .models import JointActivity, Partnership, PublicityItem, ServiceProject, VanguardPost

PROJECT = register(
    RecordType(
        key="serve.project",
        model=ServiceProject,
        label="为民办实事",
        form=ServiceProjectForm,
        services=(services, "service_project", "project"),
        list_url="serve:project_list",
        detail_url="serve:project_detail",
        detail_template="serve/project_detail.html",
        detail_related=("township", "organisation", "leader"),
        edit_title=lambda project: f"修改为民办实事：第{project.serial}件",
    )
)

PARTNERSHIP = register(
    RecordType(
        key="serve.partnership",
        model=Partnership,
        label="结对共建",
        form=PartnershipForm,
        services=(services, "partnership", "partnership"),
        list_url="serve:partnership_list",
        detail_url="serve:partnership_detail",
        detail_template="serve/partnership_detail.html",
        detail_related=("organisation",),
        detail_context=lambda request, partnership: {"activities": selectors.activities_of(partnership)},
        edit_title=lambda partnership: f"修改结对共建：{partnership.partner}",
    )
)

ACTIVITY = register(
    RecordType(
        key="serve.activity",
        model=JointActivity,
        label="共建活动",
        form=JointActivityForm,
        form_takes_user=False,
        parent="partnership",
        initial=lambda request: {"date": today()},
        services=(services, "joint_activity", "activity"),
        detail_url="serve:activity_detail",
        detail_template="serve/activity_detail.html",
        detail_related=("partnership__organisation",),
        create_title="登记共建活动",
        created_message="已登记共建活动。",
        edit_title=lambda activity: f"修改共建活动：{activity.title}",
    )
)

POST = register(
    RecordType(
        key="serve.post",
        model=VanguardPost,
        label="党员先锋岗、责任区、突击队",
        form=VanguardPostForm,
        services=(services, "vanguard_post", "post"),
        list_url="serve:post_list",
        detail_url="serve:post_detail",
        detail_template="serve/post_detail.html",
        detail_related=("organisation",),
        detail_prefetch=("members",),
        create_title="新增党员先锋岗、责任区或突击队",
        created_message="已新增。",
        edit_title=lambda post: f"修改：{post}",
    )
)

PUBLICITY = register(
    RecordType(
        key="serve.publicity",
        model=PublicityItem,
        label="宣传",
        form=PublicityItemForm,
        initial=lambda request: {"date": today()},
        services=(services, "publicity_item", "item"),
        list_url="serve:publicity_list",
        detail_url="serve:publicity_detail",
        detail_template="serve/publicity_detail.html",
        detail_related=("organisation",),
        context_name="item",
        create_title="登记宣传",
        created_message="已登记宣传。",
        edit_title=lambda item: f"修改宣传：{item}",
    )
)
