from django.urls import path

from wangge.people import views

app_name = "people"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/status/", views.person_status, name="person_status"),
    path("<int:pk>/verify/", views.person_verify, name="person_verify"),
    path("<int:pk>/reveal/<str:field>/", views.person_reveal, name="person_reveal"),
    path("add/<int:household_pk>/", views.person_create, name="person_create"),
]
