from django.urls import path

from wangge.residents.views import (
    accounts,
    code,
    home,
    join,
    notices,
    outbox,
    reports,
    signin,
    staff,
)

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
    path("my/checkin/", reports.checkins, name="checkins"),
    path("my/checkin/<int:person_id>/", reports.checkin, name="checkin"),
    path("my/reports/arrival/", reports.arrival, name="arrival"),
    path("my/reports/self-test/", reports.self_test, name="self_test"),
    path("my/notices/", notices.notices, name="notices"),
    path("my/notices/<int:pk>/", notices.notice, name="notice"),
    path("residents/notices/", staff.notices, name="staff_notices"),
    path("residents/notices/new/", staff.notice_new, name="staff_notice_new"),
    path("residents/notices/<int:pk>/", staff.notice, name="staff_notice"),
    path("residents/self-tests/", staff.self_tests, name="staff_self_tests"),
    path(
        "residents/self-tests/<int:pk>/photo/", staff.self_test_photo, name="staff_self_test_photo"
    ),
    path("my/code/", code.code_entry, name="code_entry"),
    path("my/code/<int:person_id>/", code.code, name="code"),
    path("my/code/<int:person_id>/state/", code.code_state_json, name="code_state"),
    path("my/join/<str:token>/", join.join, name="join"),
    path("residents/join-posters/", join.join_posters, name="join_posters"),
    path("residents/join-posters/<int:pk>/", join.join_poster, name="join_poster"),
]
