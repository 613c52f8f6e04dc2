from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from annotator.documents.models import Document
from annotator.projects.models import Project


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class Assignment(models.Model):
    """One annotator's work on one document, and where it stands in review."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    state = models.CharField(
        max_length=20, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED
    )
    reason = models.TextField(blank=True, help_text="The reviewer's reason when changes are requested")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "document", "annotator"]
        constraints = [
            models.UniqueConstraint(fields=["document", "annotator"], name="assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(state__in=AssignmentState.values), name="assignment_state_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(state=AssignmentState.SUBMITTED) | models.Q(submitted_at__isnull=False),
                name="assignment_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=AssignmentState.CHANGES_REQUESTED) | ~models.Q(reason=""),
                name="assignment_changes_requested_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["project", "state"], name="assignment_state_idx")]

    def __str__(self):
        return f"{self.annotator} on {self.document_id}: {self.state}"
