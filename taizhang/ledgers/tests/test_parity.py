"""One write path: the same case fed to the page (the form and its service) and to the ledger import gives the
same outcome, and the import's error holds the page's Chinese message (after 工作表/行/列, and without the
page's closing 。). Where ledgers.md makes the import differ on purpose (a done measure's completion date
comes from its 整改时限, there being no 完成时间 column), the table does not compare it.

Each row of a table is one case: what the person types on the page, what he writes in the ledger's row, and
what must follow on both paths (the measure's status, signed off or not; or the message of the refusal)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from taizhang.core.scoping import scope_for
from taizhang.ledgers.importer import import_workbook
from taizhang.rectify import services as rectify
from taizhang.rectify.choices import MeasureStatus, OwnerKind
from taizhang.rectify.models import Measure
from taizhang.study import services as study
from taizhang.study.forms import Mode
from taizhang.study.models import Attendance, Meeting

from .workbooks import book

PROBLEM_HEADER = [
    "序号",
    "责任主体",
    "问题描述",
    "问题类别",
    "问题来源",
    "整改措施",
    "整改标准",
    "责任领导",
    "责任人",
    "整改时限",
    "整改状态",
    "完成情况",
]
MEETING_HEADER = ["日期", "组织", "类型", "主题", "主讲人", "地点", "参加人员", "参加人数"]
OUTSIDE = "王五（甲机关党支部）不是“甲一村党支部”或其下级组织的党员，不能列为这次会议的参加人员。"


def core(message: str) -> str:
    """A page's message as the import's error holds it: the import's errors end without 。."""
    return message.rstrip("。")


def png():
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile("佐证.png", out.getvalue(), content_type="image/png")


def imported(tmp_path, sheets, campaign, actor):
    """Import a workbook as the actor; the errors as the page lists them."""
    result = import_workbook(book(tmp_path, sheets), campaign=campaign, actor=actor, scope=scope_for(actor))
    return [str(e) for e in result.errors]


def assert_same_refusal(page_messages: list[str], import_errors: list[str]) -> None:
    assert page_messages and import_errors, (page_messages, import_errors)
    for message in page_messages:
        assert any(core(message) in error for error in import_errors), (message, import_errors)


# Measures: status, note, required content, a value not in the list ------------------------------------


@dataclass
class MeasureCase:
    """status/note/content as typed on the measure form and written in the 问题清单 row; the outcome: the
    status it gets, or the message it is refused with."""

    name: str
    status: str
    note: str = ""
    content: str = "按月召开支委会"
    status_after: str | None = None
    refused: str = ""
    kwargs: dict = field(default_factory=dict)


MEASURE_CASES = [
    MeasureCase("已完成，有完成情况", MeasureStatus.DONE, "已按月召开", status_after=MeasureStatus.DONE),
    MeasureCase("已完成，没有完成情况", MeasureStatus.DONE, "", status_after=MeasureStatus.DONE),
    MeasureCase("长期坚持，没有完成情况", MeasureStatus.ONGOING, "", status_after=MeasureStatus.ONGOING),
    MeasureCase("整改中", MeasureStatus.IN_PROGRESS, "", status_after=MeasureStatus.IN_PROGRESS),
    MeasureCase("整改状态不在列表中", "已办结", refused="应为未开始、整改中、已完成、长期坚持之一。"),
    MeasureCase("整改措施为空", MeasureStatus.DONE, "已完成", content="", refused="请填写整改措施。"),
]


@pytest.fixture
def problem(cast, campaign):
    return rectify.problem_create(
        actor=cast.sec_a1,
        campaign=campaign,
        owner_kind=OwnerKind.ORGANISATION,
        owner_org=cast.branch_a1,
        content="三会一课落实不到位",
        category="工作作风",
        source="查摆",
        standard="会议记录完整",
        found_on=datetime.date(2023, 9, 15),
    )


def _by_page(client, problem, case: MeasureCase):
    response = client.post(
        reverse("rectify:measure_create", args=[problem.pk]),
        {
            "content": case.content,
            "deadline": "2023-12-31",
            "status": case.status,
            "completed_on": "2023-12-20",
            "completion_note": case.note,
        },
    )
    if response.status_code == 302:
        return Measure.objects.get(problem=problem), []
    assert response.status_code == 200
    return None, [m for messages in response.context["form"].errors.values() for m in messages]


def _by_import(tmp_path, campaign, actor, problem, case: MeasureCase):
    row = [
        problem.number,
        "甲一村党支部",
        problem.content,
        problem.category,
        problem.source,
        case.content,
        problem.standard,
        None,
        "张三" if not case.content else None,  # a row with other cells but no 整改措施
        "2023-12-31",
        case.status,
        case.note,
    ]
    errors = imported(tmp_path, {"问题清单": [PROBLEM_HEADER, row]}, campaign, actor)
    return (None if errors else Measure.objects.get(problem=problem)), errors


def outcome(measure: Measure) -> tuple:
    """What a case must give alike on both paths (not the completion date: see the module's doc)."""
    return (
        measure.status,
        measure.completion_note,
        measure.is_signed_off,
        measure.status_label,
        measure.completed_on is not None,
        measure.entries.exists(),
    )


