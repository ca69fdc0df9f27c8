from django.urls import path

from wangge.front import views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit, name="audit"),
]
