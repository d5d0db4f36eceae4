from taizhang.core.areas import AreaConfig


class RectifyConfig(AreaConfig):
    name = "taizhang.rectify"
    label = "rectify"
    verbose_name = "检视整改"
    home_panel = "taizhang.rectify.views.home_panel"
    part_links = {
        "rectify": [
            ("问题清单（整改台账）", "rectify:problem_list"),
            ("到期与逾期", "rectify:deadlines"),
            ("我负责的整改措施", "rectify:mine"),
            ("谈心谈话", "rectify:talk_list"),
            ("党建工作体检", "rectify:check_list"),
            ("软弱涣散党组织整顿", "rectify:remedy_list"),
        ]
    }
