from taizhang.core.areas import AreaConfig


class ReportsConfig(AreaConfig):
    name = "taizhang.reports"
    label = "reports"
    verbose_name = "报告"
    home_panel = "taizhang.reports.views.home_panel"
