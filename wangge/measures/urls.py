from django.urls import path

from wangge.measures.views import arrivals, board, cases, health, measures, public, risk, rules

app_name = "measures"
urlpatterns = [
    path("", board.board, name="mine"),
    path("list/", measures.measure_list, name="list"),
    path("assign/", measures.assign, name="assign"),
    path("assign/search/", measures.assign_search, name="assign_search"),
    path("<int:pk>/", measures.detail, name="detail"),
    path("<int:pk>/checkin/", board.checkin, name="checkin"),
    path("<int:pk>/release/", board.release, name="release"),
    path("<int:pk>/end-early/", measures.end_early, name="end_early"),
    path("<int:pk>/transfer/", measures.transfer, name="transfer"),
    path("tests/<int:pk>/record/", board.test_record, name="test_record"),
    path("person/<int:pk>/", measures.timeline, name="timeline"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/new/<int:person_pk>/", cases.case_new, name="case_new"),
    path("c/<str:token>/", public.resident_checkin, name="resident_checkin"),
    path("risk-areas/", risk.risk_areas, name="risk_areas"),
    path("risk-areas/new/", risk.risk_area_edit, name="risk_area_new"),
    path("risk-areas/import/", risk.risk_area_upload, name="risk_area_import"),
    path("risk-areas/<int:pk>/", risk.risk_area, name="risk_area"),
    path("risk-areas/<int:pk>/edit/", risk.risk_area_edit, name="risk_area_edit"),
    path("arrivals/", arrivals.arrivals, name="arrivals"),
    path("arrivals/new/", arrivals.arrival_new, name="arrival_new"),
    path("arrivals/<int:pk>/", arrivals.arrival, name="arrival"),
    path("health-codes/", health.health_codes, name="health_codes"),
    path("health-codes/import/", health.health_code_upload, name="health_code_import"),
    path("rules/", rules.rule_sets, name="rule_sets"),
    path("rules/<int:pk>/", rules.rule_set, name="rule_set"),
    path("rules/<int:pk>/types/<int:type_pk>/", rules.rule_set, name="measure_type_edit"),
]
