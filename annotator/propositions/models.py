"""Propositions: what many spans, in many documents of a project, state.

A claim (or evidence) span *states* a proposition through a PropositionLink.
Propositions belong to the project, not to a layer; links are layered like
the spans they hang from (an annotator's own layer, or the document's gold
layer), so annotators' readings of "this restates P" can be compared and
adjudicated like spans.

Invariants PostgreSQL enforces on its own (migration 0002's trigger): a link's
project, document, annotator and layer are those of its span; the span is a
claim or evidence span; the proposition belongs to the span's project and is
not merged away.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from simple_history.models import HistoricalRecords

from annotator.annotations.models import Annotation, Layer, ReviewStatus
from annotator.documents.models import Document
from annotator.projects.models import Project


class Proposition(models.Model):
    """One statement, in canonical wording, that spans across the project may restate."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="propositions")
    text = models.TextField(help_text="Canonical wording")
    note = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        help_text="Set when merged into another proposition (kept so the merge can be undone)",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="proposition_text_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="proposition_not_merged_into_self"
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="proposition_version_positive"),
            models.UniqueConstraint(fields=["id", "project"], name="proposition_id_project"),
        ]
        indexes = [models.Index(fields=["project", "merged_into"], name="proposition_project_idx")]

    def __str__(self):
        return self.text[:80]

    @property
    def is_active(self) -> bool:
        return self.merged_into_id is None


class PropositionLink(models.Model):
    """ "Span ``annotation`` states ``proposition``": one per span."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE, related_name="links")
    annotation = models.OneToOneField(Annotation, on_delete=models.CASCADE, related_name="proposition_link")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    layer = models.CharField(max_length=20, choices=Layer.choices)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    status_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposition", "document", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(layer__in=Layer.values), name="proplink_layer_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=ReviewStatus.values), name="proplink_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="proplink_version_positive"),
        ]
        indexes = [
            models.Index(fields=["project", "layer", "proposition"], name="proplink_project_layer_idx"),
            models.Index(fields=["document", "annotator", "layer"], name="proplink_document_layer_idx"),
        ]

    def __str__(self):
        return f"span {self.annotation_id} states proposition {self.proposition_id}"


class ProvenanceKind(models.TextChoices):
    """Where a piece of evidence comes from. Self-citation never makes a claim supported."""

    EXTERNAL_PRIMARY = "external_primary", "External primary (document, data, on-the-record statement)"
    EXTERNAL_SECONDARY = "external_secondary", "External secondary (another outlet's reporting)"
    ANONYMOUS = "anonymous", "Anonymous"
    SELF_CITATION = "self_citation", "Self-citation (own earlier work, or 'as mentioned earlier')"


class EvidenceProvenance(models.Model):
    """The provenance of one evidence span, set by whoever may write the span's layer."""

    annotation = models.OneToOneField(
        Annotation, on_delete=models.CASCADE, primary_key=True, related_name="provenance"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=ProvenanceKind.choices)
    cited_document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The project document the evidence cites, when it is one",
    )
    cited_title = models.CharField(max_length=500, blank=True)
    cited_url = models.URLField(max_length=2000, blank=True)
    note = models.TextField(blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["annotation"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ProvenanceKind.values), name="provenance_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["project", "kind"], name="provenance_project_kind_idx")]

    def __str__(self):
        return f"span {self.annotation_id}: {self.kind}"


class ChangeAction(models.TextChoices):
    CREATE = "create", "Create"
    EDIT = "edit", "Edit wording"
    LINK = "link", "Link spans"
    UNLINK = "unlink", "Unlink a span"
    MERGE = "merge", "Merge"
    SPLIT = "split", "Split"


class PropositionChange(models.Model):
    """One undoable operation on a project's propositions.

    ``undo`` holds what reverting needs (see services.UNDO); ``propositions``
    lists every proposition the operation touched, so an undo can refuse while
    a later, still-standing change touched the same propositions.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ChangeAction.choices)
    summary = models.CharField(max_length=500)
    propositions = ArrayField(models.BigIntegerField())
    undo = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=ChangeAction.values), name="propchange_action_valid"
            ),
        ]
        indexes = [models.Index(fields=["project", "-id"], name="propchange_project_idx")]

    def __str__(self):
        return f"{self.action}: {self.summary}"


class LexemeCount(models.Model):
    """How many spans of a project hold a lexeme in their main wording: the similarity weights
    (similarity.py). Kept by a trigger and its table made by migration 0003; a model so that
    Django's flush and project deletion see it (the database cascades the project's rows).
    A count is the sum of its shards: each transaction adds to the shard of its transaction
    id, so concurrent span writers do not queue on one row (migration 0006)."""

    pk = models.CompositePrimaryKey("project_id", "lexeme", "shard")
    project = models.ForeignKey(Project, on_delete=models.DO_NOTHING, related_name="+")
    lexeme = models.TextField()  # "" counts the project's spans
    shard = models.SmallIntegerField()
    spans = models.IntegerField()  # this shard's share: may be negative, the sum is not

    class Meta:
        db_table = "propositions_lexemecount"

    def __str__(self) -> str:
        return f"{self.lexeme or '(spans)'}: {self.spans}"
