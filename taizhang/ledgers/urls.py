from django.urls import path

from . import views

app_name = "ledgers"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("template.xlsx", views.template, name="template"),
    path("archive.zip", views.archive, name="archive"),
    path("import/", views.upload, name="upload"),
    path("import/<str:job_id>/", views.job, name="job"),
    path("import/<str:job_id>/confirm/", views.confirm, name="confirm"),
]
