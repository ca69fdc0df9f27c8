from django.urls import path

from wangge.colours import views, zone_views

app_name = "colours"
urlpatterns = [
    path("", views.index, name="index"),
    path("households/", views.households, name="households"),
    path("street/<int:pk>/", views.street, name="street"),
    path("grid/<int:pk>/", views.grid, name="grid"),
    path("compound/<int:pk>/", views.compound_plan, name="compound"),
    path("compound/<int:pk>/plan.svg", views.plan_svg, name="plan_svg"),
    path("compound/<int:pk>/public-plan/", views.public_switch, name="public_switch"),
    path("building/<int:pk>/", views.building_plan, name="building"),
    path("household/<int:pk>/override/", views.override_set, name="override"),
    path("override/<int:pk>/lift/", views.override_lift, name="override_lift"),
    path("zones/", zone_views.zones, name="zones"),
    path("zones/new/", zone_views.zone_new, name="zone_new"),
    path("zones/<int:pk>/", zone_views.zone_detail, name="zone"),
    path("areas/", zone_views.area_colours, name="areas"),
    path("areas/new/", zone_views.area_colour_new, name="area_new"),
    path("areas/<int:pk>/end/", zone_views.area_colour_stop, name="area_end"),
]
