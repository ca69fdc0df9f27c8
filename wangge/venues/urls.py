from django.urls import path

from wangge.venues.views import visits

app_name = "venues"

urlpatterns: list = [
    path("v/<str:token>/", visits.visit, name="visit"),
    path("venues/<int:pk>/visits/", visits.venue_visits, name="visits"),
]
