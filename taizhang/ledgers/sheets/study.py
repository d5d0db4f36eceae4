"""会议活动 and 补学. A meeting is matched by (日期, 组织, 主题); its 参加人员 are recorded as present (出席), and
a member once recorded present but no longer listed is marked absent (缺席), not deleted. 参加人员 must be
members of the 组织 or of an organisation below it, by the meeting form's own rule
(study.services.attendees_outside_error) and with its message."""

from __future__ import annotations

from collections import defaultdict

from taizhang.core.scoping import subtree_ids
from taizhang.orgs.models import Member
from taizhang.study.choices import AttendanceMethod, AttendanceStatus, MakeUpMethod, MeetingType
from taizhang.study.models import Attendance, MakeUp, Meeting, PlannedMeeting
from taizhang.study.services import attendees_outside_error

from ..context import Batch, changed
from ..plan import is_new
from ..spec import Column, Sheet, register
from .common import person, qualified_names, recorded


def load_meetings(rows, ctx) -> None:
    parsed, subtrees = [], {}
    for row, org in ctx.writable_rows(rows, "组织"):
        township = ctx.township(org)
        speaker = ctx.speaker(row, "主讲人", township=township)
        attendees = ctx.members(row, "参加人员", township=township) if row["参加人员"] else []
        if speaker is None or attendees is None:
            continue
        if attendees:  # the meeting form's rule (study.services), for the same refusal
            if org.pk not in subtrees:
                subtrees[org.pk] = subtree_ids(org.pk)
            error = attendees_outside_error(org, attendees, subtree=subtrees[org.pk])
            if error:
                ctx.error(row, "参加人员", error, row["参加人员"])
                continue
        if attendees and row["参加人数"] is not None and row["参加人数"] != len(attendees):
            ctx.error(row, "参加人数", f"与参加人员的人数（{len(attendees)}人）不符", row["参加人数"])
            continue
        parsed.append((row, org, speaker, attendees))
    if not parsed:
        return
    existing = recorded(
        ctx,
        Meeting.objects.all(),
        ("date", "organiser_id", "topic"),
        {(row["日期"], org.pk, row["主题"]) for row, org, _, _ in parsed},
    )
    meetings, present = Batch(ctx, Meeting), {}
    for row, org, speaker, attendees in parsed:
        key = (row["日期"], org.pk, row["主题"])
        meeting = existing.get(key) or Meeting(date=row["日期"], organiser=org, topic=row["主题"])
        values = {
            "campaign": ctx.campaign,
            "type": row["类型"],
            "place": row["地点"],
            "speaker": speaker.member,
            "speaker_name": speaker.name,
            "speaker_unit": speaker.unit,
            "head_count": None if attendees else row["参加人数"],
        }
        these = changed(meeting, values)
        meeting.organiser, meeting.campaign = org, ctx.campaign  # the instances at hand, for clean()
        if not ctx.validate(row, meeting):
            continue
        state = "created" if meeting.pk is None else "updated" if these else "same"
        if state != "same":  # a meeting the same is counted with its attendance
            meetings.add(meeting, these)
        existing[key] = meeting  # the same meeting twice in one file: the second row updates it
        present[key] = (meeting, attendees, state)
    meetings.write()
    _sync_attendance(present.values(), ctx)


