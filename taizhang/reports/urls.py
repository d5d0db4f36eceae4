from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("summary.docx", views.summary_docx, name="summary"),
    path("stats.xlsx", views.stats_xlsx, name="stats_xlsx"),
    path("stats.docx", views.stats_docx, name="stats_docx"),
    path("check/", views.check, name="check"),
    path("template/", views.template_page, name="template"),
    path("template/default.docx", views.template_default, name="template_default"),
    path("template/file/<int:pk>/", views.template_file, name="template_file"),
    path("template/<int:org_pk>/upload/", views.template_upload, name="template_upload"),
    path("template/<int:org_pk>/reset/", views.template_reset, name="template_reset"),
]
