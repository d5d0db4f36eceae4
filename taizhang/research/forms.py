from django import forms

from taizhang.campaigns.models import LeadingGroupMember
from taizhang.core.forms import CleanInput, DateInput, NamedErrors
from taizhang.core.items import ITEM_WIDGETS, TownshipItemForm
from taizhang.core.listing import choice_filter, search_field
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.fields import MemberNameField, MemberNamesField, NameInput, name_of, resolve_names  # noqa: F401
from taizhang.orgs.forms import tree_field
from taizhang.orgs.models import Member

from .choices import ActionStatus, DeadlineFilter, PlaceKind
from .models import ActionItem, Enterprise, EnterpriseVisit, ResearchTopic, ResearchVisit
from .services import ACTION_FIELDS

TOWNSHIP_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def leading_group_names(user) -> list[str]:
    """The names of the current campaign's leading groups the user may write for (suggestions)."""
    rows = (
        LeadingGroupMember.objects.writable_by(user)
        .filter(campaign__is_current=True)
        .order_by("organisation_id", "order")
        .values_list("member__name", flat=True)
    )
    return list(dict.fromkeys(rows))


def committee_field(user, label: str = "所属乡党委"):
    """The committee a township record belongs to: offered only when the user writes for several."""
    field = tree_field(user, label=label, kinds=("committee",))
    if len(field.nodes) == 1:
        field.initial = field.nodes[0].pk
        field.widget = forms.HiddenInput()
    return field


