from django.urls import path

from . import views

app_name = "rectify"

urlpatterns = [
    path("", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/delete/", views.problem_delete, name="problem_delete"),
    path("problems/<int:pk>/measures/new/", views.measure_create, name="measure_create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
    path("measures/<int:pk>/progress/", views.measure_progress, name="measure_progress"),
    path("measures/<int:pk>/close/", views.measure_close, name="measure_close"),
    path("measures/<int:pk>/reopen/", views.measure_reopen, name="measure_reopen"),
    path("measures/<int:pk>/claim/", views.measure_claim, name="measure_claim"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("mine/", views.mine, name="mine"),
    path("talks/", views.talk_list, name="talk_list"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/edit/", views.talk_edit, name="talk_edit"),
    path("talks/<int:pk>/delete/", views.talk_delete, name="talk_delete"),
    path("checks/", views.check_list, name="check_list"),
    path("checks/new/", views.check_create, name="check_create"),
    path("checks/<int:pk>/", views.check_detail, name="check_detail"),
    path("checks/<int:pk>/edit/", views.check_edit, name="check_edit"),
    path("checks/<int:pk>/delete/", views.check_delete, name="check_delete"),
    path("checks/<int:pk>/remedy/", views.remedy_create, name="remedy_create"),
    path("remedies/", views.remedy_list, name="remedy_list"),
    path("remedies/<int:pk>/", views.remedy_detail, name="remedy_detail"),
    path("remedies/<int:pk>/edit/", views.remedy_edit, name="remedy_edit"),
    path("remedies/<int:pk>/progress/", views.remedy_progress, name="remedy_progress"),
    path("remedies/<int:pk>/accept/", views.remedy_accept, name="remedy_accept"),
    path("trash/", views.trash, name="trash"),
    path("trash/<slug:kind>/<int:pk>/restore/", views.restore, name="restore"),
]