@pytest.mark.parametrize("case", MEASURE_CASES, ids=[c.name for c in MEASURE_CASES])
def test_a_measure_on_the_page_and_in_the_ledger(cast, campaign, problem, client_as, tmp_path, case):
    by_page, page_messages = _by_page(client_as(cast.sec_a1), problem, case)
    page_outcome = outcome(by_page) if by_page is not None else None
    if by_page is not None:  # the ledger's turn, on the same problem
        Measure.all_objects.filter(pk=by_page.pk).delete()
    by_import, import_errors = _by_import(tmp_path, campaign, cast.sec_a1, problem, case)
    if case.refused:
        assert by_page is None and by_import is None
        assert page_messages == [case.refused]
        assert_same_refusal(page_messages, import_errors)
        return
    assert not page_messages and not import_errors, (page_messages, import_errors)
    done = case.status_after in (MeasureStatus.DONE, MeasureStatus.ONGOING)
    label = f"{case.status_after}、待销号" if done else case.status_after
    # Done or not, neither path signs off (the admin's step, with evidence) or makes up a closing.
    assert page_outcome == outcome(by_import) == (case.status_after, case.note, False, label, done, False)


def test_a_signed_off_measure_s_status_is_refused_to_its_owner_alike(cast, campaign, problem, tmp_path):
    measure = rectify.measure_create(
        actor=cast.sec_a1,
        problem=problem,
        content="按月召开支委会",
        deadline=datetime.date(2023, 12, 31),
        status=MeasureStatus.DONE,
        completed_on=datetime.date(2023, 12, 20),
        completion_note="已按月召开",
    )
    rectify.measure_sign_off(actor=cast.admin_a, measure=measure, evidence=[png()])
    with pytest.raises(ValidationError) as excinfo:
        rectify.measure_update(actor=cast.sec_a1, measure=measure, status=MeasureStatus.IN_PROGRESS)
    page_messages = excinfo.value.message_dict["status"]
    case = MeasureCase("改回整改中", MeasureStatus.IN_PROGRESS, "已按月召开")
    by_import, import_errors = _by_import(tmp_path, campaign, cast.sec_a1, problem, case)
    assert by_import is None
    assert_same_refusal(page_messages, import_errors)
    assert Measure.objects.get(pk=measure.pk).is_signed_off


# Meetings: attendees outside the organiser's subtree, a missing topic ---------------------------------


def _meeting_page(client, cast, attendees, topic="学习党章"):
    data = {
        "organiser": cast.branch_a1.pk,
        "type": "主题党日",
        "date": "2023-10-10",
        "topic": topic,
        "mode": Mode.NAMES,
        "m": [m.pk for m in attendees],
    }
    data.update({f"present_{m.pk}": "on" for m in attendees})
    response = client.post(reverse("study:meeting_create"), data)
    if response.status_code == 302:
        return []
    assert response.status_code == 200
    form = response.context["form"]
    return [m for messages in form.errors.values() for m in messages]


def _meeting_row(attendees, topic="学习党章"):
    return [
        "2023-10-10",
        "甲一村党支部",
        "主题党日",
        topic,
        None,
        None,
        "、".join(m.name for m in attendees),
        None,
    ]


@pytest.mark.parametrize(
    ("who", "attendees", "refused"),
    [
        ("admin_a", ("zhang", "li"), ""),
        ("admin_a", ("zhang", "wang"), OUTSIDE),  # 王五 is of 甲机关党支部, not under 甲一村党支部
        ("sec_a1", ("zhang", "wang"), OUTSIDE),  # the branch secretary, as in the measured bug
    ],
)
def test_attendees_on_the_page_and_in_the_ledger(
    cast, campaign, client_as, tmp_path, who, attendees, refused
):
    actor = getattr(cast, who)
    people = [getattr(cast, name) for name in attendees]
    if who == "admin_a":
        page_messages = _meeting_page(client_as(actor), cast, people)
    else:  # a secretary's page lists his own branch only: his form's service is called directly
        try:
            study.meeting_create(
                actor=actor,
                organiser=cast.branch_a1,
                type="主题党日",
                date=datetime.date(2023, 10, 10),
                topic="学习党章",
                attendance={m.pk: ("出席", "") for m in people},
            )
            page_messages = []
        except ValidationError as exc:
            page_messages = [m for messages in exc.message_dict.values() for m in messages]
    if not refused:
        assert page_messages == []
        Attendance.all_objects.all().delete()
        Meeting.all_objects.all().delete()
    import_errors = imported(tmp_path, {"会议活动": [MEETING_HEADER, _meeting_row(people)]}, campaign, actor)
    if not refused:
        assert import_errors == []
        meeting = Meeting.objects.get()
        assert {a.member for a in meeting.attendances.all()} == set(people)
        return
    assert page_messages == [refused]
    assert_same_refusal(page_messages, import_errors)
    assert import_errors == [f"工作表“会议活动”第2行“参加人员”列（张三、王五）：{refused}"]
    assert not Meeting.all_objects.exists() and not Attendance.all_objects.exists()


def test_sign_in_refuses_a_member_outside_the_organiser_s_subtree_by_the_same_rule(cast, campaign):
    meeting = study.meeting_create(
        actor=cast.sec_a1,
        organiser=cast.branch_a1,
        type="主题党日",
        date=timezone.localdate(),
        topic="学习党章",
    )
    sign_in = study.signin_open(actor=cast.sec_a1, meeting=meeting, minutes=60)
    with pytest.raises(study.SignInRefused) as excinfo:
        study.attendance_sign_in(
            sign_in=sign_in, member_id=cast.wang.pk, digits="3333", method="扫码", client="1.2.3.4"
        )
    assert OUTSIDE in str(excinfo.value)
    assert not Attendance.all_objects.exists()
