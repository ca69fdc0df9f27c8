from django.urls import path

from wangge.venues import import_views
from wangge.venues.views import (
    cards,
    checklists,
    disinfection,
    inspections,
    posters,
    public,
    register,
    rules,
    visits,
)

app_name = "venues"

urlpatterns = [
    path("venues/", register.index, name="index"),
    path("venues/new/", register.venue_new, name="new"),
    path("venues/<int:pk>/", register.detail, name="detail"),
    path("venues/<int:pk>/edit/", register.venue_edit, name="edit"),
    path("venues/<int:pk>/code/reissue/", register.code_reissue, name="code_reissue"),
    path("venues/<int:pk>/staff/", register.staff_add, name="staff_add"),
    path("venues/staff/<int:pk>/remove/", register.staff_remove, name="staff_remove"),
    path("venues/<int:pk>/poster.pdf", posters.poster, name="poster"),
    path("venues/grid/<int:pk>/posters.pdf", posters.grid_posters, name="grid_posters"),
    path("venues/<int:pk>/visits/", visits.venue_visits, name="visits"),
    path("venues/import/", import_views.upload, name="import"),
    path("venues/import/<int:pk>/", import_views.detail, name="import_detail"),
    path("venues/import/<int:pk>/report/", import_views.report, name="import_report"),
    path("venues/export/", import_views.export, name="export"),
    path("v/<str:token>/", visits.visit, name="visit"),
    path("venues/disinfection/", disinfection.index, name="disinfection"),
    path("venues/disinfection/new/", disinfection.log_new, name="disinfection_new"),
    path("venues/disinfection/today/", disinfection.requirements, name="disinfection_requirements"),
    path("venues/disinfection/<int:pk>/photo/", disinfection.photo, name="disinfection_photo"),
    path("venues/checklists/", checklists.checklists, name="checklists"),
    path("venues/rules/", rules.rules, name="rules"),
    path("venues/<int:pk>/inspect/", inspections.inspect, name="inspect"),
    path("venues/<int:pk>/closed/", inspections.closed_set, name="closed_set"),
    path("venues/cards/", cards.card_list, name="cards"),
    path("venues/cards/<int:pk>/notice/", cards.card_notice, name="card_notice"),
    path("v/status/<str:token>/", public.status, name="public_status"),
    path("v/carded/<int:street_pk>/", public.carded, name="public_carded"),
]
