from django.urls import path

from wangge.regions import colour_views, zone_views

app_name = "colours"
urlpatterns = [
    path("", colour_views.index, name="index"),
    path("households/", colour_views.households, name="households"),
    path("street/<int:pk>/", colour_views.street, name="street"),
    path("grid/<int:pk>/", colour_views.grid, name="grid"),
    path("compound/<int:pk>/", colour_views.compound_plan, name="compound"),
    path("compound/<int:pk>/plan.svg", colour_views.plan_svg, name="plan_svg"),
    path("compound/<int:pk>/public-plan/", colour_views.public_switch, name="public_switch"),
    path("building/<int:pk>/", colour_views.building_plan, name="building"),
    path("household/<int:pk>/override/", colour_views.override_set, name="override"),
    path("override/<int:pk>/lift/", colour_views.override_lift, name="override_lift"),
    path("zones/", zone_views.zones, name="zones"),
    path("zones/new/", zone_views.zone_new, name="zone_new"),
    path("zones/<int:pk>/", zone_views.zone_detail, name="zone"),
    path("areas/", zone_views.area_colours, name="areas"),
    path("areas/new/", zone_views.area_colour_new, name="area_new"),
    path("areas/<int:pk>/end/", zone_views.area_colour_stop, name="area_end"),
]
