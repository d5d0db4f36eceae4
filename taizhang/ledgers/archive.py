"""The campaign archive (归档): everything an organisation's subtree recorded in a campaign, filed as the
archives bureaus file it, in a .zip of six classes (../shared/domain.md, "Archive").

    1部署动员类/  2理论学习类/  3调查研究类/  4整改整治推动发展类/  5总结评估类/  6其他类/

Each folder holds its material and a catalogue, 目录.xlsx: a title row, then 序号, 文件名, 材料名称, 日期, 来源记录
(the record a file belongs to, e.g. "会议活动：2023-09-15 甲一村党支部 专题研讨《…》") and 组织, one row per
item, A4 landscape. A folder without material still has its catalogue (with only the header).

What goes where:

- 部署动员类: minutes (会议记录, a .docx written from the meeting's text) and files of the deployment meetings,
  动员部署会 and 党员大会 (study.choices.DEPLOYMENT_TYPES: the branches' members' meetings pass the
  deployment on); the 学习计划 ledger (the branches' study plans are made at deployment).
- 理论学习类: minutes and files of every other meeting (中心组学习, 专题研讨, 专题党课, 主题党日, 培训…); the
  会议活动 and 补学 ledgers.
- 调查研究类: files of research visits; the 调研走访, 干事创业清单 and 走访企业 ledgers.
- 整改整治推动发展类: the evidence (佐证材料) of measures, closed or not (the catalogue gives the status), and
  the photos of their progress entries; files of weak-organisation remedies and their entries; files of
  service projects (为民办实事) and of partnerships' joint activities (结对共建); the 问题清单, 谈心谈话,
  党建工作体检, 为民办实事 and 结对共建 ledgers.
- 总结评估类: the work summary (.docx, from the township's uploaded template, or the default one when there
  is none or it fails) and the statistics table (.xlsx and .docx), over every record.
- 其他类: the 组织 and 党员 ledgers (the rosters the campaign covered) and the 宣传 ledger with the files of
  publicity items; files of any other kind of record; a ledger sheet not named here.

Which records: those of `org`'s subtree (core.scoping.subtree_ids, through each model's `scope_path`) and of
the campaign: by its campaign field or the path to one (a measure through its problem, an entry through its
measure or remedy); records without one by their date in the campaign's period, as the ledgers export them
(a service project without a completion date is kept). Deleted records and deleted attachments are left out
(the default managers), and so are the files of a record whose parent is deleted. A ledger sheet without
rows is left out. Minutes are written only for meetings that have some.

Names inside the zip: "<date>_<序号>_<name><ext>": the record's date (a generated file: the day of the
archive), the item's number in its catalogue, the original name (or the ledger's title) with characters that
Windows refuses replaced, and the original extension. Names are UTF-8 (zipfile sets the flag for non-ASCII
names). In a folder the dated material comes first, in date order, then the ledgers and reports.

Memory: a file is copied into the zip in chunks from its storage; a ledger is written (streaming, by
ledgers.writing) to a temporary file first, so that an empty sheet can be left out; only the catalogue rows
and the small generated documents are held.

Its parts: archive_names (the classes and the names of what is filed), archive_owners (which records, and
how each is described in a catalogue), archive_documents (the minutes and the catalogues); this module
collects the items and writes them into the zip.
"""

from __future__ import annotations

import datetime
import io
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import BinaryIO

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from taizhang.core.models import Attachment
from taizhang.core.scoping import subtree_ids

from .archive_documents import CATALOGUE_HEADER, blank_document, catalogue_xlsx, minutes_docx
from .archive_names import (
    CATALOGUE,
    CLASSES,
    FOLDERS,
    OTHER,
    REPORTS,
    SHEET_CLASSES,
    Entry,
    book_title,
    extension_of,
    safe_stem,
)
from .archive_owners import OWNERS, Owners, generic_owners, meeting_class, meeting_source, meetings_of

__all__ = ["CATALOGUE_HEADER", "FOLDERS", "ArchiveSummary", "safe_stem", "write_archive"]

KIND_LABELS = {"jpg": "照片", "png": "照片", "pdf": "PDF文件", "docx": "Word文件"}
CHUNK = 1 << 20


@dataclass
class ArchiveSummary:
    """What was written: files per class (folder name → count, catalogues not counted), the size of the zip
    and of its contents before compression, the files that could not be read (listed in their catalogue as
    missing), and how long it took."""

    items: dict[str, int]
    bytes: int
    content_bytes: int
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def files(self) -> int:
        return sum(self.items.values())


# -- the archive --------------------------------------------------------------------------------------------


