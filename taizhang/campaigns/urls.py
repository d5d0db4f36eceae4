from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("<slug:code>/", views.campaign_detail, name="campaign_detail"),
    path("<slug:code>/make-current/", views.campaign_make_current, name="campaign_make_current"),
]
