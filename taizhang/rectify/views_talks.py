"""The pages of talks (谈心谈话): the list with its person-times, and a talk's page (its content for township
admins and the talker only); create, edit and delete are the record kit's (records.py)."""

from __future__ import annotations

from django.shortcuts import render

from taizhang.core.history import history_of
from taizhang.core.listing import filters_of, query_without_page
from taizhang.core.routes import Routes
from taizhang.core.scoping import get_visible_or_404, may_write
from taizhang.core.views import paginate

from . import selectors
from .forms_talks import TalkFilterForm
from .models_talks import Talk

route = Routes()


@route("talks/")
def talk_list(request):
    campaign = selectors.current_campaign()
    form = TalkFilterForm(request.GET or None)
    kind = filters_of(form).get("kind", "")
    talks = selectors.talk_list(request.user, campaign=campaign, kind=kind)
    return render(
        request,
        "rectify/talk_list.html",
        {
            "form": form,
            "page": paginate(request, talks),
            "query": query_without_page(request),
            "person_times": selectors.talk_person_times(request.user, campaign=campaign, kind=kind),
        },
    )


def _talk_or_404(request, pk):
    return get_visible_or_404(
        Talk.objects.select_related("talker", "organisation").prefetch_related("persons"), request.user, pk=pk
    )


@route("talks/<int:pk>/")
def talk_detail(request, pk):
    talk = _talk_or_404(request, pk)
    return render(
        request,
        "rectify/talk_detail.html",
        {
            "talk": talk,
            "can_read": selectors.can_read_talk(request.user, talk),
            "can_write": may_write(request.user, talk),
            "history": history_of(talk, viewer=request.user),
        },
    )
