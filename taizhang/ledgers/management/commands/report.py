"""`taizhang report summary|stats|check …`: the reports of the web pages, from the command line.

    taizhang report summary --org XX乡党委 [--campaign CODE] [--as-of 2023-12-20] [--template FILE.docx] -o 总结.docx
    taizhang report stats   --org XX县委   [--campaign CODE] [--as-of DATE] -o 统计表.xlsx   (or .docx)
    taizhang report check   --org XX乡党委 [--campaign CODE] [--as-of DATE] 手写总结.docx   (or .txt)
    taizhang report archive --org XX乡党委 [--campaign CODE] -o 主题教育档案.zip

The archive files every record, minute, photo, ledger and report of the campaign in six classes
(taizhang/ledgers/archive.py). The command lives in ledgers, the top layer of the two, because the archive
does: reports must not import ledgers.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from taizhang.indicators.selectors import find_campaign, find_org, parse_date
from taizhang.ledgers.archive import write_archive
from taizhang.reports import check as figure_check
from taizhang.reports.docx_template import check_template, render_summary
from taizhang.reports.selectors import template_for
from taizhang.reports.stats import build_stats
from taizhang.reports.stats_files import stats_docx, stats_xlsx
from taizhang.reports.summary import build_summary


class Command(BaseCommand):
    help = "生成工作总结（Word）、进展情况统计表（Excel 或 Word），或核对手写总结中的数字。"

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(
            dest="action", metavar="summary|stats|check|archive", required=True
        )

        def common(sub):
            sub.add_argument("--org", required=True, help="组织名称，如 XX乡党委")
            sub.add_argument("--campaign", help="主题教育代码（默认当前）")
            sub.add_argument("--as-of", dest="as_of", help="截至日期 YYYY-MM-DD（默认全部记录）")

        summary = subcommands.add_parser("summary", help="工作总结（.docx）")
        common(summary)
        summary.add_argument("--template", help="用这个 Word 模板（默认：本乡上传的模板或系统默认模板）")
        summary.add_argument("-o", "--output", required=True, help="输出文件 .docx")

        stats = subcommands.add_parser("stats", help="进展情况统计表（.xlsx 或 .docx）")
        common(stats)
        stats.add_argument("-o", "--output", required=True, help="输出文件 .xlsx 或 .docx")

        check = subcommands.add_parser("check", help="核对手写总结中的数字")
        common(check)
        check.add_argument("file", help="手写的总结 .docx 或 .txt")

        archive = subcommands.add_parser("archive", help="主题教育档案（.zip，按六类归档）")
        archive.add_argument("--org", required=True, help="组织名称，如 XX乡党委")
        archive.add_argument("--campaign", help="主题教育代码（默认当前）")
        archive.add_argument("-o", "--output", required=True, help="输出文件 .zip")

    def handle(self, *args, action, org, campaign=None, as_of=None, **options):
        try:
            organisation = find_org(org)
            campaign_obj = find_campaign(campaign)
            date = parse_date(as_of)
            getattr(self, f"_{action}")(campaign_obj, organisation, date, **options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

    def _output(self, options, suffixes: tuple[str, ...]) -> Path:
        path = Path(options["output"])
        if path.suffix.lower() not in suffixes:
            raise CommandError(f"输出文件“{path}”的扩展名应为 {' 或 '.join(suffixes)}。")
        if not path.parent.exists():
            raise CommandError(f"目录“{path.parent}”不存在。")
        return path

    def _summary(self, campaign, org, as_of, **options):
        path = self._output(options, (".docx",))
        if options.get("template"):
            template_path = Path(options["template"])
            if not template_path.exists():
                raise CommandError(f"模板文件“{template_path}”不存在。")
            template = template_path.read_bytes()
            check_template(template, campaign)
            which = str(template_path)
        else:
            template, upload = template_for(org, campaign)
            which = f"本乡上传的“{upload.original_name}”" if upload else "默认模板"
        data = build_summary(campaign, org, as_of=as_of)
        path.write_bytes(render_summary(data, template))
        stated = sum(1 for f in data.figures.values() if f.stated)
        self.stdout.write(f"已生成 {path}（{which}；写入数字{stated}项，其余为0或尚未统计的句子已省略）")

    def _stats(self, campaign, org, as_of, **options):
        path = self._output(options, (".xlsx", ".docx"))
        table = build_stats(campaign, org, as_of=as_of)
        path.write_bytes(stats_xlsx(table) if path.suffix.lower() == ".xlsx" else stats_docx(table))
        self.stdout.write(f"已生成 {path}（{len(table.rows)}行，{len(table.columns)}项指标）")

    def _archive(self, campaign, org, as_of, **options):
        path = self._output(options, (".zip",))
        partial = path.with_name(path.name + ".part")  # no half-written archive under the real name
        try:
            summary = write_archive(partial, campaign, org)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        for folder, count in summary.items.items():
            self.stdout.write(f"  {folder}：{count}份")
        for name in summary.missing:
            self.stdout.write(f"  文件缺失（已在目录中注明）：{name}")
        size = (
            f"{summary.bytes / 1024 / 1024:.1f} MB"
            if summary.bytes >= 1024 * 1024
            else f"{summary.bytes / 1024:.0f} KB"
        )
        self.stdout.write(f"已生成 {path}（共{summary.files}份材料，{size}，用时{summary.seconds:.1f}秒）")

    def _check(self, campaign, org, as_of, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件“{path}”不存在。")
        text = figure_check.text_of_upload(path.name, path.read_bytes())
        results = figure_check.check_against_records(text, campaign, org, as_of=as_of)
        for r in results:
            line = f"[{r.status_label}] {r.stated.text}  “{r.stated.label[:16]}”"
            if r.indicator:
                line += f"  → {r.indicator.label}（{r.indicator.code}）"
            if r.value is not None and r.status != figure_check.MATCH:
                line += f"  记录为 {r.value}{r.indicator.unit}"
            if r.reason:
                line += f"  {r.reason}"
            self.stdout.write(line)
        counts = {s: sum(1 for r in results if r.status == s) for s in figure_check.STATUS_LABELS}
        self.stdout.write(
            "一致{match}处，不一致{differ}处，未识别{unknown}处。".format(**counts)
            if results
            else "没有找到数字。"
        )
