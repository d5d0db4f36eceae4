from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taizhang.core.routes import Routes
from taizhang.core.scoping import get_visible_or_404, require_admin
from taizhang.core.views import paginate, service_form

from . import services
from .forms import LoginForm, SetPasswordForm, UserForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


route = Routes()
# Login, logout and one's own password keep their plain names: LOGIN_URL and the middleware use them.
auth_route = Routes()

login = auth_route("login/", name="login")(LoginView.as_view())
login.public = True
logout = auth_route("logout/", name="logout")(auth_views.LogoutView.as_view())
password_change = auth_route("password/", name="password_change")(
    auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html", success_url="/")
)


@route("users/")
def user_list(request):
    require_admin(request.user)
    users = (
        User.objects.visible_to(request.user)
        .select_related("organisation", "member")
        .order_by("-role", "username")  # township admins first, then secretaries
    )
    return render(request, "accounts/user_list.html", {"page": paginate(request, users, 50)})


def _account(request, pk) -> User:
    """An account the township admin manages: 403 for anyone else before it is looked up, 404 outside his
    township."""
    require_admin(request.user)
    return get_visible_or_404(User, request.user, pk=pk)


def _account_form(request, form, call, *, title: str, message: str, instance=None):
    """Accounts are not records of the kit (not soft-deleted, no page of their own, 403 before 404): each
    form writes through its service and goes back to the list."""
    return service_form(
        request,
        form,
        call,
        template="core/record_form.html",
        message=message,
        success=lambda _: reverse("accounts:user_list"),
        instance=instance,
        context={"title": title, "cancel": reverse("accounts:user_list")},
    )


@route("users/new/")
def user_create(request):
    require_admin(request.user)
    return _account_form(
        request,
        UserForm(request.POST or None, user=request.user),
        lambda data: services.user_create(actor=request.user, **data),
        title="新建账号",
        message="已新建账号。请把账号和初始密码当面告知本人。",
    )


@route("users/<int:pk>/")
def user_edit(request, pk):
    account = _account(request, pk)
    return _account_form(
        request,
        UserForm(request.POST or None, instance=account, user=request.user),
        lambda data: services.user_update(actor=request.user, user=account, **data),
        title=f"修改账号：{account.username}",
        message="已保存。",
        instance=account,
    )


@route("users/<int:pk>/password/")
def user_password(request, pk):
    account = _account(request, pk)
    return _account_form(
        request,
        SetPasswordForm(request.POST or None),
        lambda data: services.user_set_password(actor=request.user, user=account, **data),
        title=f"重置密码：{account.username}",
        message=f"已重置{account}的密码。",
    )


@route("users/<int:pk>/unlock/")
@require_POST
def user_unlock(request, pk):
    """Lift a login lockout (django-axes) for one account."""
    from axes.utils import reset

    account = _account(request, pk)
    reset(username=account.username)
    messages.success(request, f"已解除{account}的登录锁定。")
    return redirect("accounts:user_list")
