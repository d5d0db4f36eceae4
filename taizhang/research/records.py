"""The kinds of record the research area keeps, declared once for the generic pages (core.records).
Every one is written by the township's admins only (`write_by = "admin"` on the models)."""

from django.urls import reverse

from taizhang.core.deadlines import today
from taizhang.core.kinds import area_kinds

from . import selectors, services
from .forms import ActionItemForm, EnterpriseForm, ResearchTopicForm, ResearchVisitForm
from .models import ActionItem, Enterprise, EnterpriseVisit, ResearchTopic, ResearchVisit

kind = area_kinds(services, restore=services.research_restore)

TOPIC = kind(
    "topic",
    ResearchTopic,
    "调研课题",
    form=ResearchTopicForm,
    detail_related=("leader", "organisation"),
    detail_prefetch=("members",),
    detail_context=lambda request, topic: {
        "visits": selectors.visit_list(request.user, topic=topic),
        "items": selectors.action_item_list(request.user).filter(source_topic=topic),
    },
)

VISIT = kind(
    "visit",
    ResearchVisit,
    "调研走访",
    form=ResearchVisitForm,
    initial=lambda request: {"date": today(), "topic": request.GET.get("topic")},
    detail_related=("topic", "leader", "organisation"),
    detail_prefetch=("participants",),
    detail_context=lambda request, visit: {"findings": selectors.visit_findings(request.user, visit)},
    create_title="记录调研走访",
    created_message="已记录调研走访。",
    delete_note="由这次走访转入干事创业清单的事项不受影响。",
)

ACTION = kind(
    "action",
    ActionItem,
    "干事创业清单事项",
    form=ActionItemForm,
    detail_related=("township", "organisation", "leader", "source_topic", "source_visit"),
    context_name="item",
    edit_title=lambda item: f"修改干事创业清单：第{item.serial}条",
)

ENTERPRISE = kind(
    "enterprise",
    Enterprise,
    "企业",
    form=EnterpriseForm,
    detail_related=("organisation", "liaison"),
    detail_context=lambda request, enterprise: {
        "visits": selectors.enterprise_visit_list(request.user, enterprise=enterprise)[:50],
        "open_issues": selectors.open_issues(request.user, enterprise=enterprise),
    },
    created_message="已加入企业名录。",
)

# A visit is listed on the month view and its enterprise's page; it is saved with its issues on pages of
# the area's own (views.py).
ENTERPRISE_VISIT = kind(
    "enterprise_visit",
    EnterpriseVisit,
    "走访企业记录",
    listed=False,
    detail_related=("enterprise", "cadre", "organisation"),
    detail_prefetch=("issues",),
    context_name="visit",
    delete_note="这次走访登记的企业反映问题将一并删除。",
    after_delete=lambda visit: reverse("research:enterprise_month"),
)
