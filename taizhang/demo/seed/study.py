"""Meetings with attendance, make-up study and study plans of the demo township, and of each township of the
scale county at the same rate.

The demo township gives exactly the seed summary's figures (taizhang.study.selectors.study_figures):
central-group study 4, seminars below the committee 57, lectures by secretaries 22 (among them "书记讲给书记听"
and the "党课开讲啦" series), 469 person-times trained, 20 branches that held a members' meeting, and all 13
retired and 9 mobile members covered (each required meeting they missed has a make-up record). Around these,
the ordinary life of the branches through 2023: committee and party-group meetings, theme party days, the
weekly share-and-discuss and monthly study of the campaign, some old records with a head count only.
"""

from __future__ import annotations

import datetime
import math
import random

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from taizhang.orgs.choices import MemberCategory, OrgKind
from taizhang.study.choices import AttendanceMethod, AttendanceStatus, MakeUpMethod, MeetingType
from taizhang.study.models import Attendance, MakeUp, Meeting, PlannedMeeting, SignIn

from .context import SeedContext, Township
from .study_topics import LECTURE_TOPICS, SEMINAR_TOPICS, STUDY_TOPICS, THEME_DAYS

REASON = "演示数据"
TRAINED = 469  # 培训党员469余人次
YEAR = 2023
CAMPAIGN_MONTHS = [(2023, 9), (2023, 10), (2023, 11), (2023, 12), (2024, 1)]
ROUTINE_MONTHS = [(2023, m) for m in range(1, 9)]  # before the campaign: ordinary 三会一课
HEAD_COUNT_ONLY = {(2023, 1), (2023, 2)}  # typed in later from the paper notebook: numbers, no names
GROUP_SIZE = 7


def _day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, 28 if month == 2 else 30))


def _weeks(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=7)


