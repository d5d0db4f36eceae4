"""The research (调研走访, 干事创业清单, 走访企业) and serve (为民办实事, 结对共建, 宣传) ledgers: messy workbooks in,
the same file twice adds nothing, a changed row updates in place, errors name sheet/row/column, and an export
re-imports to the same records."""

import datetime

from django.utils import timezone

from taizhang.core.scoping import scope_for, subtree_ids
from taizhang.ledgers.importer import import_workbook
from taizhang.ledgers.spec import find_sheet
from taizhang.orgs.models import Member
from taizhang.research.models import (
    ActionItem,
    Enterprise,
    EnterpriseIssue,
    EnterpriseVisit,
    ResearchTopic,
    ResearchVisit,
)
from taizhang.serve.models import Partnership, PublicityItem, ServiceProject

from .workbooks import book

D = datetime.date
SHEETS = ("调研走访", "干事创业清单", "走访企业", "为民办实事", "结对共建", "宣传")


def run(path, campaign, **kwargs):
    return import_workbook(path, campaign=campaign, **kwargs)


def errors_of(result):
    return [str(e) for e in result.errors]


def counts(result):
    return {s.name: (s.created, s.updated, s.unchanged) for s in result.sheets}


def header(name):
    return [c.name for c in find_sheet(name).columns]


def assert_errors(result, expected):
    messages = errors_of(result)
    assert not result.written
    for part in expected:
        assert any(part in m for m in messages), (part, messages)


def title_rows(text, width):
    """What clerks put above the header: a title, a 填报单位 line, a blank row."""
    return [[text], ["填报单位：甲乡党委", *([None] * (width - 2)), "填报日期：2024年1月5日"], []]


# 调研走访 ----------------------------------------------------------------------------------------------

VISIT_HEADER = [
    "序号",
    " 日期 ",
    "调研课题*",
    "带队领导",
    "调研地点",
    "地点类型",
    "参加人员",
    "发现问题",
    "备注",
]


def test_research_visits_from_a_messy_workbook(cast, campaign, tmp_path):
    rows = [
        *title_rows("甲乡主题教育调研走访台账", len(VISIT_HEADER)),
        VISIT_HEADER,
        [
            1,
            "2023/9/15",
            "推动产业振兴",
            "张三",
            "甲一村",
            "村",
            "李四、 王五",
            " 村集体收入单一\n\n道路破损 ",
            "x",
        ],
        [None] * 9,
        [2, "2023年10月8日", " 推动产业振兴 ", "王五", "XX禽蛋公司", "企业", None, None, None],
        [3, D(2023, 11, 2), "推动产业振兴", "赵六", "乙中心小学", "学校", None, "校舍老旧", None],
        [4, "2023.12.01", "基层治理", "李四", "乡卫生院", "卫生院", "张三\n王五", None, None],
        ["填表人：王五"],
        [5, "2023-12-02", "不是数据", "张三", "某地", "村"],
    ]
    path = book(tmp_path, {"调研走访": rows})
    result = run(path, campaign)
    assert result.ok, errors_of(result)
    assert counts(result) == {"调研走访": (4, 0, 0)}
    visits = {v.place: v for v in ResearchVisit.objects.select_related("topic", "leader")}
    assert set(visits) == {"甲一村", "XX禽蛋公司", "乙中心小学", "乡卫生院"}
    first = visits["甲一村"]
    assert (first.date, first.organisation_id, first.leader) == (
        D(2023, 9, 15),
        cast.township_a.pk,
        cast.zhang,
    )
    assert set(first.participants.all()) == {cast.li, cast.wang}
    assert first.findings == "村集体收入单一\n道路破损"
    assert visits["XX禽蛋公司"].date == D(2023, 10, 8) and visits["乡卫生院"].date == D(2023, 12, 1)
    # A topic not yet recorded is created in the row's township, led by its first 带队领导; 赵六's row
    # belongs to township B, whose topic of the same title is another one.
    topics = {(t.organisation_id, t.title): t.leader for t in ResearchTopic.objects.all()}
    assert topics == {
        (cast.township_a.pk, "推动产业振兴"): cast.zhang,
        (cast.township_a.pk, "基层治理"): cast.li,
        (cast.township_b.pk, "推动产业振兴"): cast.zhao,
    }
    assert visits["乙中心小学"].organisation_id == cast.township_b.pk
    assert visits["XX禽蛋公司"].topic == first.topic
    assert first.history.count() == 1 and first.history.get().history_type == "+"

    # The same file again adds nothing.
    again = run(path, campaign)
    assert again.ok and counts(again) == {"调研走访": (0, 0, 4)}
    assert ResearchVisit.objects.count() == 4 and ResearchTopic.objects.count() == 3

    # A changed row updates in place: kind, participants and findings; the topic keeps its leader.
    changed = book(
        tmp_path,
        {
            "调研走访": [
                header("调研走访"),
                ["2023-09-15", "推动产业振兴", "张三", "甲一村", "其他", "李四", "道路破损"],
            ]
        },
        name="改.xlsx",
    )
    result = run(changed, campaign)
    assert result.ok and counts(result) == {"调研走访": (0, 1, 0)}, errors_of(result)
    first.refresh_from_db()
    assert (first.place_kind, first.findings) == ("其他", "道路破损")
    assert list(first.participants.all()) == [cast.li]
    assert ResearchVisit.objects.count() == 4 and ResearchTopic.objects.count() == 3


