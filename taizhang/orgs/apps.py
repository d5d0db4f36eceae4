from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "taizhang.orgs"
    label = "orgs"
    verbose_name = "组织与党员"
