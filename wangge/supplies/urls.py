from django.urls import path

from wangge.supplies.views import counts, donations, items, ledger, moves, needs, overview, places

app_name = "supplies"

urlpatterns = [
    path("items/", items.items, name="items"),
    path("items/new/", items.item_new, name="item_new"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("places/", places.places, name="places"),
    path("places/new/", places.place_new, name="place_new"),
    path("places/<int:pk>/", places.place, name="place"),
    path("places/<int:pk>/edit/", places.place_edit, name="place_edit"),
    path("places/<int:pk>/receive/", moves.receive, name="receive"),
    path("places/<int:pk>/issue/", moves.issue, name="issue"),
    path("places/<int:pk>/transfer/", moves.transfer, name="transfer"),
    path("places/<int:pk>/ledger/", ledger.ledger, name="ledger"),
    path("places/<int:pk>/ledger/export/", ledger.ledger_xlsx, name="ledger_export"),
    path("batches/<int:pk>/write-off/", moves.write_off, name="write_off"),
    path("moves/<int:pk>/reverse/", moves.reverse, name="reverse"),
    path("needs/", needs.index, name="needs"),
    path("needs/new/", needs.new, name="need_new"),
    path("needs/<int:pk>/", needs.detail, name="need"),
    path("needs/<int:pk>/act/", needs.act, name="need_act"),
    path("needs/<int:pk>/photo/", needs.photo, name="need_photo"),
    path("deliveries/", needs.deliveries, name="deliveries"),
    path("donations/", donations.index, name="donations"),
    path("donations/new/", donations.new, name="donation_new"),
    path("donations/<int:pk>/", donations.detail, name="donation"),
    path("thanks/<int:street_pk>/", donations.thanks, name="thanks"),
    path("donor/<str:token>/", donations.donor, name="donor"),
    path("counts/", counts.index, name="counts"),
    path("counts/new/", counts.new, name="count_new"),
    path("counts/sheet/<int:place_pk>/", counts.sheet, name="count_sheet"),
    path("counts/<int:pk>/", counts.detail, name="count"),
    path("counts/<int:pk>/approve/", counts.approve, name="count_approve"),
    path("counts/<int:pk>/reject/", counts.reject, name="count_reject"),
    path("", overview.dashboard, name="dashboard"),
    path("thresholds/", overview.thresholds, name="thresholds"),
]
