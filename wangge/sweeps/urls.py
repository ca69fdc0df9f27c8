from django.urls import path

from wangge.sweeps import views

app_name = "sweeps"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/go/", views.go, name="go"),
    path("<int:pk>/go/<int:building_pk>/", views.building, name="building"),
]
