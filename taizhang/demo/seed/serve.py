"""The serve area's records: the seed summary's 9 service projects, all done (库区清理, 农产品滞销, 物流
“最后一公里”…); its two partnerships (“认领一片桔” with the city commerce bureau, a village–company
agreement) with their joint activities; vanguard posts, responsibility zones and shock teams; and the
publicity: 5 billboards, 36 banners and slogans, official-account posts and the LED screen.

The demo township's records go through the services (validated, with history, entered by the township
admin); each township of the scale county gets the same records in bulk, without history, and two of its
service projects still open (one overdue), so that the grouped list has something in each group.
"""

from __future__ import annotations

import datetime

from taizhang.serve import services
from taizhang.serve.choices import PostKind, ProjectStatus, PublicityKind, ServiceClass
from taizhang.serve.models import JointActivity, Partnership, PublicityItem, ServiceProject, VanguardPost

from .context import SeedContext, Township

D = datetime.date

# (name, category, class, leader: index into the leading group, branch (or None: the committee), unit,
#  planned date, completed on, result)
PROJECTS = [
    (
        "库区清理",
        "人居环境",
        ServiceClass.BY_DEADLINE,
        0,
        "库湾村党支部",
        "",
        D(2023, 11, 30),
        D(2023, 11, 20),
        "组织党员志愿者和保洁队伍打捞库区漂浮物20余吨，库区水面恢复整洁",
    ),
    (
        "解决柑橘等农产品滞销",
        "产业发展",
        ServiceClass.NOW,
        2,
        "桔园村党支部",
        "",
        D(2023, 11, 30),
        D(2023, 11, 30),
        "通过“认领一片桔”和电商直播助销柑橘3万余斤，带动农户增收",
    ),
    (
        "打通农村物流“最后一公里”",
        "产业发展",
        ServiceClass.PHASED,
        1,
        None,
        "乡经济发展办",
        D(2023, 12, 31),
        D(2023, 12, 20),
        "建成村级电商物流服务站3个，快递进村全覆盖",
    ),
    (
        "水毁道路整修",
        "基础设施",
        ServiceClass.BY_DEADLINE,
        0,
        "西岭村党支部",
        "",
        D(2023, 10, 31),
        D(2023, 10, 20),
        "整修村道水毁路段1.2公里",
    ),
    (
        "路灯维护",
        "基础设施",
        ServiceClass.NOW,
        6,
        "西岭村党支部",
        "",
        D(2023, 10, 15),
        D(2023, 9, 28),
        "维修、更换路灯12盏",
    ),
    (
        "偏远村巡回诊疗和代购药",
        "民生保障",
        ServiceClass.BY_DEADLINE,
        3,
        "乡卫生院党支部",
        "",
        D(2023, 11, 15),
        D(2023, 11, 10),
        "每月进村巡回诊疗2次，为行动不便群众代购药品",
    ),
    (
        "校门口交通安全设施",
        "民生保障",
        ServiceClass.NOW,
        4,
        None,
        "乡平安办",
        D(2023, 11, 10),
        D(2023, 11, 5),
        "增设减速带、警示牌和护栏",
    ),
    (
        "村级事务代办服务",
        "民生保障",
        ServiceClass.BY_DEADLINE,
        6,
        "石门村党支部",
        "",
        D(2023, 12, 10),
        D(2023, 12, 5),
        "梳理代办事项28项，群众办事“最多跑一次”",
    ),
    (
        "古村生态停车场建设",
        "基础设施",
        ServiceClass.PHASED,
        1,
        "古厝村党支部",
        "",
        D(2024, 1, 20),
        D(2024, 1, 10),
        "新建生态停车位40个",
    ),
]

