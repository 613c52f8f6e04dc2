"""Routes of API v1. Each resource module registers its views here."""

from rest_framework.routers import DefaultRouter

from api.annotations import AnnotationViewSet
from api.bulk import AnnotationBulkViewSet
from api.documents import DocumentViewSet
from api.jobs import JobViewSet
from api.relations import RelationViewSet
from api.speakers import SpeakerViewSet

router = DefaultRouter()
# bulk before annotations: its path would otherwise read as annotations/{pk}/.
router.register("annotations/bulk", AnnotationBulkViewSet, basename="annotation-bulk")
router.register("annotations", AnnotationViewSet, basename="annotation")
router.register("relations", RelationViewSet, basename="relation")
router.register("documents", DocumentViewSet, basename="document")
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register("jobs", JobViewSet, basename="job")

urlpatterns = router.urls
