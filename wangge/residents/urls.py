from django.urls import path

from wangge.residents.views import accounts, home, outbox, signin

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
    path("residents/accounts/<int:pk>/disable/", accounts.disable, name="account_disable"),
    path("residents/accounts/<int:pk>/enable/", accounts.enable, name="account_enable"),
]
