"""The forms of talks (谈心谈话): the talker and the persons talked to are written by name."""

from __future__ import annotations

from django import forms

from taizhang.core.deadlines import today
from taizhang.core.forms import CleanInput, DateInput
from taizhang.core.listing import choice_filter
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.models import Organisation
from taizhang.orgs.selectors import orgs_for_choice

from .choices import TalkType
from .forms_base import ByNameMixin, ParsingModelForm, label_widgets, leader_names, names_widget
from .models_talks import Talk


class TalkForm(ByNameMixin, ParsingModelForm):
    person_fields = ("talker",)
    people_fields = ("persons",)
    talker = forms.CharField(label="谈话人", widget=names_widget("姓名", "leader-names"))
    persons = forms.CharField(
        label="谈话对象",
        error_messages={"required": "请填写谈话对象，至少一人。"},
        widget=names_widget("张三、李四"),
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

    def names_ready(self, data: dict) -> bool:
        return data.get("organisation") is not None


class TalkFilterForm(CleanInput, forms.Form):
    kind = choice_filter("类型", "全部类型", TalkType.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_widgets(self)
