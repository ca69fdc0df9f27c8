from django.urls import path

from wangge.sweeps.views import progress, proposals

app_name = "sweeps"

urlpatterns: list = [
    path("<int:pk>/", progress.campaign_page, name="campaign"),
    path("<int:pk>/grids/<int:grid_id>/", progress.grid_page, name="grid"),
    path("<int:pk>/buildings/<int:building_id>/", progress.building_page, name="building"),
    path("proposals/", proposals.queue, name="proposals"),
    path("proposals/<int:pk>/confirm/", proposals.confirm, name="proposal_confirm"),
    path("proposals/<int:pk>/reject/", proposals.reject, name="proposal_reject"),
]
