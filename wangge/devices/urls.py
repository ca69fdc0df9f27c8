from django.urls import path

from wangge.devices import hook, views

app_name = "devices"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.device_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("hook/<str:serial>/<str:token>/", hook.camera_hook, name="hook"),
]
