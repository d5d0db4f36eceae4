"""The research area's records: the seed summary's research topic with its 9 visits to villages, key
enterprises, the health centre and a school; the 13 action items collected from their findings, all done;
the township's enterprise register and a year of monthly enterprise visits by cadres.

The demo township's records go through the services (validated, with history, entered by the township
admin); each township of the scale county gets the same records in bulk, without history, and a few of
its action items still open (some overdue), so that the due and overdue lists have something to show.
"""

from __future__ import annotations

import datetime

from taizhang.research import services
from taizhang.research.choices import ActionStatus, PlaceKind
from taizhang.research.models import (
    ActionItem,
    Enterprise,
    EnterpriseIssue,
    EnterpriseVisit,
    ResearchTopic,
    ResearchVisit,
)

from .context import SeedContext, Township

D = datetime.date
TOPIC = "党建引领乡村振兴助推农文旅融合发展"
TOPIC_THEME = (
    "立足万亩柑橘、万亩竹林、万羽禽蛋、千亩库区和库湾、地热、古村古厝等资源，"
    "以“1＋1”深调研机制走村入户、听民意、访民情，找准制约全乡发展的瓶颈问题，推动农文旅融合发展。"
)

# (date, place, kind of place, leader: index into the leading group, village branch or None, findings), a
# finding with the action item made from it: (finding, result, responsible branch or None for the committee,
# responsible unit when not an organisation, completed on).
VISITS = [
    (
        D(2023, 9, 12),
        "西岭村",
        PlaceKind.VILLAGE,
        0,
        "西岭村党支部",
        [
            (
                "村道K3段汛期水毁，群众出行不便",
                "完成水毁道路整修1.2公里",
                None,
                "乡村建设办",
                D(2023, 10, 20),
            ),
            ("村内12盏路灯损坏，夜间照明不足", "维修、更换路灯12盏", "西岭村党支部", "", D(2023, 9, 28)),
        ],
    ),
    (
        D(2023, 9, 19),
        "XX农牧万羽禽蛋产业园",
        PlaceKind.ENTERPRISE,
        1,
        None,
        [
            (
                "产业园二期项目用地报批进度慢",
                "协调自然资源部门，二期用地完成组件报批",
                None,
                "乡经济发展办",
                D(2023, 12, 15),
            ),
        ],
    ),
    (
        D(2023, 9, 26),
        "桔园村",
        PlaceKind.VILLAGE,
        2,
        "桔园村党支部",
        [
            (
                "柑橘销售渠道单一，部分农户柑橘滞销",
                "对接市商务局开展“认领一片桔”，助销柑橘3万余斤",
                "桔园村党支部",
                "",
                D(2023, 11, 30),
            ),
            ("果园机耕路破损，采运不便", "修复果园机耕路800米", "桔园村党支部", "", D(2023, 11, 25)),
        ],
    ),
    (
        D(2023, 10, 10),
        "乡卫生院",
        PlaceKind.HEALTH_CENTRE,
        3,
        "乡卫生院党支部",
        [
            (
                "偏远村群众就医取药路途远",
                "卫生院开设巡回诊疗和代购药服务，每月进村2次",
                "乡卫生院党支部",
                "",
                D(2023, 11, 10),
            ),
        ],
    ),
    (
        D(2023, 10, 17),
        "乡中心小学",
        PlaceKind.SCHOOL,
        4,
        "乡中心小学党支部",
        [
            ("校门口路段缺少交通安全设施", "增设减速带、警示牌和护栏", None, "乡平安办", D(2023, 11, 5)),
        ],
    ),
    (
        D(2023, 10, 24),
        "库湾村",
        PlaceKind.VILLAGE,
        0,
        "库湾村党支部",
        [
            (
                "库区漂浮物多，影响水质和景观",
                "组织库区清理，打捞漂浮物20余吨",
                "库湾村党支部",
                "",
                D(2023, 11, 20),
            ),
            (
                "农村电商物流“最后一公里”不畅",
                "建成村级电商物流服务站3个",
                None,
                "乡经济发展办",
                D(2023, 12, 20),
            ),
        ],
    ),
    (
        D(2023, 11, 7),
        "XX竹业有限公司",
        PlaceKind.ENTERPRISE,
        5,
        None,
        [
            (
                "企业用工难，本地务工人员技能不足",
                "联合人社部门开展竹木加工技能培训2期，培训60人",
                None,
                "乡劳动保障所",
                D(2023, 12, 10),
            ),
        ],
    ),
    (
        D(2023, 11, 14),
        "古厝村",
        PlaceKind.VILLAGE,
        1,
        "古厝村党支部",
        [
            (
                "古厝保护修缮缺少资金",
                "争取传统村落保护资金，完成3栋古厝修缮",
                "古厝村党支部",
                "",
                D(2024, 1, 15),
            ),
            ("主题民宿配套停车场不足", "新建生态停车位40个", "古厝村党支部", "", D(2024, 1, 10)),
        ],
    ),
    (
        D(2023, 11, 21),
        "石门村",
        PlaceKind.VILLAGE,
        6,
        "石门村党支部",
        [
            (
                "村级公共服务事项群众要跑多趟",
                "推行村级事务代办服务，梳理代办事项28项",
                "石门村党支部",
                "",
                D(2023, 12, 5),
            ),
        ],
    ),
]

