from django.urls import path

from wangge.venues.views import cards, checklists, inspections, public

app_name = "venues"

urlpatterns: list = [
    path("venues/checklists/", checklists.checklists, name="checklists"),
    path("venues/<int:pk>/inspect/", inspections.inspect, name="inspect"),
    path("venues/<int:pk>/closed/", inspections.closed_set, name="closed_set"),
    path("venues/cards/", cards.card_list, name="cards"),
    path("venues/cards/<int:pk>/notice/", cards.card_notice, name="card_notice"),
    path("v/status/<str:token>/", public.status, name="public_status"),
    path("v/carded/<int:street_pk>/", public.carded, name="public_carded"),
]
