from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.figures, name="figures"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("<str:code>/", views.figure_records, name="records"),
]
