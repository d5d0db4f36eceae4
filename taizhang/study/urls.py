from django.urls import path

from taizhang.core import records

from . import views
from .records import MAKEUP, MEETING, PLAN_ITEM

app_name = "study"


urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/roster/", views.meeting_roster, name="meeting_roster"),
    path("meetings/trash/", records.trash, {"area": "study"}, name="trash"),
    path("meetings/trash/<slug:kind>/<int:pk>/restore/", records.restore, {"area": "study"}, name="restore"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    # A meeting is recorded with its attendance: its create and edit pages are the area's own.
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    *records.record_urls(MEETING, "meetings/", "meeting", pages=("delete",)),
    path(
        "meetings/<int:pk>/restore/",
        records.restore,
        {"area": "study", "kind": "meeting"},
        name="meeting_restore",
    ),
    path("meetings/<int:pk>/mark/", views.attendance_mark, name="attendance_mark"),
    path("meetings/<int:pk>/signin/", views.signin_display, name="signin_display"),
    path("meetings/<int:pk>/signin/open/", views.signin_open, name="signin_open"),
    path("meetings/<int:pk>/signin/close/", views.signin_close, name="signin_close"),
    path("signin/", views.signin_code, name="signin_code"),
    path("signin/today/", views.signin_today, name="signin_today"),
    path("signin/<str:token>/", views.signin_page, name="signin_page"),
    path("deployment/", views.deployment, name="deployment"),
    path("plans/", views.plan_overview, name="plan_overview"),
    path("plans/<int:org_pk>/", views.plan_detail, name="plan_detail"),
    *records.record_urls(PLAN_ITEM, "plans/items/", "plan_item", pages=("delete",)),
    path(
        "plans/items/<int:pk>/restore/",
        records.restore,
        {"area": "study", "kind": "plan_item"},
        name="plan_item_restore",
    ),
    path("makeups/", views.makeup_list, name="makeup_list"),
    # A make-up is recorded for one member among the meetings he missed: its form is the area's own.
    path("makeups/new/", views.makeup_create, name="makeup_create"),
    path("makeups/<int:pk>/", views.makeup_edit, name="makeup_edit"),
    *records.record_urls(MAKEUP, "makeups/", "makeup", pages=("delete",)),
    path(
        "makeups/<int:pk>/restore/",
        records.restore,
        {"area": "study", "kind": "makeup"},
        name="makeup_restore",
    ),
    path("coverage/", views.coverage, name="coverage"),
]