def _sync_attendance(meetings, ctx) -> None:
    """Attendance as the file lists it: listed members present; a member recorded present but no longer
    listed, absent. Read as plain tuples (a chunk's meetings hold tens of thousands of rows); only rows that
    change are loaded as records."""
    meetings = list(meetings)
    current = defaultdict(dict)  # meeting id -> {member id: (attendance id, status)}
    ids = [m.pk for m, _, _ in meetings]
    rows = Attendance.all_objects.filter(meeting__in=[pk for pk in ids if not is_new(pk)])
    for pk, meeting_id, member_id, status in rows.values_list("pk", "meeting_id", "member_id", "status"):
        current[meeting_id][member_id] = (pk, status)
    planned = (
        set()
    )  # the rows this import adds (an earlier chunk's), as (rows, index): changed where they are
    for handle in ctx.plan.new_rows(Attendance, "meeting_id", ids):
        rows, i = handle
        planned.add(handle)
        current[rows.get(i, "meeting_id")][rows.get(i, "member_id")] = (handle, rows.get(i, "status"))
    creates, to_present, to_absent = [], [], []
    for meeting, attendees, state in meetings:
        recorded = current.get(meeting.pk, {})
        listed = {m.pk for m in attendees}
        touched = False
        for member in attendees:
            found = recorded.get(member.pk)
            if found is None:
                creates.append(
                    {
                        "meeting_id": meeting.pk,
                        "member_id": member.pk,
                        "status": AttendanceStatus.PRESENT,
                        "reason": "",
                        "method": AttendanceMethod.MARKED,
                        "signed_at": None,
                    }
                )
                touched = True
            elif found[1] != AttendanceStatus.PRESENT:
                to_present.append(found[0])
                touched = True
        if attendees:
            for member_id, (pk, status) in recorded.items():
                if member_id not in listed and status == AttendanceStatus.PRESENT:
                    to_absent.append(pk)
                    touched = True
        if state == "same":  # neither created nor updated above: counted here
            ctx.count("updated" if touched else "unchanged")
    ctx.insert_with_history(Attendance, creates, key=("meeting_id", "member_id"))
    present = set(to_present)
    for handle in [pk for pk in to_present + to_absent if pk in planned]:
        rows, i = handle
        if handle in present:
            rows.set(i, status=AttendanceStatus.PRESENT, reason="", method=AttendanceMethod.MARKED)
        else:
            rows.set(i, status=AttendanceStatus.ABSENT, method="", signed_at=None)
    updates = []
    recorded = [pk for pk in to_present + to_absent if pk not in planned]
    for row in Attendance.all_objects.filter(pk__in=recorded):
        if row.pk in present:
            row.status, row.reason, row.method = AttendanceStatus.PRESENT, "", AttendanceMethod.MARKED
        else:
            row.status, row.method, row.signed_at = AttendanceStatus.ABSENT, "", None
        updates.append(row)
    ctx.update_quietly(Attendance, updates, ["status", "reason", "method", "signed_at"])


