from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "taizhang.core"
    label = "core"
    verbose_name = "公共"

    def ready(self):
        # Each area declares its kinds of record in <app>/records.py (core.records.register); load them
        # all once the apps are ready, as Django's admin discovers admin.py.
        autodiscover_modules("records")
