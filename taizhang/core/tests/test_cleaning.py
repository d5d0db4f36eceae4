"""The input normaliser and its refusals (core.cleaning), alone: no database."""

import datetime
import re

import pytest

from taizhang.core import cleaning as c

TODAY = datetime.date(2024, 3, 1)


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("苏平", "苏平"),
        ("  苏平 ", "苏平"),
        ("苏\u200b平", "苏平"),  # zero-width space
        ("苏\u200c\u200d平\u2060", "苏平"),  # zero-width non-joiner, joiner, word joiner
        ("\ufeff苏平", "苏平"),  # byte-order mark
        ("\u200f苏平\u200e", "苏平"),  # right-to-left and left-to-right marks
        ("\u202e苏平\u202c", "苏平"),  # override and pop
        ("\u2067苏平\u2069", "苏平"),  # isolates
        ("苏\u00a0平", "苏 平"),  # no-break space
        ("苏\u3000平\u3000", "苏 平"),  # ideographic space
        ("1380001111２", "13800011112"),  # full-width digit
        ("138٠٠٠١١١١٢", "13800011112"),  # Arabic-Indic digits
        ("१२३", "123"),  # Devanagari digits
        ("Ａｂｃ", "Abc"),  # full-width letters
        ("⼀二三", "一二三"),  # a Kangxi radical that looks like 一
        ("e\u0301", "é"),  # NFC
        # Chinese punctuation and symbols stay as typed (blanket NFKC would make them ASCII or digits).
        ("问题，整改：（一）……①②", "问题，整改：（一）……①②"),
        ("面积100㎡，m²", "面积100㎡，m²"),
        ("第一行\n第二行", "第一行\n第二行"),
        ("第一行\u2028第二行", "第一行\n第二行"),
    ],
)
def test_normalise_text(raw, clean):
    assert c.normalise_text(raw) == clean


def test_normalise_text_leaves_what_is_not_text():
    assert c.normalise_text(None) is None
    assert c.normalise_text(5) == 5
    day = datetime.date(2023, 9, 15)
    assert c.normalise_text(day) is day


@pytest.mark.parametrize("value", sorted(c.EXCEL_ERRORS - {"#GETTING_DATA", "#SPILL!", "#CALC!"}))
def test_excel_error_values_are_refused(value):
    with pytest.raises(c.Refused, match=re.escape(f"Excel 错误值“{value}”")):
        c.check_text(value, label="主题")
    with pytest.raises(c.Refused):
        c.check_text(f" {value.lower()} ", label="主题")


@pytest.mark.parametrize("value", ["a\x00b", "a\x07", "a\x1bb", "\x7f", "a\x85b"])
def test_control_characters_are_refused(value):
    with pytest.raises(c.Refused, match="控制字符"):
        c.check_text(value, label="主题")


def test_line_breaks_and_tabs_only_in_multi_line_text():
    assert c.check_text("一\n二\t三", label="问题描述") == "一\n二\t三"
    with pytest.raises(c.Refused, match="控制字符（U\\+000A"):
        c.check_text("一\n二", label="姓名", multiline=False)


def test_too_long_is_refused_with_label_limit_and_length_never_cut():
    assert c.check_text("字" * 200, label="主题", limit=200) == "字" * 200
    with pytest.raises(c.Refused) as refused:
        c.check_text("字" * 201, label="主题", limit=200)
    assert str(refused.value) == "主题最多200个字，现有201个字，请删减后再填写（不会自动截断）"
    with pytest.raises(c.Refused, match=f"最多{c.TEXT_LIMIT}个字，现有100000个字"):
        c.check_text("字" * 100_000, label="问题描述")


def test_limit_of_a_field():
    from taizhang.rectify.models import Problem
    from taizhang.study.models import Meeting

    assert c.limit_of(Meeting, "topic") == 200
    assert c.limit_of(Problem, "content") == c.TEXT_LIMIT


@pytest.mark.parametrize(
    "value, number",
    [
        (0, 0),
        (12, 12),
        (12.0, 12),
        ("12", "12"),
        ("１２", 12),
        ("12人", 12),
        (" 3 ", 3),
        ("3.0", 3),
        ("1,200", 1200),
    ],
)
def test_counts(value, number):
    assert c.parse_count(value) == int(number)


