"""Rectification in the demo township (the seed summary's figures) and in every township of the scale county.

The seed reports: the leadership found 13 problems and set 15 measures; the grassroots organisations found
20 problems and set 20 measures; talks reached 13 person-times; all 13 grassroots organisations were
health-checked. Here the leadership's problems are five of the 班子 (one of them the special item, led by
the secretary, whose three measures leadership members claim) and eight of single 班子成员; each branch
found one problem. Measures are in mixed states: closed with evidence, 长期坚持, in progress, not started,
some overdue and some due within the week (relative to today, so that the deadline lists show something).
The closed ones (已完成, 长期坚持) have evidence and are signed off (销号) by the township admin.
One village branch is graded 软弱涣散 and is under remedy.

The demo's records carry history (reason 演示数据); the scale county's are bulk-created without it.
"""

from __future__ import annotations

import datetime
import hashlib
import io

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from taizhang.core.models import Attachment
from taizhang.rectify.choices import EntryKind, MeasureStatus, OwnerKind
from taizhang.rectify.models import (
    HealthCheck,
    Measure,
    Problem,
    ProgressEntry,
    Remedy,
    RemedyEntry,
    Talk,
    TalkPerson,
)

from . import rectify_committee
from .context import SeedContext, Township
from .rectify_base import D, create

# (content, category, source) of the leadership's problems: five of the 班子, then eight of its members.
LEADERSHIP = [
    ("班子集体学习多停留在读原文、读文件，结合全乡发展实际研讨不够深入", "理论学习", "查摆"),
    ("落实意识形态工作责任制不够到位，对网络舆情研判处置不够及时", "政治素质", "上级反馈"),
    ("库区清理、禽蛋产业园等重点项目前期工作滞后，推进力度不够", "担当作为", "征求意见"),
    ("深入村组调研不够，有的调研走过场，解决群众急难愁盼问题不够及时", "工作作风", "征求意见"),
    ("推动农文旅融合发展思路不宽，招商引资办法不多", "能力本领", "调研"),
    ("个人自学不够系统，学用结合不够紧密", "理论学习", "查摆"),
    ("下村次数偏少，联系服务群众不够经常", "工作作风", "征求意见"),
    ("抓特色产业发展的专业知识不足，指导不够精准", "能力本领", "查摆"),
    ("对分管领域廉政风险排查不够细致", "廉洁自律", "巡视巡察"),
    ("分管工作遇到难题时有畏难情绪，主动破解不够", "担当作为", "查摆"),
    ("会议多、文件长的问题仍然存在，基层负担减得不够", "工作作风", "上级反馈"),
    ("对分管单位意识形态工作督导不够", "政治素质", "查摆"),
    ("安全生产隐患排查整治不够彻底", "其他", "审计"),
]
SPECIAL = 2  # the special item (专项整改) among the 班子's problems
SPECIAL_MEASURES = [
    "建立重点项目周调度、月通报制度，书记每月专题调度一次",
    "明确库区清理责任分工，倒排工期、挂图作战",
    "协调县直部门加快禽蛋产业园用地、环评审批",
]
LEADERSHIP_MEASURES = [
    "制定班子年度学习计划，每月围绕一个发展专题集中研讨",
    "修订意识形态工作责任清单，建立舆情日研判、周报告机制",
    None,  # the special item: SPECIAL_MEASURES
    "班子成员每月至少蹲点调研一次，建立问题台账限期解决",
    "组建招商小分队，每季度外出招商不少于一次",
    "制定个人学习计划，每周撰写一篇学习体会",
    "落实“一月一村”走访制度，建立联系群众台账",
    "参加县级产业专题培训，邀请农技专家驻村指导",
    "开展分管领域廉政风险点排查，制定防控措施",
    "对分管难点工作建立专班，明确攻坚时间表",
    "压缩会议文件，推行“短、实、新”会风文风",
    "每季度到分管单位督导意识形态工作一次",
    "开展安全生产隐患大排查，建立整改清单逐项销号",
]
# (content, category, source, measure) of the problems of the grassroots organisations, by branch in turn.
GRASSROOTS = [
    (
        "“三会一课”落实不够规范，会议记录不完整",
        "工作作风",
        "查摆",
        "按月召开支委会、季度召开党员大会，规范会议记录",
    ),
    ("主题党日活动形式单一，吸引力不强", "能力本领", "征求意见", "结合农时和村情制定主题党日年度计划"),
    ("流动党员管理不到位，联系不够经常", "其他", "查摆", "建立流动党员微信群，每月推送学习资料"),
    ("老党员参学难，学习教育覆盖不全", "理论学习", "查摆", "对行动不便的老党员送学上门"),
    ("党务公开不及时，公开内容不够全面", "工作作风", "上级反馈", "每季度更新党务公开栏，公开党费收缴等内容"),
    (
        "发展党员后备力量不足，青年入党积极分子偏少",
        "政治素质",
        "调研",
        "建立村级后备力量库，每年培养2名积极分子",
    ),
    ("村级集体经济薄弱，增收渠道单一", "担当作为", "调研", "盘活闲置资产，发展桔园托管增加集体收入"),
    ("党员先锋模范作用发挥不够明显", "担当作为", "征求意见", "设立党员先锋岗，开展党员承诺践诺"),
    ("支部班子成员学习主动性不强", "理论学习", "查摆", "支委每月轮流领学，学习情况纳入考核"),
    (
        "小微权力运行不够规范，村务监督不到位",
        "廉洁自律",
        "巡视巡察",
        "落实村级小微权力清单，村务监督委员会按月监督",
    ),
]
# The state of each measure, in order: the leadership's 15, then the grassroots' 20.
# done / ongoing: closed with evidence; overdue, due (within 7 days), later: open (未开始 or 整改中).
LEADERSHIP_STATES = [
    ("done",), ("done",), ("done",), ("due", "整改中"), ("later", "未开始"), ("ongoing",), ("overdue", "整改中"),
    ("done",), ("done",), ("due", "整改中"), ("ongoing",), ("done",), ("overdue", "整改中"), ("done",),
    ("overdue", "未开始"),
]  # fmt: skip
GRASSROOTS_STATES = [
    ("done",), ("done",), ("overdue", "整改中"), ("done",), ("ongoing",), ("due", "整改中"), ("done",),
    ("later", "未开始"), ("done",), ("overdue", "未开始"), ("done",), ("due", "整改中"), ("ongoing",),
    ("later", "整改中"), ("done",), ("overdue", "整改中"), ("later", "未开始"), ("overdue", "未开始"),
    ("later", "整改中"), ("done",),
]  # fmt: skip


