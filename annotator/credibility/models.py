"""Source credibility scores: the current figures per source and their dated history.

A "source" here is an outlet (``sources.Source``), an author (``sources.Author``)
or a quoted speaker (``sources.Speaker``). ``entity_id`` is the id of that row,
or 0 for the explicit "Unknown outlet" / "Unknown author" rows that collect
documents with no outlet or no author. docs/credibility.md gives every formula and rule.
"""

from django.db import models

from annotator.credibility.registry import UNIT_COUNTS
from annotator.projects.models import Project


class EntityKind(models.TextChoices):
    OUTLET = "outlet", "Outlet"
    AUTHOR = "author", "Author"
    SPEAKER = "speaker", "Speaker"


class LayerUsed(models.TextChoices):
    """Which tier of layers the scored documents came from (docs/credibility.md)."""

    GOLD = "gold", "Gold"
    APPROVED = "approved", "Approved"
    SUBMITTED = "submitted", "Submitted"
    MIXED = "mixed", "Mixed"
    NONE = "none", "No scored layer"


UNKNOWN_ID = 0

# Counts stored on every score row. DOCUMENT_COUNTS count documents and readings, whole
# numbers; the per-document counts after them are the mean over a document's readings (the
# gold layer is one reading), so they may be fractional.
DOCUMENT_COUNTS = [
    "documents",
    "scored_documents",
    "docs_gold",
    "docs_approved",
    "docs_submitted",
    "readings",
]
COUNT_FIELDS = [*DOCUMENT_COUNTS, "words", *UNIT_COUNTS]


class ScoreFields(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=EntityKind.choices)
    entity_id = models.BigIntegerField(help_text="Source/Author/Speaker id; 0 = unknown outlet or author")
    entity_name = models.CharField(max_length=200)
    layer = models.CharField(max_length=10, choices=LayerUsed.choices)

    documents = models.IntegerField(help_text="Documents of this source in the project")
    scored_documents = models.IntegerField(help_text="Documents with a scored layer (the units)")
    docs_gold = models.IntegerField()
    docs_approved = models.IntegerField()
    docs_submitted = models.IntegerField()
    readings = models.IntegerField(help_text="Scored layers (a document read by 2 annotators counts 2)")
    words = models.BigIntegerField(help_text="Body words of the scored documents (boilerplate excluded)")
    claims = models.FloatField(help_text="The writer's own claims (one reading per document)")
    evidence = models.FloatField()
    evidence_subtypes = models.JSONField(default=dict, blank=True)
    opinions = models.FloatField()
    hedges = models.FloatField()
    supported_claims = models.FloatField()
    attacked_claims = models.FloatField()
    contested_claims = models.FloatField(help_text="Claims both supported and attacked by evidence")
    qualified_claims = models.FloatField()
    hedges_uncertain = models.FloatField(
        default=0, help_text="Hedges of acknowledged uncertainty (modal, speculation)"
    )
    hedges_vague = models.FloatField(default=0, help_text="Hedges of vague authority or insinuation")
    reported_claims = models.FloatField(
        default=0, help_text="Claims attributed to quoted speakers (outlets, authors)"
    )
    reported_evidence = models.FloatField(default=0)
    reported_opinions = models.FloatField(default=0)
    reported_hedges = models.FloatField(default=0)

    moments = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per metric: [documents, Σy, Σx, Σy², Σx², Σxy] (registry.METRICS)",
    )
    figures = models.JSONField(
        default=dict, blank=True, help_text="Per metric: point, low, high (null = unbounded), documents"
    )
    small_sample = models.BooleanField(default=False, help_text="Too little data to rank or plot a point")
    small_sample_reason = models.CharField(max_length=200, blank=True)

    computed_at = models.DateTimeField()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.kind} {self.entity_name} in project {self.project_id}"


def _count_checks(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(condition=models.Q(kind__in=EntityKind.values), name=f"{prefix}_kind_valid"),
        models.CheckConstraint(condition=models.Q(layer__in=LayerUsed.values), name=f"{prefix}_layer_valid"),
        models.CheckConstraint(
            condition=models.Q(
                claims__gte=0, evidence__gte=0, opinions__gte=0, hedges__gte=0, words__gte=0, documents__gte=0
            ),
            name=f"{prefix}_counts_not_negative",
        ),
        models.CheckConstraint(
            condition=models.Q(
                supported_claims__lte=models.F("claims"),
                qualified_claims__lte=models.F("claims"),
                attacked_claims__lte=models.F("claims"),
                contested_claims__lte=models.F("supported_claims"),
                scored_documents__lte=models.F("documents"),
            ),
            name=f"{prefix}_subcounts_bounded",
        ),
    ]


