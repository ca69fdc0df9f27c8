from django.urls import path

from wangge.teams.views import call_answer, calls

app_name = "teams"

urlpatterns: list = [
    path("calls/", calls.index, name="calls"),
    path("calls/new/", calls.new, name="call_new"),
    path("calls/<int:pk>/", calls.detail, name="call_detail"),
    path("calls/<int:pk>/send/", calls.send, name="call_send"),
    path("calls/<int:pk>/close/", calls.close, name="call_close"),
    path("calls/<int:pk>/invites/<int:invite_pk>/post/", calls.assign, name="call_assign"),
    path("calls/answer/<str:token>/", call_answer.answer, name="call_answer"),
]
