from django import forms

from taizhang.campaigns.models import LeadingGroupMember
from taizhang.core.forms import CleanInput, DateInput, NamedErrors
from taizhang.core.items import ITEM_WIDGETS, TownshipItemForm
from taizhang.core.listing import choice_filter, search_field
from taizhang.core.scoping import ALL, scope_for, subtree_ids
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.fields import MemberNameField, MemberNamesField, NameInput, resolve_names  # noqa: F401
from taizhang.orgs.forms import tree_field
from taizhang.orgs.models import Member, Organisation

from .choices import DeadlineFilter, PostKind, ProjectStatus, PublicityKind, ServiceClass
from .models import JointActivity, Partnership, PublicityItem, ServiceProject, VanguardPost
from .services import PROJECT_FIELDS

TOWNSHIP_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def _townships(user):
    """The township committees the user writes for (a branch secretary: his branch's township)."""
    scope = scope_for(user)
    if scope.write is ALL:
        return list(Organisation.objects.filter(kind=OrgKind.COMMITTEE))
    if not scope.can_write_anything or not user.organisation_id:
        return []
    township = user.organisation.township()
    return [township] if township else []


def township_members(user):
    """Members a user may name as a leader: anyone of his township, not only of his own branch (a branch's
    service project is often led by a township leader)."""
    if scope_for(user).write is ALL:
        return Member.objects.all()
    ids = set().union(*(subtree_ids(t.pk) for t in _townships(user)))
    return Member.objects.filter(organisation_id__in=ids)


def leading_group_names(user) -> list[str]:
    rows = (
        LeadingGroupMember.objects.filter(campaign__is_current=True, organisation__in=_townships(user))
        .order_by("organisation_id", "order")
        .values_list("member__name", flat=True)
    )
    return list(dict.fromkeys(rows))


def organisation_field(user, label: str):
    """An organisation of the user's township(s) he may write for; his own (the top one) preselected."""
    field = tree_field(user, label=label, kinds=TOWNSHIP_KINDS)
    if field.nodes:
        field.initial = field.nodes[0].pk
    return field


# Service projects ------------------------------------------------------------------------------------


class ServiceProjectForm(TownshipItemForm, CleanInput, NamedErrors, forms.ModelForm):
    class Meta:
        model = ServiceProject
        fields = list(PROJECT_FIELDS)
        widgets = {**ITEM_WIDGETS, "handling": forms.RadioSelect, "planned_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"] = MemberNameField(
            label="责任领导",
            members=township_members(user),
            suggestions=leading_group_names(user),
            required=False,
        )
        self.fields["organisation"] = organisation_field(user, "责任单位")
        self.fields["handling"].choices = ServiceClass.choices


class ProjectFilterForm(CleanInput, NamedErrors, forms.Form):
    q = search_field("按项目名称、类别搜索")
    state = choice_filter("期限", "全部项目", DeadlineFilter.choices)
    status = choice_filter("状态", "全部状态", ProjectStatus.choices)
    handling = choice_filter("办理方式", "全部办理方式", ServiceClass.choices)


# Partnerships ----------------------------------------------------------------------------------------


class PartnershipForm(CleanInput, NamedErrors, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["partner", "organisation", "signed_on", "content"]
        widgets = {"signed_on": DateInput(), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = organisation_field(user, "本方组织")


class JointActivityForm(CleanInput, NamedErrors, forms.ModelForm):
    class Meta:
        model = JointActivity
        fields = ["date", "title", "place", "participant_count", "content"]
        widgets = {"date": DateInput(), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_count"].widget.attrs["inputmode"] = "numeric"


# Vanguard posts --------------------------------------------------------------------------------------


class VanguardPostForm(CleanInput, NamedErrors, forms.ModelForm):
    class Meta:
        model = VanguardPost
        fields = ["kind", "name", "organisation", "members", "duty", "set_up_on"]
        widgets = {
            "kind": forms.RadioSelect,
            "set_up_on": DateInput(),
            "duty": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PostKind.choices
        self.fields["organisation"] = organisation_field(user, "所属组织")
        self.fields["members"] = MemberNamesField(label="成员", members=township_members(user))


class PostFilterForm(CleanInput, NamedErrors, forms.Form):
    kind = choice_filter("类型", "全部类型", PostKind.choices)


# Publicity -------------------------------------------------------------------------------------------


class PublicityItemForm(CleanInput, NamedErrors, forms.ModelForm):
    class Meta:
        model = PublicityItem
        fields = ["date", "kind", "quantity", "content", "organisation"]
        widgets = {"date": DateInput(), "kind": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PublicityKind.choices
        self.fields["organisation"] = organisation_field(user, "组织")
        self.fields["quantity"].widget.attrs["inputmode"] = "numeric"


class PublicityFilterForm(CleanInput, NamedErrors, forms.Form):
    q = search_field("按内容或位置搜索")
    kind = choice_filter("类型", "全部类型", PublicityKind.choices)
