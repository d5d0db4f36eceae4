from django.urls import include, path

from taizhang import views
from taizhang.accounts.urls import auth_urlpatterns
from taizhang.core import records
from taizhang.core import views as core_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("part/<slug:slug>/", views.part_page, name="part"),
    path("attachments/<int:pk>/", core_views.attachment_file, name="attachment"),
    path("attachments/<int:pk>/thumbnail/", core_views.attachment_thumbnail, name="attachment_thumbnail"),
    path("attachments/<int:pk>/delete/", core_views.attachment_delete, name="attachment_delete"),
    path(
        "attachments/upload/<str:app_label>/<str:model_name>/<int:object_id>/",
        core_views.attachment_upload,
        name="attachment_upload",
    ),
    path("trash/", records.trash, name="trash"),
    path("trash/<str:kind>/<int:pk>/restore/", records.restore, name="restore"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("taizhang.accounts.urls")),
    path("campaigns/", include("taizhang.campaigns.urls")),
    path("", include("taizhang.orgs.urls")),
    path("study/", include("taizhang.study.urls")),
    path("rectify/", include("taizhang.rectify.urls")),
    path("research/", include("taizhang.research.urls")),
    path("serve/", include("taizhang.serve.urls")),
    path("indicators/", include("taizhang.indicators.urls")),
    path("reports/", include("taizhang.reports.urls")),
    path("ledgers/", include("taizhang.ledgers.urls")),
]

handler400 = "taizhang.core.views.bad_request"
handler403 = "taizhang.core.views.forbidden"
handler404 = "taizhang.core.views.not_found"
