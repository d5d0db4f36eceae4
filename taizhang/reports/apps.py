from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "taizhang.reports"
    label = "reports"
    verbose_name = "报告"
    # The reports card on the home page (taizhang.views.home).
    home_panel = "taizhang.reports.views.home_panel"
