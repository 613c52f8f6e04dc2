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
    state = models.CharField(max_length=20, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED)
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


class Agreement(models.Model):
    """Inter-annotator agreement, stored so queues can sort by it.

    One row per (project, document, label): ``document`` null is the
    project-wide row, ``label`` null covers every label. Counts are stored
    beside the derived values so project rows are sums of document rows (in
    SQL) and every figure can be re-derived; definitions in docs/review.md.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="agreements")
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="agreements"
    )
    label = models.ForeignKey(
        "projects.Label", on_delete=models.CASCADE, null=True, blank=True, related_name="agreements"
    )
    annotators = models.PositiveIntegerField(help_text="Submitted layers compared")
    pair_spans = models.PositiveIntegerField(default=0, help_text="Sum over annotator pairs of |A| + |B|")
    exact_matches = models.PositiveIntegerField(default=0)
    overlap_matches = models.PositiveIntegerField(default=0)
    exact_f1 = models.FloatField(null=True, blank=True)
    overlap_f1 = models.FloatField(null=True, blank=True)
    alpha = models.FloatField(null=True, blank=True, help_text="Krippendorff's alpha, nominal, token level")
    units = models.PositiveIntegerField(default=0, help_text="Tokens with two or more values")
    coincidences = models.JSONField(
        default=dict, blank=True, help_text='Coincidence matrix {"CLAIM|none": 2.0, ...} (all-label rows)'
    )
    pairs = models.JSONField(default=list, blank=True, help_text="Per annotator pair counts and F1")
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "document", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "document", "label"], name="agreement_unique_scope", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=models.Q(exact_matches__lte=models.F("overlap_matches")),
                name="agreement_exact_within_overlap",
            ),
            models.CheckConstraint(
                condition=models.Q(alpha__isnull=True) | models.Q(alpha__lte=1),
                name="agreement_alpha_at_most_one",
            ),
        ]
        indexes = [models.Index(fields=["project", "label", "alpha"], name="agreement_sort_idx")]

    def __str__(self):
        scope = f"document {self.document_id}" if self.document_id else "project"
        return f"Agreement on {scope} ({self.label_id or 'all labels'}): alpha={self.alpha}"


class ReviewQueueItem(Assignment):
    """Submitted assignments as the admin's review queue (lowest agreement first)."""

    class Meta:
        proxy = True
        verbose_name = "review queue item"
        verbose_name_plural = "review queue"
