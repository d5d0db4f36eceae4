"""Forms of rectification. People are written by name, as on the paper ledgers (谈话对象: 张三、李四), and
looked up among the members of the record's township; a name two members share is written 姓名（组织）."""

from __future__ import annotations

import re

from django import forms

from taizhang.campaigns.models import LeadingGroupMember
from taizhang.core.attachments import ACCEPT
from taizhang.core.deadlines import today
from taizhang.core.forms import CleanInput, DateInput
from taizhang.core.models import attachments_of
from taizhang.core.scoping import subtree_ids
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.forms import tree_field
from taizhang.orgs.models import Member, Organisation
from taizhang.orgs.selectors import orgs_for_choice

from .choices import (
    MEASURE_DONE,
    NOT_A_MEASURE_STATUS,
    Grade,
    MeasureStatus,
    OwnerKind,
    ProblemCategory,
    ProblemSource,
    ProblemState,
    TalkType,
)
from .models import BELOW_COMMITTEE, HealthCheck, Measure, Problem, Remedy, Talk
from .selectors import LedgerFilters

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


def _names_widget(placeholder: str, datalist: str = "") -> forms.TextInput:
    attrs = {"placeholder": placeholder, "autocomplete": "off"}
    if datalist:
        attrs["list"] = datalist
    return forms.TextInput(attrs=attrs)


class ByNameMixin:
    """Fields named in `person_fields` (one name) and `people_fields` (several) are resolved against the
    roster of the township in clean(); the member(s) replace the text in cleaned_data."""

    person_fields: tuple[str, ...] = ()
    people_fields: tuple[str, ...] = ()
    required_people: dict[str, str] = {}

    def township(self):  # the township whose members may be named
        raise NotImplementedError

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


def _require(form, **messages: str) -> None:
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


# Problems ---------------------------------------------------------------------------------------------


def owner_choices(user, campaign, *, writable: bool) -> tuple[list[tuple[str, str]], dict]:
    """The owners (责任主体) a user may pick: for each committee, its leadership (班子) and each member of its
    leading group (班子成员); every organisation below a committee. Two queries. Returns the choices and
    a map from each value to (kind, organisation, member)."""
    nodes = list(orgs_for_choice(user, writable=writable))
    committees = [n for n in nodes if n.kind == OrgKind.COMMITTEE]
    leaders: dict[int, list] = {}
    if committees and campaign is not None:
        for lg in (
            LeadingGroupMember.objects.filter(campaign=campaign, organisation__in=committees)
            .select_related("member")
            .order_by("order", "pk")
        ):
            leaders.setdefault(lg.organisation_id, []).append(lg.member)
    top = min((n.tree_depth for n in nodes), default=0)
    choices: list[tuple[str, str]] = []
    owners: dict[str, tuple] = {}
    for node in nodes:
        if node.kind == OrgKind.COMMITTEE:
            value = f"team:{node.pk}"
            choices.append((value, f"{node.display_name}班子"))
            owners[value] = (OwnerKind.LEADERSHIP, node, None)
            for member in leaders.get(node.pk, []):
                value = f"leader:{node.pk}:{member.pk}"
                choices.append((value, f"　班子成员：{member.name}"))
                owners[value] = (OwnerKind.LEADER, node, member)
        elif node.kind in BELOW_COMMITTEE:
            value = f"org:{node.pk}"
            choices.append((value, f"{'　' * max(node.tree_depth - top - 1, 0)}{node.name}"))
            owners[value] = (OwnerKind.ORGANISATION, node, None)
    return choices, owners


def owner_value(problem: Problem) -> str:
    if problem.owner_kind == OwnerKind.LEADERSHIP:
        return f"team:{problem.owner_org_id}"
    if problem.owner_kind == OwnerKind.LEADER:
        return f"leader:{problem.owner_org_id}:{problem.owner_member_id}"
    return f"org:{problem.owner_org_id}"


