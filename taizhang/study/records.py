"""The kinds of record the study area keeps, declared for core.records: their delete, trash and restore pages
are the generic ones, and so are a make-up's create and edit pages. A meeting is recorded with its attendance:
its create and edit pages are the area's own (study/views.py)."""

from django.urls import reverse

from taizhang.core.history import history_of
from taizhang.core.kinds import area_kind
from taizhang.core.params import campaign_param
from taizhang.core.records import register
from taizhang.core.scoping import get_visible_or_404, require_write
from taizhang.orgs.models import Member

from . import services as s
from .coverage_selectors import missed_required
from .forms import MakeUpForm
from .models import MakeUp, Meeting, PlannedMeeting


def coverage_url(member, campaign) -> str:
    """The coverage page of a member's organisation (in the campaign): where make-ups are recorded from."""
    url = reverse("study:coverage") + f"?org={member.organisation_id}"
    return url + (f"&campaign={campaign.code}" if campaign else "")


def _back_to_coverage(makeup: MakeUp) -> str:
    return coverage_url(makeup.member, makeup.meeting.campaign)


def _makeup_form(request, *, instance=None, parent=None) -> dict:
    """A make-up is for one member (?member= on the create page), among the required meetings he missed;
    the one edited keeps its own meeting among them."""
    if instance is not None:
        meeting = instance.meeting
        return {
            "member": instance.member,
            "meetings": missed_required(instance.member, meeting.campaign, keep=meeting),
        }
    member_id = request.POST.get("member") or request.GET.get("member")
    member = get_visible_or_404(Member.objects.select_related("organisation"), request.user, pk=member_id)
    require_write(request.user, member)
    return {"member": member, "meetings": missed_required(member, campaign_param(request, required=False))}


def _makeup_page(request, form) -> dict:
    makeup = form.instance if form.instance.pk else None
    if makeup is None:
        return {"title": f"登记补学：{form.member.name}"}
    return {"title": f"修改补学：{form.member.name}", "makeup": makeup, "history": history_of(makeup)}


MEETING = register(
    area_kind(
        s,
        "meeting",
        model=Meeting,
        label="会议活动",
        deleted_message="已删除“{obj.topic}”。乡党委管理员可在“会议回收站”中恢复。",
    )
)
MAKEUP = register(
    area_kind(
        s,
        "makeup",
        model=MakeUp,
        label="补学",
        form=MakeUpForm,
        form_takes_user=False,
        form_extra=_makeup_form,
        form_context=_makeup_page,
        form_template="study/makeup_form.html",
        initial=lambda request: {"meeting": request.GET.get("meeting")},
        detail_url="study:makeup_edit",  # its page is its form
        created_message="已登记{obj.member.name}的补学。",
        deleted_message="已删除{obj.member.name}的补学记录。乡党委管理员可在“会议回收站”中恢复。",
        after_create=_back_to_coverage,
        after_edit=_back_to_coverage,
        after_delete=_back_to_coverage,
    )
)
# No page of its own: its plan's (PlannedMeeting.get_absolute_url), where it is deleted from.
PLAN_ITEM = register(
    area_kind(
        s,
        "plan_item",
        name="planned_meeting",
        argument="item",
        pages=False,
        model=PlannedMeeting,
        label="学习计划安排",
        deleted_message="已从学习计划中删除“{obj}”。",
        after_delete=PlannedMeeting.get_absolute_url,
    )
)
