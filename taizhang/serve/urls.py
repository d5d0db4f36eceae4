from taizhang.core.kinds import kind_urls
from taizhang.core.records import trash_urls

from . import views
from .records import ACTIVITY, PARTNERSHIP, POST, PROJECT, PUBLICITY

app_name = "serve"

urlpatterns = [
    *kind_urls(PROJECT, "projects/", views.project_list),
    *kind_urls(PARTNERSHIP, "partnerships/", views.partnership_list),
    *kind_urls(ACTIVITY, "activities/", parent_prefix="partnerships/"),
    *kind_urls(POST, "posts/", views.post_list),
    *kind_urls(PUBLICITY, "publicity/", views.publicity_list),
    *trash_urls("serve"),
]
