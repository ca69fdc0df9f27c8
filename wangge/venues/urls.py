from django.urls import path

from wangge.venues.views import disinfection

app_name = "venues"

urlpatterns: list = [
    path("venues/disinfection/", disinfection.index, name="disinfection"),
    path("venues/disinfection/new/", disinfection.log_new, name="disinfection_new"),
    path(
        "venues/disinfection/today/",
        disinfection.requirements,
        name="disinfection_requirements",
    ),
    path(
        "venues/disinfection/<int:pk>/photo/",
        disinfection.photo,
        name="disinfection_photo",
    ),
]