def test_research_visit_errors_name_sheet_row_and_column(cast, campaign, tmp_path):
    ResearchTopic.objects.create(
        organisation=cast.township_a, title="已删课题", leader=cast.zhang, deleted_at=timezone.now()
    )
    path = book(
        tmp_path,
        {
            "调研走访": [
                header("调研走访"),
                ["2023-09-15", "课题", "刘某", "甲一村", "村", None, None],
                ["2023-09-16", "课题", "张三", "甲二村", "工厂", None, None],
                ["2023-09-17", "课题", "张三", "甲三村", "村", "赵六", None],
                ["2023-09-18", "课题", "张三", "甲四村", "村", None, None],
                ["2023-9-18", "课题", "李四", "甲四村", "村", None, None],
                ["2023-09-19", "已删课题", "张三", "甲五村", "村", None, None],
                ["2023-09-31", "课题", "张三", "甲六村", "村", None, None],
                ["2023-09-20", None, "张三", "甲七村", "村", None, None],
            ]
        },
    )
    result = run(path, campaign, township=cast.township_a)
    assert_errors(
        result,
        [
            "工作表“调研走访”第2行“带队领导”列（刘某）：没有这名党员",
            "工作表“调研走访”第3行“地点类型”列（工厂）：应为村、企业、卫生院、学校、其他之一",
            "工作表“调研走访”第4行“参加人员”列（赵六）：赵六不是甲乡党委的党员",
            "工作表“调研走访”第6行“调研地点”列（甲四村）：与第5行的日期和调研地点相同",
            "工作表“调研走访”第7行“调研课题”列（已删课题）：该调研课题已删除，请先在回收站中恢复该课题",
            "工作表“调研走访”第8行“日期”列（2023-09-31）：日期不存在",
            "工作表“调研走访”第9行“调研课题”列：必填项，不能为空",
        ],
    )
    assert ResearchVisit.all_objects.count() == 0 and ResearchTopic.all_objects.count() == 1


def test_research_ledgers_are_for_township_admins(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "调研走访": [header("调研走访"), ["2023-09-15", "课题", "张三", "甲一村", "村", None, None]],
            "干事创业清单": [header("干事创业清单"), [1, "修路", None, "张三", "甲一村党支部"]],
        },
    )
    result = run(path, campaign, actor=cast.sec_a1, scope=scope_for(cast.sec_a1))
    assert errors_of(result) == [
        "工作表“调研走访”：只有乡党委管理员可以导入调研走访，本表不能导入",
        "工作表“干事创业清单”：只有乡党委管理员可以导入干事创业清单，本表不能导入",
    ]
    # Township B's admin cannot import township A's rows.
    result = run(path, campaign, actor=cast.admin_b, scope=scope_for(cast.admin_b))
    assert_errors(
        result,
        [
            "工作表“调研走访”第2行（甲乡党委）：不在您的管理范围内",
            "工作表“干事创业清单”第2行“责任单位”列（甲一村党支部）：不在您的管理范围内",
        ],
    )
    result = run(path, campaign, actor=cast.admin_a, scope=scope_for(cast.admin_a))
    assert result.ok, errors_of(result)
    visit = ResearchVisit.objects.get()
    assert visit.history.get().history_user == cast.admin_a