# (name, industry, key enterprise, liaison: index into the leading group)
ENTERPRISES = [
    ("XX农牧发展有限公司", "禽蛋养殖", True, 1),
    ("XX禽蛋专业合作社", "禽蛋养殖", False, 8),
    ("XX竹业有限公司", "竹木加工", True, 5),
    ("XX柑橘种植专业合作社", "柑橘种植", False, 9),
    ("XX主题民宿", "文化旅游", False, 4),
    ("XX电商服务有限公司", "农村电商", False, 7),
]
# Issues enterprises raise, each with how it was handled.
ISSUES = [
    ("用工紧张，缺少熟练工人", "对接乡劳动保障所发布招工信息，推荐务工人员8名"),
    ("冷链运输成本高", "协调物流企业开通冷链专线，运费下降约15%"),
    ("生产用电负荷不足", "协调供电所完成变压器增容"),
    ("扩大生产资金周转困难", "对接农商银行发放乡村振兴贷款"),
    ("厂区道路狭窄，大货车进出困难", "纳入村道拓宽计划并完成拓宽"),
    ("环保手续办理不熟悉", "帮助对接生态环境部门，完成环评手续"),
    ("产品宣传推广渠道少", "纳入乡公众号和电商平台推介"),
    ("员工子女就近入学咨询", "协调乡中心小学解决2名随迁子女入学"),
]
FIRST_MONTH = D(2023, 2, 1)  # a year of monthly visits, up to the end of the campaign (January 2024)
MONTHS = 12
SKIPPED = {("XX主题民宿", D(2023, 10, 1))}  # the monthly rule is not always kept: the month view shows it


def _months():
    month = FIRST_MONTH
    for _ in range(MONTHS):
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def enterprise_visit_plan():
    """(enterprise index, date, issue or None, resolved) for every monthly visit of the year."""
    count = 0
    for m, month in enumerate(_months()):
        for e, (name, *_rest) in enumerate(ENTERPRISES):
            if (name, month) in SKIPPED:
                continue
            day = month.replace(day=3 + 4 * e)
            issue = None
            if (m + e) % 3 == 0:
                issue = ISSUES[count % len(ISSUES)]
                count += 1
            yield e, day, issue, month.year < 2024  # the last month's issues are still being handled


def _branches_by_bare_name(township: Township, prefix: str) -> dict:
    return {b.name.removeprefix(prefix): b for b in township.branches}


def demo(ctx: SeedContext) -> None:
    township = ctx.townships[0]
    actor = township.admin
    leaders = [member for member, _role, _post in township.leaders]
    branches = _branches_by_bare_name(township, "")
    committee = township.committee
    topic = services.research_topic_create(
        actor=actor,
        organisation=committee,
        title=TOPIC,
        leader=leaders[0],
        theme=TOPIC_THEME,
        members=leaders[:5],
    )
    for date, place, kind, leader, village, findings in VISITS:
        participants = [leaders[(leader + 1) % 7], leaders[(leader + 2) % 7]]
        if village:
            participants.append(branches[village].secretary)
        visit = services.research_visit_create(
            actor=actor,
            date=date,
            topic=topic,
            leader=leaders[leader],
            place=place,
            place_kind=kind,
            findings="\n".join(f[0] for f in findings),
            participants=participants,
        )
        for finding, result, branch, unit, done in findings:
            services.action_item_create(
                actor=actor,
                content=finding,
                source_visit=visit,
                leader=leaders[leader],
                organisation=branches[branch] if branch else committee,
                unit=unit,
                raised_on=date,
                deadline=min(done + datetime.timedelta(days=10), D(2024, 1, 31)),
                status=ActionStatus.DONE,
                completed_on=done,
                result=result,
            )
    enterprises = [
        services.enterprise_create(
            actor=actor,
            organisation=committee,
            name=name,
            industry=industry,
            is_key=key,
            liaison=leaders[liaison],
        )
        for name, industry, key, liaison in ENTERPRISES
    ]
    for e, day, issue, resolved in enterprise_visit_plan():
        services.enterprise_visit_create(
            actor=actor,
            date=day,
            enterprise=enterprises[e],
            cadre=leaders[ENTERPRISES[e][3]],
            notes="走访企业，了解生产经营情况",
            issues=[]
            if issue is None
            else [
                {"content": issue[0], "handling": issue[1] if resolved else "正在协调", "resolved": resolved}
            ],
        )