def _evidence_file() -> tuple[str, str, int, str]:
    """One demo photo shared by every closed measure's evidence (written once): name, thumbnail, size, hash."""
    from PIL import Image, ImageDraw

    name, thumb = "attachments/demo/rectify-evidence.jpg", "attachments/demo/rectify-evidence.thumb.jpg"
    image = Image.new("RGB", (640, 480), (236, 229, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 600, 120), fill=(183, 28, 28))
    for row in range(6):
        draw.rectangle((60, 160 + row * 45, 580 - row * 40, 180 + row * 45), fill=(120, 120, 120))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    data = out.getvalue()
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
        image.thumbnail((320, 320))
        small = io.BytesIO()
        image.save(small, "JPEG", quality=80)
        default_storage.save(thumb, ContentFile(small.getvalue()))
    return name, thumb, len(data), hashlib.sha256(data).hexdigest()


def _signed_off_at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _deadline(state: str, found: datetime.date, today: datetime.date, i: int) -> datetime.date:
    if state in ("done", "ongoing"):
        return D(2023, 12, 15) if i % 2 else D(2023, 12, 31)
    if state == "overdue":
        return D(2023, 12, 31) if i % 2 else D(2024, 1, 20)
    if state == "due":
        return today + datetime.timedelta(days=2 + i % 5)
    return today + datetime.timedelta(days=30 + 7 * (i % 4))