# 干事创业清单 ------------------------------------------------------------------------------------------

ACTION_HEADER = [
    "序号",
    "事项",
    "来源调研课题",
    "责任领导",
    "责任单位",
    "完成时限",
    "状态",
    "完成时间",
    "完成情况",
]


def test_action_items_from_a_messy_workbook(cast, campaign, tmp_path):
    ResearchTopic.objects.create(organisation=cast.township_a, title="推动产业振兴", leader=cast.wang)
    rows = [
        *title_rows("甲乡干事创业清单", len(ACTION_HEADER)),
        ACTION_HEADER,
        [
            1,
            "拓宽集体经济收入渠道",
            "推动产业振兴",
            "张三",
            "甲一村党支部",
            "2023/12/31",
            "已完成",
            "2023年12月20日",
            "x",
        ],
        ["2", "修缮村道", None, None, " 乡农业服务中心 ", "2024.1.15", "推进中", None, None],
        [3, "建设文化广场", "新课题", "李四", None, None, None, None, None],
        [1, "乙乡的第1条", None, "赵六", "乙一村党支部", D(2023, 11, 30), "未开始", None, None],
        [4, "机关事项", None, "王五", "甲机关党支部", None, None, None, None],
        ["审核：某某"],
    ]
    path = book(tmp_path, {"干事创业清单": rows})
    result = run(path, campaign, township=cast.township_a)
    assert result.ok, errors_of(result)
    assert counts(result) == {"干事创业清单": (5, 0, 0)}
    items = {(i.township_id, i.serial): i for i in ActionItem.objects.select_related("source_topic")}
    one = items[(cast.township_a.pk, 1)]
    assert (one.organisation, one.unit, one.leader, one.source_topic.title) == (
        cast.branch_a1,
        "",
        cast.zhang,
        "推动产业振兴",
    )
    assert (one.deadline, one.status, one.completed_on) == (D(2023, 12, 31), "已完成", D(2023, 12, 20))
    assert one.raised_on == D(2023, 12, 20)  # not in the ledger: the earliest date it cannot be after
    two = items[(cast.township_a.pk, 2)]
    assert (two.organisation, two.unit, two.leader) == (cast.township_a, "乡农业服务中心", None)
    assert two.raised_on == D(2024, 1, 15)
    three = items[(cast.township_a.pk, 3)]
    assert (three.organisation, three.status, three.raised_on) == (
        cast.township_a,
        "未开始",
        campaign.end_date,
    )
    assert three.source_topic.leader == cast.li  # a new topic, led by the row's 责任领导
    assert items[(cast.township_b.pk, 1)].organisation == cast.branch_b1
    assert ResearchTopic.objects.get(title="推动产业振兴").leader == cast.wang

    again = run(path, campaign, township=cast.township_a)
    assert again.ok and counts(again) == {"干事创业清单": (0, 0, 5)}
    assert ActionItem.objects.count() == 5

    changed = book(
        tmp_path,
        {
            "干事创业清单": [
                header("干事创业清单"),
                ["2", "修缮村道及路灯", None, "张三", "乡农业服务中心", "2024-01-15", "已完成", "2024-01-10"],
            ]
        },
        name="改.xlsx",
    )
    result = run(changed, campaign)
    assert result.ok and counts(result) == {"干事创业清单": (0, 1, 0)}, errors_of(result)
    two.refresh_from_db()
    assert (two.content, two.leader, two.status, two.completed_on) == (
        "修缮村道及路灯",
        cast.zhang,
        "已完成",
        D(2024, 1, 10),
    )
    assert two.raised_on == D(2024, 1, 15) and ActionItem.objects.count() == 5