class _Archive:
    def __init__(self, zf: zipfile.ZipFile, campaign, org, today: datetime.date):
        from taizhang.reports.summary import campaign_short_name

        self.zf = zf
        self.campaign = campaign
        self.org = org
        self.ids = subtree_ids(org.pk)
        self.today = today
        self.stamp = time.localtime()[:6]
        self.short = campaign_short_name(campaign)
        self.dated: dict[str, list[Entry]] = {name: [] for name in CLASSES}
        self.catalogues: dict[str, list[Entry]] = {name: [] for name in CLASSES}
        self.missing: list[str] = []
        self.content_bytes = 0
        self._blank: bytes | None = None

    # writing into the zip

    def _info(self, name: str, size: int | None = None) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        if size is not None:
            info.file_size = size  # tells zipfile whether the entry needs ZIP64
        return info

    def _put(self, folder: str, entry: Entry, number: int, width: int) -> None:
        self.catalogues[folder].append(entry)
        path = f"{FOLDERS[folder]}/{entry.number(number, width)}"
        try:
            source = entry.open()
        except OSError:  # gone from storage: listed in the catalogue as missing
            entry.missing = True
            self.missing.append(path)
            return
        info = self._info(path, entry.size)
        with source, self.zf.open(info, "w") as dest:
            shutil.copyfileobj(source, dest, CHUNK)
        self.content_bytes += info.file_size

    # what is filed

    def collect_attachments(self) -> None:
        handled = set()
        for owners in OWNERS:
            model = _model(owners.label)
            handled.add(model)
            self._attachments_of(owners, model)
        kinds = Attachment.objects.order_by().values_list("content_type", flat=True).distinct()
        for content_type in ContentType.objects.filter(pk__in=list(kinds)).order_by("pk"):
            model = content_type.model_class()
            if model is None or model in handled:
                continue
            owners = generic_owners(model)
            if owners is not None:
                self._attachments_of(owners, model)

    def _attachments_of(self, owners: Owners, model) -> None:
        content_type = ContentType.objects.get_for_model(model)
        records = owners.records(self.campaign, self.ids)
        files = Attachment.objects.filter(content_type=content_type)
        with_files = records.filter(Exists(files.filter(object_id=OuterRef("pk"))))
        by_pk = {record.pk: record for record in with_files}
        if not by_pk:
            return
        described = {pk: owners.describe(record) for pk, record in by_pk.items()}
        for attachment in files.filter(object_id__in=records.values("pk")).order_by(
            "object_id", "created_at", "pk"
        ):
            if attachment.object_id not in described:
                continue
            folder, day, source, org = described[attachment.object_id]
            day = day or timezone.localdate(attachment.created_at)
            label = attachment.purpose or KIND_LABELS.get(attachment.kind, "附件")
            self.dated[folder].append(
                Entry(
                    date=day,
                    stem=PurePath(attachment.original_name).stem or label,
                    ext=extension_of(attachment.original_name, attachment.kind),
                    title=f"{label}：{attachment.original_name}",
                    source=source,
                    org=org,
                    order=(day, 1, model._meta.label, attachment.object_id, attachment.pk),
                    open=_opener(attachment),
                    size=attachment.size,
                )
            )

    def collect_minutes(self) -> None:
        from taizhang.study.choices import AttendanceStatus

        meetings = (
            meetings_of(self.campaign, self.ids)
            .exclude(minutes="")
            .select_related("speaker")
            .annotate(
                _named=Count("attendances"),
                _present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            )
        )
        for meeting in meetings:
            if not meeting.minutes.strip():
                continue
            self.dated[meeting_class(meeting)].append(
                Entry(
                    date=meeting.date,
                    stem=f"{meeting.organiser.name}{meeting.type}会议记录",
                    ext=".docx",
                    title=f"{meeting.type}{book_title(meeting.topic)}会议记录",
                    source=meeting_source(meeting),
                    org=meeting.organiser.name,
                    order=(meeting.date, 0, "study.Meeting", meeting.pk, 0),
                    open=lambda m=meeting: io.BytesIO(self._minutes(m)),
                )
            )

    def _minutes(self, meeting) -> bytes:
        if self._blank is None:
            self._blank = blank_document()
        return minutes_docx(meeting, present=meeting._present, named=meeting._named, blank=self._blank)

    def generated(self, folder: str) -> Iterable[Entry]:
        """The ledgers and reports of a class, each written when it is reached."""
        from taizhang.ledgers.spec import all_sheets

        for sheet in all_sheets():
            if SHEET_CLASSES.get(sheet.name, OTHER) == folder:
                entry = self._ledger(sheet)
                if entry is not None:
                    yield entry
        if folder == REPORTS:
            yield from self._reports()

    def _ledger(self, sheet) -> Entry | None:
        from taizhang.ledgers.writing import title_of, write_ledgers

        # Kept open past this function: _put copies it into the zip and closes it.
        spool = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            written = write_ledgers(spool, self.campaign, self.org, sheets=[sheet.name])
        except BaseException:
            spool.close()
            raise
        rows = sum(count for _, count in written)
        if not rows:
            spool.close()
            return None
        size = spool.seek(0, io.SEEK_END)
        spool.seek(0)
        title = title_of(sheet)
        return Entry(
            date=self.today,
            stem=title,
            ext=".xlsx",
            title=f"{title}（{rows}条）",
            source=f"台账导出：{sheet.name}，{rows}条记录",
            org=self.org.name,
            open=lambda: spool,
            size=size,
        )

    def _reports(self) -> Iterable[Entry]:
        from taizhang.reports.docx_template import render_summary
        from taizhang.reports.selectors import default_template_path, template_for
        from taizhang.reports.stats import build_stats
        from taizhang.reports.stats_files import stats_docx, stats_xlsx
        from taizhang.reports.summary import build_summary

        data = build_summary(self.campaign, self.org)
        template, upload = template_for(self.org, self.campaign)
        which = f"本乡上传的模板“{upload.original_name}”" if upload else "默认模板"
        try:
            content = render_summary(data, template)
        except ValidationError:
            if upload is None:
                raise
            which = f"默认模板（本乡上传的模板“{upload.original_name}”无法使用）"
            content = render_summary(data, default_template_path(self.campaign).read_bytes())
        yield Entry(
            date=self.today,
            stem=data.title,
            ext=".docx",
            title=data.title,
            source=f"系统生成：工作总结，按全部记录统计，{which}",
            org=self.org.name,
            open=lambda: io.BytesIO(content),
            size=len(content),
        )
        table = build_stats(self.campaign, self.org)
        for ext, make, kind in ((".xlsx", stats_xlsx, "Excel"), (".docx", stats_docx, "Word")):
            yield Entry(
                date=self.today,
                stem=table.title,
                ext=ext,
                title=f"{table.title}（{kind}）",
                source=f"系统生成：进展情况统计表，按全部记录统计，{len(table.rows)}行",
                org=self.org.name,
                open=lambda make=make: io.BytesIO(make(table)),
            )

    # each class in turn

    def write_class(self, folder: str) -> None:
        self.zf.mkdir(FOLDERS[folder])
        dated = sorted(self.dated.pop(folder), key=lambda e: e.order)
        width = max(3, len(str(len(dated) + 20)))
        number = 0
        for entry in dated:
            number += 1
            self._put(folder, entry, number, width)
        for entry in self.generated(folder):
            number += 1
            self._put(folder, entry, number, width)
        title = f"{self.org.name}{self.short}档案·{FOLDERS[folder]}目录"
        content = catalogue_xlsx(title, self.catalogues[folder])
        self.zf.writestr(self._info(f"{FOLDERS[folder]}/{CATALOGUE}"), content)


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def _opener(attachment) -> Callable[[], BinaryIO]:
    return lambda: attachment.file.storage.open(attachment.file.name, "rb")


