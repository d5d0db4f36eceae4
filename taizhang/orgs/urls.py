from django.urls import path

from taizhang.core import records

from . import views
from .records import MEMBER

app_name = "orgs"

urlpatterns = [
    *views.route.urls,
    *records.record_urls(MEMBER, "members/", "member", pages=("create", "edit", "delete")),
    # The kit's trash and restore, limited to the area, at the addresses the pages have always had.
    path("members/trash/", records.trash, {"area": "orgs"}, name="trash"),
    path("members/trash/<slug:kind>/<int:pk>/restore/", records.restore, {"area": "orgs"}, name="restore"),
    path(
        "members/<int:pk>/restore/",
        records.restore,
        {"area": "orgs", "kind": "member"},
        name="member_restore",
    ),
]