def build(ctx: SeedContext, township: Township, *, history: bool, evidence) -> None:
    """Rectification records of one township."""
    today = datetime.date.today()
    campaign = ctx.campaign
    committee = township.committee
    leaders = [member for member, _, _ in township.leaders]
    cadres = township.members_by_org[township.branches[0].pk][len(leaders) + 1 :] or leaders
    admin = township.admin

    # Problems: the leadership's 13, then one of each branch.
    problems: list[Problem] = []
    for i, (content, category, source) in enumerate(LEADERSHIP):
        member = leaders[i - 4] if i >= 5 else None  # 班子成员 from the leading group's second member on
        problems.append(
            Problem(
                campaign=campaign,
                township=committee,
                number=i + 1,
                owner_kind=OwnerKind.LEADER if member else OwnerKind.LEADERSHIP,
                owner_org=committee,
                owner_member=member,
                content=content,
                category=category,
                source=source,
                standard="问题整改到位，形成长效机制，群众满意。",
                found_on=D(2023, 9, 20) + datetime.timedelta(days=i * 2),
                is_special=i == SPECIAL,
                lead=leaders[0] if i == SPECIAL else None,
            )
        )
    for i, branch in enumerate(township.branches):
        content, category, source, _ = GRASSROOTS[i % len(GRASSROOTS)]
        problems.append(
            Problem(
                campaign=campaign,
                township=committee,
                number=len(LEADERSHIP) + i + 1,
                owner_kind=OwnerKind.ORGANISATION,
                owner_org=branch,
                content=content,
                category=category,
                source=source,
                standard="对照问题逐项整改，整改结果经支部党员大会认可。",
                found_on=D(2023, 9, 25) + datetime.timedelta(days=i),
            )
        )
    problems = create(Problem, problems, history)

    # Measures, in the order of the states above.
    specs = []  # (problem, content, leader, person)
    for i, problem in enumerate(problems[: len(LEADERSHIP)]):
        if i == SPECIAL:
            claimers = [leaders[1], leaders[2], None]  # two claimed, one still waiting for a claim
            specs += [
                (problem, text, who, cadres[k % len(cadres)])
                for k, (text, who) in enumerate(zip(SPECIAL_MEASURES, claimers, strict=True))
            ]
        else:
            leader = problem.owner_member or leaders[i % 4]
            specs.append((problem, LEADERSHIP_MEASURES[i], leader, cadres[i % len(cadres)]))
    for i, problem in enumerate(problems[len(LEADERSHIP) :]):
        branch = township.branches[i]
        leader = leaders[1 + i % (len(leaders) - 1)]
        specs.append(
            (problem, GRASSROOTS[i % len(GRASSROOTS)][3], leader, township.members_by_org[branch.pk][0])
        )
    states = LEADERSHIP_STATES + GRASSROOTS_STATES
    measures = []
    order: dict[int, int] = {}
    for i, ((problem, content, leader, person), state) in enumerate(zip(specs, states, strict=True)):
        order[problem.number] = order.get(problem.number, 0) + 1
        kind = state[0]
        closed = kind in ("done", "ongoing")
        deadline = _deadline(kind, problem.found_on, today, i)
        measures.append(
            Measure(
                problem=problem,
                order=order[problem.number],
                content=content,
                responsible_leader=leader,
                responsible_person=person,
                deadline=deadline,
                status=(MeasureStatus.DONE if kind == "done" else MeasureStatus.ONGOING)
                if closed
                else state[1],
                completed_on=deadline - datetime.timedelta(days=3 + i % 6) if closed else None,
                completion_note=(
                    "已按整改标准完成，相关制度已印发执行。"
                    if kind == "done"
                    else "已建立长效机制，长期坚持。"
                )
                if closed
                else "",
                # closed measures get evidence below, and the township admin's sign-off (销号) with it
                signed_off_at=_signed_off_at(deadline - datetime.timedelta(days=1 + i % 3))
                if closed
                else None,
                signed_off_by=admin if closed else None,
            )
        )
    measures = create(Measure, measures, history)

    entries = []
    for measure in measures:
        if measure.status == MeasureStatus.NOT_STARTED:
            continue
        entries.append(
            ProgressEntry(
                measure=measure,
                kind=EntryKind.PROGRESS,
                on=measure.problem.found_on + datetime.timedelta(days=20),
                text="召开专题会议研究部署，明确责任分工和完成时限。",
                author=admin,
            )
        )
        if measure.completed_on:
            entries.append(
                ProgressEntry(
                    measure=measure,
                    kind=EntryKind.CLOSE,
                    on=measure.completed_on,
                    text=f"销号（{measure.status}）：{measure.completion_note}",
                    author=admin,
                )
            )
    create(ProgressEntry, entries, history)
    evidence([m for m in measures if m.completed_on], admin)
    rectify_committee.build(ctx, township, history=history)


def _evidence_rows(ctx: SeedContext):
    """A function that gives closed measures their evidence: rows pointing at one shared demo photo."""
    name, thumb, size, digest = _evidence_file()
    content_type = ContentType.objects.get_for_model(Measure)

    def attach(measures, admin):
        Attachment.objects.bulk_create(
            Attachment(
                content_type=content_type,
                object_id=measure.pk,
                file=name,
                thumbnail=thumb,
                original_name="整改佐证照片.jpg",
                kind="jpg",
                purpose="佐证材料",
                size=size,
                sha256=digest,
                uploaded_by=admin,
            )
            for measure in measures
        )

    return attach


def demo(ctx: SeedContext) -> None:
    build(ctx, ctx.townships[0], history=True, evidence=_evidence_rows(ctx))


def scale(ctx: SeedContext, count: int) -> None:
    evidence = _evidence_rows(ctx)
    for township in ctx.townships:
        build(ctx, township, history=False, evidence=evidence)


def wipe() -> None:
    """Empty rectification's records and their history (attachments are emptied by the seed's wipe)."""
    from django.apps import apps

    # The history of many-to-many fields (谈话对象, 检查人) has no database constraint: empty it by hand.
    for name in ("HistoricalTalkPerson", "HistoricalHealthCheck_checkers"):
        apps.get_model("rectify", name).objects.all().delete()
    for model in (RemedyEntry, Remedy, HealthCheck, TalkPerson, Talk, ProgressEntry, Measure, Problem):
        manager = getattr(model, "all_objects", model._base_manager)
        if model is Remedy:
            manager.update(acceptance_check=None)
        manager.all().delete()
        if hasattr(model, "history"):
            model.history.all().delete()