def export_meetings(campaign, org_ids):
    shared = qualified_names(org_ids)
    members = {
        m.pk: m for m in Member.all_objects.filter(organisation__in=org_ids).select_related("organisation")
    }
    meetings = (
        Meeting.objects.filter(campaign=campaign, organiser__in=org_ids)
        .select_related("organiser", "speaker__organisation")
        .order_by("date", "organiser__order", "organiser_id", "pk")
    )
    ids = list(meetings.values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        batch = ids[start : start + 2000]
        present = defaultdict(list)
        for meeting_id, member_id in (
            Attendance.all_objects.filter(meeting__in=batch, status=AttendanceStatus.PRESENT)
            .order_by("pk")
            .values_list("meeting_id", "member_id")
        ):
            present[meeting_id].append(member_id)
        for meeting in meetings.filter(pk__in=batch):
            people = [members[pk] for pk in present.get(meeting.pk, []) if pk in members]
            speaker = person(meeting.speaker, shared) if meeting.speaker_id else meeting.speaker_display
            yield (
                meeting.date,
                meeting.organiser.name,
                meeting.type,
                meeting.topic,
                speaker,
                meeting.place,
                "、".join(person(m, shared) for m in people),
                len(people) if people else meeting.head_count,
            )


MEETINGS = register(
    Sheet(
        name="会议活动",
        order=40,
        columns=(
            Column("日期", "date", required=True, key=True, rule="meeting"),
            Column("组织", "org", required=True, key=True, width=24),
            Column("类型", "choice", required=True, choices=tuple(MeetingType.values)),
            Column("主题", required=True, key=True, width=36, field="study.Meeting.topic"),
            Column("主讲人", "speaker", width=16, note="外来主讲人写成 姓名（单位）"),
            Column("地点", width=16, field="study.Meeting.place"),
            Column("参加人员", "members", width=40, note="姓名之间用“、”分隔"),
            Column("参加人数", "int"),
        ),
        example=(
            "2023-09-15",
            "XX村党支部",
            "专题研讨",
            "学习贯彻主题教育精神",
            "张三",
            "村委会议室",
            "张三、李四",
            2,
        ),
        loader=load_meetings,
        exporter=export_meetings,
    )
)


# 补学 ------------------------------------------------------------------------------------------------


def load_makeups(rows, ctx) -> None:
    parsed = []
    for row in rows:
        member = ctx.member(row, "党员")
        if member is None or not ctx.writable(row, "党员", member.organisation):
            continue
        parsed.append((row, member))
    if not parsed:
        return
    meetings = {
        (m.organiser_id, m.date, m.topic): m
        for m in ctx.fetch(
            Meeting.objects.select_related("campaign"),
            organiser__in={m.organisation_id for _, m in parsed},
            date__in={row["补学会议日期"] for row, _ in parsed},
        )
    }
    existing = {
        (mk.member_id, mk.meeting_id): mk
        for mk in ctx.fetch(
            MakeUp.objects.all(), member__in=[m for _, m in parsed], meeting__in=list(meetings.values())
        )
    }
    makeups = Batch(ctx, MakeUp)
    for row, member in parsed:
        meeting = meetings.get((member.organisation_id, row["补学会议日期"], row["补学会议主题"]))
        if meeting is None:
            ctx.error(
                row,
                "补学会议主题",
                f"{member.organisation.name}在{row['补学会议日期']}没有这个主题的会议",
                row["补学会议主题"],
            )
            continue
        makeup = existing.get((member.pk, meeting.pk)) or MakeUp(member=member, meeting=meeting)
        makeups.put(row, makeup, {"date": row["日期"], "method": row["方式"]})
        existing[(member.pk, meeting.pk)] = makeup  # a new one twice in one file: the second row updates it
    makeups.write()


def export_makeups(campaign, org_ids):
    shared = qualified_names(org_ids)
    makeups = (
        MakeUp.objects.filter(meeting__campaign=campaign, meeting__organiser__in=org_ids)
        .select_related("member__organisation", "meeting")
        .order_by("date", "pk")
    )
    for mk in makeups.iterator(chunk_size=2000):
        yield (mk.date, person(mk.member, shared), mk.meeting.date, mk.meeting.topic, mk.method)


MAKEUPS = register(
    Sheet(
        name="补学",
        order=45,
        columns=(
            Column("日期", "date", required=True),
            Column("党员", "member", required=True, key=True),
            Column("补学会议日期", "date", required=True, key=True),
            Column("补学会议主题", required=True, key=True, width=36),
            Column("方式", "choice", required=True, choices=tuple(MakeUpMethod.values)),
        ),
        example=("2023-09-20", "李四", "2023-09-15", "学习贯彻主题教育精神", "送书上门"),
        loader=load_makeups,
        exporter=export_makeups,
    )
)


# 学习计划 (not in ledgers.md: proposed there, so that the plan's figures survive an export and import) ------


def load_plan(rows, ctx) -> None:
    """Plan items matched by (组织, 月份, 类型, 计划主题); an organisation may plan two alike in a month, so
    each row takes one of the matching items, and a row without one is a new item."""
    parsed = list(ctx.writable_rows(rows, "组织"))
    existing = defaultdict(list)
    for item in ctx.fetch(
        PlannedMeeting.objects.all(), campaign=ctx.campaign, organisation__in={o.pk for _, o in parsed}
    ):
        existing[(item.organisation_id, item.month, item.type, item.topic)].append(item)
    items = Batch(ctx, PlannedMeeting)
    for row, org in parsed:
        month = row["月份"].replace(day=1)
        key = (org.pk, month, row["类型"], row["计划主题"])
        if existing.get(key):
            items.add(existing[key].pop())  # unchanged
            continue
        item = PlannedMeeting(
            organisation=org, campaign=ctx.campaign, month=month, type=row["类型"], topic=row["计划主题"]
        )
        if ctx.validate(row, item):
            items.add(item)
    items.write()


def export_plan(campaign, org_ids):
    items = PlannedMeeting.objects.filter(campaign=campaign, organisation__in=org_ids).select_related(
        "organisation"
    )
    for item in items.order_by("organisation__order", "organisation_id", "month", "type", "pk"):
        yield (item.organisation.name, f"{item.month.year}-{item.month.month:02d}", item.type, item.topic)


PLAN = register(
    Sheet(
        name="学习计划",
        order=35,
        columns=(
            Column("组织", "org", required=True, key=True, width=24),
            Column("月份", "month", required=True, key=True, note="如 2023-09 或 2023年9月"),
            Column("类型", "choice", required=True, key=True, choices=tuple(MeetingType.values)),
            Column("计划主题", key=True, width=36, field="study.PlannedMeeting.topic"),
        ),
        example=("XX村党支部", "2023-09", "专题研讨", "学习贯彻主题教育精神"),
        loader=load_plan,
        exporter=export_plan,
    )
)