class ProblemForm(ParsingModelForm):
    owner = forms.ChoiceField(label="责任主体")
    number = forms.IntegerField(
        label="序号", required=False, min_value=1, help_text="留空则自动取本乡下一个序号。"
    )

    class Meta:
        model = Problem
        fields = ["number", "content", "category", "source", "standard", "found_on", "is_special"]
        widgets = {
            "found_on": DateInput(),
            "content": forms.Textarea(attrs={"rows": 3}),
            "standard": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = ["owner", "number", "content", "category", "source", "standard", "found_on", "is_special"]

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        choices, self.owners = owner_choices(user, campaign, writable=True)
        if self.instance.pk:
            current = owner_value(self.instance)
            if current not in self.owners:  # e.g. a leader since left the leading group: still a valid answer
                self.owners[current] = (
                    self.instance.owner_kind,
                    self.instance.owner_org,
                    self.instance.owner_member,
                )
                choices.insert(0, (current, self.instance.owner_label))
            self.fields["owner"].initial = current
        elif len(choices) == 1:
            self.fields["owner"].initial = choices[0][0]
        self.fields["owner"].choices = [("", "请选择责任主体"), *choices]
        self.fields["category"].choices = [("", "请选择"), *ProblemCategory.choices]
        self.fields["source"].choices = [("", "请选择"), *ProblemSource.choices]
        _require(self, category="请选择问题类别。", source="请选择问题来源。", found_on="请填写发现日期。")
        self.fields["owner"].error_messages["required"] = "请选择责任主体。"
        self.fields["found_on"].initial = self.fields["found_on"].initial or today()
        if not any(kind == OwnerKind.LEADERSHIP for kind, _, _ in self.owners.values()):
            del self.fields["is_special"]  # only the leadership's problems can be special items

    def clean(self):
        data = super().clean()
        owner = data.pop("owner", None)
        if owner:
            data["owner_kind"], data["owner_org"], data["owner_member"] = self.owners[owner]
        return data


# Measures ---------------------------------------------------------------------------------------------


class MeasureForm(ByNameMixin, ParsingModelForm):
    person_fields = ("responsible_leader", "responsible_person")
    responsible_leader = forms.CharField(
        label="责任领导", required=False, widget=_names_widget("班子成员姓名", "leader-names")
    )
    responsible_person = forms.CharField(label="责任人", required=False, widget=_names_widget("姓名"))

    class Meta:
        model = Measure
        fields = [
            "content",
            "responsible_leader",
            "responsible_person",
            "deadline",
            "status",
            "completed_on",
            "completion_note",
        ]
        widgets = {
            "deadline": DateInput(),
            "completed_on": DateInput(),
            "content": forms.Textarea(attrs={"rows": 3}),
            "completion_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, problem: Problem, **kwargs):
        super().__init__(*args, **kwargs)
        self.problem = problem
        self.leader_names = leader_names(problem.township, problem.campaign)
        _require(self, content="请填写整改措施。", deadline="请填写整改时限。")
        if self.instance.pk:
            for name in self.person_fields:
                self.initial[name] = self.roster().label(getattr(self.instance, name))
        if self.instance.is_signed_off:
            del self.fields["status"]  # signed off: only an admin's 撤销销号 reopens it
            del self.fields["completed_on"]
        else:
            self.fields["status"].choices = MeasureStatus.choices
            self.fields["status"].error_messages["invalid_choice"] = NOT_A_MEASURE_STATUS
            self.fields["status"].widget = forms.RadioSelect(choices=self.fields["status"].choices)
            self.fields[
                "status"
            ].help_text = "已完成、长期坚持的措施由乡党委管理员凭佐证材料销号；佐证材料可在措施页面上传。"
            self.fields["completed_on"].initial = self.instance.completed_on or today()
            self.fields["completed_on"].help_text = "已完成、长期坚持的措施填写。"
        if problem.is_special:
            self.fields["responsible_leader"].help_text = "专项整改的措施可留空，由班子成员认领。"

    def township(self):
        return self.problem.township

    def clean(self):
        data = super().clean()
        self.resolve_people()
        return data


class ProgressForm(CleanInput, forms.Form):
    on = forms.DateField(label="日期", widget=DateInput(), initial=today)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label="照片", help_text="可选，可一次选多张。")


class CloseForm(CleanInput, forms.Form):
    """销号 (services.measure_sign_off), filled in with what the measure already says."""

    completed_on = forms.DateField(label="完成时间", widget=DateInput(), initial=today)
    status = forms.ChoiceField(
        label="销号后状态",
        choices=[(s, MeasureStatus(s).label) for s in MEASURE_DONE],
        initial=MeasureStatus.DONE,
        widget=forms.RadioSelect,
        help_text="需持续落实的措施选“长期坚持”。",
    )
    completion_note = forms.CharField(
        label="完成情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(label="佐证材料", help_text="照片、PDF或Word文件；销号须至少有一份。")

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        if measure.is_done:
            self.fields["status"].initial = measure.status
            self.fields["completed_on"].initial = measure.completed_on or today()
        self.fields["completion_note"].initial = measure.completion_note
        if attachments_of(measure).exists():
            self.fields["evidence"].help_text = "已有佐证材料（见措施页面），可再补充。"


class ReopenForm(CleanInput, forms.Form):
    reason = forms.CharField(label="撤销原因", required=False, widget=forms.Textarea(attrs={"rows": 3}))


# Talks ------------------------------------------------------------------------------------------------


class TalkForm(ByNameMixin, ParsingModelForm):
    person_fields = ("talker",)
    people_fields = ("persons",)
    talker = forms.CharField(label="谈话人", widget=_names_widget("姓名", "leader-names"))
    persons = forms.CharField(
        label="谈话对象",
        error_messages={"required": "请填写谈话对象，至少一人。"},
        widget=_names_widget("张三、李四"),
        help_text="多人用顿号（、）或逗号分隔；每人计1人次。同名党员写成“姓名（组织名称）”。",
    )

    class Meta:
        model = Talk
        fields = ["organisation", "on", "kind", "talker", "content"]
        widgets = {
            "on": DateInput(),
            "kind": forms.RadioSelect,
            "content": forms.Textarea(attrs={"rows": 4}),
        }

    field_order = ["organisation", "on", "kind", "talker", "persons", "content"]

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        committees = list(orgs_for_choice(user, kinds=(OrgKind.COMMITTEE,)))
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[c.pk for c in committees])
        field.choices = [("", "请选择乡党委"), *((c.pk, c.name) for c in committees)]
        field.label = "乡党委"
        if len(committees) == 1 and not self.instance.pk:
            field.initial = committees[0].pk
            field.widget = forms.HiddenInput()
        elif self.instance.pk:
            field.widget = forms.HiddenInput()
        self.fields["kind"].choices = TalkType.choices
        self.fields["on"].initial = today()
        self.fields["content"].help_text = "内容仅乡党委管理员和谈话人可见。"
        township = (
            self.instance.organisation
            if self.instance.pk
            else (committees[0] if len(committees) == 1 else None)
        )
        self.leader_names = leader_names(township, campaign)
        if self.instance.pk:
            self.initial["talker"] = self.roster().label(self.instance.talker)
            self.initial["persons"] = "、".join(self.roster().label(m) for m in self.instance.persons.all())

    def township(self):
        org = self.cleaned_data.get("organisation") if hasattr(self, "cleaned_data") else None
        return org or (self.instance.organisation if self.instance.pk else None)

    def clean(self):
        data = super().clean()
        if data.get("organisation") is not None:
            self.resolve_people()
        return data


class TalkFilterForm(CleanInput, forms.Form):
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *TalkType.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_widgets(self)


def _label_widgets(form) -> None:
    """Filters are shown without <label>s (to fit a phone): their selects are named for screen readers."""
    for field in form.fields.values():
        if not isinstance(field, forms.BooleanField):
            field.widget.attrs.setdefault("aria-label", str(field.label))


# Health checks and remedies -----------------------------------------------------------------------------


class CheckForm(ByNameMixin, ParsingModelForm):
    people_fields = ("checkers",)
    checkers = forms.CharField(
        label="检查人", required=False, widget=_names_widget("张三、李四"), help_text="多人用顿号（、）分隔。"
    )

    class Meta:
        model = HealthCheck
        fields = ["organisation", "checked_on", "grade", "findings"]
        widgets = {
            "checked_on": DateInput(),
            "grade": forms.RadioSelect,
            "findings": forms.Textarea(attrs={"rows": 4}),
        }

    field_order = ["organisation", "checked_on", "grade", "findings", "checkers"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = tree_field(user, label="受检组织", kinds=BELOW_COMMITTEE)
        self.fields["grade"].choices = Grade.choices
        self.fields["checked_on"].initial = today()
        _require(self, grade="请选择等次。", checked_on="请填写体检日期。")
        if self.instance.pk:
            self.initial["checkers"] = "、".join(self.roster().label(m) for m in self.instance.checkers.all())

    def township(self):
        from .models import committee_of

        org = self.cleaned_data.get("organisation") if hasattr(self, "cleaned_data") else None
        return committee_of(org or (self.instance.organisation if self.instance.pk else None))

    def clean(self):
        data = super().clean()
        if data.get("organisation") is not None:
            self.resolve_people()
        return data


class RemedyForm(ByNameMixin, ParsingModelForm):
    person_fields = ("leader",)
    leader = forms.CharField(label="包联领导", widget=_names_widget("班子成员姓名", "leader-names"))

    class Meta:
        model = Remedy
        fields = ["plan", "leader", "first_secretary", "started_on", "deadline"]
        widgets = {
            "plan": forms.Textarea(attrs={"rows": 5}),
            "started_on": DateInput(),
            "deadline": DateInput(),
        }

    def __init__(self, *args, organisation: Organisation, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import committee_of

        self._township = committee_of(organisation)
        self.leader_names = leader_names(self._township, campaign)
        self.fields["started_on"].initial = today()
        if self.instance.pk:
            self.initial["leader"] = self.roster().label(self.instance.leader)

    def township(self):
        return self._township

    def clean(self):
        data = super().clean()
        self.resolve_people()
        return data


class RemedyEntryForm(ProgressForm):
    pass


class AcceptForm(CleanInput, ByNameMixin, forms.Form):
    people_fields = ("checkers",)
    accepted_on = forms.DateField(label="验收日期", widget=DateInput(), initial=today)
    grade = forms.ChoiceField(
        label="验收后等次",
        choices=[c for c in Grade.choices if c[0] != Grade.WEAK],
        widget=forms.RadioSelect,
        required=False,
    )
    acceptance_note = forms.CharField(
        label="验收意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    checkers = forms.CharField(label="验收人", required=False, widget=_names_widget("张三、李四"))

    def __init__(self, *args, remedy: Remedy, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import committee_of

        self._township = committee_of(remedy.organisation)

    def township(self):
        return self._township

    def clean(self):
        data = super().clean()
        self.resolve_people()
        return data


# The ledger's filters ---------------------------------------------------------------------------------


class LedgerFilterForm(CleanInput, forms.Form):
    owner = forms.ChoiceField(label="责任主体", required=False)
    category = forms.ChoiceField(
        label="问题类别", required=False, choices=[("", "全部类别"), *ProblemCategory.choices]
    )
    status = forms.ChoiceField(
        label="措施状态", required=False, choices=[("", "全部措施状态"), *MeasureStatus.choices]
    )
    state = forms.ChoiceField(label="销号", required=False, choices=[("", "全部问题"), *ProblemState.choices])
    overdue = forms.BooleanField(label="只看逾期", required=False)
    special = forms.BooleanField(label="只看专项整改", required=False)

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        choices, _ = owner_choices(user, campaign, writable=False)
        self.fields["owner"].choices = [
            ("", "全部责任主体"),
            ("leadership", "班子及班子成员（全部）"),
            ("grassroots", "基层党组织（全部）"),
            *choices,
        ]
        _label_widgets(self)

    def filters(self) -> LedgerFilters:
        if not self.is_bound or not self.is_valid():
            return LedgerFilters()
        return LedgerFilters(**self.cleaned_data)
