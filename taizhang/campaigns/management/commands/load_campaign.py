from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from taizhang.campaigns.loader import load_campaign, read_campaign_file


class Command(BaseCommand):
    help = "从数据文件（YAML）新建或更新一个主题教育。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"找不到文件 {file}。")
        try:
            campaign = load_campaign(read_campaign_file(file), source=file.name)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入主题教育“{campaign.name}”（{campaign.code}），{campaign.parts.count()}个工作板块。"
            )
        )
        current = type(campaign).current()
        if current is not None and current.pk != campaign.pk:
            self.stdout.write(
                f"当前主题教育仍是“{current.name}”；如需切换，请由系统管理员在“主题教育”页面设定。"
            )
