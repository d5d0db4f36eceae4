from taizhang.core.areas import AreaConfig


class ResearchConfig(AreaConfig):
    name = "taizhang.research"
    label = "research"
    verbose_name = "调查研究"
    part_links = {
        "research": [
            ("调研课题", "research:topic_list"),
            ("调研走访", "research:visit_list"),
            ("干事创业清单", "research:action_list"),
            ("走访企业", "research:enterprise_month"),
            ("企业名录", "research:enterprise_list"),
        ],
    }
    report_examples = {
        "research_topics": "taizhang.research.selectors.topic_examples",
        "action_items_done": "taizhang.research.selectors.done_item_examples",
    }
