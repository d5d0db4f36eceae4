from django.urls import path

from taizhang.core.records import record_urls, trash_urls

from . import views
from .records import CHECK, MEASURE, PROBLEM, TALK

app_name = "rectify"

# Create, edit and delete are the generic pages of core.records (rectify/records.py declares them); the
# detail pages, which show more than the record, and the steps of a measure or a remedy are the area's own.
urlpatterns = [
    path("", views.problem_list, name="problem_list"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    *record_urls(PROBLEM, "problems/", "problem", pages=("create", "edit", "delete")),
    *record_urls(
        MEASURE, "measures/", "measure", pages=("create", "edit", "delete"), parent_prefix="problems/"
    ),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/progress/", views.measure_progress, name="measure_progress"),
    path("measures/<int:pk>/close/", views.measure_close, name="measure_close"),
    path("measures/<int:pk>/reopen/", views.measure_reopen, name="measure_reopen"),
    path("measures/<int:pk>/claim/", views.measure_claim, name="measure_claim"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("mine/", views.mine, name="mine"),
    path("talks/", views.talk_list, name="talk_list"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    *record_urls(TALK, "talks/", "talk", pages=("create", "edit", "delete")),
    path("checks/", views.check_list, name="check_list"),
    path("checks/<int:pk>/", views.check_detail, name="check_detail"),
    *record_urls(CHECK, "checks/", "check", pages=("create", "edit", "delete")),
    path("checks/<int:pk>/remedy/", views.remedy_create, name="remedy_create"),
    path("remedies/", views.remedy_list, name="remedy_list"),
    path("remedies/<int:pk>/", views.remedy_detail, name="remedy_detail"),
    path("remedies/<int:pk>/edit/", views.remedy_edit, name="remedy_edit"),
    path("remedies/<int:pk>/progress/", views.remedy_progress, name="remedy_progress"),
    path("remedies/<int:pk>/accept/", views.remedy_accept, name="remedy_accept"),
    *trash_urls("rectify"),
]
