from django.urls import path

from wangge.venues import import_views

app_name = "venues"

urlpatterns: list = [
    path("venues/import/", import_views.upload, name="import"),
    path("venues/import/<int:pk>/", import_views.detail, name="import_detail"),
    path("venues/import/<int:pk>/report/", import_views.report, name="import_report"),
    path("venues/export/", import_views.export, name="export"),
]
