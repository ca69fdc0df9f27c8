from django.urls import path

from wangge.supplies.views import counts, donations

app_name = "supplies"

urlpatterns: list = [
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
]
