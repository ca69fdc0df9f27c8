from django.urls import path

from wangge.checkpoints.views import checkpoints, codes, doors, reports, rosters, scan

app_name = "checkpoints"
urlpatterns = [
    path("", checkpoints.index, name="index"),
    path("new/", checkpoints.checkpoint_new, name="new"),
    path("<int:pk>/", checkpoints.detail, name="detail"),
    path("<int:pk>/edit/", checkpoints.checkpoint_edit, name="edit"),
    path("<int:pk>/poster/", checkpoints.poster, name="poster"),
    path("<int:pk>/poster/renew/", checkpoints.code_renew, name="code_renew"),
    path("<int:pk>/doors/new/", doors.door_new, name="door_new"),
    path("doors/<int:pk>/edit/", doors.door_edit, name="door_edit"),
    path("doors/<int:pk>/test/", doors.door_test, name="door_test"),
    path("<int:pk>/scan/", scan.scan_page, name="scan"),
    path("<int:pk>/scan/recent/", scan.scan_recent, name="scan_recent"),
    path("<int:pk>/handout/", scan.handout, name="handout"),
    path("<int:pk>/roster/", rosters.roster, name="roster"),
    path("<int:pk>/roster.xlsx", rosters.roster_xlsx, name="roster_xlsx"),
    path("shifts/<int:pk>/assign/", rosters.assign, name="assign"),
    path("shifts/<int:pk>/note/", rosters.note, name="note"),
    path("assignments/<int:pk>/remove/", rosters.unassign, name="unassign"),
    path("assignments/<int:pk>/clock/", rosters.clock, name="volunteer_clock"),
    path("gaps/", rosters.gaps, name="gaps"),
    path("scans/<int:pk>/", scan.scan_detail, name="scan_detail"),
    path("report/", reports.report, name="report"),
    path("codes/", codes.codes_index, name="codes"),
    path("codes/building/<int:pk>/", codes.codes_building, name="codes_building"),
    path("codes/person/<int:pk>/reissue/", codes.code_reissue, name="code_reissue"),
    path("passes/", codes.passes, name="passes"),
    path("passes/building/<int:pk>/", codes.passes_print, name="passes_print"),
    path("passes/<int:pk>/revoke/", codes.pass_revoke_view, name="pass_revoke"),
]