def test_action_item_errors(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "干事创业清单": [
                header("干事创业清单"),
                [1, "已完成无时间", None, "张三", None, None, "已完成", None],
                [2, "坏状态", None, "张三", None, None, "办结", None],
                [3, "未知课题", "没有的课题", None, None, None, None, None],
                [4, "别乡单位", None, "张三", "乙一村党支部", None, None, None],
                [5, "不知道的领导", None, "刘某", None, None, None, None],
                [6, "未完成却有完成时间", None, "张三", None, None, "推进中", "2023-10-01"],
                ["六", "坏序号", None, "张三", None, None, None, None],
                [1, "重复序号", None, "李四", None, None, None, None],
            ]
        },
    )
    result = run(path, campaign, township=cast.township_a)
    assert_errors(
        result,
        [
            "第2行“完成时间”列：状态为“已完成”时，请填写完成时间。",
            "第3行“状态”列（办结）：应为未开始、推进中、已完成之一",
            "第4行“来源调研课题”列（没有的课题）：甲乡党委没有这个调研课题",
            "第5行“责任单位”列（乙一村党支部）：这是乙乡党委的组织，不是甲乡党委的",
            "第6行“责任领导”列（刘某）：没有这名党员",
            "第7行“完成时间”列：事项尚未完成，不应填写完成时间",
            "第8行“序号”列（六）：不是整数",
            "第9行“序号”列（1）：与第2行的序号相同",
        ],
    )
    assert all(m.startswith("工作表“干事创业清单”第") for m in errors_of(result))
    assert ActionItem.objects.count() == 0


def test_a_row_without_people_needs_a_township(cast, campaign, tmp_path):
    path = book(
        tmp_path, {"干事创业清单": [header("干事创业清单"), [1, "修路", None, None, "乡农业服务中心"]]}
    )
    result = run(path, campaign)
    assert errors_of(result) == [
        "工作表“干事创业清单”第2行：无法确定本行属于哪个乡镇，请在命令中用 --org 指定乡党委"
    ]
    # A 责任单位 that is an organisation of one township settles it.
    path = book(
        tmp_path,
        {"干事创业清单": [header("干事创业清单"), [1, "修路", None, None, "乙一村党支部"]]},
        name="2.xlsx",
    )
    result = run(path, campaign)
    assert result.ok, errors_of(result)
    assert ActionItem.objects.get().township == cast.township_b


# 走访企业 ----------------------------------------------------------------------------------------------

ENTERPRISE_HEADER = ["日期", "企业名称", "走访干部", "企业反映问题", "解决情况", "是否解决", "走访情况"]


def test_enterprise_visits_with_several_issues_in_merged_rows(cast, campaign, tmp_path):
    existing = Enterprise.objects.create(organisation=cast.township_a, name="甲乡禽蛋公司", liaison=cast.wang)
    rows = [
        *title_rows("甲乡走访企业台账", len(ENTERPRISE_HEADER)),
        ENTERPRISE_HEADER,
        ["2023年10月12日", "甲乡禽蛋公司", "王五", "用工难", "已对接劳务市场", "是", "x"],
        [None, None, None, "融资难", "正在协调", "否", None],
        ["2023/11/5", " 甲乡纺织厂 ", "张三", None, None, None, None],
        [D(2023, 12, 1), "甲乡禽蛋公司", "王五", "用电不稳", None, None, None],
        ["备注：每月走访一次"],
    ]
    path = book(tmp_path, {"走访企业": rows}, merges={"走访企业": ["A5:A6", "B5:B6", "C5:C6"]})
    result = run(path, campaign)
    assert result.ok, errors_of(result)
    assert counts(result) == {"走访企业": (3, 0, 0)}
    assert set(Enterprise.objects.values_list("organisation_id", "name")) == {
        (cast.township_a.pk, "甲乡禽蛋公司"),
        (cast.township_a.pk, "甲乡纺织厂"),  # added to the register
    }
    october = EnterpriseVisit.objects.get(date=D(2023, 10, 12))
    assert (october.enterprise, october.cadre, october.organisation_id) == (
        existing,
        cast.wang,
        cast.township_a.pk,
    )
    assert list(october.issues.values_list("content", "handling", "resolved")) == [
        ("用工难", "已对接劳务市场", True),
        ("融资难", "正在协调", False),
    ]
    assert not EnterpriseVisit.objects.get(date=D(2023, 11, 5)).issues.exists()

    again = run(path, campaign)
    assert again.ok and counts(again) == {"走访企业": (0, 0, 3)}
    assert (EnterpriseVisit.objects.count(), EnterpriseIssue.objects.count(), Enterprise.objects.count()) == (
        3,
        3,
        2,
    )

    # An edited issue is updated in place, by its text or else by its place in the visit.
    changed = book(
        tmp_path,
        {
            "走访企业": [
                header("走访企业"),
                ["2023-10-12", "甲乡禽蛋公司", "王五", "用工难", "已对接劳务市场", "是"],
                ["2023-10-12", "甲乡禽蛋公司", "王五", "融资贵", "已协调贷款", "是"],
            ]
        },
        name="改.xlsx",
    )
    result = run(changed, campaign)
    assert result.ok and counts(result) == {"走访企业": (0, 1, 0)}, errors_of(result)
    assert list(october.issues.order_by("pk").values_list("content", "handling", "resolved")) == [
        ("用工难", "已对接劳务市场", True),
        ("融资贵", "已协调贷款", True),
    ]
    assert EnterpriseIssue.objects.count() == 3


