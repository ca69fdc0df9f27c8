from django.urls import path

from wangge.reports.views import daily

app_name = "reports"

urlpatterns = [
    path("daily/", daily.daily, name="daily"),
    path("daily/build/", daily.build, name="build"),
]
