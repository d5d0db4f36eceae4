from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "taizhang.ledgers"
    label = "ledgers"
    verbose_name = "台账导入导出"

    def ready(self):
        # Each area's module in sheets/ registers its sheets with spec.register; importing them here
        # rather than from spec.all_sheets() keeps spec below the sheets that use it (no import cycle).
        from . import sheets  # noqa: F401
