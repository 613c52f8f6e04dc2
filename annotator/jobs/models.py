from django.conf import settings
from django.db import models


class JobKind(models.TextChoices):
    IMPORT = "import", "Import"
    EXPORT = "export", "Export"
    AGREEMENT = "agreement", "Agreement"
    SCORES = "scores", "Source scores"
    PING = "ping", "Ping"
    HEDGES = "hedges", "Hedge suggestions"


class JobState(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_STATES = [JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED]


class Job(models.Model):
    """A background task as the user sees it: state, progress, counts, errors, result."""

    kind = models.CharField(max_length=20, choices=JobKind.choices)
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    state = models.CharField(max_length=20, choices=JobState.choices, default=JobState.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0-100")
    params = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True, max_length=255)
    celery_task_id = models.CharField(
        max_length=64, blank=True, help_text="Empty while the job is not queued"
    )
    task_name = models.CharField(max_length=200, blank=True, help_text="The Celery task that runs the job")
    task_kwargs = models.JSONField(default=dict, blank=True, help_text="Its arguments besides job_id")
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Runs started (a retry or a restart adds one)"
    )
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life of the worker running it (start, progress)"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_percent"),
            models.CheckConstraint(condition=models.Q(kind__in=JobKind.values), name="job_kind_valid"),
            models.CheckConstraint(condition=models.Q(state__in=JobState.values), name="job_state_valid"),
        ]

    def __str__(self):
        return f"{self.kind} job {self.pk} ({self.state})"
