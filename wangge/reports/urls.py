from django.urls import path

from wangge.reports.views import approvals, daily, screen, upstream

app_name = "reports"

urlpatterns = [
    path("daily/", daily.daily, name="daily"),
    path("daily/build/", daily.build, name="build"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("approvals/approve/", approvals.decide, {"verb": "approve"}, name="approve"),
    path("approvals/unapprove/", approvals.decide, {"verb": "unapprove"}, name="unapprove"),
    path("upstream/", upstream.templates, name="templates"),
    path("upstream/<int:pk>/", upstream.template, name="template"),
    path("upstream/<int:pk>/file/", upstream.template_file, name="template_file"),
    path("upstream/fills/<int:pk>/file/", upstream.fill_file, name="fill_file"),
    path("upstream/received/", upstream.received, name="received"),
    path("screen/", screen.screen, name="screen"),
    path("screen/data/", screen.data, name="screen_data"),
]
