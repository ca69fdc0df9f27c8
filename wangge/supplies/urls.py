from django.urls import path

from wangge.supplies.views import overview

app_name = "supplies"

urlpatterns: list = [
    path("", overview.dashboard, name="dashboard"),
    path("thresholds/", overview.thresholds, name="thresholds"),
]
