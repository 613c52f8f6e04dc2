"""Background jobs (imports, exports, ...): state, progress, counts, errors and the result file."""

from __future__ import annotations

from django.db.models import Q
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from annotator.core.errors import NotFound
from annotator.jobs.models import Job
from annotator.jobs.services import job_cancel, job_retry
from annotator.projects.models import Role
from api.access import member_project_ids
from api.filters import JobFilter
from api.representations import ErrorSerializer, parse_id


class JobSerializer(serializers.ModelSerializer):
    result_url = serializers.SerializerMethodField()
    project = serializers.IntegerField(source="project_id", read_only=True, allow_null=True)

    class Meta:
        model = Job
        fields = (
            "id", "kind", "project", "state", "progress", "counts", "errors", "message", "result_url",
            "attempts", "created_at", "started_at", "finished_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_result_url(self, job) -> str | None:
        if not job.result_file:
            return None
        return reverse("job-download", kwargs={"pk": job.pk}, request=self.context.get("request"))


def jobs_visible(*, user):
    """Your own jobs, and every job of the projects you manage."""
    if user.is_superuser:
        return Job.objects.all()
    managed = member_project_ids(user=user, roles=[Role.MANAGER])
    return Job.objects.filter(Q(created_by=user) | Q(project_id__in=managed))


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = JobSerializer
    filterset_class = JobFilter
    queryset = Job.objects.none()

    def get_queryset(self):
        return jobs_visible(user=self.request.user)

    def get_object(self):
        pk = parse_id(self.kwargs["pk"])
        job = self.get_queryset().filter(pk=pk).first() if pk else None
        if job is None:
            raise NotFound("Job not found.")
        return job

    @extend_schema(
        request=None,
        responses={200: JobSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        summary="Cancel a job that has not ended (a running task is stopped)",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        job = job_cancel(job=self.get_object(), user=request.user)
        return Response(JobSerializer(job, context={"request": request}).data)

    @extend_schema(
        request=None,
        responses={202: JobSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        summary="Run a failed or cancelled job again, or queue one the broker could not take",
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        job = job_retry(job=self.get_object())
        return Response(
            JobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="The job's result file"
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if not job.result_file:
            raise NotFound("This job has no result file (yet).")
        name = job.result_file.name.rsplit("/", 1)[-1]
        return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)
