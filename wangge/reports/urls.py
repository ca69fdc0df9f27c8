from django.urls import path

from wangge.reports.views import daily, screen

app_name = "reports"

urlpatterns = [
    path("daily/", daily.daily, name="daily"),
    path("daily/build/", daily.build, name="build"),
    path("screen/", screen.screen, name="screen"),
    path("screen/data/", screen.data, name="screen_data"),
]
