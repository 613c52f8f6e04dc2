"""Routes of API v1. Each resource module registers its views here."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
