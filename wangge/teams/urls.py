from django.urls import path

from wangge.teams.views import duties, units

app_name = "teams"

urlpatterns = [
    path("duties/", duties.index, name="duties"),
    path("duties/new/", duties.position_new, name="position_new"),
    path("duties/<int:pk>/edit/", duties.position_edit, name="position_edit"),
    path("duties/<int:pk>/up/", duties.position_up, name="position_up"),
    path("duties/<int:pk>/duty/", duties.duty_add, name="duty_add"),
    path("duties/duty/<int:pk>/edit/", duties.duty_edit, name="duty_edit"),
    path("duties/duty/<int:pk>/remove/", duties.duty_remove, name="duty_remove"),
    path("duties/<int:pk>/holder/", duties.holder_add, name="holder_add"),
    path("duties/holder/<int:pk>/end/", duties.holder_end, name="holder_end"),
    path("duties/street/<int:pk>.pdf", duties.street_pdf, name="duties_street_pdf"),
    path("duties/community/<int:pk>.pdf", duties.community_pdf, name="duties_community_pdf"),
    path("party/", duties.party, name="party"),
    path("party/<int:pk>/service/", duties.service_add, name="service_add"),
    path("units/", units.index, name="units"),
    path("units/new/", units.unit_new, name="unit_new"),
    path("units/<int:pk>/", units.unit, name="unit"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<int:pk>/letter/", units.letter_add, name="letter_add"),
    path("units/<int:pk>/take/", units.building_take, name="building_take"),
    path("units/<int:pk>/release/", units.building_release, name="building_release"),
    path("letters/<int:pk>/scan/", units.letter_scan, name="letter_scan"),
    path("letters/<int:pk>.pdf", units.letter_pdf, name="letter_pdf"),
]