class SourceScore(ScoreFields):
    """The current figures: exactly one row per (project, kind, entity), upserted."""

    class Meta:
        ordering = ["project", "kind", "entity_name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "entity_id"], name="source_score_unique"),
            *_count_checks("source_score"),
        ]


class SourceScoreSnapshot(ScoreFields):
    """A dated copy of a row, written by every recompute: the trend history."""

    class Meta:
        ordering = ["project", "kind", "entity_id", "computed_at"]
        constraints = _count_checks("score_snapshot")
        indexes = [
            models.Index(
                fields=["project", "kind", "entity_id", "computed_at"], name="score_snapshot_entity_idx"
            ),
            models.Index(fields=["computed_at"], name="score_snapshot_time_idx"),
        ]


class DirtyKind(models.TextChoices):
    DOCUMENT = "document", "Document (its outlet, authors and speakers)"
    SPEAKER = "speaker", "Speaker"
    PROJECT = "project", "Whole project"
    SCHEDULED = "scheduled", "A recompute task is queued"


class ScoreDirty(models.Model):
    """A source waiting for an incremental recompute.

    The unique constraint is the coalescing: a burst of changes to one source
    leaves one row, and only the change that inserts it enqueues a task.
    ``claim`` is set by the recompute that is working on the row (in a short
    transaction of its own, so writers never wait on a recompute); a new
    change clears it, so the row outlives that recompute and is done again.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=DirtyKind.choices)
    entity_id = models.BigIntegerField()
    marked_at = models.DateTimeField(auto_now_add=True)
    claim = models.UUIDField(null=True, blank=True, help_text="The recompute run working on this row")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "entity_id"], name="score_dirty_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=DirtyKind.values), name="score_dirty_kind_valid"
            ),
        ]

    def __str__(self):
        return f"dirty {self.kind} {self.entity_id} in project {self.project_id}"


class CountFields(models.Model):
    """Per-document counts from the scored layers: the first level of the two-level aggregation.

    Counts are summed over the document's readings (``readings``); level 2
    divides by ``readings``, so a document is one unit whoever read it. Own
    counts exclude spans attributed to a speaker, which are in ``reported_*``.
    A change recounts only its document; a source's figures are then computed
    from these rows, so an incremental recompute never rereads a source's
    whole corpus of spans.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(
        max_length=10, blank=True, help_text="gold/approved/submitted; empty = not scored"
    )
    readings = models.IntegerField()
    claims = models.IntegerField()
    evidence = models.IntegerField()
    evidence_subtypes = models.JSONField(default=dict, blank=True)
    opinions = models.IntegerField()
    hedges = models.IntegerField()
    supported_claims = models.IntegerField()
    attacked_claims = models.IntegerField()
    contested_claims = models.IntegerField()
    qualified_claims = models.IntegerField()
    hedges_uncertain = models.IntegerField(default=0)
    hedges_vague = models.IntegerField(default=0)
    reported_claims = models.IntegerField(default=0)
    reported_evidence = models.IntegerField(default=0)
    reported_opinions = models.IntegerField(default=0)
    reported_hedges = models.IntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        abstract = True


class DocumentCounts(CountFields):
    document = models.OneToOneField(
        "documents.Document", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claims__gte=0, evidence__gte=0, readings__gte=0),
                name="document_counts_not_negative",
            ),
        ]

    def __str__(self):
        return f"counts of document {self.document_id}"


class SpeakerCounts(CountFields):
    """Counts of the spans attributed to one speaker in one document."""

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="+")
    speaker = models.ForeignKey("sources.Speaker", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "speaker"], name="speaker_counts_unique"),
        ]
        indexes = [models.Index(fields=["project", "speaker"], name="speaker_counts_speaker_idx")]

    def __str__(self):
        return f"counts of speaker {self.speaker_id} in document {self.document_id}"
