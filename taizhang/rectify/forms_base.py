"""What the forms of rectification share: several files from one input, people written by name (as on the
paper ledgers: 谈话对象: 张三、李四) and looked up among the members of the record's township (a name two
members share is written 姓名（组织）), a ModelForm that only parses what its service validates, and the forms
of the steps on a record."""

from __future__ import annotations

import re

from django import forms

from taizhang.campaigns.models import LeadingGroupMember
from taizhang.core.attachments import ACCEPT
from taizhang.core.deadlines import today
from taizhang.core.forms import CleanInput, DateInput
from taizhang.core.scoping import subtree_ids
from taizhang.orgs.models import Member, Organisation

# Files ------------------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (checked by core.attachments in the service, before any is stored)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


# People by name ---------------------------------------------------------------------------------------

SEPARATORS = re.compile(r"[、，,；;\s]+")
WITH_ORG = re.compile(r"^(.+?)[（(](.+?)[）)]$")


def split_names(text: str) -> list[str]:
    return [part for part in SEPARATORS.split(text or "") if part]


class Roster:
    """The members of a township, to find people by name: one query, whatever the number of names."""

    def __init__(self, township: Organisation | None):
        self.members: list[Member] = []
        if township is not None:
            self.members = list(
                Member.objects.filter(organisation_id__in=subtree_ids(township.pk)).select_related(
                    "organisation"
                )
            )
        self.by_name: dict[str, list[Member]] = {}
        for member in self.members:
            self.by_name.setdefault(member.name, []).append(member)

    def label(self, member: Member | None) -> str:
        """How to write a member so that he is found again: 姓名, or 姓名（组织） for a shared name."""
        if member is None:
            return ""
        if len(self.by_name.get(member.name, [])) > 1:
            return f"{member.name}（{member.organisation.name}）"
        return member.name

    def find(self, written: str) -> tuple[Member | None, str]:
        """(member, "") or (None, what is wrong)."""
        written = written.strip()
        match = WITH_ORG.match(written)
        name, org = (match.group(1).strip(), match.group(2).strip()) if match else (written, "")
        candidates = self.by_name.get(name, [])
        if org:
            candidates = [m for m in candidates if org in (m.organisation.name, m.organisation.short_name)]
        if len(candidates) == 1:
            return candidates[0], ""
        if not candidates:
            where = f"“{org}”中" if org else "本乡党员中"
            return None, f"{where}没有名为“{name}”的党员。"
        listed = "、".join(f"{m.name}（{m.organisation.name}）" for m in candidates)
        return None, f"“{name}”有{len(candidates)}名同名党员：{listed}，请写成“姓名（组织名称）”。"

    def find_all(self, text: str) -> tuple[list[Member], list[str]]:
        found, errors = [], []
        for written in split_names(text):
            member, error = self.find(written)
            if error:
                errors.append(error)
            elif member not in found:
                found.append(member)
        return found, errors


def names_widget(placeholder: str, datalist: str = "") -> forms.TextInput:
    attrs = {"placeholder": placeholder, "autocomplete": "off"}
    if datalist:
        attrs["list"] = datalist
    return forms.TextInput(attrs=attrs)


class ByNameMixin:
    """Fields named in `person_fields` (one name) and `people_fields` (several) are resolved against the
    roster of the township in clean(); the member(s) replace the text in cleaned_data."""

    person_fields: tuple[str, ...] = ()
    people_fields: tuple[str, ...] = ()
    named_township: Organisation | None = None

    def township(self):
        """The township whose members may be named (by default the one the form was given)."""
        return self.named_township

    def names_ready(self, data: dict) -> bool:
        """Whether the names can be looked up (a form whose township comes from a field waits for it)."""
        return True

    def clean(self):
        data = super().clean()
        if self.names_ready(data):
            self.resolve_people()
        return data

    def roster(self) -> Roster:
        if not hasattr(self, "_roster"):
            self._roster = Roster(self.township())
        return self._roster

    def resolve_people(self) -> None:
        for name in self.person_fields:
            if name not in self.cleaned_data:
                continue
            text = self.cleaned_data[name]
            if not text:
                self.cleaned_data[name] = None
                continue
            member, error = self.roster().find(text)
            if error:
                self.add_error(name, error)
            else:
                self.cleaned_data[name] = member
        for name in self.people_fields:
            if name not in self.cleaned_data:
                continue
            members, errors = self.roster().find_all(self.cleaned_data[name])
            for error in errors:
                self.add_error(name, error)
            if not errors:
                self.cleaned_data[name] = members


def leader_names(township: Organisation | None, campaign) -> list[str]:
    """Names of the township's leading group, offered as suggestions for leader fields."""
    if township is None or campaign is None:
        return []
    return list(
        LeadingGroupMember.objects.filter(campaign=campaign, organisation=township)
        .order_by("order", "pk")
        .values_list("member__name", flat=True)
    )


def require_fields(form, **messages: str) -> None:
    """Make fields required on the page (the record itself may leave them blank, as a paper ledger may),
    each with a message that names it."""
    for name, message in messages.items():
        form.fields[name].required = True
        form.fields[name].error_messages["required"] = message


class ParsingModelForm(CleanInput, forms.ModelForm):
    """A ModelForm that only parses: the record is validated once, by the service, with everything the service
    derives (township, lead, numbering), and the instance is not touched (the service applies the change)."""

    def _post_clean(self):
        pass


def label_widgets(form) -> None:
    """Filters are shown without <label>s (to fit a phone): their selects are named for screen readers."""
    for field in form.fields.values():
        if not isinstance(field, forms.BooleanField):
            field.widget.attrs.setdefault("aria-label", str(field.label))


# Steps on a record ------------------------------------------------------------------------------------


class Step:
    """The form of a step on a record (its progress, a sign-off, an acceptance) says what its page says:
    the title, an introduction, the label of its button and the message once the step is taken."""

    title = ""
    intro = ""
    submit = ""
    done = ""


class ProgressForm(Step, CleanInput, forms.Form):
    """A dated progress entry with photos of `work` (整改 on a measure, 整顿 on a remedy)."""

    on = forms.DateField(label="日期", widget=DateInput(), initial=today)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label="照片", help_text="可选，可一次选多张。")

    def __init__(self, *args, work: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = f"记录{work}进展"
        self.done = f"已记录{work}进展。"
