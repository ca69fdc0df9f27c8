from django.urls import path

from wangge.people import import_views as views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template/", views.template, name="template"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/undo/", views.undo, name="undo"),
    path("<int:pk>/report/", views.report, name="report"),
]
