from django.urls import path

from wangge.residents.views import code, home, join, outbox, signin

app_name = "residents"

urlpatterns = [
    path("my/", home.home, name="home"),
    path("my/signin/", signin.signin, name="signin"),
    path("my/signin/code/", signin.signin_code, name="signin_code"),
    path("my/signin/resend/", signin.signin_resend, name="signin_resend"),
    path("my/signout/", signin.signout, name="signout"),
    path("my/sessions/<int:pk>/end/", home.session_end, name="session_end"),
    path("my/sessions/end/", home.sessions_end_all, name="sessions_end_all"),
    path("residents/outbox/", outbox.outbox, name="outbox"),
    path("my/code/", code.code_entry, name="code_entry"),
    path("my/code/<int:person_id>/", code.code, name="code"),
    path("my/code/<int:person_id>/state/", code.code_state_json, name="code_state"),
    path("my/join/<str:token>/", join.join, name="join"),
    path("residents/join-posters/", join.join_posters, name="join_posters"),
    path("residents/join-posters/<int:pk>/", join.join_poster, name="join_poster"),
]
