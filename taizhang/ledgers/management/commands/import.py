"""`taizhang import FILE.xlsx [--campaign CODE] [--org NAME] [--dry-run]`: every ledger sheet of a workbook,
checked whole first, then written in one short transaction; a bad file is refused whole with every error
listed, and nothing is written."""

from __future__ import annotations

import sys
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from taizhang.indicators.selectors import find_campaign, find_org
from taizhang.ledgers.importer import import_workbook


class Command(BaseCommand):
    help = "导入 Excel 台账（组织、党员、会议活动、问题清单……），全部成功才写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="台账工作簿 .xlsx")
        parser.add_argument("--campaign", help="主题教育代码（默认当前）")
        parser.add_argument("--org", help="乡党委名称：无法从行内容判断所属乡镇的行归入该乡")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告将新增、更新的记录，不写入")

    def handle(self, *args, file, campaign=None, org=None, dry_run=False, **options):
        try:
            township = find_org(org) if org else None
            campaign_obj = find_campaign(campaign)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        started = time.monotonic()
        tty = sys.stderr.isatty()

        def progress(sheet, done, total):
            line = f"{sheet}：已读 {done} 行" + (f" / 约 {total} 行" if total else "")
            self.stderr.write(("\r" + line) if tty else line, ending="" if tty else "\n")

        result = import_workbook(
            file, campaign=campaign_obj, township=township, dry_run=dry_run, progress=progress, filename=file
        )
        if tty:
            self.stderr.write("")
        for notice in result.notices:
            self.stdout.write(notice)
        for sheet in result.sheets:
            self.stdout.write(
                f"{sheet.name}：{sheet.rows}行，新增{sheet.created}，更新{sheet.updated}，未变{sheet.unchanged}"
            )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"导入失败：共{len(result.errors)}处错误，未写入任何记录。")
        elapsed = time.monotonic() - started
        if dry_run:
            self.stdout.write(f"检查通过（未写入），用时 {elapsed:.1f} 秒。")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"导入完成，用时 {elapsed:.1f} 秒（其中写入 {result.write_seconds:.1f} 秒）。"
                )
            )
