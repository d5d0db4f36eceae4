from taizhang.core.areas import AreaConfig


class StudyConfig(AreaConfig):
    name = "taizhang.study"
    label = "study"
    verbose_name = "学习与部署"
    home_panel = "taizhang.study.views.home_panel"
    report_examples = {"meeting_topics": "taizhang.study.selectors.notable_topics"}
    part_links = {
        "plan": [("部署会议", "study:deployment"), ("学习计划", "study:plan_overview")],
        "study": [
            ("会议活动", "study:meeting_list"),
            ("补学与覆盖", "study:coverage"),
            ("签到", "study:signin_today"),
        ],
    }
