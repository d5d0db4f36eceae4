"""Members typed by name, as in the ledgers: names separated by 、，,；; or spaces; a name two members
share is written 姓名（组织名称）. Typing names is quicker on a phone than picking from hundreds of members.
Shared by every area whose forms name people (research, serve)."""

import re
from collections import defaultdict

from django import forms
from django.utils.html import format_html, format_html_join

from .models import Member

SEPARATORS = re.compile(r"[、，,；;\s]+")
QUALIFIED = re.compile(r"^(?P<name>[^（(]+)[（(](?P<org>[^）)]+)[）)]$")


def resolve_names(tokens: list[str], members, label: str) -> list[Member]:
    """The members the tokens name, within `members` (one query); a ValidationError lists every unknown or
    ambiguous name with its candidates."""
    parsed = []
    for token in tokens:
        match = QUALIFIED.match(token)
        parsed.append((token, match["name"].strip(), match["org"].strip()) if match else (token, token, ""))
    candidates = defaultdict(list)
    for member in members.filter(name__in={name for _, name, _ in parsed}).select_related("organisation"):
        candidates[member.name].append(member)
    found: list[Member] = []
    errors = []
    for token, name, org in parsed:
        matches = candidates.get(name, [])
        if org:
            matches = [m for m in matches if org in (m.organisation.name, m.organisation.short_name)]
        if len(matches) == 1:
            if matches[0] not in found:
                found.append(matches[0])
        elif not matches:
            errors.append(f"{label}：“{token}”不是本乡党员，请检查姓名。")
        else:
            where = "、".join(m.organisation.name for m in matches)
            errors.append(
                f"{label}：“{name}”有{len(matches)}名同名党员（{where}），请写成“{name}（组织名称）”。"
            )
    if errors:
        raise forms.ValidationError(errors)
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
        tokens = [t for t in SEPARATORS.split(super().clean(value) or "") if t]
        return resolve_names(tokens, self.members, str(self.label)) if tokens else []