def test_enterprise_visit_errors(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "走访企业": [
                header("走访企业"),
                ["2023-10-12", "甲乡禽蛋公司", "刘某", "用工难", None, None],
                ["2023-10-13", "甲乡禽蛋公司", "王五", None, "已解决", None],
                ["2023-10-14", "甲乡禽蛋公司", "王五", "用工难", None, "也许"],
                ["2023-10-15", "甲乡禽蛋公司", "王五", "用工难", None, "是"],
                ["2023-10-16", None, "王五", None, None, None],
            ]
        },
    )
    result = run(path, campaign)
    assert_errors(
        result,
        [
            "工作表“走访企业”第2行“走访干部”列（刘某）：没有这名党员",
            "工作表“走访企业”第3行“企业反映问题”列：填写了解决情况，但没有填写企业反映问题",
            "工作表“走访企业”第4行“是否解决”列（也许）：应为“是”或“否”",
            "工作表“走访企业”第5行“解决情况”列：已解决的问题，请填写解决情况。",
            "工作表“走访企业”第6行“企业名称”列：必填项，不能为空",
        ],
    )
    assert EnterpriseVisit.objects.count() == 0 and Enterprise.objects.count() == 0


# 为民办实事 --------------------------------------------------------------------------------------------

PROJECT_HEADER = [
    "序号",
    "项目名称",
    "类别",
    "办理方式",
    "责任领导",
    "责任单位",
    "计划完成时间",
    "状态",
    "完成时间",
    "成效",
    "联系电话",
]


def test_service_projects_from_a_messy_workbook(cast, campaign, tmp_path):
    rows = [
        *title_rows("甲乡为民办实事清单", len(PROJECT_HEADER)),
        PROJECT_HEADER,
        [
            1,
            "修缮村内道路",
            "基础设施",
            "限期办",
            "张三",
            "甲一村党支部",
            "2023/11/30",
            "已完成",
            "2023年11月25日",
            "硬化1.2公里",
            1,
        ],
        [2, "安装路灯", None, "立刻办", None, "乡农业服务中心", None, "推进中", None, None, None],
        [3, "老年食堂", "民生保障", None, "王五", None, "2024.1.20", None, None, None, None],
    ]
    path = book(tmp_path, {"为民办实事": rows})
    result = run(path, campaign, township=cast.township_a)
    assert result.ok, errors_of(result)
    projects = {p.serial: p for p in ServiceProject.objects.all()}
    assert (projects[1].organisation, projects[1].completed_on, projects[1].result) == (
        cast.branch_a1,
        D(2023, 11, 25),
        "硬化1.2公里",
    )
    assert (projects[2].organisation, projects[2].unit, projects[2].handling) == (
        cast.township_a,
        "乡农业服务中心",
        "立刻办",
    )
    assert (projects[3].organisation, projects[3].status, projects[3].leader) == (
        cast.township_a,
        "未开始",
        cast.wang,
    )
    assert {p.township_id for p in projects.values()} == {cast.township_a.pk}

    again = run(path, campaign, township=cast.township_a)
    assert again.ok and counts(again) == {"为民办实事": (0, 0, 3)}

    changed = book(
        tmp_path,
        {
            "为民办实事": [
                header("为民办实事"),
                [3, "老年食堂", "民生保障", "分期办", "王五", None, "2024-01-20", "推进中"],
            ]
        },
        name="改.xlsx",
    )
    result = run(changed, campaign, township=cast.township_a)
    assert result.ok and counts(result) == {"为民办实事": (0, 1, 0)}, errors_of(result)
    projects[3].refresh_from_db()
    assert (projects[3].handling, projects[3].status) == ("分期办", "推进中")
    assert ServiceProject.objects.count() == 3


