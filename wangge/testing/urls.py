from django.urls import path

from wangge.testing.views import keygroups, results, rounds, untested, vaccination

app_name = "testing"
urlpatterns = [
    path("", rounds.index, name="index"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/coverage/", rounds.round_coverage_fragment, name="round_coverage"),
    path("rounds/<int:pk>/sites/", rounds.site_add, name="site_add"),
    path("rounds/<int:pk>/untested/", untested.untested_list, name="untested"),
    path("rounds/<int:pk>/untested.xlsx", untested.untested_xlsx, name="untested_xlsx"),
    path("rounds/<int:pk>/untested/<int:person_pk>/mark/", untested.untested_mark, name="mark"),
    path("rounds/<int:pk>/untested/<int:person_pk>/call/", untested.untested_call, name="call"),
    path("results/import/", results.import_upload, name="import_upload"),
    path("results/imports/<int:pk>/", results.import_detail, name="import"),
    path("results/unmatched/", results.unmatched_list, name="unmatched"),
    path(
        "results/unmatched/<int:pk>/candidates/",
        results.unmatched_candidates,
        name="unmatched_candidates",
    ),
    path(
        "results/unmatched/<int:pk>/resolve/", results.unmatched_resolve, name="unmatched_resolve"
    ),
    path(
        "results/unmatched/<int:pk>/dismiss/", results.unmatched_dismiss, name="unmatched_dismiss"
    ),
    path("results/review/", results.review_list, name="review"),
    path("keygroups/", keygroups.keygroup_list, name="keygroups"),
    path("keygroups/overdue/", keygroups.overdue_list, name="overdue"),
    path("keygroups/<int:pk>/", keygroups.keygroup_detail, name="keygroup"),
    path("keygroups/<int:pk>/members/", keygroups.member_add, name="member_add"),
    path("keygroups/<int:pk>/members/import/", keygroups.members_import, name="members_import"),
    path(
        "keygroups/<int:pk>/members/<int:member_pk>/leave/",
        keygroups.member_leave,
        name="member_leave",
    ),
    path("vaccination/", vaccination.vaccination_home, name="vaccination"),
    path("vaccination/doses/import/", vaccination.doses_import, name="doses_import"),
    path("vaccination/outreach/", vaccination.outreach, name="outreach"),
    path(
        "vaccination/outreach/<int:person_pk>/note/",
        vaccination.outreach_note,
        name="outreach_note",
    ),
    path("vaccination/outreach/<int:person_pk>/book/", vaccination.slot_book, name="slot_book"),
    path("vaccination/trips/", vaccination.slots, name="slots"),
]
