"""Campaigns are data: each file in campaigns/data/ (YAML) sets up one campaign.

`taizhang migrate` loads every shipped file whose campaign is not yet in the database (post_migrate), so a
new installation can start recording at once; `taizhang load_campaign FILE` loads or updates any file.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
REQUIRED_KEYS = ("code", "name", "start_date", "end_date", "parts")
PART_KEYS = ("short", "slug", "name")


def read_campaign_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValidationError(f"主题教育数据文件 {path} 不是有效的 YAML：{exc}") from exc
    except ValueError as exc:  # a date-like value that is no date, such as 2024-13-01
        raise ValidationError(f"主题教育数据文件 {path} 中有无效的日期：{exc}。") from exc
    if not isinstance(data, dict):
        raise ValidationError(f"主题教育数据文件 {path} 的内容应为键值表。")
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise ValidationError(f"主题教育数据文件 {path} 缺少：{'、'.join(missing)}。")
    for key in ("start_date", "end_date"):
        if not isinstance(data[key], datetime.date):
            raise ValidationError(f"主题教育数据文件 {path} 的 {key} 应为日期（如 2023-09-01）。")
    if data["end_date"] < data["start_date"]:
        raise ValidationError(f"主题教育数据文件 {path}：结束日期不能早于开始日期。")
    parts = data["parts"]
    if not isinstance(parts, list) or not parts:
        raise ValidationError(f"主题教育数据文件 {path} 的 parts 应为工作板块的列表。")
    for number, part in enumerate(parts, start=1):
        missing = [key for key in PART_KEYS if not isinstance(part, dict) or not part.get(key)]
        if missing:
            raise ValidationError(
                f"主题教育数据文件 {path} 的第{number}个工作板块缺少：{'、'.join(missing)}。"
            )
    slugs = [str(part["slug"]) for part in parts]
    repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if repeated:
        raise ValidationError(f"主题教育数据文件 {path} 中工作板块的 slug 重复：{'、'.join(repeated)}。")
    return data


@transaction.atomic
def load_campaign(data: dict, *, source: str = ""):
    """Create or update the campaign a file describes; returns it."""
    from .models import Campaign, Part

    campaign, _ = Campaign.objects.update_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "short_name": data.get("short_name", ""),
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "motto": data.get("motto", ""),
            "description": data.get("description", ""),
            "required_meeting_types": list(data.get("required_meeting_types", [])),
            "indicators": list(data.get("indicators", [])),
            "source_file": source,
        },
    )
    _full_clean(campaign, "主题教育")
    campaign.parts.all().delete()
    for order, part in enumerate(data["parts"], start=1):
        part = Part(
            campaign=campaign,
            order=order,
            short=part["short"],
            slug=part["slug"],
            name=part["name"],
            description=part.get("description", ""),
        )
        _full_clean(part, f"第{order}个工作板块")
        part.save()
    if data.get("current") and not Campaign.objects.filter(is_current=True).exclude(pk=campaign.pk).exists():
        campaign.is_current = True
        campaign.save(update_fields=["is_current"])
    return campaign


def _full_clean(obj, where: str) -> None:
    """full_clean, with each message saying which record and field of the file it is about."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        messages = []
        for name, errors in exc.message_dict.items():
            label = "" if name == NON_FIELD_ERRORS else f"的{obj._meta.get_field(name).verbose_name}"
            messages += [f"{where}{label}：{message}" for message in errors]
        raise ValidationError(messages) from exc


def shipped_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def shipped_source(path: Path) -> str:
    """How a shipped file is recorded on its campaign: its name and a digest of its content."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return f"{path.name} sha256:{digest}"


def load_shipped_campaigns(sender=None, using="default", **kwargs) -> None:
    """post_migrate: put in place every shipped campaign that is not in the database yet, and bring up to
    date one whose shipped file has changed since (new indicator definitions come with upgrades). Which
    campaign is current is left as the administrators set it."""
    from .models import Campaign

    for path in shipped_files():
        source = shipped_source(path)
        data = read_campaign_file(path)
        stored = (
            Campaign.objects.using(using)
            .filter(code=data["code"])
            .values_list("source_file", flat=True)
            .first()
        )
        if stored != source:
            load_campaign(data, source=source)
