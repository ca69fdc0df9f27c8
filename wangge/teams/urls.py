from django.urls import path

from wangge.teams.views import baobao, call_answer, calls, care, hub, member, public, team

app_name = "teams"

urlpatterns = [
    path("", hub.hub, name="hub"),
    path("new/", hub.team_new, name="team_new"),
    path("join/", public.join, name="join"),
    path("join/thanks/", public.join_thanks, name="join_thanks"),
    path("<int:pk>/", team.team, name="team"),
    path("<int:pk>/edit/", team.team_edit, name="team_edit"),
    path("<int:pk>/members/new/", team.member_new, name="member_new"),
    path("members/<int:pk>/", member.member, name="member"),
    path("members/<int:pk>/edit/", member.member_edit, name="member_edit"),
    path("members/<int:pk>/leave/", member.leave, name="member_leave"),
    path("members/<int:pk>/decide/", hub.decide, name="member_decide"),
    path("members/<int:pk>/records/", member.record_new, name="record_new"),
    path("calls/", calls.index, name="calls"),
    path("calls/new/", calls.new, name="call_new"),
    path("calls/<int:pk>/", calls.detail, name="call_detail"),
    path("calls/<int:pk>/send/", calls.send, name="call_send"),
    path("calls/<int:pk>/close/", calls.close, name="call_close"),
    path("calls/<int:pk>/invites/<int:invite_pk>/post/", calls.assign, name="call_assign"),
    path("calls/answer/<str:token>/", call_answer.answer, name="call_answer"),
    path("baobao/", baobao.index, name="baobao"),
    path("baobao/household/<int:pk>/", baobao.household, name="baobao_household"),
    path("baobao/assignments/<int:pk>/end/", baobao.end, name="baobao_end"),
    path("care/", care.index, name="care"),
    path("care/new/", care.new, name="care_new"),
    path("care/<int:pk>/", care.plan, name="care_plan"),
    path("care/<int:pk>/call/", care.call, name="care_call"),
    path("care/<int:pk>/carer/", care.carer, name="care_carer"),
    path("care/<int:pk>/end/", care.end, name="care_end"),
]
