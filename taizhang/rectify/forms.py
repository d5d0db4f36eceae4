"""Forms of problems and measures, and the ledger's filters. Talks have theirs in forms_talks, health checks
and remedies in forms_checks; what they share (people by name, files) is in forms_base."""

from __future__ import annotations

from django import forms

from taizhang.campaigns.models import LeadingGroupMember
from taizhang.core.deadlines import today
from taizhang.core.forms import CleanInput, DateInput
from taizhang.core.listing import choice_filter
from taizhang.core.models import attachments_of
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.selectors import orgs_for_choice

from .choices import (
    MEASURE_DONE,
    NOT_A_MEASURE_STATUS,
    MeasureStatus,
    OwnerKind,
    ProblemCategory,
    ProblemSource,
    ProblemState,
)
from .forms_base import (
    ByNameMixin,
    MultipleFileField,
    ParsingModelForm,
    Step,
    label_widgets,
    leader_names,
    names_widget,
    require_fields,
)
from .models import BELOW_COMMITTEE, Measure, Problem
from .selectors import LedgerFilters

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
        require_fields(
            self, category="请选择问题类别。", source="请选择问题来源。", found_on="请填写发现日期。"
        )
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
        label="责任领导", required=False, widget=names_widget("班子成员姓名", "leader-names")
    )
    responsible_person = forms.CharField(label="责任人", required=False, widget=names_widget("姓名"))

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
        self.named_township = problem.township
        self.leader_names = leader_names(problem.township, problem.campaign)
        require_fields(self, content="请填写整改措施。", deadline="请填写整改时限。")
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


class CloseForm(Step, CleanInput, forms.Form):
    """销号 (services.measure_sign_off), filled in with what the measure already says."""

    title = "销号"
    intro = "销号由乡党委管理员办理：须填写完成情况，并有至少一份佐证材料（照片、PDF或Word文件）。"
    submit = "确认销号"
    done = "已销号。"

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


class ReopenForm(Step, CleanInput, forms.Form):
    """撤销销号 (services.measure_reopen), with its reason."""

    title = submit = "撤销销号"
    intro = "撤销后措施回到“整改中”（已销号的同时撤销销号），原因记入整改进展和修改记录。"
    done = "已撤销销号，原因已记入整改进展。"

    reason = forms.CharField(label="撤销原因", required=False, widget=forms.Textarea(attrs={"rows": 3}))


# The ledger's filters ---------------------------------------------------------------------------------


class LedgerFilterForm(CleanInput, forms.Form):
    owner = forms.ChoiceField(label="责任主体", required=False)
    category = choice_filter("问题类别", "全部类别", ProblemCategory.choices)
    status = choice_filter("措施状态", "全部措施状态", MeasureStatus.choices)
    state = choice_filter("销号", "全部问题", ProblemState.choices)
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
        label_widgets(self)

    def filters(self) -> LedgerFilters:
        if not self.is_bound or not self.is_valid():
            return LedgerFilters()
        return LedgerFilters(**self.cleaned_data)
