"""The kinds of record the research area keeps, declared once for the generic pages (core.records).
Every one is written by the township's admins only (`write_by = "admin"` on the models)."""

from django.urls import reverse

from taizhang.core.deadlines import today
from taizhang.core.records import RecordType, register

from . import selectors, services
from .forms import ActionItemForm, EnterpriseForm, ResearchTopicForm, ResearchVisitForm
from .models import ActionItem, Enterprise, EnterpriseVisit, ResearchTopic, ResearchVisit

TOPIC = register(
    RecordType(
        key="research.topic",
        model=ResearchTopic,
        label="调研课题",
        form=ResearchTopicForm,
        services=(services, "research_topic", "topic"),
        restore=services.research_restore,
        list_url="research:topic_list",
        detail_url="research:topic_detail",
        detail_template="research/topic_detail.html",
        detail_related=("leader", "organisation"),
        detail_prefetch=("members",),
        detail_context=lambda request, topic: {
            "visits": selectors.visit_list(request.user, topic=topic),
            "items": selectors.action_item_list(request.user).filter(source_topic=topic),
        },
    )
)

VISIT = register(
    RecordType(
        key="research.visit",
        model=ResearchVisit,
        label="调研走访",
        form=ResearchVisitForm,
        services=(services, "research_visit", "visit"),
        restore=services.research_restore,
        initial=lambda request: {"date": today(), "topic": request.GET.get("topic")},
        list_url="research:visit_list",
        detail_url="research:visit_detail",
        detail_template="research/visit_detail.html",
        detail_related=("topic", "leader", "organisation"),
        detail_prefetch=("participants",),
        detail_context=lambda request, visit: {"findings": selectors.visit_findings(request.user, visit)},
        create_title="记录调研走访",
        created_message="已记录调研走访。",
        delete_note="由这次走访转入干事创业清单的事项不受影响。",
    )
)

ACTION = register(
    RecordType(
        key="research.action",
        model=ActionItem,
        label="干事创业清单事项",
        form=ActionItemForm,
        services=(services, "action_item", "item"),
        restore=services.research_restore,
        list_url="research:action_list",
        detail_url="research:action_detail",
        detail_template="research/action_detail.html",
        detail_related=("township", "organisation", "leader", "source_topic", "source_visit"),
        context_name="item",
        edit_title=lambda item: f"修改干事创业清单：第{item.serial}条",
    )
)

ENTERPRISE = register(
    RecordType(
        key="research.enterprise",
        model=Enterprise,
        label="企业",
        form=EnterpriseForm,
        services=(services, "enterprise", "enterprise"),
        restore=services.research_restore,
        list_url="research:enterprise_list",
        detail_url="research:enterprise_detail",
        detail_template="research/enterprise_detail.html",
        detail_related=("organisation", "liaison"),
        detail_context=lambda request, enterprise: {
            "visits": selectors.enterprise_visit_list(request.user, enterprise=enterprise)[:50],
            "open_issues": selectors.open_issues(request.user, enterprise=enterprise),
        },
        created_message="已加入企业名录。",
    )
)

ENTERPRISE_VISIT = register(
    RecordType(
        key="research.enterprise_visit",
        model=EnterpriseVisit,
        label="走访企业记录",
        services=(services, "enterprise_visit", "visit"),
        restore=services.research_restore,
        detail_url="research:enterprise_visit_detail",
        detail_template="research/enterprise_visit_detail.html",
        detail_related=("enterprise", "cadre", "organisation"),
        detail_prefetch=("issues",),
        context_name="visit",
        delete_note="这次走访登记的企业反映问题将一并删除。",
        after_delete=lambda visit: reverse("research:enterprise_month"),
    )
)
