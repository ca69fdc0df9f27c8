from django.urls import path

from wangge.supplies.views import needs

app_name = "supplies"

urlpatterns: list = [
    path("needs/", needs.index, name="needs"),
    path("needs/new/", needs.new, name="need_new"),
    path("needs/<int:pk>/", needs.detail, name="need"),
    path("needs/<int:pk>/act/", needs.act, name="need_act"),
    path("needs/<int:pk>/photo/", needs.photo, name="need_photo"),
    path("deliveries/", needs.deliveries, name="deliveries"),
]