# (partner, own organisation, signed on, content, [(date, title, place, participants)])
PARTNERSHIPS = [
    (
        "市商务局",
        "桔园村党支部",
        D(2023, 9, 20),
        "联合开展“认领一片桔”党日活动，通过“党员众筹、委托代管、收成共享”方式，助力农产品增销。",
        [
            (D(2023, 10, 15), "“认领一片桔”主题党日活动", "桔园村柑橘基地", 45),
            (D(2023, 11, 25), "柑橘采摘与收成共享活动", "桔园村柑橘基地", 38),
        ],
    ),
    (
        "XX电子商务有限公司",
        "东山村党总支",
        D(2023, 10, 8),
        "签订村企党建共建协议，推动“党建＋电商”发展模式，让特色农产品搭上电商“快车”。",
        [
            (D(2023, 10, 8), "村企党建共建协议签约仪式", "东山村党群服务中心", 30),
            (D(2023, 12, 12), "“党建＋电商”直播带货培训", "东山村党群服务中心", 52),
        ],
    ),
]

# (kind, name, organisation (None: the committee), members: how many of the organisation's, duty)
POSTS = [
    (
        PostKind.POST,
        "便民服务中心党员先锋岗",
        "机关第一党支部",
        3,
        "亮身份、亮承诺，为群众办事提供帮办代办服务",
    ),
    (
        PostKind.POST,
        "卫生院党员先锋岗",
        "乡卫生院党支部",
        3,
        "党员医护人员带头开展巡回诊疗和家庭医生签约服务",
    ),
    (PostKind.ZONE, "库区保洁党员责任区", "库湾村党支部", 4, "党员分片包干库区及沿岸环境卫生"),
    (PostKind.ZONE, "人居环境整治党员责任区", "西岭村党支部", 4, "党员包片负责房前屋后环境整治"),
    (PostKind.TEAM, "柑橘采摘助农党员突击队", "桔园村党支部", 5, "采摘季帮助缺劳力农户采摘、销售柑橘"),
    (PostKind.TEAM, "防汛抗灾党员突击队", "机关第二党支部", 6, "汛期巡查、转移群众、抢修水毁设施"),
]

SLOGAN = "学思想、强党性、重实践、建新功"
BILLBOARDS = ["乡政府门口", "集镇入口", "西岭村村部", "古厝村入口", "库湾村游客中心"]
ARTICLES = [
    (D(2023, 9, 6), "XX乡召开第二批主题教育工作部署会"),
    (D(2023, 9, 15), "XX乡召开主题教育动员大会"),
    (D(2023, 9, 28), "理论学习｜党委理论学习中心组开展专题学习"),
    (D(2023, 10, 16), "“认领一片桔”：党员众筹助农增收"),
    (D(2023, 10, 30), "“四下基层”｜领导班子深入一线开展调研"),
    (D(2023, 11, 21), "为民办实事｜库区清理还群众一湖清水"),
    (D(2023, 12, 13), "“党建＋电商”直播带货培训走进东山村"),
    (D(2024, 1, 18), "XX乡第二批主题教育取得阶段性成效"),
]


def publicity_plan(township: Township) -> list[tuple]:
    """(date, organisation, kind, quantity, content or place): 5 billboards; banners and slogans, 10 in the
    township's seat and 2 at each of the 13 grassroots organisations (36); the official-account posts;
    the LED screen."""
    committee = township.committee
    rows = [
        (D(2023, 9, 8), committee, PublicityKind.BILLBOARD, 1, f"{place}：主题教育大型广告牌")
        for place in BILLBOARDS
    ]
    rows.append((D(2023, 9, 5), committee, PublicityKind.BANNER, 10, f"集镇主干道横幅“{SLOGAN}”"))
    rows += [
        (D(2023, 9, 12), org, PublicityKind.BANNER, 2, f"{org.short_name or org.name}党员活动室横幅、标语")
        for org in township.grassroots
    ]
    rows += [(date, committee, PublicityKind.POST, 1, title) for date, title in ARTICLES]
    rows.append(
        (D(2023, 9, 5), committee, PublicityKind.SCREEN, 1, "乡政府LED显示屏24小时循环播放主题教育标语")
    )
    return rows


def _orgs_by_bare_name(township: Township, prefix: str) -> dict:
    return {o.name.removeprefix(prefix): o for o in [*township.branches, *township.grassroots]}


