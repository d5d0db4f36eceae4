from django.urls import path

from . import views

app_name = "research"

urlpatterns = [
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/new/", views.topic_create, name="topic_create"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/delete/", views.topic_delete, name="topic_delete"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/delete/", views.visit_delete, name="visit_delete"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/delete/", views.action_delete, name="action_delete"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/delete/", views.enterprise_delete, name="enterprise_delete"),
    path("enterprise-visits/", views.enterprise_visit_list, name="enterprise_visit_list"),
    path("enterprise-visits/month/", views.enterprise_month, name="enterprise_month"),
    path("enterprise-visits/new/", views.enterprise_visit_create, name="enterprise_visit_create"),
    path("enterprise-visits/<int:pk>/", views.enterprise_visit_detail, name="enterprise_visit_detail"),
    path("enterprise-visits/<int:pk>/edit/", views.enterprise_visit_edit, name="enterprise_visit_edit"),
    path("enterprise-visits/<int:pk>/delete/", views.enterprise_visit_delete, name="enterprise_visit_delete"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path("trash/", views.trash, name="trash"),
    path("trash/<slug:kind>/<int:pk>/restore/", views.restore, name="restore"),
]
