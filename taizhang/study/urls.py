from django.urls import include, path

from taizhang.core import records

from . import coverage_views, plan_views, signin_views, views
from .records import MAKEUP, MEETING, PLAN_ITEM

app_name = "study"


def _kind_urls(kind, prefix: str, *, pages=("delete",)):
    """A kind's pages on the record kit, and its own restore address (the trash's, under the kind's prefix)."""
    restore = {"area": "study", "kind": kind.slug}
    return [
        *records.record_urls(kind, prefix, kind.slug, pages=pages),
        path(f"{prefix}<int:pk>/restore/", records.restore, restore, name=f"{kind.slug}_restore"),
    ]


urlpatterns = [
    *views.route.urls,
    *signin_views.route.urls,
    *plan_views.route.urls,
    *coverage_views.route.urls,
    path("meetings/", include(records.trash_urls("study"))),  # meetings/trash/: the area's trash
    *_kind_urls(MEETING, "meetings/"),
    *_kind_urls(PLAN_ITEM, "plans/items/"),
    *_kind_urls(MAKEUP, "makeups/"),
    # A make-up's page is its form; its create page (coverage_views) first asks for the member.
    path("makeups/<int:pk>/", records.record_edit, {"kind": MAKEUP}, name="makeup_edit"),
]
