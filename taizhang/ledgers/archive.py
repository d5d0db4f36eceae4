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
"""

from __future__ import annotations

import datetime
import io
import math
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import BinaryIO

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from taizhang.core.models import Attachment
from taizhang.core.scoping import subtree_ids

DEPLOY = "部署动员类"
STUDY = "理论学习类"
RESEARCH = "调查研究类"
RECTIFY = "整改整治推动发展类"
REPORTS = "总结评估类"
OTHER = "其他类"
CLASSES = (DEPLOY, STUDY, RESEARCH, RECTIFY, REPORTS, OTHER)
FOLDERS = {name: f"{number}{name}" for number, name in enumerate(CLASSES, start=1)}
CATALOGUE = "目录.xlsx"

# Ledger sheets by class; a sheet not named here goes to 其他类.
SHEET_CLASSES = {
    "组织": OTHER,
    "党员": OTHER,
    "学习计划": DEPLOY,
    "会议活动": STUDY,
    "补学": STUDY,
    "调研走访": RESEARCH,
    "干事创业清单": RESEARCH,
    "走访企业": RESEARCH,
    "问题清单": RECTIFY,
    "谈心谈话": RECTIFY,
    "党建工作体检": RECTIFY,
    "为民办实事": RECTIFY,
    "结对共建": RECTIFY,
    "宣传": OTHER,
}

CATALOGUE_HEADER = ("序号", "文件名", "材料名称", "日期", "来源记录", "组织")
CATALOGUE_WIDTHS = (6, 44, 36, 12, 64, 22)  # Excel units: a Chinese character is about 2
KIND_LABELS = {"jpg": "照片", "png": "照片", "pdf": "PDF文件", "docx": "Word文件"}
UNSAFE = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]+')  # what Windows refuses in a file name
EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}")
STEM_LIMIT = 60  # characters of the name after the date and number
CHUNK = 1 << 20

FONT = "宋体"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


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


@dataclass
class Entry:
    """One item of a class: its catalogue row and how to open its content (OSError: the file is missing)."""

    date: datetime.date
    stem: str
    ext: str
    title: str
    source: str
    org: str
    order: tuple = ()
    open: Callable[[], BinaryIO] | None = None  # the file's content, opened when it is written
    size: int | None = None
    name: str = ""  # set when numbered
    missing: bool = False


# -- names --------------------------------------------------------------------------------------------------


def safe_stem(text: str, limit: int = STEM_LIMIT) -> str:
    """A file name (without extension) that every system accepts: no path separators, no characters Windows
    refuses, no leading or trailing dots and spaces, at most `limit` characters."""
    text = UNSAFE.sub("_", " ".join(str(text).split())).strip(" ._")
    return text[:limit].rstrip(" ._") or "材料"


def extension_of(original_name: str, kind: str = "") -> str:
    suffix = PurePath(original_name or "").suffix
    if EXTENSION.fullmatch(suffix):
        return suffix.lower()
    return f".{kind}" if kind else ""


def book_title(text: str) -> str:
    """《text》, with titles inside it in 〈〉 as Chinese usage nests them."""
    return "《" + text.replace("《", "〈").replace("》", "〉") + "》"


def iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


# -- what is filed ------------------------------------------------------------------------------------------


def _of_campaign_dates(field_name: str, campaign, *, or_unknown: bool = False) -> Q:
    q = Q(**{f"{field_name}__range": (campaign.start_date, campaign.end_date)})
    return q | Q(**{f"{field_name}__isnull": True}) if or_unknown else q


@dataclass(frozen=True)
class Owners:
    """A kind of record that takes attachments: its records of the campaign in the subtree, and for one
    record its class, date, source text and organisation."""

    label: str  # app_label.ModelName
    records: Callable  # (campaign, org_ids) -> queryset
    describe: Callable  # (record) -> (class, date | None, source, organisation name)


def _meetings(campaign, ids):
    from taizhang.study.models import Meeting

    return Meeting.objects.filter(organiser__in=ids, campaign=campaign).select_related("organiser")


def meeting_class(meeting) -> str:
    from taizhang.study.choices import DEPLOYMENT_TYPES

    return DEPLOY if meeting.type in DEPLOYMENT_TYPES else STUDY


def meeting_source(meeting) -> str:
    return f"会议活动：{iso(meeting.date)} {meeting.organiser.name} {meeting.type}{book_title(meeting.topic)}"


def _describe_meeting(m):
    return meeting_class(m), m.date, meeting_source(m), m.organiser.name


def _measures(campaign, ids):
    from taizhang.rectify.models import Measure

    return Measure.objects.filter(
        problem__owner_org__in=ids, problem__campaign=campaign, problem__deleted_at__isnull=True
    ).select_related("problem__owner_org")


def _describe_measure(m):
    day = m.completed_on or m.problem.found_on
    source = (
        f"整改措施：{iso(day)} {m.problem.owner_org.name} 第{m.problem.number}号问题 {m.short}（{m.status}）"
    )
    return RECTIFY, day, source, m.problem.owner_org.name


def _progress(campaign, ids):
    from taizhang.rectify.models import ProgressEntry

    return ProgressEntry.objects.filter(
        measure__problem__owner_org__in=ids,
        measure__problem__campaign=campaign,
        measure__deleted_at__isnull=True,
        measure__problem__deleted_at__isnull=True,
    ).select_related("measure__problem__owner_org")


def _describe_progress(e):
    problem = e.measure.problem
    what = f"第{problem.number}号问题 {e.measure.short}（{e.get_kind_display()}）"
    source = f"整改进展：{iso(e.on)} {problem.owner_org.name} {what}"
    return RECTIFY, e.on, source, problem.owner_org.name


def _remedies(campaign, ids):
    from taizhang.rectify.models import Remedy

    return Remedy.objects.filter(organisation__in=ids, campaign=campaign).select_related("organisation")


def _describe_remedy(r):
    day = r.accepted_on or r.started_on
    return (
        RECTIFY,
        day,
        f"软弱涣散党组织整顿：{iso(day)} {r.organisation.name}（{r.status}）",
        r.organisation.name,
    )


def _remedy_entries(campaign, ids):
    from taizhang.rectify.models import RemedyEntry

    return RemedyEntry.objects.filter(
        remedy__organisation__in=ids, remedy__campaign=campaign, remedy__deleted_at__isnull=True
    ).select_related("remedy__organisation")


def _describe_remedy_entry(e):
    org = e.remedy.organisation.name
    return RECTIFY, e.on, f"整顿进展：{iso(e.on)} {org}", org


def _visits(campaign, ids):
    from taizhang.research.models import ResearchVisit

    return ResearchVisit.objects.filter(
        _of_campaign_dates("date", campaign), organisation__in=ids, topic__deleted_at__isnull=True
    ).select_related("organisation", "topic")


def _describe_visit(v):
    source = f"调研走访：{iso(v.date)} {v.organisation.name} {v.place}（课题{book_title(v.topic.title)}）"
    return RESEARCH, v.date, source, v.organisation.name


def _projects(campaign, ids):
    from taizhang.serve.models import ServiceProject

    return ServiceProject.objects.filter(
        _of_campaign_dates("completed_on", campaign, or_unknown=True), organisation__in=ids
    ).select_related("organisation")


def _describe_project(p):
    day = p.completed_on or p.planned_on
    return (
        RECTIFY,
        day,
        f"为民办实事：{iso(day)} {p.organisation.name} {p.name}（{p.status}）",
        p.organisation.name,
    )


def _joint_activities(campaign, ids):
    from taizhang.serve.models import JointActivity

    return JointActivity.objects.filter(
        _of_campaign_dates("date", campaign),
        partnership__organisation__in=ids,
        partnership__deleted_at__isnull=True,
    ).select_related("partnership__organisation")


def _describe_joint(a):
    org = a.partnership.organisation.name
    return RECTIFY, a.date, f"结对共建：{iso(a.date)} {org} 与{a.partnership.partner}共建“{a.title}”", org


def _publicity(campaign, ids):
    from taizhang.serve.models import PublicityItem

    return PublicityItem.objects.filter(
        _of_campaign_dates("date", campaign), organisation__in=ids
    ).select_related("organisation")


def _describe_publicity(p):
    return (
        OTHER,
        p.date,
        f"宣传：{iso(p.date)} {p.organisation.name} {p.kind}“{p.content}”",
        p.organisation.name,
    )


OWNERS = (
    Owners("study.Meeting", _meetings, _describe_meeting),
    Owners("rectify.Measure", _measures, _describe_measure),
    Owners("rectify.ProgressEntry", _progress, _describe_progress),
    Owners("rectify.Remedy", _remedies, _describe_remedy),
    Owners("rectify.RemedyEntry", _remedy_entries, _describe_remedy_entry),
    Owners("research.ResearchVisit", _visits, _describe_visit),
    Owners("serve.ServiceProject", _projects, _describe_project),
    Owners("serve.JointActivity", _joint_activities, _describe_joint),
    Owners("serve.PublicityItem", _publicity, _describe_publicity),
)


def _field(model, path: str):
    """The model field at the end of a lookup path, or None."""
    try:
        for part in path.split("__")[:-1]:
            model = model._meta.get_field(part).related_model
        return model._meta.get_field(path.split("__")[-1])
    except (FieldDoesNotExist, AttributeError):
        return None


def _generic_owners(model) -> Owners | None:
    """Owners of another model that takes attachments: scoped by its scope_path, of the campaign by its
    campaign (path) or its date; filed in 其他类. None for a model that cannot be scoped."""
    path = getattr(model, "scope_path", None)
    if not path:
        return None
    campaign_path = getattr(model, "campaign_path", None) or (
        "campaign" if _field(model, "campaign") else None
    )
    date_path = getattr(model, "as_of_field", None)
    date_field = _field(model, date_path) if date_path else None
    dated = date_field is not None and date_field.get_internal_type() == "DateField"

    def records(campaign, ids):
        qs = model._default_manager.filter(**{f"{path}__in": ids})
        if campaign_path:
            qs = qs.filter(**{campaign_path: campaign})
        elif dated:
            qs = qs.filter(_of_campaign_dates(date_path, campaign, or_unknown=True))
        values = {"_archive_org": f"{path}__name"}
        if dated:
            values["_archive_date"] = date_path
        return qs.annotate(**{k: F(v) for k, v in values.items()})

    def describe(obj):
        day = getattr(obj, "_archive_date", None)
        org = obj._archive_org or ""
        return OTHER, day, f"{model._meta.verbose_name}：{iso(day)} {org} {obj}".replace("  ", " "), org

    return Owners(model._meta.label, records, describe)


# -- generated documents ------------------------------------------------------------------------------------


def blank_document() -> bytes:
    """An empty document in the official layout (reports.docx_layout), to open once per minutes: setting up
    the styles costs six times as much as opening the result."""
    from taizhang.reports import docx_layout as layout

    out = io.BytesIO()
    layout.new_document().save(out)
    return out.getvalue()


def minutes_docx(
    meeting, *, present: int | None = None, named: int | None = None, blank: bytes | None = None
) -> bytes:
    """A meeting's minutes as a Word document in the official layout: a title, the meeting's particulars
    (date, organiser, type, topic, place, speaker, attendance), then its text paragraph by paragraph.
    `blank`: blank_document(), when many are written."""
    from docx import Document
    from docx.shared import Pt

    from taizhang.reports import docx_layout as layout
    from taizhang.study.models import cn

    document = Document(io.BytesIO(blank)) if blank else layout.new_document()
    layout.title(document, f"{meeting.organiser.name}{meeting.type}会议记录")
    particulars = [
        ("时间", cn(meeting.date)),
        ("组织", meeting.organiser.name),
        ("类型", meeting.type),
        ("主题", meeting.topic),
        ("地点", meeting.place),
        ("主讲人", meeting.speaker_display),
    ]
    if named:
        particulars.append(("参加人员", f"应到{named}人，实到{present or 0}人"))
    elif meeting.head_count:
        particulars.append(("参加人员", f"{meeting.head_count}人"))
    for label, value in particulars:
        if value:
            # No named run style: python-docx takes about a millisecond to look a style name up, which a
            # county's hundreds of minutes feel; a bold label is how minutes set it off anyway.
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}：").bold = True
            paragraph.add_run(value)
            paragraph.paragraph_format.first_line_indent = Pt(0)
    layout.heading1(document, "会议内容")
    for line in meeting.minutes.splitlines():
        if line.strip():
            layout.body(document, line.strip())
    document.core_properties.title = f"{meeting.organiser.name}{meeting.type}会议记录"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def row_height(values) -> float:
    """Points for a catalogue row whose wrapped text takes the most lines (no spreadsheet program fits the
    height of a row written by openpyxl by itself)."""
    from taizhang.reports.stats_files import text_width

    lines = max(
        math.ceil(text_width(value) / (width - 1.5)) if isinstance(value, str) else 1
        for value, width in zip(values, CATALOGUE_WIDTHS, strict=True)
    )
    return 16.0 * max(lines, 1) + 4


def catalogue_xlsx(title: str, entries: list[Entry]) -> bytes:
    """The catalogue of one class: a title row, the header (frozen, repeated on every printed page), one row
    per item; A4 landscape fitted to the page width."""
    book = Workbook()
    ws = book.active
    ws.title = "目录"
    width = len(CATALOGUE_HEADER)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    head = ws.cell(1, 1)
    head.font = Font(name=FONT, size=16, bold=True)
    head.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    ws.append(list(CATALOGUE_HEADER))
    for cell in ws[2]:
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 22
    body = Font(name=FONT, size=11)
    left = Alignment(vertical="center", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, entry in enumerate(entries, start=1):
        name = entry.name if not entry.missing else f"（文件缺失）{entry.name}"
        values = [number, name, entry.title, entry.date, entry.source, entry.org]
        ws.append(values)
        ws.row_dimensions[ws.max_row].height = row_height(values)
        for index, cell in enumerate(ws[ws.max_row], start=1):
            cell.font = body
            cell.border = BORDER
            cell.alignment = centre if index in (1, 4) else left
            if index == 4:
                cell.number_format = "yyyy-mm-dd"
    for index, column_width in enumerate(CATALOGUE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column_width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
        entry.name = f"{entry.date.isoformat()}_{number:0{width}d}_{safe_stem(entry.stem)}{entry.ext}"
        self.catalogues[folder].append(entry)
        path = f"{FOLDERS[folder]}/{entry.name}"
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
            owners = _generic_owners(model)
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
            _meetings(self.campaign, self.ids)
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
