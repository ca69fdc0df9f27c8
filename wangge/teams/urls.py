from django.urls import path

from wangge.teams.views import baobao, care

app_name = "teams"

urlpatterns: list = [
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
