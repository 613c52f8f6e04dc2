"""Machine-suggested hedge cues and each annotator's decision on them.

Suggestions live apart from human spans: nothing here is read by scores,
agreement or exports. Accepting one creates an ordinary HEDGE span in the
annotator's own layer (``HedgeDecision.annotation``); only that span counts.
A suggestion is per document; a decision is per annotator, so two annotators
of one document decide independently (their agreement stays meaningful).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from annotator.annotations.models import Annotation
from annotator.documents.models import Document
from annotator.projects.models import Project

KIND_SUBTYPES = {
    "modal": "modal",
    "speculation": "speculation",
    "weasel": "vague_attribution",
    "insinuation": "insinuation",
}


class HedgeKind(models.TextChoices):
    MODAL = "modal", "Modal"
    SPECULATION = "speculation", "Speculation"
    WEASEL = "weasel", "Weasel"
    INSINUATION = "insinuation", "Insinuation"


class HedgeState(models.TextChoices):
    """The decision an annotator made; no decision row means pending."""

    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class HedgeSuggestion(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="hedge_suggestions")
    start = models.IntegerField(help_text="First code point of the cue (inclusive)")
    end = models.IntegerField(help_text="Code point after the cue (exclusive)")
    quote = models.TextField(help_text="The text at [start, end)")
    kind = models.CharField(max_length=20, choices=HedgeKind.choices)
    confidence = models.FloatField()
    rule = models.CharField(max_length=60, help_text="The suggester rule that fired, e.g. modal.might")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__gte=0), name="hedge_start_not_negative"),
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="hedge_start_before_end"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=HedgeKind.values), name="hedge_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                name="hedge_confidence_unit",
            ),
            models.UniqueConstraint(fields=["document", "start", "end", "rule"], name="hedge_unique_cue"),
        ]
        indexes = [models.Index(fields=["project", "rule"], name="hedge_project_rule_idx")]

    def __str__(self):
        return f"{self.rule}[{self.start}:{self.end}]"


class HedgeDecision(models.Model):
    suggestion = models.ForeignKey(HedgeSuggestion, on_delete=models.CASCADE, related_name="decisions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hedge_decisions"
    )
    state = models.CharField(max_length=20, choices=HedgeState.choices)
    annotation = models.ForeignKey(
        Annotation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hedge_decisions",
        help_text="The HEDGE span accepting created (or found) in the user's layer",
    )
    span_created = models.BooleanField(
        default=False, help_text="Accepting created the span (undo deletes it); False when it already existed"
    )
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["suggestion", "user"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "user"], name="hedge_decision_unique_user"),
            models.CheckConstraint(
                condition=models.Q(state__in=HedgeState.values), name="hedge_decision_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state=HedgeState.ACCEPTED) | models.Q(annotation__isnull=True),
                name="hedge_decision_span_only_when_accepted",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.state} {self.suggestion_id}"


class HedgeRuleSetting(models.Model):
    """A manager's per-project switch for one suggester rule (rules are on unless a row says off)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="hedge_rule_settings")
    rule = models.CharField(max_length=60)
    enabled = models.BooleanField(default=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "rule"]
        constraints = [models.UniqueConstraint(fields=["project", "rule"], name="hedge_rule_unique")]

    def __str__(self):
        return f"{self.rule} {'on' if self.enabled else 'off'} in {self.project_id}"
