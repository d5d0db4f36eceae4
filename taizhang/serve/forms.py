import re
from collections import defaultdict

from django import forms
from django.utils.html import format_html, format_html_join

from taizhang.campaigns.models import LeadingGroupMember
from taizhang.core.forms import DateInput
from taizhang.core.scoping import ALL, scope_for, subtree_ids
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.forms import tree_field
from taizhang.orgs.models import Member, Organisation

from .choices import DeadlineFilter, PostKind, ProjectStatus, PublicityKind, ServiceClass
from .models import JointActivity, Partnership, PublicityItem, ServiceProject, VanguardPost

TOWNSHIP_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)

# People by name ---------------------------------------------------------------------------------------
# As in the ledgers: names separated by 、，,；; or spaces; a name two members share is written
# 姓名（组织名称）. The same convention as the research area's forms (the two areas do not import each
# other; a shared field would belong in orgs).

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


class NamedErrors:
    """A form mixin: a missing or invalid value is reported with the field's name (请填写项目名称。)."""

    def full_clean(self):
        for field in self.fields.values():  # here, once the form's own __init__ has replaced fields
            label = field.label or ""
            verb = "请选择" if isinstance(field, forms.ChoiceField) else "请填写"
            field.error_messages["required"] = f"{verb}{label}。"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"{label}不是有效的日期。"
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = f"{label}应为整数。"
                field.error_messages["min_value"] = f"{label}不能小于%(limit_value)s。"
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = f"{label}：所选的值不在可选范围内。"
        super().full_clean()


def organisation_field(user, label: str):
    """An organisation of the user's township(s) he may write for; his own (the top one) preselected."""
    field = tree_field(user, label=label, kinds=TOWNSHIP_KINDS)
    if field.nodes:
        field.initial = field.nodes[0].pk
    return field


# Service projects ------------------------------------------------------------------------------------


class ServiceProjectForm(NamedErrors, forms.ModelForm):
    class Meta:
        model = ServiceProject
        fields = [
            "name",
            "category",
            "handling",
            "leader",
            "organisation",
            "unit",
            "planned_on",
            "status",
            "completed_on",
            "result",
            "serial",
        ]
        widgets = {
            "handling": forms.RadioSelect,
            "status": forms.RadioSelect,
            "planned_on": DateInput(),
            "completed_on": DateInput(),
            "result": forms.Textarea(attrs={"rows": 3}),
        }

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
        self.fields["status"].choices = ProjectStatus.choices
        self.fields["serial"].widget.attrs["inputmode"] = "numeric"

    def clean_serial(self):
        """Left empty: a new record is numbered next; an existing one keeps its number."""
        serial = self.cleaned_data["serial"]
        return self.instance.serial if serial is None and self.instance.pk else serial


class ProjectFilterForm(NamedErrors, forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "按项目名称、类别搜索"}),
    )
    state = forms.ChoiceField(
        label="期限", required=False, choices=[("", "全部项目"), *DeadlineFilter.choices]
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *ProjectStatus.choices]
    )
    handling = forms.ChoiceField(
        label="办理方式", required=False, choices=[("", "全部办理方式"), *ServiceClass.choices]
    )


# Partnerships ----------------------------------------------------------------------------------------


class PartnershipForm(NamedErrors, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["partner", "organisation", "signed_on", "content"]
        widgets = {"signed_on": DateInput(), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = organisation_field(user, "本方组织")


class JointActivityForm(NamedErrors, forms.ModelForm):
    class Meta:
        model = JointActivity
        fields = ["date", "title", "place", "participant_count", "content"]
        widgets = {"date": DateInput(), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_count"].widget.attrs["inputmode"] = "numeric"


# Vanguard posts --------------------------------------------------------------------------------------


class VanguardPostForm(NamedErrors, forms.ModelForm):
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


class PostFilterForm(NamedErrors, forms.Form):
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *PostKind.choices])


# Publicity -------------------------------------------------------------------------------------------


class PublicityItemForm(NamedErrors, forms.ModelForm):
    class Meta:
        model = PublicityItem
        fields = ["date", "kind", "quantity", "content", "organisation"]
        widgets = {"date": DateInput(), "kind": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PublicityKind.choices
        self.fields["organisation"] = organisation_field(user, "组织")
        self.fields["quantity"].widget.attrs["inputmode"] = "numeric"


class PublicityFilterForm(NamedErrors, forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "按内容或位置搜索"}),
    )
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *PublicityKind.choices])
