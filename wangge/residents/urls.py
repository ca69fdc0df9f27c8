from django.urls import path

from wangge.residents.views import home, requests, requests_staff

app_name = "residents"

urlpatterns = [
    path("my/", home.home, name="home"),
    path("my/sessions/<int:pk>/end/", home.session_end, name="session_end"),
    path("my/sessions/end/", home.sessions_end_all, name="sessions_end_all"),
    path("my/requests/", requests.mine, name="requests_mine"),
    path("my/requests/new/", requests.new, name="request_new"),
    path("my/requests/<int:pk>/", requests.detail, name="request_mine"),
    path("my/requests/<int:pk>/withdraw/", requests.withdraw, name="request_withdraw"),
    path("my/requests/<int:pk>/rate/", requests.rate, name="request_rate"),
    path("my/requests/photos/<int:pk>/", requests.photo, name="request_photo_mine"),
    path("residents/requests/", requests_staff.index, name="requests"),
    path("residents/requests/summary/", requests_staff.summary, name="requests_summary"),
    path("residents/requests/<int:pk>/", requests_staff.detail, name="request_detail"),
    path("residents/requests/<int:pk>/act/", requests_staff.act, name="request_act"),
    path("residents/requests/photos/<int:pk>/", requests_staff.photo, name="request_photo"),
]
