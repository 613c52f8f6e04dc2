"""Which layers an export takes, and reading them document by document in bounded chunks.

Status selects layers (the unit of review), not single spans:
- ``all``: every annotator layer and the gold layer;
- ``submitted``: annotator layers that were submitted (submitted or since approved);
- ``approved``: the adjudicated gold layer where a document has one (gold is the
  reviewed result), else the annotator layers a reviewer approved;
- ``gold``: the adjudicated gold layer only.
``annotator`` narrows to one annotator's layer (and drops gold): ``approved`` with an
annotator is that annotator's approved layer, gold or not.

Reads go through ``.iterator(chunk_size)`` over document ids and fetch the spans
and relations of one chunk of documents at a time, so memory depends on the
chunk size, never on the size of the project.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.interchange.sql import IsoTimestamp
from annotator.projects.models import Label, LabelSubtype, Project
from annotator.reviews.models import Assignment, AssignmentState
from annotator.sources.models import Speaker

STATUSES = ("all", "submitted", "approved", "gold")
SUBMITTED_STATES = [AssignmentState.SUBMITTED, AssignmentState.APPROVED]
DOCUMENT_CHUNK = 100

ANNOTATION_COLUMNS = (
    "id", "document_id", "annotator_id", "layer", "start", "end", "quote", "label_id", "subtype_id",
    "note", "status", "created_at", "updated_at", "status_reason", "origin_id",
)  # fmt: skip
RELATION_COLUMNS = (
    "id", "document_id", "annotator_id", "layer", "type", "source_id", "target_id", "speaker_id", "note", "status",
    "status_reason", "origin_id",
)  # fmt: skip


@dataclass
class ExportSelection:
    project: Project
    status: str = "all"
    annotator_id: int | None = None
    document_ids: list[int] | None = None
    bom: bool = False  # CSV only: start each file with a UTF-8 byte order mark, for spreadsheets

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ApplicationError.field(
                "status", f"Unknown status {self.status!r}; use one of {', '.join(STATUSES)}."
            )

    @property
    def keeps_empty_documents(self) -> bool:
        """A plain "everything" export lists unannotated documents too (their text round-trips)."""
        return self.status == "all" and self.annotator_id is None

    def layer_filter(self, model) -> Q:
        if self.status == "gold":
            return Q(layer=Layer.GOLD)
        own = Q(layer=Layer.ANNOTATOR)
        if self.annotator_id is not None:
            own &= Q(annotator_id=self.annotator_id)
        if self.status in ("submitted", "approved"):
            states = SUBMITTED_STATES if self.status == "submitted" else [AssignmentState.APPROVED]
            reviewed = Assignment.objects.filter(
                document_id=OuterRef("document_id"), annotator_id=OuterRef("annotator_id"), state__in=states
            )
            own &= Exists(reviewed)
        if self.status == "all" and self.annotator_id is None:
            return own | Q(layer=Layer.GOLD)
        if self.status == "approved" and self.annotator_id is None:
            adjudicated = Annotation.objects.filter(document_id=OuterRef("document_id"), layer=Layer.GOLD)
            return Q(layer=Layer.GOLD) | (own & ~Exists(adjudicated))
        return own

    def annotations(self):
        return Annotation.objects.filter(self.layer_filter(Annotation), project_id=self.project.pk)

    def relations(self):
        return Relation.objects.filter(self.layer_filter(Relation), project_id=self.project.pk)

    def documents(self):
        documents = Document.objects.filter(project_id=self.project.pk)
        if self.document_ids is not None:
            documents = documents.filter(pk__in=self.document_ids)
        return documents


@dataclass
class LayerBundle:
    annotator_id: int
    username: str | None
    layer: str
    state: str | None
    annotations: list[tuple] = field(default_factory=list)
    relations: list[tuple] = field(default_factory=list)
    reason: str = ""


@dataclass
class DocumentBundle:
    document: dict
    layers: list[LayerBundle]


class Lookups:
    """Small per-project tables, read once: label and subtype codes, usernames, speakers."""

    def __init__(self, selection: ExportSelection):
        project_id = selection.project.pk
        self.labels = {row[0]: row[1:] for row in Label.objects.filter(project_id=project_id).values_list(
            "id", "code", "name", "kind")}  # fmt: skip
        self.subtypes = dict(
            LabelSubtype.objects.filter(label__project_id=project_id).values_list("id", "code")
        )
        self.usernames = dict(
            get_user_model().objects.filter(memberships__project_id=project_id).values_list("id", "username")
        )
        speaker_ids = selection.relations().filter(speaker__isnull=False).values("speaker_id")
        self.speakers = {
            row[0]: (row[1], row[2])
            for row in Speaker.objects.filter(pk__in=speaker_ids).values_list("id", "name", "kind")
        }

    def label_code(self, label_id: int) -> str:
        return self.labels[label_id][0]

    def label_kind(self, label_id: int) -> str:
        return self.labels[label_id][2]


def _document_rows(ids: list[int], *, with_text: bool) -> list[dict]:
    columns = [
        "id",
        "title",
        "url",
        "published_on",
        "language",
        "content_hash",
        "source__name",
        "source__domain",
    ]
    if with_text:
        columns.append("text")
    rows = list(Document.objects.filter(pk__in=ids).order_by("id").values(*columns))
    authors = defaultdict(list)
    for document_id, name in (
        Document.authors.through.objects.filter(document_id__in=ids)
        .order_by("id")
        .values_list("document_id", "author__name")
    ):
        authors[document_id].append(name)
    for row in rows:
        name, domain = row.pop("source__name"), row.pop("source__domain")
        row["source"] = {"name": name, "domain": domain or None} if name else None
        row["authors"] = authors[row["id"]]
    return rows


def bundles(
    selection: ExportSelection,
    lookups: Lookups,
    *,
    with_text: bool = True,
    with_annotations: bool = True,
    with_relations: bool = True,
    chunk_size: int = DOCUMENT_CHUNK,
) -> Iterator[DocumentBundle]:
    """The selected layers of every document, in document id order, one chunk of documents at a time."""
    ids = selection.documents().order_by("id").values_list("id", flat=True)
    chunk: list[int] = []
    for document_id in ids.iterator(chunk_size=2000):
        chunk.append(document_id)
        if len(chunk) == chunk_size:
            yield from _chunk_bundles(selection, lookups, chunk, with_text, with_annotations, with_relations)
            chunk = []
    if chunk:
        yield from _chunk_bundles(selection, lookups, chunk, with_text, with_annotations, with_relations)


def _chunk_bundles(selection, lookups, ids, with_text, with_annotations, with_relations):
    layers: dict[tuple, LayerBundle] = {}

    def layer_for(document_id, annotator_id, layer):
        key = (document_id, layer == Layer.GOLD, lookups.usernames.get(annotator_id, ""), annotator_id)
        if key not in layers:
            layers[key] = LayerBundle(annotator_id, lookups.usernames.get(annotator_id), layer, None)
        return layers[key]

    order = ("document_id", "layer", "annotator_id")
    if with_annotations:
        rows = selection.annotations().filter(document_id__in=ids).order_by(*order, "start", "end", "id")
        columns = [IsoTimestamp(c) if c in ("created_at", "updated_at") else c for c in ANNOTATION_COLUMNS]
        for row in rows.values_list(*columns):
            layer_for(row[1], row[2], row[3]).annotations.append(row)
    if with_relations:
        rows = selection.relations().filter(document_id__in=ids).order_by(*order, "id")
        for row in rows.values_list(*RELATION_COLUMNS):
            layer_for(row[1], row[2], row[3]).relations.append(row)
    states = Assignment.objects.filter(document_id__in=ids).values_list(
        "document_id", "annotator_id", "state", "reason"
    )
    for document_id, annotator_id, state, reason in states:
        key = (document_id, False, lookups.usernames.get(annotator_id, ""), annotator_id)
        if key in layers:
            layers[key].state, layers[key].reason = state, reason
    by_document = defaultdict(list)
    for key in sorted(layers):  # annotator layers by username, then gold layers
        by_document[key[0]].append(layers[key])
    for row in _document_rows(ids, with_text=with_text):
        document_layers = by_document.get(row["id"], [])
        if document_layers or selection.keeps_empty_documents:
            yield DocumentBundle(row, document_layers)
