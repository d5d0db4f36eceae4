"""core.choices: a vocabulary's bare words are their own labels, Django's choices machinery otherwise as
usual; and the badge table."""

import importlib

import pytest
from django import forms
from django.core.management import call_command

from taizhang.core.choices import Vocabulary, WorkStatus, badge_table
from taizhang.rectify.choices import (
    BADGES,
    EntryKind,
    Grade,
    MeasureStatus,
    OwnerKind,
    ProblemCategory,
    ProblemState,
    RemedyStatus,
)
from taizhang.rectify.models import Problem
from taizhang.study.choices import CoverageState


class Colour(Vocabulary):
    RED = "红"
    DARK_BLUE = "深蓝", "深蓝色"


def test_a_bare_word_is_its_own_label_and_an_explicit_label_stays():
    assert Colour.choices == [("红", "红"), ("深蓝", "深蓝色")]
    assert Colour.values == ["红", "深蓝"]
    assert Colour.labels == ["红", "深蓝色"]
    assert Colour.RED.label == "红" and Colour.DARK_BLUE.label == "深蓝色"
    assert Colour.RED == "红" and str(Colour.DARK_BLUE) == "深蓝" and Colour("深蓝") is Colour.DARK_BLUE
    assert "红" in Colour


def test_a_vocabulary_still_refuses_a_word_twice():
    with pytest.raises(ValueError):

        class Twice(Vocabulary):
            ONE = "一"
            SAME = "一"


def test_the_ledgers_words_are_unchanged():
    assert ProblemCategory.choices == [
        (w, w) for w in ("理论学习", "政治素质", "能力本领", "担当作为", "工作作风", "廉洁自律", "其他")
    ]
    assert OwnerKind.choices == [("班子", "班子"), ("班子成员", "班子成员"), ("组织", "基层党组织")]
    assert EntryKind.choices == [("进展", "整改进展"), ("销号", "销号"), ("撤销销号", "撤销销号")]
    assert CoverageState.choices == [("出席", "出席"), ("补学", "已补学"), ("缺", "未补学")]
    assert WorkStatus.choices == [("未开始", "未开始"), ("推进中", "推进中"), ("已完成", "已完成")]


def test_no_member_of_any_vocabulary_falls_back_to_an_english_label():
    for app in ("campaigns", "orgs", "study", "rectify", "research", "serve"):
        importlib.import_module(f"taizhang.{app}.choices")
    vocabularies = Vocabulary.__subclasses__()
    assert len(vocabularies) > 20
    for vocabulary in vocabularies:
        for member in vocabulary:
            assert member.label != member.name.replace("_", " ").title(), member


def test_research_and_serve_track_progress_with_the_same_words():
    from taizhang.research.choices import ActionStatus
    from taizhang.serve.choices import ProjectStatus

    assert ActionStatus is WorkStatus and ProjectStatus is WorkStatus


def test_display_and_forms_show_the_labels():
    problem = Problem(owner_kind=OwnerKind.ORGANISATION, category=ProblemCategory.THEORY)
    assert problem.get_owner_kind_display() == "基层党组织"
    assert problem.get_category_display() == "理论学习"
    field = forms.ChoiceField(choices=OwnerKind)
    assert field.choices == [("班子", "班子"), ("班子成员", "班子成员"), ("组织", "基层党组织")]


@pytest.mark.django_db
def test_the_migrations_see_no_change():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_badge_table_maps_each_value_to_its_colour():
    assert badge_table(ok=("a",), warn=("b", "c"), bad=("d",)) == {
        "a": "ok",
        "b": "warn",
        "c": "warn",
        "d": "bad",
    }
    # Two lists may share a word (整改中): the same colour twice is fine, two colours are not.
    assert badge_table(warn=("整改中", "整改中")) == {"整改中": "warn"}
    with pytest.raises(ValueError):
        badge_table(ok=("整改中",), warn=("整改中",))


def test_rectifys_badges_are_unchanged():
    assert BADGES == {
        MeasureStatus.IN_PROGRESS: "warn",
        MeasureStatus.DONE: "ok",
        MeasureStatus.ONGOING: "ok",
        ProblemState.NO_MEASURES: "bad",
        ProblemState.OPEN: "warn",
        ProblemState.CLOSED: "ok",
        Grade.GOOD: "ok",
        Grade.FAIRLY_GOOD: "ok",
        Grade.AVERAGE: "warn",
        Grade.WEAK: "bad",
        RemedyStatus.ACTIVE: "warn",
        RemedyStatus.ACCEPTED: "ok",
        "overdue": "bad",
        "due": "warn",
    }
    assert BADGES.get(MeasureStatus.NOT_STARTED, "") == ""
