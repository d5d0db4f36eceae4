from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "taizhang.demo"
    label = "demo"
    verbose_name = "演示与压测数据"
