from django import forms
from django.contrib.auth.forms import AuthenticationForm

from taizhang.core.forms import CleanInput
from taizhang.core.roles import Role
from taizhang.orgs.forms import tree_field
from taizhang.orgs.models import Member

from .models import User


class LoginForm(CleanInput, AuthenticationForm):
    username = forms.CharField(
        label="账号",
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocapitalize": "none", "autocomplete": "username"}
        ),
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "账号或密码不正确。连续输错多次后，该账号将被暂时锁定15分钟。",
        "inactive": "该账号已停用，请联系乡党委管理员。",
    }


def new_password_field(label: str, help_text: str) -> forms.CharField:
    """A password a township admin sets for someone else: taken as typed, never offered by the browser."""
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=help_text,
    )


class UserForm(CleanInput, forms.ModelForm):
    password = new_password_field(
        "初始密码", "至少8位，不能全是数字，不能包含账号或姓名。请当面告知本人，并提醒其登录后修改。"
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "role", "organisation", "member", "is_active"]
        labels = {"username": "账号", "is_active": "启用"}
        help_texts = {
            "username": "登录用的账号，如 branch21；只能用字母、数字和 @ . + - _。",
            "is_active": "停用后该账号不能再登录，其记录保留。",
            "role": "党支部书记的所属组织选其党支部，乡党委管理员选乡党委。",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = tree_field(user, label="所属组织")
        roles = [Role.BRANCH_SECRETARY, Role.TOWNSHIP_ADMIN, Role.NONE]
        if user.is_superuser:
            roles.insert(2, Role.COUNTY_VIEWER)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["member"].queryset = Member.objects.writable_by(user).select_related("organisation")
        self.fields["member"].empty_label = "（不对应党员）"
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.name}（{m.organisation.short_name or m.organisation.name}）"
        )
        if self.instance.pk:
            del self.fields["password"]
        else:
            self.initial.setdefault("role", Role.BRANCH_SECRETARY)


class SetPasswordForm(CleanInput, forms.Form):
    password = new_password_field("新密码", "至少8位，不能全是数字，不能包含账号或姓名。")