class _Township:
    """Builds one township's records in memory: meetings, their attendance, make-up study, study plans."""

    def __init__(self, township: Township, campaign, rng: random.Random):
        self.t = township
        self.campaign = campaign
        self.rng = rng
        self.required = set(campaign.required_meeting_types or [])
        self.meetings: list[Meeting] = []
        self.rows: list[
            tuple[int, object, str, str, str]
        ] = []  # meeting index, member, status, reason, method
        self.items: list[PlannedMeeting] = []
        self.committee = township.committee
        self.secretaries = [b.secretary for b in township.branches]
        self.leaders = [m for m, _, _ in township.leaders]
        self.missed_on_purpose: set[tuple[int, int]] = set()  # (meeting index, member id)

    # -- one meeting ------------------------------------------------------------------------------------

    def meeting(self, organiser, type_, day, topic, attendees=(), *, speaker=None, outside=None, place="",
                head_count=None, in_campaign=True, minutes="", signed=False, miss=()) -> int:  # fmt: skip
        meeting = Meeting(
            organiser=organiser,
            campaign=self.campaign if in_campaign else None,
            type=type_,
            date=day,
            topic=topic,
            speaker=speaker,
            speaker_name=outside[0] if outside else "",
            speaker_unit=outside[1] if outside else "",
            place=place,
            minutes=minutes,
        )
        index = len(self.meetings)
        self.meetings.append(meeting)
        if (day.year, day.month) in HEAD_COUNT_ONLY and head_count is None:
            head_count = sum(1 for m in attendees if self._comes(m, type_) == AttendanceStatus.PRESENT)
        if head_count is not None:
            meeting.head_count = head_count
            return index
        seen = set()
        for member in attendees:
            if member.pk in seen:
                continue
            seen.add(member.pk)
            if member.pk in miss:
                status = AttendanceStatus.LEAVE
                self.missed_on_purpose.add((index, member.pk))
            else:
                status = self._comes(member, type_)
            reason = self._reason(member) if status == AttendanceStatus.LEAVE else ""
            method = ""
            if status == AttendanceStatus.PRESENT:
                method = AttendanceMethod.MARKED
                if signed:
                    method = AttendanceMethod.QR if self.rng.random() < 0.8 else AttendanceMethod.CODE
            self.rows.append((index, member, status, reason, method))
        return index

    def _comes(self, member, type_) -> str:
        r = self.rng.random()
        if member.category == MemberCategory.MOBILE:
            present = 0.12
        elif member.category == MemberCategory.RETIRED:
            present = 0.7
        else:
            present = 0.93 if type_ != MeetingType.OTHER else 0.85
        if r < present:
            return AttendanceStatus.PRESENT
        return AttendanceStatus.LEAVE if r < present + (1 - present) * 0.7 else AttendanceStatus.ABSENT

    def _reason(self, member) -> str:
        if member.category == MemberCategory.MOBILE:
            return "外出务工"
        if member.category == MemberCategory.RETIRED:
            return "年老体弱"
        return self.rng.choice(("因病", "家中有事", "因公外出"))

    # -- the township -----------------------------------------------------------------------------------

    def build(self) -> None:
        self.committee_meetings()
        for general in (o for o in self.t.grassroots if o.kind == OrgKind.GENERAL_BRANCH):
            self.general_branch(general)
        for index, branch in enumerate(self.t.branches):
            self.branch(index, branch)
        self.fit_training()

    def committee_meetings(self) -> None:
        c, leaders, secretaries = self.committee, self.leaders, self.secretaries
        office = "乡政府三楼会议室"
        head = self.committee.secretary
        government = [m for b in self.t.branches[:3] for m in self.t.members_by_org[b.pk]]
        for month in range(1, 9):  # the committee's monthly theory study before the campaign
            self.meeting(c, MeetingType.CENTRAL_GROUP, _day(YEAR, month, 20), f"{month}月理论学习中心组学习",
                         leaders, place=office, in_campaign=False)  # fmt: skip
        self.meeting(c, MeetingType.MOBILISATION, datetime.date(2023, 9, 4), "主题教育工作部署会",
                     leaders + secretaries, speaker=head, place=office,
                     minutes="成立以乡党委书记为组长的主题教育领导小组及办公室，部署理论学习、调查研究、推动发展等重点举措。")  # fmt: skip
        self.meeting(c, MeetingType.OTHER, datetime.date(2023, 9, 5), "主题教育领导小组第一次会议", leaders,
                     place=office)  # fmt: skip
        self.meeting(c, MeetingType.MOBILISATION, datetime.date(2023, 9, 7), "第二批主题教育动员大会",
                     leaders + secretaries + government, speaker=head, place="乡政府大礼堂",
                     minutes="传达中央和省委、市委、县委主题教育工作会议精神，对全乡主题教育进行动员部署。")  # fmt: skip
        for day, topic in zip(
            (
                datetime.date(2023, 9, 12),
                datetime.date(2023, 10, 17),
                datetime.date(2023, 11, 21),
                datetime.date(2023, 12, 19),
            ),  # fmt: skip
            (
                "学习《习近平新时代中国特色社会主义思想专题摘编》",
                "学习《习近平著作选读》第一卷",
                "学习习近平总书记关于调查研究的重要论述",
                "学习《习近平著作选读》第二卷",
            ),  # fmt: skip
            strict=True,
        ):
            self.meeting(c, MeetingType.CENTRAL_GROUP, day, topic, leaders, speaker=head, place=office,
                         minutes="读原著、学原文、悟原理，班子成员逐一交流发言。")  # fmt: skip
        self.meeting(c, MeetingType.TRAINING, datetime.date(2023, 9, 8), "主题教育业务培训会",
                     secretaries + leaders[3:5], speaker=self.leaders[3], place="乡党校")  # fmt: skip
        self.meeting(c, MeetingType.TRAINING, datetime.date(2023, 10, 12), "党支部书记能力提升培训班",
                     secretaries, speaker=head, place="乡党校")  # fmt: skip
        self.meeting(c, MeetingType.LECTURE, datetime.date(2023, 10, 10), "“书记讲给书记听”：以学铸魂抓党建，促乡村振兴",
                     secretaries + leaders, speaker=head, place="乡党校")  # fmt: skip
        self.meeting(c, MeetingType.LECTURE, datetime.date(2023, 11, 8),
                     "深刻把握习近平新时代中国特色社会主义思想的世界观和方法论", leaders + secretaries + government,
                     outside=("陈明", "省委党校"), place="乡政府大礼堂")  # fmt: skip
        self.meeting(c, MeetingType.FIELD_TEACHING, datetime.date(2023, 10, 24), "重温革命历史，赓续红色血脉",
                     secretaries + leaders[:5], place="XX革命教育基地")  # fmt: skip
        self.meeting(c, MeetingType.FIELD_TEACHING, datetime.date(2023, 12, 5), "学习“3820”战略工程实践经验",
                     secretaries + government[:20], place="“3820”战略工程实施30周年成就展展馆")  # fmt: skip
        self.meeting(c, MeetingType.TRAINING, datetime.date(2023, 11, 15), "农村党员电商技能培训", head_count=150,
                     place="乡党校")  # fmt: skip
        self.winter_training = self.meeting(c, MeetingType.TRAINING, datetime.date(2023, 12, 12),
                                            "党员冬训集中轮训", head_count=0, place="乡党校")  # fmt: skip

    def fit_training(self) -> None:
        """The winter training's head count makes the township's person-times trained exactly 469."""
        named = sum(
            1
            for index, _, status, _, _ in self.rows
            if status == AttendanceStatus.PRESENT and self.meetings[index].type == MeetingType.TRAINING
        )
        counted = sum(
            m.head_count or 0
            for i, m in enumerate(self.meetings)
            if m.type == MeetingType.TRAINING and m.campaign is not None and i != self.winter_training
        )
        self.meetings[self.winter_training].head_count = TRAINED - named - counted

    def general_branch(self, general) -> None:
        branches = [b for b in self.t.branches if b.parent_id == general.pk]
        committee_members = [m for b in branches for m in self.t.members_by_org[b.pk][:3]]
        for n, month in enumerate((9, 11, 12)):
            self.meeting(general, MeetingType.SEMINAR, _day(2023, month, 18 + n), f"{general.short_name}：{SEMINAR_TOPICS[n]}",
                         committee_members, place=f"{general.short_name}会议室")  # fmt: skip
        if any(b.kind == OrgKind.BRANCH and b.name.endswith("机关第一党支部") for b in branches):
            self.meeting(general, MeetingType.LECTURE, datetime.date(2023, 11, 28), "“党课开讲啦”：机关党员如何走好第一方阵",
                         committee_members + self.t.members_by_org[branches[0].pk], speaker=general.secretary,
                         place="乡政府三楼会议室")  # fmt: skip

    def branch(self, index: int, branch) -> None:
        members = self.t.members_by_org[branch.pk]
        secretary = branch.secretary
        place = f"{branch.short_name}党群服务中心"
        committee = members[:5]
        groups = [
            members[i :: math.ceil(len(members) / GROUP_SIZE)]
            for i in range(math.ceil(len(members) / GROUP_SIZE))
        ]
        # Every retired and mobile member misses at least one required meeting, and makes it up.
        away = {m.pk for m in members if m.category in (MemberCategory.RETIRED, MemberCategory.MOBILE)}
        for year, month in ROUTINE_MONTHS + CAMPAIGN_MONTHS:
            campaign = (year, month) in CAMPAIGN_MONTHS
            self.meeting(branch, MeetingType.BRANCH_COMMITTEE, _day(year, month, 5 + index % 3), f"{month}月支委会",
                         committee, place=place, in_campaign=campaign)  # fmt: skip
            self.meeting(branch, MeetingType.THEME_DAY, _day(year, month, 15), THEME_DAYS.get((year, month), f"{month}月主题党日"),
                         members, place=place, in_campaign=campaign, signed=campaign and month in (11, 12, 1),
                         miss=away if (year, month) == (2023, 10) else ())  # fmt: skip
            for g, group in enumerate(groups, start=1):
                self.meeting(branch, MeetingType.PARTY_GROUP, _day(year, month, 22 + g), f"第{g}党小组{month}月学习",
                             group, place=place, in_campaign=campaign)  # fmt: skip
            if not campaign and month in (3, 6):
                self.meeting(branch, MeetingType.MEMBERS_MEETING, _day(year, month, 26), f"{year}年第{month // 3}季度党员大会",
                             members, place=place, in_campaign=False)  # fmt: skip
            if not campaign and month in (4, 7):
                self.meeting(branch, MeetingType.LECTURE, _day(year, month, 10), f"{month}月党课：{LECTURE_TOPICS[month % 5]}",
                             members, speaker=secretary, place=place, in_campaign=False)  # fmt: skip
            if campaign:  # the campaign's "月研学＋小结"
                self.meeting(branch, MeetingType.OTHER, _day(year, month, 28), f"{month}月研学小结：{STUDY_TOPICS[(index + month) % 8]}",
                             members, place=place)  # fmt: skip
        self.meeting(branch, MeetingType.MEMBERS_MEETING, datetime.date(2023, 9, 8 + index % 7),
                     "传达学习中央部署和省委、市委、县委主题教育工作要求", members, speaker=secretary, place=place,
                     minutes="传达上级部署，结合支部实际研究制定支部学习计划，建立支委挂钩联系、带学领学机制。")  # fmt: skip
        for week, day in enumerate(_weeks(datetime.date(2023, 9, 11) + datetime.timedelta(days=index % 5),
                                          datetime.date(2024, 1, 31)), start=1):  # fmt: skip
            self.meeting(branch, MeetingType.OTHER, day, f"第{week}周分享＋讨论：{STUDY_TOPICS[(index + week) % 8]}",
                         members, place=place)  # fmt: skip
        # 57 seminars: two in every branch, a third in the branches directly under the committee (and three
        # in each general branch above).
        seminars = 3 if branch.parent_id == self.committee.pk else 2
        for n in range(seminars):
            self.meeting(branch, MeetingType.SEMINAR, _day(2023, (10, 12, 11)[n], 12 + index % 9),
                         SEMINAR_TOPICS[(index + n) % 4], members, place=place)  # fmt: skip
        self.meeting(branch, MeetingType.LECTURE, _day(2023, 11, 3 + index % 20),
                     f"“党课开讲啦”：{LECTURE_TOPICS[index % 5]}", members, speaker=secretary, place=place)  # fmt: skip
        self.plan(branch, seminars)

    def plan(self, branch, seminars: int) -> None:
        """The branch's study plan: monthly committee meeting and theme day, its seminars and its lecture
        (some seminars planned for a month other than the one they were held in)."""
        for year, month in CAMPAIGN_MONTHS:
            first = datetime.date(year, month, 1)
            self.items.append(
                PlannedMeeting(
                    organisation=branch,
                    campaign=self.campaign,
                    month=first,
                    type=MeetingType.BRANCH_COMMITTEE,
                )
            )
            self.items.append(PlannedMeeting(organisation=branch, campaign=self.campaign, month=first, type=MeetingType.THEME_DAY,
                                             topic=THEME_DAYS[(year, month)]))  # fmt: skip
        for month in (10, 11, 12)[:seminars]:
            self.items.append(PlannedMeeting(organisation=branch, campaign=self.campaign, month=datetime.date(2023, month, 1),
                                             type=MeetingType.SEMINAR, topic="专题研讨"))  # fmt: skip
        self.items.append(PlannedMeeting(organisation=branch, campaign=self.campaign, month=datetime.date(2023, 11, 1),
                                         type=MeetingType.LECTURE, topic="党课开讲啦"))  # fmt: skip

    # -- make-up study ----------------------------------------------------------------------------------

    def makeups(self) -> list[MakeUp]:
        """Every required meeting a retired or mobile member missed is made up; most others' too."""
        out = []
        for index, member, status, _, _ in self.rows:
            meeting = self.meetings[index]
            if (
                status == AttendanceStatus.PRESENT
                or meeting.campaign is None
                or meeting.type not in self.required
                or meeting.organiser_id != member.organisation_id
            ):
                continue
            if member.category == MemberCategory.RETIRED:
                method = MakeUpMethod.BOOK_DELIVERY if self.rng.random() < 0.7 else MakeUpMethod.AUDIO
            elif member.category == MemberCategory.MOBILE:
                method = MakeUpMethod.ONLINE if self.rng.random() < 0.7 else MakeUpMethod.AUDIO
            elif self.rng.random() < 0.75:
                method = self.rng.choice((MakeUpMethod.GROUP, MakeUpMethod.ONLINE))
            else:
                continue  # still to be made up: the coverage page lists him
            note = {
                MakeUpMethod.BOOK_DELIVERY: "支委送学习资料上门，逐段领学",
                MakeUpMethod.ONLINE: "党员交流群转发学习资料，线上学习并交流体会",
                MakeUpMethod.AUDIO: "收听有声书籍",
                MakeUpMethod.GROUP: "参加支部集中补学",
            }[method]
            day = meeting.date + datetime.timedelta(days=self.rng.randint(2, 12))
            out.append(MakeUp(member=member, meeting=meeting, date=day, method=method, note=note))
        return out


