"""The committee's rectification records in a demo township: talks (13 person-times) and health checks of
all its grassroots organisations, the one graded 软弱涣散 under remedy (see rectify.py)."""

from __future__ import annotations

import datetime

from taizhang.rectify.choices import Grade, RemedyStatus, TalkType
from taizhang.rectify.models import HealthCheck, Remedy, RemedyEntry, Talk, TalkPerson

from .context import SeedContext, Township
from .rectify_base import D, create

# Talks: (date, type, talker's index in the leading group, who is talked to), 13 person-times in all.
TALKS = [
    (D(2023, 10, 12), TalkType.HEART_TO_HEART, 0, ("leaders", [1, 2, 3])),
    (D(2023, 10, 18), TalkType.HEART_TO_HEART, 1, ("secretaries", [0, 1])),
    (D(2023, 11, 3), TalkType.REMINDER, 3, ("secretaries", [5, 8, 11])),
    (D(2023, 11, 15), TalkType.CRITICISM, 5, ("secretaries", [13])),
    (D(2023, 11, 28), TalkType.HEART_TO_HEART, 0, ("leaders", [4, 5, 6])),
    (D(2023, 12, 8), TalkType.ADMONITION, 5, ("secretaries", [16])),
]
TALK_CONTENT = {
    TalkType.HEART_TO_HEART: "交流主题教育学习体会，谈思想、谈工作，指出在联系群众方面的不足，提出改进要求。",
    TalkType.REMINDER: "提醒按时参加组织生活、规范“三会一课”记录，本人表示立即整改。",
    TalkType.CRITICISM: "就村务公开不及时问题进行批评教育，本人作了检讨并提出整改措施。",
    TalkType.ADMONITION: "就工作中履职不到位问题进行诫勉谈话，要求限期整改并在支委会上作说明。",
}
GRADES = [
    Grade.GOOD, Grade.FAIRLY_GOOD, Grade.GOOD, Grade.FAIRLY_GOOD, Grade.AVERAGE, Grade.GOOD, Grade.FAIRLY_GOOD,
    Grade.WEAK, Grade.GOOD, Grade.FAIRLY_GOOD, Grade.AVERAGE, Grade.GOOD, Grade.FAIRLY_GOOD,
]  # fmt: skip  # by grassroots organisation; the 8th (库湾村) is weak
FINDINGS = {
    Grade.GOOD: "组织生活规范，台账齐全，党员作用发挥明显。",
    Grade.FAIRLY_GOOD: "基本规范，个别会议记录不够完整。",
    Grade.AVERAGE: "“三会一课”落实不够经常，党员教育管理有薄弱环节。",
    Grade.WEAK: "支部班子不团结、战斗力不强，组织生活不正常，村级集体经济薄弱。",
}


def build(ctx: SeedContext, township: Township, *, history: bool) -> None:
    """Talks and health checks (with the remedy of the weak organisation) of one township."""
    today = datetime.date.today()
    campaign = ctx.campaign
    committee = township.committee
    leaders = [member for member, _, _ in township.leaders]
    admin = township.admin

    # Talks: 13 person-times.
    secretaries = [township.members_by_org[b.pk][0] for b in township.branches]
    talks, persons = [], []
    for on, kind, talker, (group, indexes) in TALKS:
        talks.append(
            Talk(
                campaign=campaign,
                organisation=committee,
                on=on,
                kind=kind,
                talker=leaders[talker],
                content=TALK_CONTENT[kind],
            )
        )
        persons.append([(leaders if group == "leaders" else secretaries)[k] for k in indexes])
    talks = create(Talk, talks, history)
    TalkPerson.objects.bulk_create(
        TalkPerson(talk=talk, member=member)
        for talk, members in zip(talks, persons, strict=True)
        for member in members
    )

    # Health checks of all 13 grassroots organisations; the weak one is under remedy.
    checks = [
        HealthCheck(
            campaign=campaign,
            organisation=org,
            checked_on=D(2023, 11, 6) + datetime.timedelta(days=i // 3),
            grade=GRADES[i % len(GRADES)],
            findings=FINDINGS[GRADES[i % len(GRADES)]],
        )
        for i, org in enumerate(township.grassroots)
    ]
    checks = create(HealthCheck, checks, history)
    HealthCheck.checkers.through.objects.bulk_create(
        HealthCheck.checkers.through(healthcheck=check, member=member)
        for check in checks
        for member in (leaders[3], leaders[5])
    )
    weak = [check for check in checks if check.grade == Grade.WEAK]
    remedies = create(
        Remedy,
        [
            Remedy(
                campaign=campaign,
                organisation=check.organisation,
                health_check=check,
                plan="一村一策：选优配强支部书记，建立“三会一课”纪实制度；"
                "盘活库湾水面资源发展集体经济；每月召开一次整顿推进会。",
                leader=leaders[2],
                first_secretary="林志远（县农业农村局）",
                started_on=D(2023, 11, 20),
                deadline=today + datetime.timedelta(days=45),
                status=RemedyStatus.ACTIVE,
            )
            for check in weak
        ],
        history,
    )
    create(
        RemedyEntry,
        [
            entry
            for remedy in remedies
            for entry in (
                RemedyEntry(
                    remedy=remedy, on=D(2023, 12, 5), text="完成支部书记调整，配齐支委班子。", author=admin
                ),
                RemedyEntry(
                    remedy=remedy, on=D(2024, 1, 10), text="“三会一课”按月开展，建立纪实台账。", author=admin
                ),
            )
        ],
        history,
    )
