"""The forms of health checks (党建工作体检) and of the remedy (软弱涣散党组织整顿) a weak grade starts, to its
acceptance; checkers and the leader are written by name."""

from __future__ import annotations

from django import forms

from taizhang.core.deadlines import today
from taizhang.core.forms import CleanInput, DateInput
from taizhang.orgs.forms import tree_field

from .choices import Grade
from .forms_base import ByNameMixin, ParsingModelForm, Step, leader_names, names_widget, require_fields
from .models_base import BELOW_COMMITTEE, committee_of
from .models_checks import HealthCheck, Remedy


class CheckForm(ByNameMixin, ParsingModelForm):
    people_fields = ("checkers",)
    checkers = forms.CharField(
        label="检查人", required=False, widget=names_widget("张三、李四"), help_text="多人用顿号（、）分隔。"
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
        require_fields(self, grade="请选择等次。", checked_on="请填写体检日期。")
        if self.instance.pk:
            self.initial["checkers"] = "、".join(self.roster().label(m) for m in self.instance.checkers.all())

    def township(self):
        org = self.cleaned_data.get("organisation") if hasattr(self, "cleaned_data") else None
        return committee_of(org or (self.instance.organisation if self.instance.pk else None))

    def names_ready(self, data: dict) -> bool:
        return data.get("organisation") is not None


class RemedyForm(ByNameMixin, ParsingModelForm):
    person_fields = ("leader",)
    leader = forms.CharField(label="包联领导", widget=names_widget("班子成员姓名", "leader-names"))

    class Meta:
        model = Remedy
        fields = ["plan", "leader", "first_secretary", "started_on", "deadline"]
        widgets = {
            "plan": forms.Textarea(attrs={"rows": 5}),
            "started_on": DateInput(),
            "deadline": DateInput(),
        }

    def __init__(self, *args, health_check: HealthCheck, **kwargs):
        """health_check: the check the remedy is (to be) started from; a new remedy's page shows what it
        found."""
        super().__init__(*args, **kwargs)
        self.named_township = committee_of(health_check.organisation)
        self.leader_names = leader_names(self.named_township, health_check.campaign)
        self.fields["started_on"].initial = today()
        if self.instance.pk:
            self.initial["leader"] = self.roster().label(self.instance.leader)
        else:
            self.subtitle = f"体检发现问题：{health_check.findings}"


class AcceptForm(Step, CleanInput, ByNameMixin, forms.Form):
    """整顿验收 (services.remedy_accept): the new grade of the organisation, by whom it was accepted."""

    intro = "验收通过即结束整顿，并以验收结果作为该组织新的体检等次。"
    submit = "验收"
    done = "已验收，并按验收结果重新定级。"

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
    checkers = forms.CharField(label="验收人", required=False, widget=names_widget("张三、李四"))

    def __init__(self, *args, remedy: Remedy, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = f"整顿验收：{remedy.organisation.name}"
        self.named_township = committee_of(remedy.organisation)