def _scale_township(township: Township, prefix: str, today: datetime.date) -> None:
    leaders = [member for member, _role, _post in township.leaders]
    branches = _branches_by_bare_name(township, prefix)
    committee = township.committee
    [topic] = ResearchTopic.objects.bulk_create(
        [ResearchTopic(organisation=committee, title=TOPIC, leader=leaders[0], theme=TOPIC_THEME)]
    )
    Members = ResearchTopic.members.through
    Members.objects.bulk_create(Members(researchtopic=topic, member=m) for m in leaders[:5])
    visits = ResearchVisit.objects.bulk_create(
        ResearchVisit(
            organisation=committee,
            date=date,
            topic=topic,
            leader=leaders[leader],
            place=place,
            place_kind=kind,
            findings="\n".join(f[0] for f in findings),
        )
        for date, place, kind, leader, _village, findings in VISITS
    )
    Through = ResearchVisit.participants.through
    Through.objects.bulk_create(
        Through(researchvisit=visit, member=member)
        for visit, (_d, _p, _k, leader, village, _f) in zip(visits, VISITS, strict=True)
        for member in {leaders[(leader + 1) % 7], leaders[(leader + 2) % 7]}
        | ({branches[village].secretary} if village else set())
    )
    items = []
    for visit, (date, _p, _k, leader, _v, findings) in zip(visits, VISITS, strict=True):
        for finding, result, branch, unit, done in findings:
            serial = len(items) + 1
            item = ActionItem(
                township=committee,
                serial=serial,
                content=finding,
                source_topic=topic,
                source_visit=visit,
                leader=leaders[leader],
                organisation=branches[branch] if branch else committee,
                unit=unit,
                raised_on=date,
                deadline=done + datetime.timedelta(days=10),
                status=ActionStatus.DONE,
                completed_on=done,
                result=result,
            )
            if serial in (4, 9):  # still under way, past the deadline
                item.status, item.completed_on = ActionStatus.IN_PROGRESS, None
                item.deadline, item.result = today - datetime.timedelta(days=3 * serial), ""
            elif serial == 12:  # not started, due later
                item.status, item.completed_on = ActionStatus.NOT_STARTED, None
                item.deadline, item.result = today + datetime.timedelta(days=30), ""
            items.append(item)
    ActionItem.objects.bulk_create(items)
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(organisation=committee, name=name, industry=industry, is_key=key, liaison=leaders[liaison])
        for name, industry, key, liaison in ENTERPRISES
    )
    plan = list(enterprise_visit_plan())
    enterprise_visits = EnterpriseVisit.objects.bulk_create(
        EnterpriseVisit(
            organisation=committee,
            date=day,
            enterprise=enterprises[e],
            cadre=leaders[ENTERPRISES[e][3]],
            notes="走访企业，了解生产经营情况",
        )
        for e, day, _issue, _resolved in plan
    )
    EnterpriseIssue.objects.bulk_create(
        EnterpriseIssue(
            visit=visit, content=issue[0], handling=issue[1] if resolved else "正在协调", resolved=resolved
        )
        for visit, (_e, _day, issue, resolved) in zip(enterprise_visits, plan, strict=True)
        if issue is not None
    )


def scale(ctx: SeedContext, count: int) -> None:
    from taizhang.core.deadlines import today

    for i, township in enumerate(ctx.townships, start=1):
        _scale_township(township, f"第{i:02d}乡", today())


def wipe() -> None:
    for model in (EnterpriseIssue, EnterpriseVisit, Enterprise, ActionItem, ResearchVisit, ResearchTopic):
        model.all_objects.all().delete()
        model.history.all().delete()
