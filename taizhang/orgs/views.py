"""The organisation tree and the member list, organisations' own pages and a member's page and transfer.

Members' create, edit, delete and restore pages and the trash are the record kit's (records.py, urls.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taizhang.core.history import history_of
from taizhang.core.listing import filters_of, query_without_page
from taizhang.core.routes import Routes
from taizhang.core.scoping import get_visible_or_404, require_admin, require_write
from taizhang.core.views import paginate, render_list, service_form

from . import selectors, services
from .forms import MemberFilterForm, MemberTransferForm, OrganisationForm
from .models import Member, Organisation

route = Routes()

# Organisations ---------------------------------------------------------------------------------------


@route("orgs/")
def org_tree(request):
    show_retired = request.GET.get("retired") == "1"
    rows = selectors.org_tree(request.user, include_retired=show_retired)
    return render(request, "orgs/org_tree.html", {"rows": rows, "show_retired": show_retired})


@route("orgs/<int:pk>/")
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


@route("orgs/new/")
def org_create(request):
    require_admin(request.user)
    form = OrganisationForm(
        request.POST or None, user=request.user, initial={"parent": request.GET.get("parent")}
    )
    return service_form(
        request,
        form,
        lambda data: services.organisation_create(actor=request.user, **data),
        template="core/record_form.html",
        message="已新建组织。",
        context={"title": "新建组织", "cancel": reverse("orgs:org_tree")},
    )


@route("orgs/<int:pk>/edit/")
def org_edit(request, pk):
    org = get_visible_or_404(Organisation, request.user, pk=pk)
    require_admin(request.user, org.pk)
    return service_form(
        request,
        OrganisationForm(request.POST or None, instance=org, user=request.user),
        lambda data: services.organisation_update(actor=request.user, org=org, **data),
        template="core/record_form.html",
        message="已保存。",
        instance=org,
        context={"title": f"修改组织：{org.name}", "cancel": org.get_absolute_url()},
    )


@route("orgs/<int:pk>/retire/")
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


@route("members/")
def member_list(request):
    form = MemberFilterForm(request.GET or None, user=request.user)
    qs = selectors.member_list(request.user, **filters_of(form))
    context = {"form": form, "page": paginate(request, qs), "query": query_without_page(request)}
    return render_list(request, "orgs/member_list.html", "orgs/_member_results.html", context)


@route("members/<int:pk>/")
def member_detail(request, pk):
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    return render(
        request,
        "orgs/member_detail.html",
        {"member": member, "history": history_of(member, viewer=request.user)},
    )


@route("members/<int:pk>/transfer/")
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