def test_service_project_errors_and_a_branch_secretarys_scope(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "为民办实事": [
                header("为民办实事"),
                [1, "本支部的", None, None, None, "甲一村党支部", None, "已完成", "2023-11-01"],
                [2, "已完成无时间", None, None, None, "甲一村党支部", None, "已完成", None],
                [3, "坏方式", None, "马上办", None, "甲一村党支部"],
                [4, "别的支部", None, None, None, "甲机关党支部"],
                [5, "乡里的", None, None, "张三", "乡农业服务中心"],
                [6, "别乡领导", None, None, "赵六", "甲一村党支部"],
            ]
        },
    )
    result = run(path, campaign, actor=cast.sec_a1, scope=scope_for(cast.sec_a1), township=cast.township_a)
    assert_errors(
        result,
        [
            "工作表“为民办实事”第3行“完成时间”列：状态为“已完成”时，请填写完成时间。",
            "工作表“为民办实事”第4行“办理方式”列（马上办）：应为立刻办、限期办、分期办之一",
            "工作表“为民办实事”第5行“责任单位”列（甲机关党支部）：不在您的管理范围内",
            "工作表“为民办实事”第6行“责任单位”列（乡农业服务中心）：不是党组织的责任单位记在甲乡党委名下，不在您的管理范围内",
            "工作表“为民办实事”第7行“责任单位”列（甲一村党支部）：这是甲乡党委的组织，不是乙乡党委的",
        ],
    )
    assert not any("第2行" in m for m in errors_of(result))
    assert ServiceProject.objects.count() == 0


# 结对共建 and 宣传 -------------------------------------------------------------------------------------


def test_partnerships_and_publicity_from_a_messy_workbook(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "结对共建": [
                *title_rows("结对共建台账", 4),
                ["本方组织", "共建单位", "签订日期", "共建内容", "联系人"],
                ["甲一村党支部", "市商务局机关党支部", "2023年9月28日", "电商助农", "某某"],
                ["甲一村党支部", "XX电子商务有限公司党支部", None, None, None],
                ["乙一村党支部", "市商务局机关党支部", "2023/10/1", "联合主题党日", None],
            ],
            "宣传": [
                *title_rows("宣传台账", 5),
                ["日期", "组织", "类型", "数量（个）", "内容或位置", "照片"],
                ["2023/9/10", "甲一村党支部", "横幅标语", "3条", "村委会门口", None],
                [D(2023, 9, 12), None, "广告牌", 5, "乡政府广场", None],
                ["2023.10.1", "甲一村党支部", "公众号推文", 1, "学思想 强党性", None],
            ],
        },
    )
    result = run(path, campaign, township=cast.township_a)
    assert result.ok, errors_of(result)
    assert counts(result) == {"结对共建": (3, 0, 0), "宣传": (3, 0, 0)}
    pairs = set(Partnership.objects.values_list("organisation__name", "partner", "signed_on"))
    assert pairs == {
        ("甲一村党支部", "市商务局机关党支部", D(2023, 9, 28)),
        ("甲一村党支部", "XX电子商务有限公司党支部", None),
        ("乙一村党支部", "市商务局机关党支部", D(2023, 10, 1)),
    }
    items = {i.kind: i for i in PublicityItem.objects.all()}
    assert (items["横幅标语"].quantity, items["横幅标语"].organisation) == (3, cast.branch_a1)
    assert (items["广告牌"].organisation, items["广告牌"].township) == (cast.township_a, cast.township_a)

    again = run(path, campaign, township=cast.township_a)
    assert again.ok and counts(again) == {"结对共建": (0, 0, 3), "宣传": (0, 0, 3)}

    changed = book(
        tmp_path,
        {
            "结对共建": [
                header("结对共建"),
                ["市商务局机关党支部", "甲一村党支部", "2023-09-28", "电商助农、消费帮扶"],
            ],
            "宣传": [header("宣传"), ["2023-09-12", "甲一村党支部", "广告牌", 6, "乡政府广场"]],
        },
        name="改.xlsx",
    )
    result = run(changed, campaign, township=cast.township_a)
    assert result.ok and counts(result) == {"结对共建": (0, 1, 0), "宣传": (0, 1, 0)}, errors_of(result)
    items["广告牌"].refresh_from_db()
    assert (items["广告牌"].quantity, items["广告牌"].organisation) == (6, cast.branch_a1)
    assert Partnership.objects.get(organisation=cast.branch_a1, partner="市商务局机关党支部").content == (
        "电商助农、消费帮扶"
    )
    assert (Partnership.objects.count(), PublicityItem.objects.count()) == (3, 3)


