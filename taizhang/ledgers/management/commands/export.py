"""`taizhang export [--org NAME] [--campaign CODE] [--sheet NAME ...] [--template] -o FILE.xlsx`: a township's
(or the county's) ledgers as one Excel workbook, in the format `taizhang import` reads; or, with --template,
the blank template to fill in."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from taizhang.indicators.selectors import find_campaign, find_org
from taizhang.ledgers.writing import SheetUnknown, resolve_sheets, write_ledgers, write_template
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Organisation


class Command(BaseCommand):
    help = "导出 Excel 台账（组织、党员、会议活动……），或用 --template 生成空白填报模板。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="写入的文件 .xlsx")
        parser.add_argument("--org", help="组织名称（默认：系统中唯一的乡党委）；导出该组织及其下级的台账")
        parser.add_argument("--campaign", help="主题教育代码（默认当前）")
        parser.add_argument(
            "--sheet",
            nargs="+",
            action="extend",
            metavar="NAME",
            help="只导出这些工作表（可写多个，如 --sheet 党员 会议活动）；默认全部",
        )
        parser.add_argument(
            "--template", action="store_true", help="生成空白填报模板（含表头、下拉选项和示例行）"
        )

    def handle(self, *args, output, org=None, campaign=None, sheet=None, template=False, **options):
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("输出文件须以 .xlsx 结尾。")
        if not path.parent.is_dir():
            raise CommandError(f"目录“{path.parent}”不存在。")
        try:
            sheets = resolve_sheets(sheet) if sheet else None
        except SheetUnknown as exc:
            raise CommandError(str(exc)) from exc
        started = time.monotonic()
        if template:
            names = write_template(path, sheets=sheets)
            self.stdout.write(f"模板工作表：{'、'.join(names)}")
            self.stdout.write(
                self.style.SUCCESS(f"已写入模板 {path}，用时 {time.monotonic() - started:.1f} 秒。")
            )
            return
        try:
            organisation = find_org(org) if org else self._only_township()
            campaign_obj = find_campaign(campaign)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

        last = [started]

        def progress(name, rows):
            now = time.monotonic()
            took = f"（{now - last[0]:.1f} 秒）"
            last[0] = now
            self.stdout.write(f"{name}：{rows}行{took}" if rows else f"{name}：无记录，未写入")

        written = write_ledgers(path, campaign_obj, organisation, sheets=sheets, progress=progress)
        total = sum(rows for _, rows in written)
        sheets_written = sum(1 for _, rows in written if rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出{organisation.name}（{campaign_obj.short_name or campaign_obj.name}）"
                f"{sheets_written}个工作表共{total}行到 {path}，用时 {time.monotonic() - started:.1f} 秒。"
            )
        )

    def _only_township(self) -> Organisation:
        townships = list(Organisation.objects.filter(kind=OrgKind.COMMITTEE)[:2])
        if len(townships) == 1:
            return townships[0]
        if not townships:
            raise CommandError("系统中还没有乡党委，请先导入组织。")
        raise CommandError("系统中有多个乡党委，请用 --org 指定要导出的组织（可写县委名称导出全县）。")
