"""A leader on a phone records a research visit and turns one of its findings into an action item, in a real
browser (Debian's chromium through Playwright; see taizhang/browser.py)."""

from __future__ import annotations

import re

import pytest

from taizhang.browser import PHONE, RESULTS, log_in, scroll_width
from taizhang.research import services
from taizhang.research.models import ActionItem, ResearchVisit

pytestmark = pytest.mark.browser


def screenshot(page, name: str) -> None:
    page.wait_for_load_state("load")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / f"{name}.png", full_page=True)


def fits(page) -> None:
    assert scroll_width(page) <= PHONE["width"], f"{page.url} scrolls sideways on a phone"


@pytest.fixture
def topic(cast):
    return services.research_topic_create(
        actor=cast.admin_a,
        organisation=cast.township_a,
        title="党建引领乡村振兴助推农文旅融合发展",
        leader=cast.wang,
    )


def test_leader_records_a_visit_and_turns_a_finding_into_an_action_item(cast, topic, phone):
    log_in(phone, "admin_a")
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="研").click()
    phone.get_by_role("link", name="调研走访").click()
    phone.get_by_role("heading", name="调研走访").wait_for()
    phone.get_by_role("link", name="记录调研走访").click()
    phone.get_by_role("heading", name="记录调研走访").wait_for()
    fits(phone)

    phone.get_by_label("日期").fill("2023-10-12")
    assert phone.get_by_label("调研课题").input_value() == str(topic.pk)  # the only topic, preselected
    phone.get_by_label("带队领导").fill("王五")
    phone.get_by_label("调研地点").fill("甲二村")
    phone.get_by_label("村", exact=True).check()
    phone.get_by_label("参加人员").fill("张三、李四")
    phone.get_by_label("发现问题").fill("村道汛期水毁，群众出行不便\n村内路灯损坏12盏")
    screenshot(phone, "research-visit-form-375")
    phone.get_by_role("button", name="保存").click()

    phone.get_by_role("heading", name="甲二村").wait_for()
    assert re.search(r"/research/visits/\d+/$", phone.url)
    assert phone.get_by_text("已记录调研走访。").is_visible()
    assert phone.get_by_text("张三、李四").is_visible()
    fits(phone)
    screenshot(phone, "research-visit-detail-375")

    phone.get_by_role("link", name="将第2条问题转为干事创业清单").click()
    phone.get_by_role("heading", name="转为干事创业清单事项").wait_for()
    fits(phone)
    assert phone.get_by_label("事项").input_value() == "村内路灯损坏12盏"
    assert phone.get_by_label("责任领导").input_value() == "王五"
    assert phone.get_by_label("来源调研课题").input_value() == str(topic.pk)
    phone.get_by_role("combobox", name=re.compile("^责任单位")).select_option(label="　甲一村党支部")
    phone.get_by_label("完成时限").fill("2023-10-31")
    screenshot(phone, "research-action-form-375")
    phone.get_by_role("button", name="保存").click()

    phone.get_by_text("已将该问题列入干事创业清单（第1条）。").wait_for()
    assert phone.get_by_role("heading", name="甲二村").is_visible()
    assert phone.get_by_role("link", name="已列入干事创业清单第1条 · 未开始").is_visible()
    assert phone.get_by_role("link", name="将第1条问题转为干事创业清单").is_visible()
    assert phone.get_by_role("link", name="将第2条问题转为干事创业清单").count() == 0
    fits(phone)
    screenshot(phone, "research-visit-with-item-375")

    phone.get_by_role("navigation", name="调查研究").get_by_role("link", name="干事创业清单").click()
    phone.get_by_role("heading", name="干事创业清单").wait_for()
    assert phone.get_by_text("村内路灯损坏12盏").is_visible()
    assert phone.get_by_text("已逾期").first.is_visible()  # its deadline has passed and it is not done
    fits(phone)
    screenshot(phone, "research-action-list-375")

    visit = ResearchVisit.objects.get()
    assert (visit.leader, visit.place_kind, visit.finding_lines) == (
        cast.wang,
        "村",
        ["村道汛期水毁，群众出行不便", "村内路灯损坏12盏"],
    )
    assert set(visit.participants.all()) == {cast.zhang, cast.li}
    item = ActionItem.objects.get()
    assert (item.content, item.source_visit, item.source_topic, item.leader) == (
        "村内路灯损坏12盏",
        visit,
        topic,
        cast.wang,
    )
    assert (item.organisation, item.township, item.raised_on.isoformat()) == (
        cast.branch_a1,
        cast.township_a,
        "2023-10-12",
    )
    assert item.history.get().history_user == cast.admin_a


def test_the_month_view_of_enterprise_visits_fits_a_phone(cast, phone):
    import datetime

    enterprise = services.enterprise_create(
        actor=cast.admin_a, organisation=cast.township_a, name="甲乡禽蛋专业合作社", liaison=cast.wang
    )
    services.enterprise_create(
        actor=cast.admin_a, organisation=cast.township_a, name="甲乡竹业有限公司", liaison=cast.zhang
    )
    services.enterprise_visit_create(
        actor=cast.admin_a,
        date=datetime.date(2023, 10, 9),
        enterprise=enterprise,
        cadre=cast.wang,
        issues=[{"content": "冷链运输成本高，希望协调物流企业", "handling": "", "resolved": False}],
    )
    log_in(phone, "admin_a")
    phone.goto("/research/enterprise-visits/month/?month=2023-10")
    phone.get_by_role("heading", name="走访企业 · 2023年10月").wait_for()
    assert phone.locator("#cadres").get_by_text("本月未走访").is_visible()
    assert phone.get_by_text("待解决：冷链运输成本高").is_visible()
    fits(phone)
    screenshot(phone, "research-enterprise-month-375")
