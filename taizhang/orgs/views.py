from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taizhang.core.history import history_of
from taizhang.core.scoping import get_visible_or_404, require_admin, require_some_write, require_write
from taizhang.core.views import paginate, render_list, service_form

from . import selectors, services
from .forms import MemberFilterForm, MemberForm, MemberTransferForm, OrganisationForm
from .models import Member, Organisation

# Organisations ---------------------------------------------------------------------------------------


def org_tree(request):
    show_retired = request.GET.get("retired") == "1"
    rows = selectors.org_tree(request.user, include_retired=show_retired)
    return render(request, "orgs/org_tree.html", {"rows": rows, "show_retired": show_retired})


def org_detail(request, pk):
    org = get_visible_or_404(Organisation, request.user, pk=pk)
    return render(
        request,
        "orgs/org_detail.html",
        {
            "org": org,
            "ancestors": org.ancestors(),
            "children": org.children.visible_to(request.user).select_related("secretary"),
            "members": org.members.all()[:200],
            "history": history_of(org),
        },
    )


def org_create(request):
    require_admin(request.user)
    form = OrganisationForm(
        request.POST or None, user=request.user, initial={"parent": request.GET.get("parent")}
    )
    return service_form(
        request,
        form,
        lambda data: services.organisation_create(actor=request.user, **data),
        template="orgs/org_form.html",
        message="已新建组织。",
        context={"title": "新建组织"},
    )


def org_edit(request, pk):
    org = get_visible_or_404(Organisation, request.user, pk=pk)
    require_admin(request.user, org.pk)
    form = OrganisationForm(request.POST or None, instance=org, user=request.user)
    return service_form(
        request,
        form,
        lambda data: services.organisation_update(actor=request.user, org=org, **data),
        template="orgs/org_form.html",
        message="已保存。",
        instance=org,
        context={"title": f"修改组织：{org.name}", "org": org},
    )


@require_POST
def org_retire(request, pk):
    org = get_visible_or_404(Organisation, request.user, pk=pk)
    try:
        if org.is_retired:
            services.organisation_reinstate(actor=request.user, org=org)
            messages.success(request, f"已恢复“{org}”。")
        else:
            services.organisation_retire(actor=request.user, org=org)
            messages.success(request, f"已撤销“{org}”。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("orgs:org_detail", pk=org.pk)


# Members ---------------------------------------------------------------------------------------------


def member_list(request):
    form = MemberFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.member_list(
        request.user,
        q=filters.get("q") or "",
        org=filters.get("org"),
        category=filters.get("category") or "",
    )
    page = paginate(request, qs)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render_list(request, "orgs/member_list.html", "orgs/_member_results.html", context)


def member_detail(request, pk):
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    return render(
        request,
        "orgs/member_detail.html",
        {"member": member, "history": history_of(member, viewer=request.user)},
    )


def member_create(request):
    require_some_write(request.user)
    form = MemberForm(request.POST or None, user=request.user)
    return service_form(
        request,
        form,
        lambda data: services.member_create(actor=request.user, **data),
        template="orgs/member_form.html",
        message="已添加党员。",
        success=lambda member: (
            reverse("orgs:member_create") if "add_another" in request.POST else member.get_absolute_url()
        ),
        context={"title": "添加党员"},
    )


def member_edit(request, pk):
    member = get_visible_or_404(Member, request.user, pk=pk)
    require_write(request.user, member)
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    return service_form(
        request,
        form,
        lambda data: services.member_update(actor=request.user, member=member, **data),
        template="orgs/member_form.html",
        message="已保存。",
        instance=member,
        context={"title": f"修改党员：{member.name}", "member": member},
    )


def member_transfer(request, pk):
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    require_write(request.user, member)
    form = MemberTransferForm(request.POST or None, user=request.user)
    return service_form(
        request,
        form,
        lambda data: services.member_transfer(actor=request.user, member=member, **data),
        template="orgs/member_transfer.html",
        message=f"已将{member.name}的组织关系转出。",
        context={"member": member},
    )


def member_delete(request, pk):
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    require_write(request.user, member)
    if request.method == "POST":
        services.member_delete(actor=request.user, member=member)
        messages.success(request, f"已删除党员{member.name}。乡党委管理员可在“回收站”中恢复。")
        return redirect("orgs:member_list")
    return render(request, "orgs/member_delete.html", {"member": member})


def trash(request):
    require_admin(request.user)
    page = paginate(request, selectors.deleted_members(request.user))
    return render(request, "orgs/trash.html", {"page": page})


@require_POST
def member_restore(request, pk):
    require_admin(request.user)
    member = get_visible_or_404(Member.all_objects.deleted(), request.user, pk=pk)
    try:
        services.member_restore(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, f"无法恢复{member.name}：" + "；".join(exc.messages))
        return redirect("orgs:trash")
    messages.success(request, f"已恢复党员{member.name}。")
    return redirect("orgs:member_detail", pk=member.pk)
