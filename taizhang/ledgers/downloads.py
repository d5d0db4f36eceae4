"""The ledgers and the archive as downloads (core.downloads): a branch's or a township's ledgers at once, a
county's as a job; the archive (files, minutes, every ledger and the reports of a subtree) weighs five times
as much, so a township's is a job and a small subtree's comes back at once."""

from __future__ import annotations

from django.http import Http404

from taizhang.core import downloads
from taizhang.core.scoping import require_admin

from .spec import find_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@downloads.register("ledgers.export", label="台账")
def export(user, params, out, progress) -> downloads.Built:
    from .writing import write_ledgers

    page = downloads.page(params, user)
    sheets = [find_sheet(name) for name in params.get("sheets", [])]
    if any(s is None for s in sheets):
        raise Http404("没有这个台账。")
    write_ledgers(
        out,
        page.campaign,
        page.org,
        sheets=[s.name for s in sheets] or None,
        viewer=user,
        progress=lambda sheet, rows: progress(f"已写入“{sheet}”{rows}行"),
    )
    label = sheets[0].name if len(sheets) == 1 else "台账"
    return downloads.Built(
        f"{page.org.name}{page.campaign.short_name or page.campaign.name}{label}.xlsx", XLSX
    )


@downloads.register("ledgers.archive", label="归档材料", weight=5)
def archive(user, params, out, progress) -> downloads.Built:
    """The campaign's material filed in the six classes, as a .zip: for the township office (its admins)."""
    from .archive import write_archive

    page = downloads.page(params, user)
    require_admin(user, page.org.pk)
    progress("正在收集材料、写入归档……")
    write_archive(out, page.campaign, page.org)
    name = page.campaign.short_name or page.campaign.name
    return downloads.Built(f"{page.org.name}{name}归档材料.zip", "application/zip")
