from django.urls import path

from wangge.front.browse import views

app_name = "regions"
urlpatterns = [
    path("", views.index, name="index"),
    path("street/<int:pk>/", views.street_detail, name="street_detail"),
    path("community/<int:pk>/", views.community_detail, name="community_detail"),
    path("grid/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("compound/<int:pk>/", views.compound_detail, name="compound_detail"),
    path("building/<int:pk>/", views.building_detail, name="building_detail"),
    path("household/<int:pk>/", views.household_detail, name="household_detail"),
    path("household/<int:pk>/edit/", views.household_edit, name="household_edit"),
]
