"""Members typed by name, as in the ledgers: names separated by 、，,；; or spaces; a name two members
share is written 姓名（组织名称）. Typing names is quicker on a phone than picking from hundreds of members.
Shared by every area whose forms name people (research, serve) and by the ledger import, which resolves the
names of a cell with `find_members` over its index of members and reports each `NameProblem` with sheet, row
and column."""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.utils.html import format_html, format_html_join

from .models import Member

SEPARATORS = re.compile(r"[、，,；;\s]+")
QUALIFIED = re.compile(r"^(?P<name>[^（(]+)[（(](?P<org>[^）)]+)[）)]$")


def split_names(value: str) -> list[str]:
    """The names a text lists."""
    return [token for token in SEPARATORS.split(value or "") if token]


def parse_name(token: str) -> tuple[str, str]:
    """(name, organisation) of 姓名（组织名称）; (token, "") of a bare name."""
    match = QUALIFIED.match(token)
    return (match["name"].strip(), match["org"].strip()) if match else (token, "")


@dataclass(frozen=True)
class NameProblem:
    """A name that names no member (no candidates) or several (the namesakes)."""

    token: str  # as written
    name: str
    candidates: tuple[Member, ...] = ()

    def _namesakes(self) -> str:
        where = "、".join(m.organisation.name for m in self.candidates)
        return f"有{len(self.candidates)}名同名党员（{where}），请写成“{self.name}（组织名称）”"

    def in_form(self, label: str) -> str:
        """The message under a form field."""
        if self.candidates:
            return f"{label}：“{self.name}”{self._namesakes()}。"
        return f"{label}：“{self.token}”不是本乡党员，请检查姓名。"

    def in_cell(self) -> str:
        """The message of a ledger cell (the import adds sheet, row, column and the value)."""
        return self._namesakes() if self.candidates else "没有这名党员，请检查姓名"


def find_members(
    tokens: Iterable[str],
    members_named: Mapping[str, list[Member]],
    *,
    prefer: Callable[[Member], bool] | None = None,
) -> tuple[list[Member], list[NameProblem]]:
    """The members the tokens name (each once, in order) and the names that name none or several.

    members_named: name -> the members of that name, their organisations loaded. A token 姓名（组织名称）
    keeps the namesakes of that organisation (name or short name); among several left, `prefer` keeps those
    it accepts, if any (the import: those of the row's township)."""
    found: list[Member] = []
    problems: list[NameProblem] = []
    for token in tokens:
        name, org = parse_name(token)
        matches = members_named.get(name, [])
        if org:
            matches = [m for m in matches if org in (m.organisation.name, m.organisation.short_name)]
        if prefer is not None and len(matches) > 1:
            matches = [m for m in matches if prefer(m)] or matches
        if len(matches) == 1:
            if matches[0] not in found:
                found.append(matches[0])
        else:
            problems.append(NameProblem(token, name, tuple(matches)))
    return found, problems


def resolve_names(tokens: list[str], members, label: str) -> list[Member]:
    """The members the tokens name, within `members` (one query); a ValidationError lists every unknown or
    ambiguous name with its candidates."""
    names = {parse_name(token)[0] for token in tokens}
    members_named = defaultdict(list)
    for member in members.filter(name__in=names).select_related("organisation"):
        members_named[member.name].append(member)
    found, problems = find_members(tokens, members_named)
    if problems:
        raise forms.ValidationError([problem.in_form(label) for problem in problems])
    return found


def name_of(member: Member, *, qualified: bool = False) -> str:
    return f"{member.name}（{member.organisation.name}）" if qualified else member.name


class NameInput(forms.TextInput):
    """A text input with the names most often meant (the leading group) offered as suggestions."""

    def __init__(self, suggestions=(), attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.suggestions = list(suggestions)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.suggestions:
            context["widget"]["attrs"]["list"] = f"{context['widget']['attrs'].get('id', name)}-names"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.suggestions:
            return html
        list_id = f"{(attrs or {}).get('id', name)}-names"
        options = format_html_join("", '<option value="{}"></option>', ((s,) for s in self.suggestions))
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


class MemberNameField(forms.CharField):
    """One member, typed by name."""

    def __init__(self, *, members, suggestions=(), **kwargs):
        kwargs.setdefault("widget", NameInput(suggestions))
        super().__init__(max_length=100, **kwargs)
        self.members = members

    def prepare_value(self, value):
        if isinstance(value, Member):
            return value.name
        if isinstance(value, int):
            member = Member.all_objects.filter(pk=value).first()
            return member.name if member else ""
        return value

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        [member] = resolve_names([value], self.members, str(self.label))
        return member


class MemberNamesField(forms.CharField):
    """Several members, typed as names separated by 、 or spaces."""

    def __init__(self, *, members, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        kwargs.setdefault("help_text", "姓名之间用“、”或空格分隔；同名党员写成“姓名（组织名称）”")
        super().__init__(required=False, max_length=2000, **kwargs)
        self.members = members

    def prepare_value(self, value):
        if isinstance(value, list | tuple) or hasattr(value, "model"):
            people = [m if isinstance(m, Member) else None for m in value]
            if all(people):
                return "、".join(m.name for m in people)
            return "、".join(m.name for m in Member.all_objects.filter(pk__in=value))
        return value

    def clean(self, value):
        tokens = split_names(super().clean(value))
        return resolve_names(tokens, self.members, str(self.label)) if tokens else []