class ResearchTopicForm(CleanInput, NamedErrors, forms.ModelForm):
    class Meta:
        model = ResearchTopic
        fields = ["organisation", "title", "leader", "members", "theme"]
        widgets = {"theme": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.writable_by(user)
        self.fields["organisation"] = committee_field(user)
        self.fields["leader"] = MemberNameField(
            label="牵头领导", members=members, suggestions=leading_group_names(user)
        )
        self.fields["members"] = MemberNamesField(label="课题组成员", members=members)
        if self.instance.pk:
            del self.fields["organisation"]


class ResearchVisitForm(CleanInput, NamedErrors, forms.ModelForm):
    class Meta:
        model = ResearchVisit
        fields = ["date", "topic", "leader", "place", "place_kind", "participants", "findings"]
        widgets = {
            "date": DateInput(),
            "place_kind": forms.RadioSelect,
            "findings": forms.Textarea(attrs={"rows": 5, "placeholder": "每行一条"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.writable_by(user)
        topics = self.fields["topic"]
        topics.queryset = ResearchTopic.objects.writable_by(user).order_by("-created_at")
        topics.empty_label = "请选择调研课题"
        if not self.instance.pk and not self.initial.get("topic"):
            only = list(topics.queryset[:2])
            if len(only) == 1:  # the township's one topic: preselected
                self.initial["topic"] = only[0].pk
        self.fields["leader"] = MemberNameField(
            label="带队领导", members=members, suggestions=leading_group_names(user)
        )
        self.fields["participants"] = MemberNamesField(label="参加人员", members=members)
        self.fields["place"].widget.attrs["placeholder"] = "如：西岭村、XX禽蛋产业园"
        self.fields["place_kind"].choices = PlaceKind.choices


class VisitFilterForm(CleanInput, NamedErrors, forms.Form):
    q = search_field("按地点或发现的问题搜索")
    topic = forms.ModelChoiceField(ResearchTopic.objects.none(), label="课题", required=False)
    place_kind = choice_filter("地点类型", "全部地点类型", PlaceKind.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = ResearchTopic.objects.visible_to(user)
        self.fields["topic"].empty_label = "全部课题"


# Action items ----------------------------------------------------------------------------------------


class ActionItemForm(TownshipItemForm, CleanInput, NamedErrors, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = list(ACTION_FIELDS)
        widgets = {
            **ITEM_WIDGETS,
            "content": forms.Textarea(attrs={"rows": 3}),
            "raised_on": DateInput(),
            "deadline": DateInput(),
            "source_visit": forms.HiddenInput,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_topic"].queryset = ResearchTopic.objects.writable_by(user)
        self.fields["source_topic"].empty_label = "（不是来自调研课题）"
        self.fields["source_visit"].queryset = ResearchVisit.objects.writable_by(user)
        self.fields["leader"] = MemberNameField(
            label="责任领导",
            members=Member.objects.writable_by(user),
            suggestions=leading_group_names(user),
            required=False,
        )
        unit = tree_field(user, label="责任单位", kinds=TOWNSHIP_KINDS)
        committees = [n for n in unit.nodes if n.kind == OrgKind.COMMITTEE]
        if not self.instance.pk and committees and "organisation" not in self.initial:
            unit.initial = committees[0].pk
        self.fields["organisation"] = unit


class ActionFilterForm(CleanInput, NamedErrors, forms.Form):
    q = search_field("按事项、责任单位搜索")
    state = choice_filter("期限", "全部事项", DeadlineFilter.choices)
    status = choice_filter("状态", "全部状态", ActionStatus.choices)


# Enterprises -----------------------------------------------------------------------------------------


class EnterpriseForm(CleanInput, NamedErrors, forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["organisation", "name", "industry", "is_key", "liaison", "address", "contact", "phone"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = committee_field(user)
        self.fields["liaison"] = MemberNameField(
            label="联系干部",
            members=Member.objects.writable_by(user),
            suggestions=leading_group_names(user),
            required=False,
            help_text=Enterprise._meta.get_field("liaison").help_text,
        )
        if self.instance.pk:
            del self.fields["organisation"]


class EnterpriseVisitForm(CleanInput, NamedErrors, forms.ModelForm):
    class Meta:
        model = EnterpriseVisit
        fields = ["date", "enterprise", "cadre", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.writable_by(user).order_by("-is_key", "name")
        self.fields["enterprise"].empty_label = "请选择企业"
        self.fields["cadre"] = MemberNameField(
            label="走访干部", members=Member.objects.writable_by(user), suggestions=leading_group_names(user)
        )


class IssueForm(CleanInput, NamedErrors, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    content = forms.CharField(label="企业反映问题", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    handling = forms.CharField(label="解决情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resolved = forms.BooleanField(label="已解决", required=False)

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        if not (data.get("content") or "").strip() and (
            data.get("id") or (data.get("handling") or "").strip() or data.get("resolved")
        ):
            self.add_error("content", "请填写企业反映的问题（不需要这一条时请勾选“删除”）。")
        return data

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("id") and not (data.get("content") or "").strip()


IssueFormSet = forms.formset_factory(IssueForm, extra=1, can_delete=True, max_num=30, validate_max=True)


def issues_from(formset) -> list[dict]:
    """The issue rows of a valid formset, as the service takes them (blank new rows left out)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.cleaned_data.get("id"):
            continue
        if form.is_blank:
            continue
        data = form.cleaned_data
        row = {"content": data["content"], "handling": data["handling"], "resolved": data["resolved"]}
        if data.get("id"):
            row.update(id=data["id"], delete=bool(data.get("DELETE")))
        elif data.get("DELETE"):
            continue
        rows.append(row)
    return rows


class EnterpriseIssueForm(CleanInput, NamedErrors, forms.Form):
    handling = forms.CharField(label="解决情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    resolved = forms.BooleanField(label="已解决", required=False)


class MonthForm(CleanInput, NamedErrors, forms.Form):
    month = forms.DateField(
        label="月份", required=False, input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"})
    )
    township = forms.ModelChoiceField(Member.objects.none(), label="乡镇", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = tree_field(user, label="乡镇", required=False, writable=False, kinds=("committee",))
        field.empty_label = "全部乡镇"
        field.choices = [("", "全部乡镇"), *field.choices[1:]]
        self.fields["township"] = field
        if len(field.nodes) <= 1:
            del self.fields["township"]
