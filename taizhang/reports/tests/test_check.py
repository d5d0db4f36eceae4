import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from taizhang.campaigns.models import Campaign
from taizhang.reports.check import (
    DIFFER,
    MATCH,
    UNKNOWN,
    approx_range,
    check_text,
    stated_figures,
    text_of_upload,
)

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "township-summary-2023.txt"
# What the seed township's records give (what the seed states, 469余 being 470).
SEED_VALUES = {
    "org.branches": 20,
    "org.grassroots": 13,
    "deploy.branch_meetings": 20,
    "study.central_group": 4,
    "study.seminars": 57,
    "study.lectures": 22,
    "study.training_person_times": 470,
    "study.retired_covered": 13,
    "study.mobile_covered": 9,
    "rectify.leadership_problems": 13,
    "rectify.grassroots_problems": 20,
    "rectify.leadership_measures": 15,
    "rectify.grassroots_measures": 20,
    "rectify.talks": 13,
    "rectify.health_checked": 13,
    "research.visits": 9,
    "research.action_items": 13,
    "research.action_items_done": 13,
    "serve.service_projects_done": 9,
    "publicity.billboards": 5,
    "publicity.banners": 36,
}


@pytest.fixture
def campaign(db):
    return Campaign.objects.get(code="2023-second-batch")


def test_figures_are_a_number_with_its_unit():
    found = stated_figures(
        "截至目前，基层党组织开展专题研讨57次，培训党员469余人次。2023年9月，3820工程30周年，第2次。"
    )
    assert [(f.number, f.approx, f.unit) for f in found] == [(57, "", "次"), (469, "余", "人次")]


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed summary is not next to the project")
def test_every_figure_of_the_seed_summary_is_read_and_matched(campaign):
    results = check_text(SEED.read_text(encoding="utf-8"), campaign, SEED_VALUES)
    assert len(results) == 19
    assert {r.status for r in results} == {MATCH}
    by_text = {(r.stated.text, r.indicator.code) for r in results}
    assert ("469余人次", "study.training_person_times") in by_text
    assert ("13名", "study.retired_covered") in by_text and ("9名", "study.mobile_covered") in by_text
    assert ("13条", "rectify.leadership_problems") in by_text and (
        "20条",
        "rectify.grassroots_problems",
    ) in by_text
    assert ("13项", "research.action_items_done") in by_text and ("13条", "research.action_items") in by_text


def test_matching_different_and_unknown(campaign):
    text = "截至目前，基层党组织开展专题研讨57次，书记讲授专题党课20场，全乡党员380名，走访群众30户。"
    results = check_text(text, campaign, {**SEED_VALUES, "study.lectures": 22})
    assert [(r.stated.text, r.status) for r in results] == [
        ("57次", MATCH),
        ("20场", DIFFER),
        ("380名", UNKNOWN),
        ("30户", UNKNOWN),
    ]
    assert results[1].value == 22 and results[1].indicator.code == "study.lectures"
    assert results[2].reason == "没有对应的指标"


def test_an_indicator_not_computed_yet_cannot_be_checked(campaign):
    (result,) = check_text("开展专题研讨57次。", campaign, {"org.branches": 2})
    assert result.status == UNKNOWN and result.indicator.code == "study.seminars"
    assert "尚不能由记录计算" in result.reason


@pytest.mark.parametrize(("actual", "status"), [(469, MATCH), (478, MATCH), (479, DIFFER), (468, DIFFER)])
def test_a_figure_with_yu_is_at_least_that_much(campaign, actual, status):
    (result,) = check_text("培训党员469余人次。", campaign, {"study.training_person_times": actual})
    assert result.status == status


@pytest.mark.parametrize(("number", "more"), [(469, 10), (20, 10), (400, 100), (1000, 500)])
def test_how_much_more_yu_may_be(number, more):
    assert approx_range(number) == more


def test_full_width_digits_are_read(campaign):
    (result,) = check_text("开展专题研讨５７次。", campaign, SEED_VALUES)
    assert result.stated.number == 57 and result.status == MATCH


def test_text_of_a_word_file_and_of_plain_text():
    document = Document()
    document.add_paragraph("开展专题研讨57次。")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "广告牌5个"
    out = io.BytesIO()
    document.save(out)
    assert text_of_upload("总结.docx", out.getvalue()) == "开展专题研讨57次。\n广告牌5个"
    assert text_of_upload("总结.txt", "培训党员469人次".encode("gb18030")) == "培训党员469人次"
    assert text_of_upload("总结.txt", "\ufeff培训".encode()) == "培训"
    with pytest.raises(ValidationError, match="另存为 .docx"):
        text_of_upload("总结.doc", b"\xd0\xcf\x11\xe0 old word")
    with pytest.raises(ValidationError, match="不是有效的 Word"):
        text_of_upload("总结.docx", b"PK\x03\x04broken")
