from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taizhang.core.scoping import get_visible_or_404, require_admin
from taizhang.core.views import paginate, run_service

from . import services
from .forms import LoginForm, SetPasswordForm, UserForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login = LoginView.as_view()
login.public = True
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    template_name="registration/password_change.html", success_url="/"
)


def user_list(request):
    require_admin(request.user)
    users = (
        User.objects.visible_to(request.user)
        .select_related("organisation", "member")
        .order_by("-role", "username")  # township admins first, then secretaries
    )
    return render(request, "accounts/user_list.html", {"page": paginate(request, users, 50)})


def user_create(request):
    require_admin(request.user)
    form = UserForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = run_service(
            request,
            form,
            lambda data: services.user_create(actor=request.user, **data),
            success_message="已新建账号。请把账号和初始密码当面告知本人。",
        )
        if user is not None:
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "title": "新建账号"})


def user_edit(request, pk):
    require_admin(request.user)
    account = get_visible_or_404(User, request.user, pk=pk)
    form = UserForm(request.POST or None, instance=account, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        account.refresh_from_db()
        done = run_service(
            request,
            form,
            lambda _: services.user_update(actor=request.user, user=account, **data),
            success_message="已保存。",
        )
        if done is not None:
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": f"修改账号：{account.username}", "account": account},
    )


def user_password(request, pk):
    require_admin(request.user)
    account = get_visible_or_404(User, request.user, pk=pk)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda data: services.user_set_password(actor=request.user, user=account, **data),
            success_message=f"已重置{account}的密码。",
        )
        if done is not None:
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": f"重置密码：{account.username}", "account": account},
    )


@require_POST
def user_unlock(request, pk):
    """Lift a login lockout (django-axes) for one account."""
    from axes.utils import reset

    require_admin(request.user)
    account = get_visible_or_404(User, request.user, pk=pk)
    reset(username=account.username)
    messages.success(request, f"已解除{account}的登录锁定。")
    return redirect("accounts:user_list")
