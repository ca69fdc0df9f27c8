from django.urls import path

from wangge.residents.views import home

app_name = "residents"

urlpatterns = [
    path("my/", home.home, name="home"),
    path("my/sessions/<int:pk>/end/", home.session_end, name="session_end"),
    path("my/sessions/end/", home.sessions_end_all, name="sessions_end_all"),
]
