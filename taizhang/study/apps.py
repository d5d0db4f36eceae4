from django.apps import AppConfig


class StudyConfig(AppConfig):
    name = "taizhang.study"
    label = "study"
    verbose_name = "学习与部署"
    # The home page: recording a meeting one tap away, today's meetings and their sign-in.
    home_panel = "taizhang.study.views.home_panel"
    # Lists the work summary may quote (reports/examples.py).
    report_examples = {"meeting_topics": "taizhang.study.selectors.notable_topics"}
    # Links on the campaign's part pages (taizhang.views.part_page): part slug -> [(label, url name)].
    part_links: dict[str, list[tuple[str, str]]] = {
        "plan": [("部署会议", "study:deployment"), ("学习计划", "study:plan_overview")],
        "study": [
            ("会议活动", "study:meeting_list"),
            ("补学与覆盖", "study:coverage"),
            ("签到", "study:signin_today"),
        ],
    }
