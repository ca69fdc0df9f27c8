"""The REST API: one router for every app's viewsets (see docs/api.md)."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
