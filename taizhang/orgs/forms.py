from django import forms

from taizhang.core.cleaning import normalise_mobile
from taizhang.core.forms import CleanInput, DateInput, TreeChoiceField
from taizhang.core.listing import choice_filter, search_field
from taizhang.core.scoping import scope_for

from .choices import MemberCategory
from .models import Member, Organisation
from .selectors import orgs_for_choice


def tree_field(
    user, *, label: str, required: bool = True, writable: bool = True, kinds=None, empty_label="请选择组织"
):
    nodes = list(orgs_for_choice(user, writable=writable, kinds=kinds))
    field = TreeChoiceField(
        Organisation.objects.filter(pk__in=[n.pk for n in nodes]),
        label=label,
        required=required,
        empty_label=empty_label,
    )
    # Offer the choices in tree order, indented, from the one tree query above.
    field.nodes = nodes
    field.top_depth = min((n.tree_depth for n in nodes), default=0)
    field.choices = [("", field.empty_label), *((n.pk, field.label_from_instance(n)) for n in nodes)]
    return field


class OrganisationForm(CleanInput, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "parent", "order", "secretary"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = field = tree_field(user, label="上级组织", required=False)
        parent = self.instance.parent if self.instance.parent_id else None
        if parent is not None and all(n.pk != parent.pk for n in field.nodes):
            # Where it sits now stays a valid answer, so that a township admin can rename his own committee
            # (whose parent, the county, is outside his scope); a move is still the service's to refuse.
            field.queryset = Organisation.objects.filter(pk__in=[parent.pk, *(n.pk for n in field.nodes)])
            field.choices = [field.choices[0], (parent.pk, parent.name), *field.choices[1:]]
        if self.instance.pk:
            self.fields["secretary"].queryset = Member.objects.filter(
                organisation__in=self.instance.descendants(include_self=True).values("pk")
            ).select_related("organisation")
        else:
            self.fields["secretary"].queryset = Member.objects.none()
            self.fields["secretary"].help_text = "建立组织并编入党员后再指定书记。"
        self.fields["secretary"].empty_label = "（暂不指定）"


class MemberForm(CleanInput, forms.ModelForm):
    # Longer than the 11 digits so that a number pasted as phones write it ("139 0000 5555") reaches
    # clean_mobile whole instead of being cut by the browser; the model's validators check the result.
    mobile = forms.CharField(
        label="手机号码",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Member
        fields = ["name", "gender", "organisation", "category", "mobile", "joined_on", "post"]
        widgets = {
            "joined_on": DateInput(),
            "gender": forms.RadioSelect,
            "category": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Moving a member is a transfer (组织关系转接), done on its own page.
            del self.fields["organisation"]
        else:
            self.fields["organisation"] = field = tree_field(user, label="所在组织")
            if len(field.choices) == 2:  # the empty choice and one organisation: a branch secretary's own
                field.initial = field.nodes[0].pk
        self.fields["gender"].choices = self.fields["gender"].choices[1:]
        self.fields["category"].choices = self.fields["category"].choices[1:]
        # Only township admins see whole mobiles; others may replace a number but not read it back.
        self.keeps_hidden_mobile = bool(
            self.instance.pk and self.instance.mobile and not scope_for(user).is_admin
        )
        if self.keeps_hidden_mobile:
            self.initial["mobile"] = ""
            self.fields["mobile"].widget.attrs["placeholder"] = self.instance.mobile_for(None)
            self.fields[
                "mobile"
            ].help_text = f"现登记为 {self.instance.mobile_for(None)}；不改请留空，需更换时输入新号码。"

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_mobile(self):
        mobile = normalise_mobile(self.cleaned_data["mobile"])  # spaces, hyphens, +86 (core.cleaning)
        if not mobile and self.keeps_hidden_mobile:
            return self.instance.mobile
        return mobile


class MemberTransferForm(CleanInput, forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="转入组织")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = tree_field(user, label="转入组织")


class MemberFilterForm(CleanInput, forms.Form):
    q = search_field("按姓名或职务搜索", label="姓名")
    org = forms.ModelChoiceField(Organisation.objects.none(), label="组织", required=False)
    category = choice_filter("类别", "全部类别", MemberCategory.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"] = tree_field(
            user, label="组织", required=False, writable=False, empty_label="全部组织"
        )