@pytest.mark.parametrize(
    "value, message",
    [
        (True, "不能是 TRUE/FALSE"),
        (False, "不能是 TRUE/FALSE"),
        (2.5, "不能有小数"),
        ("2.5", "不能有小数"),
        ("²", "上标"),
        ("1²", "上标"),
        ("①", "带圈数字"),
        (-1, "不能为负数"),
        ("-3", "不能为负数"),
        (10**20, "数值过大"),
        ("100000000000000000000", "数值过大"),
        (1e20, "数值过大"),
        (float("nan"), "不是整数"),
        ("三", "不是整数"),
        ("1e5", "不是整数"),
    ],
)
def test_counts_refused(value, message):
    with pytest.raises(c.Refused, match=message):
        c.parse_count(value)


@pytest.mark.parametrize(
    "raw, mobile",
    [
        ("13800001111", "13800001111"),
        (13800001111, "13800001111"),
        (13800001111.0, "13800001111"),
        ("1380001111２", "13800011112"),
        ("138٠٠٠١١١١٢", "13800011112"),
        ("+86 138 0000 1111", "13800001111"),
        ("+8613800001111", "13800001111"),
        ("0086-138-0000-1111", "13800001111"),
        ("＋８６ １３８００００１１１１", "13800001111"),
        ("138\u200b0000\u00a01111", "13800001111"),
    ],
)
def test_mobiles_normalised(raw, mobile):
    assert c.normalise_mobile(raw) == mobile
    assert c.is_mobile(mobile)


@pytest.mark.parametrize(
    "raw", ["1380000111", "138000011112345", "12800001111", "1380000111²", "电话13800001111"]
)
def test_mobiles_refused(raw):
    assert not c.is_mobile(c.normalise_mobile(raw))
    with pytest.raises(c.Refused, match="不是有效的手机号码"):
        c.check_mobile(c.normalise_mobile(raw))


def test_join_date():
    c.check_join_date(datetime.date(1921, 7, 1), today=TODAY)
    c.check_join_date(TODAY, today=TODAY)
    c.check_join_date(None)
    with pytest.raises(c.Refused, match="入党时间1899年12月31日早于建党日期"):
        c.check_join_date(datetime.date(1899, 12, 31), today=TODAY)
    with pytest.raises(c.Refused, match="入党时间1921年6月30日早于建党日期"):
        c.check_join_date(datetime.date(1921, 6, 30), today=TODAY)
    with pytest.raises(c.Refused, match="入党时间2099年1月1日晚于今天"):
        c.check_join_date(datetime.date(2099, 1, 1), today=TODAY)


def test_meeting_date():
    c.check_meeting_date(datetime.date(2025, 2, 28), today=TODAY)
    c.check_meeting_date(datetime.date(1990, 1, 1), today=TODAY)  # a past meeting: the campaign bounds it
    with pytest.raises(c.Refused, match="日期不能晚于一年以后（2025年3月1日）"):
        c.check_meeting_date(datetime.date(2025, 3, 2), today=TODAY)


def test_deadline():
    c.check_deadline(datetime.date(2034, 3, 1), today=TODAY)
    with pytest.raises(c.Refused, match="整改时限9999年12月31日超过十年以后"):
        c.check_deadline(datetime.date(9999, 12, 31), label="整改时限", today=TODAY)
    c.check_deadline(datetime.date(2034, 2, 28), today=datetime.date(2024, 2, 29))  # a leap day


@pytest.mark.parametrize(
    "name, safe",
    [
        ("台账.xlsx", "台账.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\台账.xlsx", "台账.xlsx"),
        ("报表\u202excod.xlsx", "报表xcod.xlsx"),  # an RTL override would show it reversed
        ("a\x00b\r\n.xlsx", "ab.xlsx"),
        ("..", "上传的文件"),
        ("", "上传的文件"),
        ("长" * 300 + ".xlsx", "长" * 110 + ".xlsx"),
    ],
)
def test_safe_filename(name, safe):
    assert c.safe_filename(name) == safe


def test_shown_cuts_long_values():
    assert c.shown("字" * 10) == "字" * 10
    assert c.shown("字" * 100) == "字" * 30 + "…"


# -- the form mixin ------------------------------------------------------------------------------------------


def _form_class():
    from django import forms

    from taizhang.core.forms import CleanInput, NamedErrors

    class Form(CleanInput, NamedErrors, forms.Form):
        name = forms.CharField(label="姓名", max_length=50)
        content = forms.CharField(label="问题描述", widget=forms.Textarea, required=False)
        count = forms.IntegerField(label="参加人数", required=False)
        secret = forms.CharField(label="密码", widget=forms.PasswordInput, strip=False, required=False)

    return Form