def demo(ctx: SeedContext) -> None:
    township = ctx.townships[0]
    actor = township.admin
    leaders = [member for member, _role, _post in township.leaders]
    orgs = _orgs_by_bare_name(township, "")
    committee = township.committee
    for name, category, handling, leader, org, unit, planned, done, result in PROJECTS:
        services.service_project_create(
            actor=actor,
            name=name,
            category=category,
            handling=handling,
            leader=leaders[leader],
            organisation=orgs[org] if org else committee,
            unit=unit,
            planned_on=planned,
            status=ProjectStatus.DONE,
            completed_on=done,
            result=result,
        )
    for partner, org, signed, content, activities in PARTNERSHIPS:
        partnership = services.partnership_create(
            actor=actor, partner=partner, organisation=orgs[org], signed_on=signed, content=content
        )
        for date, title, place, count in activities:
            services.joint_activity_create(
                actor=actor,
                partnership=partnership,
                date=date,
                title=title,
                place=place,
                participant_count=count,
            )
    for kind, name, org, size, duty in POSTS:
        services.vanguard_post_create(
            actor=actor,
            kind=kind,
            name=name,
            organisation=orgs[org],
            members=township.members_by_org[orgs[org].pk][1 : size + 1],
            duty=duty,
            set_up_on=D(2023, 9, 20),
        )
    for date, org, kind, quantity, content in publicity_plan(township):
        services.publicity_item_create(
            actor=actor, date=date, organisation=org, kind=kind, quantity=quantity, content=content
        )


def _scale_township(township: Township, prefix: str, today: datetime.date) -> None:
    leaders = [member for member, _role, _post in township.leaders]
    orgs = _orgs_by_bare_name(township, prefix)
    committee = township.committee
    projects = []
    for serial, (name, category, handling, leader, org, unit, planned, done, result) in enumerate(
        PROJECTS, start=1
    ):
        project = ServiceProject(
            township=committee,
            serial=serial,
            name=name,
            category=category,
            handling=handling,
            leader=leaders[leader],
            organisation=orgs[org] if org else committee,
            unit=unit,
            planned_on=planned,
            status=ProjectStatus.DONE,
            completed_on=done,
            result=result,
        )
        if serial == 3:  # in phases, the second phase overdue
            project.status, project.completed_on, project.result = ProjectStatus.IN_PROGRESS, None, ""
            project.planned_on = today - datetime.timedelta(days=5)
        elif serial == 9:  # not started, planned for later
            project.status, project.completed_on, project.result = ProjectStatus.NOT_STARTED, None, ""
            project.planned_on = today + datetime.timedelta(days=20)
        projects.append(project)
    ServiceProject.objects.bulk_create(projects)
    partnerships = Partnership.objects.bulk_create(
        Partnership(partner=partner, organisation=orgs[org], signed_on=signed, content=content)
        for partner, org, signed, content, _activities in PARTNERSHIPS
    )
    JointActivity.objects.bulk_create(
        JointActivity(partnership=p, date=date, title=title, place=place, participant_count=count)
        for p, (*_spec, activities) in zip(partnerships, PARTNERSHIPS, strict=True)
        for date, title, place, count in activities
    )
    posts = VanguardPost.objects.bulk_create(
        VanguardPost(kind=kind, name=name, organisation=orgs[org], duty=duty, set_up_on=D(2023, 9, 20))
        for kind, name, org, _size, duty in POSTS
    )
    Members = VanguardPost.members.through
    Members.objects.bulk_create(
        Members(vanguardpost=post, member=member)
        for post, (_k, _n, org, size, _d) in zip(posts, POSTS, strict=True)
        for member in township.members_by_org[orgs[org].pk][1 : size + 1]
    )
    PublicityItem.objects.bulk_create(
        PublicityItem(
            township=committee, date=date, organisation=org, kind=kind, quantity=quantity, content=content
        )
        for date, org, kind, quantity, content in publicity_plan(township)
    )


def scale(ctx: SeedContext, count: int) -> None:
    from taizhang.core.deadlines import today

    for i, township in enumerate(ctx.townships, start=1):
        _scale_township(township, f"第{i:02d}乡", today())


def wipe() -> None:
    for model in (JointActivity, Partnership, ServiceProject, VanguardPost, PublicityItem):
        model.all_objects.all().delete()
        model.history.all().delete()
