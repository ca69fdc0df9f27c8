from django.urls import path

from wangge.tracing.views import candidates, cases, export, graph

app_name = "tracing"

urlpatterns = [
    path("", cases.index, name="cases"),
    path("cases/<int:pk>/", cases.detail, name="case"),
    path("cases/<int:pk>/run/", cases.run, name="case_run"),
    path("cases/<int:pk>/people/", cases.people, name="case_people"),
    path("cases/<int:pk>/named/", cases.named_add, name="case_named"),
    path("cases/<int:pk>/named/list/", cases.named_list, name="case_named_list"),
    path("cases/<int:pk>/list/", cases.send_list, name="case_list"),
    path("cases/<int:pk>/graph.json", graph.graph_json, name="case_graph"),
    path("candidates/", candidates.index, name="candidates"),
    path("candidates/<int:pk>/confirm/", candidates.confirm, name="candidate_confirm"),
    path("candidates/<int:pk>/dismiss/", candidates.dismiss, name="candidate_dismiss"),
    path("candidates/<int:pk>/reopen/", candidates.reopen, name="candidate_reopen"),
    path("cases/<int:pk>/export/", export.case_xlsx, name="case_export"),
]