def test_partnership_and_publicity_errors(cast, campaign, tmp_path):
    path = book(
        tmp_path,
        {
            "结对共建": [
                header("结对共建"),
                ["市商务局", "没有的支部", None, None],
                [None, "甲一村党支部", None, None],
                ["市商务局", "甲一村党支部", "2023-02-30", None],
            ],
            "宣传": [
                header("宣传"),
                ["2023-09-10", None, "横幅标语", 0, "村委会门口"],
                ["2023-09-10", None, "标语", 1, "村委会门口"],
                ["2023-09-11", None, "广告牌", 1, None],
                ["2023-09-12", None, "广告牌", 2, "广场"],
                ["2023-9-12", "甲一村党支部", "广告牌", 1, "广场"],
            ],
        },
    )
    result = run(path, campaign, township=cast.township_a)
    assert_errors(
        result,
        [
            "工作表“结对共建”第2行“本方组织”列（没有的支部）：没有这个组织",
            "工作表“结对共建”第3行“共建单位”列：必填项，不能为空",
            "工作表“结对共建”第4行“签订日期”列（2023-02-30）：日期不存在",
            "工作表“宣传”第2行“数量”列：数量至少为1。",
            "工作表“宣传”第3行“类型”列（标语）：应为广告牌、横幅标语、公众号推文、显示屏、宣传栏、其他之一",
            "工作表“宣传”第4行“内容或位置”列：请填写内容或位置。",
            "工作表“宣传”第6行“内容或位置”列（广场）：与第5行的日期、类型和内容或位置相同",
        ],
    )
    # Without a township, a 宣传 row without 组织 belongs to none.
    path = book(
        tmp_path, {"宣传": [header("宣传"), ["2023-09-12", None, "广告牌", 2, "广场"]]}, name="2.xlsx"
    )
    assert errors_of(run(path, campaign)) == [
        "工作表“宣传”第2行：无法确定本行属于哪个乡镇，请在命令中用 --org 指定乡党委"
    ]


# Export ------------------------------------------------------------------------------------------------


def full_workbook():
    return {
        "调研走访": [
            header("调研走访"),
            [
                "2023-09-15",
                "推动产业振兴",
                "张三",
                "甲一村",
                "村",
                "王五、李四（甲一村党支部）",
                "村集体收入单一\n道路破损",
            ],
            ["2023-10-08", "推动产业振兴", "王五", "甲乡禽蛋公司", "企业", None, None],
            ["2023-11-02", "基层治理", "李四（甲一村党支部）", "乡卫生院", "卫生院", "张三", "缺医生"],
        ],
        "干事创业清单": [
            header("干事创业清单"),
            [
                1,
                "拓宽集体经济收入渠道",
                "推动产业振兴",
                "张三",
                "甲一村党支部",
                "2023-12-31",
                "已完成",
                "2023-12-20",
            ],
            [2, "修缮村道", None, None, "乡农业服务中心", "2024-01-15", "推进中", None],
            [3, "建设文化广场", "乡村文化", "李四(甲一村党支部)", "甲乡党委", None, None, None],
        ],
        "走访企业": [
            header("走访企业"),
            ["2023-10-12", "甲乡禽蛋公司", "王五", "用工难", "已对接劳务市场", "是"],
            ["2023-10-12", "甲乡禽蛋公司", "王五", "融资难", "正在协调", "否"],
            ["2023-11-05", "甲乡纺织厂", "张三", None, None, None],
        ],
        "为民办实事": [
            header("为民办实事"),
            [
                1,
                "修缮村内道路",
                "基础设施",
                "限期办",
                "张三",
                "甲一村党支部",
                "2023-11-30",
                "已完成",
                "2023-11-25",
                "硬化1.2公里",
            ],
            [2, "安装路灯", None, "立刻办", None, "乡农业服务中心", None, "推进中", None, None],
            [3, "机关食堂", None, None, "王五", "甲机关党支部", None, None, None, None],
        ],
        "结对共建": [
            header("结对共建"),
            ["市商务局机关党支部", "甲一村党支部", "2023-09-28", "电商助农"],
            ["XX公司党支部", "甲机关党支部", None, None],
        ],
        "宣传": [
            header("宣传"),
            ["2023-09-10", "甲一村党支部", "横幅标语", 3, "村委会门口"],
            ["2023-09-12", "甲乡党委", "广告牌", 5, "乡政府广场"],
        ],
    }


