"""Inter-annotator agreement (reviewers): a document's (``documents/{id}/agreement/``, POST
recomputes it now) and a project's (``projects/{id}/agreement/``; ``compute/`` queues a job)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from annotator.access import access_document, access_project
from annotator.projects.models import Role
from annotator.reviews.agreement_services import agreement_document_compute
from annotator.reviews.models import Agreement
from annotator.reviews.services import agreement_project_request
from api.jobs import JobSerializer, job_response
from api.reviews.base import DOCUMENT_PK, PROJECT_PK, ReviewResource
from api.reviews.serializers import ERRORS, AgreementSerializer


def _rows(**where):
    rows = Agreement.objects.filter(**where).select_related("label").order_by("label__code")
    return Response(AgreementSerializer(rows, many=True).data)


@extend_schema(parameters=[DOCUMENT_PK])
class DocumentAgreementViewSet(ReviewResource):
    @extend_schema(
        responses={200: AgreementSerializer(many=True), **ERRORS}, summary="A document's agreement"
    )
    def list(self, request, document_pk=None):
        document, _ = access_document(request.user, document_pk, minimum=Role.REVIEWER)
        return _rows(document=document)

    @extend_schema(
        request=None,
        responses={200: AgreementSerializer(many=True), **ERRORS},
        summary="Recompute a document's agreement now",
    )
    def create(self, request, document_pk=None):
        document, _ = access_document(request.user, document_pk, minimum=Role.REVIEWER)
        agreement_document_compute(document=document)
        return _rows(document=document)


@extend_schema(parameters=[PROJECT_PK])
class ProjectAgreementViewSet(ReviewResource):
    @extend_schema(responses={200: AgreementSerializer(many=True), **ERRORS}, summary="A project's agreement")
    def list(self, request, project_pk=None):
        project, _ = access_project(request.user, project_pk, minimum=Role.REVIEWER)
        return _rows(project=project, document=None)

    @extend_schema(
        request=None, responses={202: JobSerializer, **ERRORS}, summary="Recompute agreement (job)"
    )
    @action(detail=False, methods=["post"])
    def compute(self, request, project_pk=None):
        project, _ = access_project(request.user, project_pk, minimum=Role.REVIEWER)
        return job_response(agreement_project_request(project=project, user=request.user), request)
