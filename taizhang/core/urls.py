"""Core's own pages: the health check, attachments (any record's files) and the trash of every area.

Included by the project's URLconf without a namespace, so their names stay "attachment", "trash", …"""

from django.urls import path

from . import records, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("attachments/<int:pk>/thumbnail/", views.attachment_thumbnail, name="attachment_thumbnail"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path(
        "attachments/upload/<str:app_label>/<str:model_name>/<int:object_id>/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path("trash/", records.trash, name="trash"),
    path("trash/<str:kind>/<int:pk>/restore/", records.restore, name="restore"),
]
