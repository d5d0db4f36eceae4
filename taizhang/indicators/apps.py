from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "taizhang.indicators"
    label = "indicators"
    verbose_name = "指标"
