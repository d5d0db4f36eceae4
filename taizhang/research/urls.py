from django.urls import path

from taizhang.core.records import record_urls, trash_urls

from . import views
from .records import ACTION, ENTERPRISE, ENTERPRISE_VISIT, TOPIC, VISIT

app_name = "research"

urlpatterns = [
    path("topics/", views.topic_list, name="topic_list"),
    *record_urls(TOPIC, "topics/", "topic"),
    path("visits/", views.visit_list, name="visit_list"),
    *record_urls(VISIT, "visits/", "visit"),
    path("actions/", views.action_list, name="action_list"),
    # An action item is often created from a visit's finding: its create page is the area's own.
    path("actions/new/", views.action_create, name="action_create"),
    *record_urls(ACTION, "actions/", "action", pages=("detail", "edit", "delete")),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    *record_urls(ENTERPRISE, "enterprises/", "enterprise"),
    path("enterprise-visits/", views.enterprise_visit_list, name="enterprise_visit_list"),
    path("enterprise-visits/month/", views.enterprise_month, name="enterprise_month"),
    # A visit is saved with its issues (a formset): its create and edit pages are the area's own.
    path("enterprise-visits/new/", views.enterprise_visit_create, name="enterprise_visit_create"),
    path("enterprise-visits/<int:pk>/edit/", views.enterprise_visit_edit, name="enterprise_visit_edit"),
    *record_urls(ENTERPRISE_VISIT, "enterprise-visits/", "enterprise_visit", pages=("detail", "delete")),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    *trash_urls("research"),
]
