from django.urls import path

from taizhang.core.records import record_urls, trash_urls

from . import views
from .records import ACTIVITY, PARTNERSHIP, POST, PROJECT, PUBLICITY

app_name = "serve"

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    *record_urls(PROJECT, "projects/", "project"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    *record_urls(PARTNERSHIP, "partnerships/", "partnership"),
    *record_urls(ACTIVITY, "activities/", "activity", parent_prefix="partnerships/"),
    path("posts/", views.post_list, name="post_list"),
    *record_urls(POST, "posts/", "post"),
    path("publicity/", views.publicity_list, name="publicity_list"),
    *record_urls(PUBLICITY, "publicity/", "publicity"),
    *trash_urls("serve"),
]