def test_a_form_normalises_every_text_value_before_validation():
    form = _form_class()(
        data={
            "name": "\ufeff苏\u200b平\u00a0",
            "content": "第一行\n第二行\u200f",
            "count": "１２",
            "secret": " 密\u200b码 ",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "name": "苏平",
        "content": "第一行\n第二行",
        "count": 12,
        "secret": " 密\u200b码 ",
    }


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"name": "#VALUE!"}, "name", "姓名是 Excel 错误值“#VALUE!”"),
        ({"name": "苏平", "content": "#N/A"}, "content", "问题描述是 Excel 错误值“#N/A”"),
        ({"name": "苏\x07平"}, "name", "姓名含有不可见的控制字符（U+0007）"),
        ({"name": "苏\n平"}, "name", "姓名含有不可见的控制字符（U+000A）"),
        ({"name": "苏" * 51}, "name", "姓名最多50个字，现有51个字，请删减后再填写（不会自动截断）。"),
        ({"name": "苏平", "content": "字" * 5001}, "content", "问题描述最多5000个字，现有5001个字"),
        ({"name": "苏平", "count": "²"}, "count", "参加人数应为整数。"),
        ({"name": "苏平", "count": "2.5"}, "count", "参加人数应为整数。"),
    ],
)
def test_a_form_refuses_what_cleaning_cannot_make_right(data, field, message):
    form = _form_class()(data=data)
    assert not form.is_valid()
    assert message in form.errors[field][0], form.errors


def test_no_maxlength_attribute_lets_the_browser_cut_a_pasted_value():
    assert "maxlength" not in str(_form_class()()["name"])


def test_every_form_of_the_project_cleans_its_input():
    import importlib
    import inspect

    from django import forms

    from taizhang.core.forms import CleanInput

    found = []
    for app in ("accounts", "ledgers", "orgs", "rectify", "reports", "research", "serve", "study"):
        module = importlib.import_module(f"taizhang.{app}.forms")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append((name, issubclass(cls, CleanInput)))
    assert len(found) > 40
    assert [name for name, clean in found if not clean] == []


def test_the_login_form_leaves_the_password_alone(db, rf):
    from taizhang.accounts.forms import LoginForm

    data = {"username": "ａｄｍｉｎ\u200b", "password": " 密码\u200b "}
    form = LoginForm(request=rf.post("/login/", data), data=data)
    assert not form.is_valid()
    assert form.data["username"] == "admin" and form.data["password"] == " 密码\u200b "


@pytest.mark.parametrize(
    "mobile, stored",
    [
        ("1380001111２", "13800011112"),
        ("138٠٠٠١١١١٢", "13800011112"),
        ("+86 138 0000 5555", "13800005555"),
        ("138-0000-5555", "13800005555"),
    ],
)
def test_a_member_form_stores_a_mobile_in_ascii_digits(cast, mobile, stored):
    from taizhang.orgs.forms import MemberForm

    data = {"name": "苏\u200b平", "gender": "男", "organisation": cast.branch_a1.pk, "category": "农村"}
    form = MemberForm(data={**data, "mobile": mobile, "joined_on": "2001-07-01"}, user=cast.admin_a)
    assert form.is_valid(), form.errors
    member = form.save()
    assert (member.name, member.mobile) == ("苏平", stored)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"mobile": "1380000555"}, "mobile", "手机号码应为11位"),
        ({"mobile": "138000055551234"}, "mobile", "手机号码应为11位"),
        ({"joined_on": "1899-12-31"}, "joined_on", "入党时间1899年12月31日早于建党日期（1921年7月1日）"),
        ({"joined_on": "2099-01-01"}, "joined_on", "入党时间2099年1月1日晚于今天"),
        ({"name": "#REF!"}, "name", "姓名是 Excel 错误值"),
    ],
)
def test_a_member_form_refuses_with_the_shared_rules(cast, changes, field, message):
    from taizhang.orgs.forms import MemberForm

    data = {"name": "苏平", "gender": "男", "organisation": cast.branch_a1.pk, "category": "农村"}
    form = MemberForm(data={**data, **changes}, user=cast.admin_a)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field]), form.errors


def test_a_deadline_within_ten_years_for_every_record_that_has_one():
    from django.core.exceptions import ValidationError

    from taizhang.research.models import ActionItem

    item = ActionItem(deadline=datetime.date(9999, 12, 31))
    with pytest.raises(ValidationError) as refused:
        item.clean_fields(exclude=[f.name for f in ActionItem._meta.fields if f.name != "deadline"])
    assert "完成时限9999年12月31日超过十年以后" in refused.value.message_dict["deadline"][0]
