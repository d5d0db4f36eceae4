from django.urls import path

from . import views

app_name = "study"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/roster/", views.meeting_roster, name="meeting_roster"),
    path("meetings/trash/", views.trash, name="trash"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/restore/", views.meeting_restore, name="meeting_restore"),
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
    path("plans/items/<int:pk>/delete/", views.plan_item_delete, name="plan_item_delete"),
    path("plans/items/<int:pk>/restore/", views.plan_item_restore, name="plan_item_restore"),
    path("makeups/", views.makeup_list, name="makeup_list"),
    path("makeups/new/", views.makeup_create, name="makeup_create"),
    path("makeups/<int:pk>/", views.makeup_edit, name="makeup_edit"),
    path("makeups/<int:pk>/delete/", views.makeup_delete, name="makeup_delete"),
    path("makeups/<int:pk>/restore/", views.makeup_restore, name="makeup_restore"),
    path("coverage/", views.coverage, name="coverage"),
]
