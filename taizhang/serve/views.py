"""Pages of the serve area. Each fetches through the scope (out of scope: 404; no write right: 403),
parses the request and calls a service or a selector."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taizhang.core.deadlines import today
from taizhang.core.history import history_of
from taizhang.core.scoping import (
    get_visible_or_404,
    org_id_of,
    require_admin,
    require_some_write,
    require_write,
    scope_for,
)
from taizhang.core.views import paginate, render_list, run_service
from taizhang.orgs.choices import OrgKind

from . import selectors, services
from .forms import (
    JointActivityForm,
    PartnershipForm,
    PostFilterForm,
    ProjectFilterForm,
    PublicityFilterForm,
    PublicityItemForm,
    ServiceProjectForm,
    VanguardPostForm,
)
from .models import JointActivity, Partnership, PublicityItem, ServiceProject, VanguardPost


def _can_write(user, obj) -> bool:
    return scope_for(user).can_write(org_id_of(obj))


def _show_township(user) -> bool:
    """Lists name each record's township for the county and for superusers."""
    return scope_for(user).read is None or bool(
        user.organisation_id and user.organisation.kind == OrgKind.COUNTY
    )


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _form_page(request, form, *, title: str, cancel: str, **extra):
    return render(request, "serve/form.html", {"form": form, "title": title, "cancel": cancel, **extra})


def _edit_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.fields}


def _confirm_delete(request, obj, *, what: str, delete, back: str, done: str):
    """GET: the confirmation page; POST: delete, or say why not."""
    require_write(request.user, obj)
    if request.method == "POST":
        try:
            delete(actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(back)
        messages.success(request, f"已删除{what}“{obj}”。乡党委管理员可在回收站中恢复。")
        return redirect(done)
    return render(request, "serve/confirm_delete.html", {"obj": obj, "what": what, "back": back})


def _create(request, form, *, call, message: str, title: str, cancel: str, detail: str):
    if request.method == "POST" and form.is_valid():
        obj = run_service(request, form, call, success_message=message)
        if obj is not None:
            return redirect(detail, pk=obj.pk)
    return _form_page(request, form, title=title, cancel=cancel)


def _edit(request, obj, form, *, call, title: str, detail: str):
    """An edit page: the form's values go to the service, which checks and saves them."""
    if request.method == "POST" and form.is_valid():
        data = _edit_data(form)
        obj.refresh_from_db()
        if run_service(request, form, lambda _: call(data), success_message="已保存。"):
            return redirect(detail, pk=obj.pk)
    return _form_page(request, form, title=title, cancel=reverse(detail, args=[obj.pk]))


# Service projects ------------------------------------------------------------------------------------


def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.project_list(
        request.user,
        state=filters.get("state") or "",
        status=filters.get("status") or "",
        handling=filters.get("handling") or "",
        q=(filters.get("q") or "").strip(),
    )
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": _query(request),
        "summary": selectors.project_summary(request.user),
        "show_township": _show_township(request.user),
    }
    return render_list(request, "serve/project_list.html", "serve/_project_results.html", context)


def project_detail(request, pk):
    project = get_visible_or_404(
        ServiceProject.objects.select_related("township", "organisation", "leader"), request.user, pk=pk
    )
    return render(
        request,
        "serve/project_detail.html",
        {"project": project, "can_write": _can_write(request.user, project), "history": history_of(project)},
    )


def project_create(request):
    require_some_write(request.user)
    form = ServiceProjectForm(request.POST or None, user=request.user)
    return _create(
        request,
        form,
        call=lambda data: services.service_project_create(actor=request.user, **data),
        message="已新增为民办实事。",
        title="新增为民办实事",
        cancel=reverse("serve:project_list"),
        detail="serve:project_detail",
    )


def project_edit(request, pk):
    project = get_visible_or_404(ServiceProject, request.user, pk=pk)
    require_write(request.user, project)
    form = ServiceProjectForm(request.POST or None, instance=project, user=request.user)
    return _edit(
        request,
        project,
        form,
        call=lambda data: services.service_project_update(actor=request.user, project=project, **data),
        title=f"修改为民办实事：第{project.serial}件",
        detail="serve:project_detail",
    )


def project_delete(request, pk):
    project = get_visible_or_404(ServiceProject, request.user, pk=pk)
    return _confirm_delete(
        request,
        project,
        what="为民办实事",
        delete=lambda actor: services.service_project_delete(actor=actor, project=project),
        back=reverse("serve:project_detail", args=[pk]),
        done=reverse("serve:project_list"),
    )


