from django.urls import path

from taizhang.core.kinds import kind_urls
from taizhang.core.records import trash_urls

from . import views
from .records import ACTION, ENTERPRISE, ENTERPRISE_VISIT, TOPIC, VISIT

app_name = "research"

urlpatterns = [
    *kind_urls(TOPIC, "topics/", views.topic_list),
    *kind_urls(VISIT, "visits/", views.visit_list),
    *kind_urls(ACTION, "actions/", views.action_list, pages=("detail", "edit", "delete")),
    # An action item is often created from a visit's finding: its create page is the area's own.
    path("actions/new/", views.action_create, name="action_create"),
    *kind_urls(ENTERPRISE, "enterprises/", views.enterprise_list),
    *kind_urls(
        ENTERPRISE_VISIT, "enterprise-visits/", views.enterprise_visit_list, pages=("detail", "delete")
    ),
    path("enterprise-visits/month/", views.enterprise_month, name="enterprise_month"),
    # A visit is saved with its issues (a formset): its create and edit pages are the area's own.
    path("enterprise-visits/new/", views.enterprise_visit_create, name="enterprise_visit_create"),
    path("enterprise-visits/<int:pk>/edit/", views.enterprise_visit_edit, name="enterprise_visit_edit"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    *trash_urls("research"),
]