def exported(campaign, org_ids):
    return {name: [tuple(r) for r in find_sheet(name).export_rows(campaign, org_ids)] for name in SHEETS}


def wipe():
    for model in (
        EnterpriseIssue,
        EnterpriseVisit,
        Enterprise,
        ActionItem,
        ResearchVisit,
        ResearchTopic,
        ServiceProject,
        Partnership,
        PublicityItem,
    ):
        model.all_objects.all().delete()


def test_an_export_reimports_to_the_same_records(cast, campaign, tmp_path):
    # A namesake in township A: 李四 is exported 李四（组织名称） and re-imports unambiguously.
    Member.objects.create(name="李四", organisation=cast.branch_a2, category="在职")
    result = run(book(tmp_path, full_workbook()), campaign, township=cast.township_a)
    assert result.ok, errors_of(result)
    org_ids = subtree_ids(cast.township_a.pk)
    first = exported(campaign, org_ids)
    assert {name: len(rows) for name, rows in first.items()} == {
        "调研走访": 3,
        "干事创业清单": 3,
        "走访企业": 3,
        "为民办实事": 3,
        "结对共建": 2,
        "宣传": 2,
    }
    assert first["调研走访"][0] == (
        D(2023, 9, 15),
        "推动产业振兴",
        "张三",
        "甲一村",
        "村",
        "李四（甲一村党支部）、王五",
        "村集体收入单一\n道路破损",
    )
    assert first["干事创业清单"][1][4] == "乡农业服务中心" and first["干事创业清单"][2][4] == "甲乡党委"
    assert first["走访企业"][2] == (D(2023, 11, 5), "甲乡纺织厂", "张三", "", "", None)

    out = book(tmp_path, {name: [header(name), *rows] for name, rows in first.items()}, name="导出.xlsx")
    # Into the same database: nothing changes.
    again = run(out, campaign, township=cast.township_a)
    assert again.ok, errors_of(again)
    assert all(created == updated == 0 for created, updated, _ in counts(again).values()), counts(again)
    assert exported(campaign, org_ids) == first
    # Into an empty one: the same records.
    wipe()
    result = run(out, campaign, township=cast.township_a)
    assert result.ok, errors_of(result)
    assert exported(campaign, org_ids) == first
    assert ActionItem.objects.get(serial=1).raised_on == D(2023, 12, 20)


def test_an_export_is_the_campaigns_and_the_organisations(cast, campaign, tmp_path):
    workbook = full_workbook()
    del workbook["干事创业清单"]
    workbook["宣传"].append(["2023-08-01", "甲一村党支部", "横幅标语", 2, "活动开始前"])
    workbook["为民办实事"].append(
        [4, "往年办结", None, None, None, "甲一村党支部", None, "已完成", "2023-03-01"]
    )
    result = run(book(tmp_path, workbook), campaign, township=cast.township_a)
    assert result.ok, errors_of(result)
    rows = exported(campaign, subtree_ids(cast.township_a.pk))
    assert [r[4] for r in rows["宣传"]] == ["村委会门口", "乡政府广场"]  # dated before the campaign: not its
    assert [r[0] for r in rows["为民办实事"]] == [1, 2, 3]
    # A branch's export holds the branch's records only.
    branch = exported(campaign, subtree_ids(cast.branch_a2.pk))
    assert branch["为民办实事"] == [(3, "机关食堂", "", "", "王五", "甲机关党支部", None, "未开始", None, "")]
    assert branch["结对共建"] == [("XX公司党支部", "甲机关党支部", None, "")]
    assert branch["调研走访"] == [] and branch["宣传"] == []
