from django.urls import path

from wangge.sweeps.views import campaigns

app_name = "sweeps"

urlpatterns = [
    path("", campaigns.index, name="index"),
    path("new/", campaigns.new, name="new"),
    path("<int:pk>/start/", campaigns.start, name="start"),
    path("<int:pk>/close/", campaigns.close, name="close"),
    path("<int:pk>/go/", campaigns.go, name="go"),
    path("<int:pk>/go/<int:building_pk>/", campaigns.building, name="building"),
]
