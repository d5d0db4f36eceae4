"""The reports as downloads (core.downloads): the work summary and the statistics table, built at once for a
township and as a job for a county or a city. Each reads its campaign, organisation and date back in the
scope of the user it is for."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from taizhang.core import downloads

from .docx_template import render_summary
from .selectors import template_for
from .stats import build_stats
from .stats_files import stats_docx as write_stats_docx
from .stats_files import stats_xlsx as write_stats_xlsx
from .summary import build_summary

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMPUTING = "正在计算各项数字……"


@downloads.register("reports.summary", label="工作总结")
def summary(user, params, out, progress) -> downloads.Built:
    page = downloads.page(params, user)
    progress(COMPUTING)
    data = build_summary(page.campaign, page.org, as_of=page.as_of)
    template, upload = template_for(page.org, page.campaign)
    progress("正在写入文档……")
    try:
        out.write(render_summary(data, template))
    except ValidationError as exc:
        which = f"本乡上传的总结模板“{upload.original_name}”" if upload else "总结模板"
        raise downloads.Refused(
            f"{which}无法生成总结：{'；'.join(exc.messages)}请修改模板后重新上传，或恢复默认模板。"
        ) from None
    return downloads.Built(f"{data.title}.docx", DOCX)


def _stats(params, user, progress):
    page = downloads.page(params, user)
    progress(COMPUTING)
    table = build_stats(page.campaign, page.org, as_of=page.as_of)
    progress("正在写入表格……")
    return table


@downloads.register("reports.stats_xlsx", label="统计表")
def stats_xlsx(user, params, out, progress) -> downloads.Built:
    table = _stats(params, user, progress)
    out.write(write_stats_xlsx(table))
    return downloads.Built(f"{table.title}.xlsx", XLSX)


@downloads.register("reports.stats_docx", label="统计表（Word）")
def stats_docx(user, params, out, progress) -> downloads.Built:
    table = _stats(params, user, progress)
    out.write(write_stats_docx(table))
    return downloads.Built(f"{table.title}.docx", DOCX)