def write_archive(
    out: str | Path | BinaryIO, campaign, org, *, today: datetime.date | None = None
) -> ArchiveSummary:
    """Write the archive of `org`'s subtree in `campaign` to a .zip at `out` (a path or a binary file object
    open for writing) and return what it holds."""
    started = time.monotonic()
    start = None if isinstance(out, str | Path) else _tell(out)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        archive = _Archive(zf, campaign, org, today or timezone.localdate())
        archive.collect_minutes()
        archive.collect_attachments()
        for folder in CLASSES:
            archive.write_class(folder)
    if isinstance(out, str | Path):
        size = Path(out).stat().st_size
    else:
        end = _tell(out)
        size = end - start if start is not None and end is not None else None
        if size is None:  # a stream that cannot tell: the entries' compressed sizes (without the headers)
            size = sum(i.compress_size for i in zf.infolist())
    items = {FOLDERS[name]: sum(1 for e in archive.catalogues[name] if not e.missing) for name in CLASSES}
    return ArchiveSummary(
        items=items,
        bytes=size,
        content_bytes=archive.content_bytes,
        missing=archive.missing,
        seconds=round(time.monotonic() - started, 2),
    )


def _tell(out) -> int | None:
    try:
        return out.tell()
    except (AttributeError, OSError):
        return None
