"""One member-by-name resolver (orgs.fields) for the forms and the ledger import: the same separators, the same
姓名（组织名称） for namesakes, the same members found and the same names refused."""

from __future__ import annotations

import pytest
from django import forms

from taizhang.conftest import make_member
from taizhang.ledgers.context import ImportContext
from taizhang.ledgers.spec import Row
from taizhang.orgs.fields import resolve_names, split_names
from taizhang.orgs.models import Member


@pytest.fixture
def namesake(cast):
    return make_member("张三", cast.branch_a2, mobile="13900009999")


# text typed -> names found (by organisation) or the names refused
CASES = [
    ("李四、王五", ["李四", "王五"], []),
    ("李四 王五,李四；王五", ["李四", "王五"], []),
    ("张三（甲一村党支部）", ["张三"], []),
    ("张三", [], ["张三"]),
    ("刘某 李四", [], ["刘某"]),
]


@pytest.mark.parametrize(("typed", "found", "refused"), CASES)
def test_form_and_import_resolve_the_same_names(cast, namesake, typed, found, refused):
    tokens = split_names(typed)
    try:
        by_form = [m.name for m in resolve_names(tokens, Member.objects.all(), "参加人员")]
        form_errors = []
    except forms.ValidationError as exc:
        by_form, form_errors = [], exc.messages
    ctx = ImportContext(campaign=None, scope=None)
    people = ctx.members(Row(2, {"参加人员": typed}), "参加人员")
    by_import = [m.name for m in people or []]
    assert by_form == by_import == found
    assert [e.value for e in ctx.errors] == refused
    assert len(form_errors) == len(refused)
    for form_error, import_error in zip(form_errors, ctx.errors, strict=True):
        if "同名" in form_error:  # the namesakes are listed in the same words
            assert import_error.message in form_error


def test_the_messages(cast, namesake):
    with pytest.raises(forms.ValidationError) as exc:
        resolve_names(["张三", "刘某"], Member.objects.all(), "参加人员")
    assert exc.value.messages == [
        "参加人员：“张三”有2名同名党员（甲一村党支部、甲机关党支部），请写成“张三（组织名称）”。",
        "参加人员：“刘某”不是本乡党员，请检查姓名。",
    ]
