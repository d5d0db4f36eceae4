from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "taizhang.campaigns"
    label = "campaigns"
    verbose_name = "主题教育"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .loader import load_shipped_campaigns

        post_migrate.connect(load_shipped_campaigns, sender=self, dispatch_uid="taizhang-load-campaigns")
