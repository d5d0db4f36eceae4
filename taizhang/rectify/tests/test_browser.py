"""On a 375 px phone, in Debian's chromium: a leader records progress on his measure and closes it with a
photo as evidence; a branch secretary finds none of the leadership's talks."""

from __future__ import annotations

import datetime

import pytest
from PIL import Image

from taizhang.browser import PHONE, RESULTS, log_in, scroll_width
from taizhang.core.deadlines import today
from taizhang.core.models import attachments_of
from taizhang.rectify import services
from taizhang.rectify.choices import EntryKind, MeasureStatus, OwnerKind, TalkType
from taizhang.rectify.models import Measure

from .conftest import make_measure, make_problem

pytestmark = pytest.mark.browser


def screenshot(page, name: str) -> None:
    page.wait_for_load_state("load")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / f"{name}.png", full_page=True)


def fits(page) -> None:
    assert scroll_width(page) <= PHONE["width"], f"{page.url} scrolls sideways on a phone"


def test_a_leader_records_progress_and_closes_his_measure_with_a_photo(cast, leaders, phone, tmp_path):
    # admin_a is the township's 组织委员: his account's member record is 王五, of the leading group.
    problem = make_problem(
        cast.admin_a, cast.township_a, kind=OwnerKind.LEADER, member=cast.wang, content="下村调研次数偏少"
    )
    measure = make_measure(
        cast.admin_a,
        problem,
        content="落实“一月一村”走访制度",
        deadline=today() + datetime.timedelta(days=3),
        responsible_leader=cast.wang,
    )
    photo = tmp_path / "走访照片.jpg"
    Image.new("RGB", (800, 600), (180, 40, 40)).save(photo, "JPEG")

    log_in(phone, "admin_a")
    phone.goto("/rectify/mine/")
    phone.get_by_role("heading", name="我负责的整改措施").wait_for()
    assert phone.get_by_text("7日内到期").first.is_visible()
    fits(phone)
    screenshot(phone, "rectify-mine-375")

    phone.get_by_role("link", name="落实“一月一村”走访制度").click()
    phone.get_by_role("heading", name="整改措施").wait_for()
    fits(phone)
    phone.get_by_role("link", name="记录进展").click()
    phone.get_by_label("进展情况").fill("走访溪口村、石门村，收集群众意见12条")
    fits(phone)
    phone.get_by_role("button", name="保存").click()
    phone.get_by_text("已记录整改进展。").wait_for()
    assert phone.get_by_text("走访溪口村、石门村，收集群众意见12条").is_visible()

    phone.get_by_role("link", name="销号").click()
    phone.get_by_role("heading", name="销号").wait_for()
    phone.get_by_label("完成情况").fill("已建立走访台账，每月走访一个村")
    phone.get_by_label("佐证材料").set_input_files(photo)
    fits(phone)
    screenshot(phone, "rectify-close-375")
    phone.get_by_role("button", name="确认销号").click()

    phone.get_by_text("已销号。").wait_for()
    thumbnail = phone.get_by_role("img", name="走访照片.jpg")
    thumbnail.scroll_into_view_if_needed()
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    fits(phone)
    screenshot(phone, "rectify-measure-closed-375")

    measure = Measure.objects.get(pk=measure.pk)
    assert measure.status == MeasureStatus.DONE
    assert measure.completion_note == "已建立走访台账，每月走访一个村"
    assert measure.completed_on == today()
    assert [(a.original_name, a.purpose) for a in attachments_of(measure)] == [("走访照片.jpg", "佐证材料")]
    assert [e.kind for e in measure.entries.all()] == [EntryKind.PROGRESS, EntryKind.CLOSE]
    assert measure.history.first().history_user == cast.admin_a

    phone.goto(f"/rectify/problems/{problem.pk}/")
    phone.get_by_text("已销号").first.wait_for()
    fits(phone)
    screenshot(phone, "rectify-problem-375")


def test_a_branch_secretary_sees_none_of_the_leadership_s_talks(cast, leaders, phone):
    talk = services.talk_create(
        actor=cast.admin_a,
        organisation=cast.township_a,
        on=datetime.date(2023, 10, 20),
        kind=TalkType.REMINDER,
        talker=cast.wang,
        persons=[cast.zhang],
        content="提醒其按时参加组织生活",
    )
    log_in(phone, "sec_a1")
    phone.goto("/rectify/talks/")
    phone.get_by_role("heading", name="谈心谈话").wait_for()
    assert phone.get_by_text("暂无您可查看的谈话记录").is_visible()
    assert phone.get_by_text("2023年10月20日").count() == 0
    assert phone.get_by_role("link", name="记录谈话").count() == 0
    fits(phone)
    screenshot(phone, "rectify-talks-secretary-375")
    phone.goto(f"/rectify/talks/{talk.pk}/")
    phone.get_by_role("heading", name="没有找到").wait_for()
    assert phone.get_by_text("提醒其按时参加组织生活").count() == 0
