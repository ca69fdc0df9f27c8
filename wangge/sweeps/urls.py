from django.urls import path

from wangge.sweeps.views import campaigns, progress, proposals, sweepers

app_name = "sweeps"

urlpatterns = [
    path("", campaigns.index, name="index"),
    path("new/", campaigns.new, name="new"),
    path("<int:pk>/start/", campaigns.start, name="start"),
    path("<int:pk>/close/", campaigns.close, name="close"),
    path("<int:pk>/go/", campaigns.go, name="go"),
    path("<int:pk>/go/<int:building_pk>/", campaigns.building, name="building"),
    path("<int:pk>/", progress.campaign_page, name="campaign"),
    path("<int:pk>/grids/<int:grid_id>/", progress.grid_page, name="grid"),
    path("<int:pk>/buildings/<int:building_id>/", progress.building_page, name="building_map"),
    path("<int:pk>/sweepers/", sweepers.sweepers, name="sweepers"),
    path("proposals/", proposals.queue, name="proposals"),
    path("proposals/<int:pk>/confirm/", proposals.confirm, name="proposal_confirm"),
    path("proposals/<int:pk>/reject/", proposals.reject, name="proposal_reject"),
]
