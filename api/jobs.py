"""Background jobs (imports, exports, ...): state, progress, counts, errors and the result file."""

from __future__ import annotations

import time

from django.db.models import Q
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from annotator.access import member_project_ids
from annotator.core.errors import ApplicationError, NotFound
from annotator.interchange.exports import export_job_assert_downloadable
from annotator.jobs.models import FINISHED_STATES, Job, JobKind, JobState
from annotator.jobs.services import job_cancel, job_retry
from annotator.projects.models import Role
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


def job_response(job: Job, request, *, finished_status: int = status.HTTP_200_OK) -> Response:
    """The job as it is now: without a broker the task has already run (on commit), so the answer
    is 200 with its final state and result; with one, 202 while it is pending or running."""
    if job.state not in FINISHED_STATES:  # an ended job is final; one still live may have run on commit
        job.refresh_from_db()
    finished = job.state in (JobState.SUCCEEDED, JobState.FAILED)
    code = finished_status if finished else status.HTTP_202_ACCEPTED
    return Response(JobSerializer(job, context={"request": request}).data, status=code)


def jobs_visible(*, user):
    """Your own jobs in the projects you are a member of now (and your jobs of no project), and
    every job of the projects you review or manage. Leaving a project hides its jobs and their files."""
    if user.is_superuser:
        return Job.objects.all()
    overseen = member_project_ids(user=user, roles=[Role.MANAGER, Role.REVIEWER])
    mine = Q(created_by=user) & (Q(project__isnull=True) | Q(project_id__in=member_project_ids(user=user)))
    return Job.objects.filter(mine | Q(project_id__in=overseen))


# GET jobs/{id}/?wait=S answers when the job ends or after S seconds, whichever comes first:
# one request instead of a client's polling loop, and the end is seen within WAIT_STEP (a
# client polling with back-off saw it up to its last pause late). The request holds a web
# worker meanwhile, hence the short limit; the state is read by primary key each step.
WAIT_LIMIT = 10.0
WAIT_STEP = 0.02


def wait_seconds(value: str | None) -> float:
    if value in (None, ""):
        return 0.0
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= WAIT_LIMIT:
        raise ApplicationError.field("wait", f"wait must be a number of seconds from 0 to {WAIT_LIMIT:g}.")
    return seconds


def job_wait_ended(*, job: Job, seconds: float) -> Job:
    """The job once it has ended, or as it is after ``seconds``."""
    deadline = time.monotonic() + seconds
    ended = Job.objects.filter(pk=job.pk, state__in=FINISHED_STATES)
    while job.state not in FINISHED_STATES and time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        if ended.exists():
            job.refresh_from_db()
    return job


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    ordering_fields = ("id", "created_at")
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
        parameters=[
            OpenApiParameter(
                "wait",
                {"type": "number", "minimum": 0, "maximum": WAIT_LIMIT},
                description=f"Answer when the job ends, or after this many seconds (at most {WAIT_LIMIT:g})",
            )
        ],
        responses={200: JobSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def retrieve(self, request, pk=None):
        seconds = wait_seconds(request.query_params.get("wait"))
        job = job_wait_ended(job=self.get_object(), seconds=seconds)
        return Response(JobSerializer(job, context={"request": request}).data)

    @extend_schema(
        request=None,
        responses={200: JobSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Cancel a job that has not ended (a running task is stopped)",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        job = job_cancel(job=self.get_object(), user=request.user)
        return Response(JobSerializer(job, context={"request": request}).data)

    @extend_schema(
        request=None,
        responses={202: JobSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Run a failed or cancelled job again, or queue one the broker could not take",
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        job = job_retry(job=self.get_object())
        return Response(
            JobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
            (200, "application/zip"): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.STR,
            404: ErrorSerializer,
        },
        summary="The job's result file (an export: JSON, JSON-LD, CSV or a zip of them)",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if not job.result_file:
            raise NotFound("This job has no result file (yet).")
        if job.kind == JobKind.EXPORT and job.project_id is not None:
            export_job_assert_downloadable(user=request.user, job=job)
        name = job.result_file.name.rsplit("/", 1)[-1]
        return FileResponse(
            job.result_file.open("rb"),
            as_attachment=True,
            filename=name,
            content_type=result_media_type(name),
        )


def result_media_type(name: str) -> str:
    """What a result file is, from its name (``<scope>-<format>-<status>-<stamp>.<ext>``)."""
    if name.endswith(".zip"):
        return "application/zip"
    if name.endswith(".csv"):
        return "text/csv; charset=utf-8"
    return "application/ld+json" if "-web-annotation-" in name else "application/json"
