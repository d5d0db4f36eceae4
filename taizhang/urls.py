from django.urls import include, path

from taizhang import views
from taizhang.accounts.urls import auth_urlpatterns
from taizhang.core import download_views

urlpatterns = [
    path("", views.home, name="home"),
    path("part/<slug:slug>/", views.part_page, name="part"),
    path("", include("taizhang.core.urls")),
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
    path("downloads/", include((download_views.route.urls, "downloads"))),
]

handler400 = "taizhang.core.views.bad_request"
handler403 = "taizhang.core.views.forbidden"
handler404 = "taizhang.core.views.not_found"
handler500 = "taizhang.core.errors.server_error"  # a busy database gets the 503 page instead
