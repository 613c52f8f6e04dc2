"""Spans and the typed links between them: the argument map of a document.

Invariants the database enforces on its own (see the migrations): a span lies
inside its document's text and ``quote`` equals the text at its offsets; the
label belongs to the document's project and the subtype to the label; both
ends of a relation are spans of the same document and the same layer; the
annotator is a member of the project.

Derived columns PostgreSQL keeps on span rows: ``is_supported``,
``is_attacked``, ``is_qualified`` (whether a counted link points at the span;
triggers in migration credibility 0004) and ``support_depth`` (the shortest
chain of supports down to evidence, at most 5 links; migration credibility 0006). They are not model fields, so no
``save()`` of a span loaded earlier can write stale values back.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from annotator.documents.models import Document
from annotator.projects.models import Label, LabelSubtype, Project
from annotator.sources.models import Speaker

# Single-column foreign keys stored without a constraint of their own, and the composite
# constraint (migration 0002) that proves the referenced row exists; tests check each pair.
SAME_AS_COMPOSITE = {
    ("annotation", "project"): "annotation_annotator_member_fk",  # membership -> project
    ("annotation", "document"): "annotation_document_project_fk",
    ("annotation", "annotator"): "annotation_annotator_member_fk",  # membership -> user
    ("annotation", "label"): "annotation_label_project_fk",
    ("annotation", "subtype"): "annotation_subtype_label_fk",
    ("relation", "project"): "relation_document_project_fk",  # document -> project
    ("relation", "document"): "relation_document_project_fk",
    ("relation", "annotator"): "relation_source_same_layer_fk",  # span -> membership -> user
    ("relation", "source"): "relation_source_same_layer_fk",
    ("relation", "target"): "relation_target_same_layer_fk",
}


class Layer(models.TextChoices):
    """An annotator's own work, or the adjudicated gold layer of a document."""

    ANNOTATOR = "annotator", "Annotator"
    GOLD = "gold", "Gold"


class ReviewStatus(models.TextChoices):
    """A reviewer's decision on one span or relation."""

    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    CORRECTED = "corrected", "Corrected"


class Annotation(models.Model):
    # No single-column indexes on project and document: the composite indexes below
    # (and credibility's annotation_scores_idx) lead with them; each index is paid on every span write.
    # No single-column foreign key constraints where a composite one of migration 0002 already
    # implies the row exists (db_constraint=False, see SAME_AS_COMPOSITE): each is a check per
    # inserted row, and an import inserts tens of thousands (docs/performance.md).
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="annotations", db_index=False, db_constraint=False
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations", db_constraint=False
    )
    layer = models.CharField(max_length=20, choices=Layer.choices, default=Layer.ANNOTATOR)
    start = models.IntegerField(help_text="First code point of the span (inclusive)")
    end = models.IntegerField(help_text="Code point after the span (exclusive)")
    quote = models.TextField(help_text="The text at [start, end), checked against the document")
    label = models.ForeignKey(
        Label, on_delete=models.PROTECT, related_name="annotations", db_constraint=False
    )
    subtype = models.ForeignKey(
        LabelSubtype,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
        db_constraint=False,
    )
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    status_reason = models.TextField(blank=True)
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived",
        help_text="The span this one was copied or corrected from (gold layer, corrections)",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # No constraint on the history's user: one check per history row, and Django nulls it on
    # user deletion anyway (SET_NULL, Python-side). No index on history columns nothing filters
    # by (history is read by span id, document and history id; its foreign keys are DO_NOTHING,
    # so deletions never look them up): docs/performance.md.
    history = HistoricalRecords(
        user_db_constraint=False, no_db_index=["annotator", "label", "origin", "project", "subtype"]
    )

    class Meta:
        ordering = ["document", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__gte=0), name="annotation_start_not_negative"),
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="annotation_start_before_end"
            ),
            models.CheckConstraint(condition=models.Q(layer__in=Layer.values), name="annotation_layer_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=ReviewStatus.values), name="annotation_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="annotation_version_positive"),
            models.UniqueConstraint(
                fields=["document", "annotator", "layer", "start", "end", "label"],
                name="annotation_unique_span",
            ),
            # Target of the composite foreign keys from relations.
            models.UniqueConstraint(
                fields=["id", "document", "annotator", "layer"], name="annotation_id_layer"
            ),
        ]
        # No index of its own on (document, annotator, layer): annotation_unique_span starts with
        # those columns and serves the same lookups.
        indexes = [models.Index(fields=["project", "label"], name="annotation_project_label_idx")]

    def __str__(self):
        return f"{self.label_id}[{self.start}:{self.end}]"


