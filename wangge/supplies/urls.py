from django.urls import path

app_name = "supplies"

urlpatterns: list = [
]