# Partnerships and joint activities -------------------------------------------------------------------


def partnership_list(request):
    page = paginate(request, selectors.partnership_list(request.user))
    return render(
        request,
        "serve/partnership_list.html",
        {"page": page, "query": "", "show_township": _show_township(request.user)},
    )


def partnership_detail(request, pk):
    partnership = get_visible_or_404(Partnership.objects.select_related("organisation"), request.user, pk=pk)
    return render(
        request,
        "serve/partnership_detail.html",
        {
            "partnership": partnership,
            "activities": selectors.activities_of(partnership),
            "can_write": _can_write(request.user, partnership),
            "history": history_of(partnership),
        },
    )


def partnership_create(request):
    require_some_write(request.user)
    form = PartnershipForm(request.POST or None, user=request.user)
    return _create(
        request,
        form,
        call=lambda data: services.partnership_create(actor=request.user, **data),
        message="已新增结对共建。",
        title="新增结对共建",
        cancel=reverse("serve:partnership_list"),
        detail="serve:partnership_detail",
    )


def partnership_edit(request, pk):
    partnership = get_visible_or_404(Partnership, request.user, pk=pk)
    require_write(request.user, partnership)
    form = PartnershipForm(request.POST or None, instance=partnership, user=request.user)
    return _edit(
        request,
        partnership,
        form,
        call=lambda data: services.partnership_update(actor=request.user, partnership=partnership, **data),
        title=f"修改结对共建：{partnership.partner}",
        detail="serve:partnership_detail",
    )


def partnership_delete(request, pk):
    partnership = get_visible_or_404(Partnership, request.user, pk=pk)
    return _confirm_delete(
        request,
        partnership,
        what="结对共建",
        delete=lambda actor: services.partnership_delete(actor=actor, partnership=partnership),
        back=reverse("serve:partnership_detail", args=[pk]),
        done=reverse("serve:partnership_list"),
    )


def activity_create(request, pk):
    partnership = get_visible_or_404(Partnership, request.user, pk=pk)
    require_write(request.user, partnership)
    form = JointActivityForm(request.POST or None, initial={"date": today()})
    if request.method == "POST" and form.is_valid():
        activity = run_service(
            request,
            form,
            lambda data: services.joint_activity_create(actor=request.user, partnership=partnership, **data),
            success_message="已登记共建活动。",
        )
        if activity is not None:
            return redirect("serve:activity_detail", pk=activity.pk)
    return _form_page(
        request,
        form,
        title=f"登记共建活动：{partnership.partner}",
        cancel=reverse("serve:partnership_detail", args=[pk]),
    )


def activity_detail(request, pk):
    activity = get_visible_or_404(
        JointActivity.objects.select_related("partnership__organisation"), request.user, pk=pk
    )
    return render(
        request,
        "serve/activity_detail.html",
        {
            "activity": activity,
            "can_write": _can_write(request.user, activity),
            "history": history_of(activity),
        },
    )


def activity_edit(request, pk):
    activity = get_visible_or_404(JointActivity.objects.select_related("partnership"), request.user, pk=pk)
    require_write(request.user, activity)
    form = JointActivityForm(request.POST or None, instance=activity)
    return _edit(
        request,
        activity,
        form,
        call=lambda data: services.joint_activity_update(actor=request.user, activity=activity, **data),
        title=f"修改共建活动：{activity.title}",
        detail="serve:activity_detail",
    )


def activity_delete(request, pk):
    activity = get_visible_or_404(JointActivity, request.user, pk=pk)
    return _confirm_delete(
        request,
        activity,
        what="共建活动",
        delete=lambda actor: services.joint_activity_delete(actor=actor, activity=activity),
        back=reverse("serve:activity_detail", args=[pk]),
        done=reverse("serve:partnership_detail", args=[activity.partnership_id]),
    )


# Vanguard posts --------------------------------------------------------------------------------------


def post_list(request):
    form = PostFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    page = paginate(request, selectors.post_list(request.user, kind=kind))
    return render(
        request,
        "serve/post_list.html",
        {"form": form, "page": page, "query": _query(request), "show_township": _show_township(request.user)},
    )


def post_detail(request, pk):
    post = get_visible_or_404(
        VanguardPost.objects.select_related("organisation").prefetch_related("members"), request.user, pk=pk
    )
    return render(
        request,
        "serve/post_detail.html",
        {"post": post, "can_write": _can_write(request.user, post), "history": history_of(post)},
    )


