from django.urls import path

from wangge.tracing.views import export

app_name = "tracing"

urlpatterns = [
    path("cases/<int:pk>/export/", export.case_xlsx, name="case_export"),
]