class RelationType(models.TextChoices):
    SUPPORTS = "supports", "supports"
    ATTACKS = "attacks", "attacks"
    QUALIFIES = "qualifies", "qualifies"
    ATTRIBUTED_TO = "attributed_to", "attributed to"


class Relation(models.Model):
    """A directed link from ``source`` to ``target`` (evidence supports claim,
    hedge qualifies claim), or from a claim to the Speaker it is attributed
    to, optionally through ``target``: the span that names the speaker."""

    # As for spans: the composite foreign keys of migration 0002 imply these (SAME_AS_COMPOSITE).
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="relations", db_constraint=False
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="relations", db_constraint=False
    )
    layer = models.CharField(max_length=20, choices=Layer.choices, default=Layer.ANNOTATOR)
    type = models.CharField(max_length=20, choices=RelationType.choices)
    source = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, related_name="outgoing", db_constraint=False
    )
    target = models.ForeignKey(
        Annotation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="incoming",
        db_constraint=False,
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.PROTECT, null=True, blank=True, related_name="relations"
    )
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    status_reason = models.TextField(blank=True)
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="derived"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # As spans' history: read by relation id, document, source and target span, history id.
    history = HistoricalRecords(
        user_db_constraint=False, no_db_index=["annotator", "origin", "project", "speaker"]
    )

    class Meta:
        ordering = ["document", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=RelationType.values), name="relation_type_valid"
            ),
            models.CheckConstraint(condition=models.Q(layer__in=Layer.values), name="relation_layer_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=ReviewStatus.values), name="relation_status_valid"
            ),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="relation_not_self"),
            # attributed_to needs a speaker; every other type needs a target span and no speaker.
            models.CheckConstraint(
                condition=(
                    models.Q(type=RelationType.ATTRIBUTED_TO, speaker__isnull=False)
                    | (
                        ~models.Q(type=RelationType.ATTRIBUTED_TO)
                        & models.Q(target__isnull=False, speaker__isnull=True)
                    )
                ),
                name="relation_endpoints_match_type",
            ),
            models.UniqueConstraint(
                fields=["source", "target", "type"],
                condition=models.Q(target__isnull=False),
                name="relation_unique_link",
            ),
            models.UniqueConstraint(
                fields=["source", "speaker", "type"],
                condition=models.Q(target__isnull=True),
                name="relation_unique_speaker_link",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="relation_version_positive"),
        ]
        indexes = [
            models.Index(fields=["document", "annotator", "layer"], name="relation_layer_idx"),
            # Source credibility reads every counted attribution of a project in span order,
            # and the documents that quote a speaker.
            models.Index(
                fields=["project", "source", "speaker"],
                condition=models.Q(type=RelationType.ATTRIBUTED_TO) & ~models.Q(status=ReviewStatus.REJECTED),
                name="relation_attribution_idx",
            ),
            models.Index(
                fields=["project", "speaker", "document"],
                condition=models.Q(type=RelationType.ATTRIBUTED_TO),
                name="relation_speaker_document_idx",
            ),
        ]

    def __str__(self):
        return f"{self.source_id} {self.type} {self.target_id or self.speaker_id}"
