from django.urls import path

from wangge.venues import import_views
from wangge.venues.views import disinfection, posters, register, visits

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
]
