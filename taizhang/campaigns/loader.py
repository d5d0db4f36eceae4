"""Campaigns are data: each file in campaigns/data/ (YAML) sets up one campaign.

`taizhang migrate` loads every shipped file whose campaign is not yet in the database (post_migrate), so a
new installation can start recording at once; `taizhang load_campaign FILE` loads or updates any file.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
REQUIRED_KEYS = ("code", "name", "start_date", "end_date", "parts")


def read_campaign_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValidationError(f"主题教育数据文件 {path} 不是有效的 YAML：{exc}") from exc
    if not isinstance(data, dict):
        raise ValidationError(f"主题教育数据文件 {path} 的内容应为键值表。")
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise ValidationError(f"主题教育数据文件 {path} 缺少：{'、'.join(missing)}。")
    for key in ("start_date", "end_date"):
        if not isinstance(data[key], datetime.date):
            raise ValidationError(f"主题教育数据文件 {path} 的 {key} 应为日期（如 2023-09-01）。")
    return data


@transaction.atomic
def load_campaign(data: dict, *, source: str = ""):
    """Create or update the campaign a file describes; returns it."""
    from .models import Campaign, Part

    campaign, _ = Campaign.objects.update_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "motto": data.get("motto", ""),
            "description": data.get("description", ""),
            "required_meeting_types": list(data.get("required_meeting_types", [])),
            "indicators": list(data.get("indicators", [])),
            "source_file": source,
        },
    )
    campaign.full_clean()
    campaign.parts.all().delete()
    for order, part in enumerate(data["parts"], start=1):
        Part.objects.create(
            campaign=campaign,
            order=order,
            short=part["short"],
            slug=part["slug"],
            name=part["name"],
            description=part.get("description", ""),
        )
    if data.get("current") and not Campaign.objects.filter(is_current=True).exclude(pk=campaign.pk).exists():
        campaign.is_current = True
        campaign.save(update_fields=["is_current"])
    return campaign


def shipped_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def load_shipped_campaigns(sender=None, using="default", **kwargs) -> None:
    """post_migrate: put in place every shipped campaign that is not in the database yet."""
    from .models import Campaign

    for path in shipped_files():
        data = read_campaign_file(path)
        if not Campaign.objects.using(using).filter(code=data["code"]).exists():
            load_campaign(data, source=path.name)