def _save(builder: _Township, *, history: bool) -> tuple[int, int, int]:
    if history:
        bulk_create_with_history(builder.meetings, Meeting, default_change_reason=REASON, batch_size=500)
    else:
        Meeting.objects.bulk_create(builder.meetings, batch_size=2000)
    now = timezone.now()
    rows = []
    for index, member, status, reason, method in builder.rows:
        meeting = builder.meetings[index]
        signed = None
        if method in (AttendanceMethod.QR, AttendanceMethod.CODE):
            signed = timezone.make_aware(datetime.datetime.combine(meeting.date, datetime.time(8, 50)))
            signed += datetime.timedelta(seconds=builder.rng.randint(0, 1500))
        rows.append(
            Attendance(
                meeting=meeting, member=member, status=status, reason=reason, method=method, signed_at=signed
            )
        )
    makeups = builder.makeups()
    if history:
        bulk_create_with_history(
            rows, Attendance, default_change_reason=REASON, batch_size=2000, default_date=now
        )
        bulk_create_with_history(makeups, MakeUp, default_change_reason=REASON)
        bulk_create_with_history(builder.items, PlannedMeeting, default_change_reason=REASON)
    else:
        Attendance.objects.bulk_create(rows, batch_size=5000)
        MakeUp.objects.bulk_create(makeups, batch_size=2000)
        PlannedMeeting.objects.bulk_create(builder.items, batch_size=2000)
    return len(builder.meetings), len(rows), len(makeups)


def _build(ctx: SeedContext, township: Township, *, history: bool) -> tuple[int, int, int]:
    builder = _Township(township, ctx.campaign, random.Random(f"study:{township.committee.name}"))
    builder.build()
    return _save(builder, history=history)


def demo(ctx: SeedContext) -> None:
    for township in ctx.townships:
        meetings, rows, makeups = _build(ctx, township, history=True)
        ctx.say(f"  {township.committee.name}：会议活动{meetings}次，出勤记录{rows}条，补学{makeups}条\n")


def scale(ctx: SeedContext, count: int) -> None:
    totals = [0, 0, 0]
    for township in ctx.townships:
        for i, n in enumerate(_build(ctx, township, history=False)):
            totals[i] += n
    ctx.say(f"  会议活动{totals[0]}次，出勤记录{totals[1]}条，补学{totals[2]}条\n")


def wipe() -> None:
    """Empty the study tables and their history with plain DELETEs (the scale county has hundreds of
    thousands of attendance rows: no per-row signals or history on the way out)."""
    models = [MakeUp, Attendance, SignIn, PlannedMeeting, Meeting]
    tables = [m._meta.db_table for m in models] + [m.history.model._meta.db_table for m in models]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