def post_create(request):
    require_some_write(request.user)
    form = VanguardPostForm(request.POST or None, user=request.user)
    return _create(
        request,
        form,
        call=lambda data: services.vanguard_post_create(actor=request.user, **data),
        message="已新增。",
        title="新增党员先锋岗、责任区或突击队",
        cancel=reverse("serve:post_list"),
        detail="serve:post_detail",
    )


def post_edit(request, pk):
    post = get_visible_or_404(VanguardPost, request.user, pk=pk)
    require_write(request.user, post)
    form = VanguardPostForm(request.POST or None, instance=post, user=request.user)
    return _edit(
        request,
        post,
        form,
        call=lambda data: services.vanguard_post_update(actor=request.user, post=post, **data),
        title=f"修改：{post}",
        detail="serve:post_detail",
    )


def post_delete(request, pk):
    post = get_visible_or_404(VanguardPost, request.user, pk=pk)
    return _confirm_delete(
        request,
        post,
        what=post.kind,
        delete=lambda actor: services.vanguard_post_delete(actor=actor, post=post),
        back=reverse("serve:post_detail", args=[pk]),
        done=reverse("serve:post_list"),
    )


# Publicity -------------------------------------------------------------------------------------------


def publicity_list(request):
    form = PublicityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.publicity_list(
        request.user, kind=filters.get("kind") or "", q=(filters.get("q") or "").strip()
    )
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": _query(request),
        "totals": selectors.publicity_totals(request.user),
        "show_township": _show_township(request.user),
    }
    return render_list(request, "serve/publicity_list.html", "serve/_publicity_results.html", context)


def publicity_detail(request, pk):
    item = get_visible_or_404(PublicityItem.objects.select_related("organisation"), request.user, pk=pk)
    return render(
        request,
        "serve/publicity_detail.html",
        {"item": item, "can_write": _can_write(request.user, item), "history": history_of(item)},
    )


def publicity_create(request):
    require_some_write(request.user)
    form = PublicityItemForm(request.POST or None, user=request.user, initial={"date": today()})
    return _create(
        request,
        form,
        call=lambda data: services.publicity_item_create(actor=request.user, **data),
        message="已登记宣传。",
        title="登记宣传",
        cancel=reverse("serve:publicity_list"),
        detail="serve:publicity_detail",
    )


def publicity_edit(request, pk):
    item = get_visible_or_404(PublicityItem, request.user, pk=pk)
    require_write(request.user, item)
    form = PublicityItemForm(request.POST or None, instance=item, user=request.user)
    return _edit(
        request,
        item,
        form,
        call=lambda data: services.publicity_item_update(actor=request.user, item=item, **data),
        title=f"修改宣传：{item}",
        detail="serve:publicity_detail",
    )


def publicity_delete(request, pk):
    item = get_visible_or_404(PublicityItem, request.user, pk=pk)
    return _confirm_delete(
        request,
        item,
        what="宣传",
        delete=lambda actor: services.publicity_item_delete(actor=actor, item=item),
        back=reverse("serve:publicity_detail", args=[pk]),
        done=reverse("serve:publicity_list"),
    )


# Trash -----------------------------------------------------------------------------------------------

RESTORABLE = {
    "project": (ServiceProject, "为民办实事"),
    "partnership": (Partnership, "结对共建"),
    "activity": (JointActivity, "共建活动"),
    "post": (VanguardPost, "党员先锋岗、责任区、突击队"),
    "publicity": (PublicityItem, "宣传"),
}


def trash(request):
    require_admin(request.user)
    deleted = selectors.deleted_records(request.user)
    sections = [(kind, label, deleted[kind]) for kind, (_, label) in RESTORABLE.items()]
    return render(request, "serve/trash.html", {"deleted": sections})


@require_POST
def restore(request, kind, pk):
    require_admin(request.user)
    if kind not in RESTORABLE:
        raise Http404
    model, what = RESTORABLE[kind]
    obj = get_visible_or_404(model.all_objects.deleted(), request.user, pk=pk)
    try:
        services.serve_restore(actor=request.user, obj=obj)
    except ValidationError as exc:
        messages.error(request, f"无法恢复{what}“{obj}”：" + "；".join(exc.messages))
        return redirect("serve:trash")
    messages.success(request, f"已恢复{what}“{obj}”。")
    return redirect("serve:trash")
