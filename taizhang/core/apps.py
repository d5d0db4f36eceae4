from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "taizhang.core"
    label = "core"
    verbose_name = "公共"

    def ready(self):
        from . import versions

        # Each area declares its kinds of record in <app>/records.py (core.records.register); load them
        # all once the apps are ready, as Django's admin discovers admin.py.
        autodiscover_modules("records")
        # Every write to a Taizhang table moves the data version once its transaction commits (core.versions).
        connection_created.connect(versions.watch, dispatch_uid="taizhang.core.versions.watch")
