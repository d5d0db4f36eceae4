from taizhang.core.records import record_urls, trash_urls

from . import views, views_checks, views_talks
from .records import CHECK, MEASURE, PROBLEM, REMEDY, TALK

app_name = "rectify"

# The area's pages stand under their routes in views, views_talks and views_checks; create, edit and delete
# are the generic pages of core.records (rectify/records.py declares them).
urlpatterns = [
    *views.route.urls,
    *record_urls(PROBLEM, "problems/", "problem", pages=("create", "edit", "delete")),
    *record_urls(
        MEASURE, "measures/", "measure", pages=("create", "edit", "delete"), parent_prefix="problems/"
    ),
    *views_talks.route.urls,
    *record_urls(TALK, "talks/", "talk", pages=("create", "edit", "delete")),
    *views_checks.route.urls,
    *record_urls(CHECK, "checks/", "check", pages=("create", "edit", "delete")),
    *record_urls(REMEDY, "remedies/", "remedy", pages=("create",), parent_prefix="checks/"),
    *trash_urls("rectify"),
]
