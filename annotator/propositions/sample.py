"""Load the demo's propositions (sample_propositions.json beside this module) over the sample layer.

Requires load_seeds, create_demo_users and load_sample_layer. Spans are named by
document (sha256 of its text), offsets and label. Each entry is applied to the
layers that *read* the document: its gold layer where the reviewer has built
one, else every annotator layer loaded on it (the demo workflow leaves some
documents to their readers). The figures count the same readings
(docs/propositions.md, "Per-source figures"), so the demo shows the repeats on
a first `make run`; once the reviewer builds gold, running this again links the
gold spans too.

The gold layer and annotator layers still open for edits are written through
the services (history and undo apply). A reader's layer that is already
submitted or approved is read-only to the services; its part of the file is
that reader's recorded work (as the sample layer itself is), so it is stored as
data, with history rows in the reader's name, like a native import stores a
submitted layer. Running it again changes nothing: existing spans, relations,
propositions (same wording), links and provenance are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.annotations.relation_services import relation_create
from annotator.annotations.services import annotation_create
from annotator.core.datafiles import json_file_read
from annotator.core.errors import ApplicationError
from annotator.credibility.metrics import Targets
from annotator.credibility.services import scores_recompute
from annotator.documents.models import Document
from annotator.projects.models import Label, LabelSubtype, Project
from annotator.propositions.models import EvidenceProvenance, Proposition, PropositionLink
from annotator.propositions.provenance import provenance_set
from annotator.propositions.services import links_create, proposition_create
from annotator.reviews.models import Assignment
from annotator.reviews.services import EDITABLE_STATES

SCHEMA = "assay.sample-propositions/2"
SAMPLE_PATH = Path(__file__).with_name("sample_propositions.json")


@dataclass
class SampleResult:
    project: Project
    spans: int = 0
    relations: int = 0
    propositions: int = 0
    links: int = 0
    provenance: int = 0
    skipped: int = 0  # references on documents that no layer reads yet


@dataclass(frozen=True)
class Reading:
    """One layer reading a document: its gold layer, or one annotator's layer."""

    layer: str
    user: object  # who writes it: the reviewer (gold) or the layer's annotator
    writable: bool  # the services may change it now (gold, or an annotator layer not submitted)

    @property
    def name(self) -> str:
        return "gold" if self.layer == Layer.GOLD else f"{self.user.username}'s layer"


def _stored(instance, user):
    """Save a row of a read-only reader layer as recorded data, its history row in the reader's name."""
    instance._history_user = user
    instance.save()
    return instance


class _Loader:
    def __init__(self, data: dict):
        self.project = Project.objects.filter(slug=data["project"]).first()
        if self.project is None:
            raise ApplicationError.field(
                "project", f"No project {data['project']!r}: run `manage.py load_seeds` first."
            )
        self.reviewer = get_user_model().objects.filter(username=data["reviewer"]).first()
        if self.reviewer is None:
            raise ApplicationError.field(
                "reviewer", f"No user {data['reviewer']!r}: run `manage.py create_demo_users` first."
            )
        self.documents = {d.content_hash: d for d in Document.objects.filter(project=self.project)}
        self.labels = {label.code: label for label in Label.objects.filter(project=self.project)}
        self.result = SampleResult(project=self.project)
        self._readings: dict[int, list[Reading]] = {}
        self.stored_any = False
        # Whether load_sample_layer ran at all (else a missing layer is the user's missing step).
        if not Annotation.objects.filter(project=self.project).exists():
            raise ApplicationError.field(
                "layer", f"{self.project.name} has no spans yet; run load_sample_layer first."
            )

    def document(self, digest: str, where: str) -> Document:
        if digest not in self.documents:
            raise ApplicationError.field(
                where, f"{where}: document {digest[:12]}… is not in the project; run load_seeds."
            )
        return self.documents[digest]

    def readings(self, document: Document) -> list[Reading]:
        if document.pk in self._readings:
            return self._readings[document.pk]
        if Annotation.objects.filter(document=document, layer=Layer.GOLD).exists():
            readings = [Reading(Layer.GOLD, self.reviewer, True)]
        else:
            users = get_user_model().objects.filter(
                annotations__document=document, annotations__layer=Layer.ANNOTATOR
            ).distinct().order_by("username")  # fmt: skip
            states = dict(Assignment.objects.filter(document=document).values_list("annotator_id", "state"))
            readings = [
                Reading(Layer.ANNOTATOR, user, states.get(user.pk) in (None, *EDITABLE_STATES))
                for user in users
            ]
        self._readings[document.pk] = readings
        return readings

    def find(self, ref: dict, reading: Reading, where: str) -> Annotation | None:
        """The referenced span in one reading; None when that reader did not mark it."""
        document = self.document(ref["document"], where)
        spans = Annotation.objects.select_related("label", "document", "annotator").filter(
            document=document, layer=reading.layer, start=ref["start"], end=ref["end"], label__code=ref["label"]
        )  # fmt: skip
        if reading.layer == Layer.ANNOTATOR:
            spans = spans.filter(annotator=reading.user)
        span = spans.first()
        if span is None:
            if reading.layer == Layer.GOLD:
                raise ApplicationError.field(
                    where, f"{where}: no {ref['label']} span at {ref['start']}-{ref['end']} in the gold layer of "
                    f"{document.display_title}; the sample layer does not match this file."
                )  # fmt: skip
            return None
        if span.quote != ref["quote"]:
            raise ApplicationError.field(
                where, f"{where}: the span reads {span.quote[:60]!r}, not {ref['quote'][:60]!r}."
            )
        return span

    def each_reading(self, ref: dict, where: str):
        """(reading, span) for every reading of the referenced document that has the span."""
        readings = self.readings(self.document(ref["document"], where))
        if not readings:
            self.result.skipped += 1  # no layer reads this document yet
        for reading in readings:
            span = self.find(ref, reading, where)
            if span is not None:
                yield reading, span

    def add_span(self, ref: dict, where: str) -> None:
        document = self.document(ref["document"], where)
        label = self.labels[ref["label"]]
        subtype = (
            LabelSubtype.objects.filter(label=label, code=ref["subtype"]).first()
            if ref.get("subtype")
            else None
        )
        readings = self.readings(document)
        if not readings:
            self.result.skipped += 1
        for reading in readings:
            existing = Annotation.objects.filter(document=document, layer=reading.layer, start=ref["start"],
                                                 end=ref["end"], label=label)  # fmt: skip
            if reading.layer == Layer.ANNOTATOR:
                existing = existing.filter(annotator=reading.user)
            if existing.exists():
                continue
            if document.text[ref["start"] : ref["end"]] != ref["quote"]:
                raise ApplicationError.field(where, f"{where}: the text there is not {ref['quote'][:60]!r}.")
            if reading.writable:
                annotation_create(document=document, annotator=reading.user, start=ref["start"], end=ref["end"],
                                  label=label, subtype=subtype, quote=ref["quote"], layer=reading.layer)  # fmt: skip
            else:
                _stored(Annotation(project_id=document.project_id, document=document, annotator=reading.user,
                                   layer=reading.layer, start=ref["start"], end=ref["end"], quote=ref["quote"],
                                   label=label, subtype=subtype), reading.user)  # fmt: skip
                self.stored_any = True
            self.result.spans += 1

    def add_relation(self, rel: dict, where: str) -> None:
        for reading, source in self.each_reading(rel["source"], f"{where}.source"):
            target = self.find(rel["target"], reading, f"{where}.target")
            if (
                target is None
                or Relation.objects.filter(source=source, target=target, type=rel["type"]).exists()
            ):
                continue
            if reading.writable:
                relation_create(source=source, target=target, type=rel["type"])
            else:
                _stored(Relation(project_id=source.project_id, document_id=source.document_id,
                                 annotator_id=source.annotator_id, layer=source.layer, type=rel["type"],
                                 source=source, target=target), reading.user)  # fmt: skip
                self.stored_any = True
            self.result.relations += 1

    def add_proposition(self, entry: dict, where: str) -> None:
        found = [
            pair
            for n, ref in enumerate(entry["spans"])
            for pair in self.each_reading(ref, f"{where}.spans[{n}]")
            if not PropositionLink.objects.filter(annotation=pair[1]).exists()
        ]
        if not found:
            return
        proposition = Proposition.objects.filter(project=self.project, text=entry["text"]).first()
        if proposition is None:
            proposition = proposition_create(project=self.project, text=entry["text"], note=entry.get("note", ""),
                                             user=self.reviewer)  # fmt: skip
            self.result.propositions += 1
        by_user: dict = {}
        for reading, span in found:
            if reading.writable:
                by_user.setdefault(reading.user, []).append(span)
            else:
                _stored(PropositionLink(project=self.project, proposition=proposition, annotation=span,
                                        document_id=span.document_id, annotator_id=span.annotator_id,
                                        layer=span.layer, created_by=reading.user), reading.user)  # fmt: skip
        for user, spans in by_user.items():
            links_create(proposition=proposition, spans=spans, user=user)
        self.result.links += len(found)

    def add_provenance(self, entry: dict, where: str) -> None:
        cited = (
            self.document(entry["cited_document"], f"{where}.cited_document")
            if entry.get("cited_document")
            else None
        )
        for reading, span in self.each_reading(entry["span"], f"{where}.span"):
            if EvidenceProvenance.objects.filter(annotation=span).exists():
                continue
            if reading.writable:
                provenance_set(span=span, kind=entry["kind"], user=reading.user, cited_document=cited,
                               note=entry.get("note", ""))  # fmt: skip
            else:
                _stored(EvidenceProvenance(annotation=span, project=self.project, kind=entry["kind"],
                                           cited_document=cited, note=entry.get("note", ""), set_by=reading.user),
                        reading.user)  # fmt: skip
            self.result.provenance += 1

    def load(self, data: dict) -> SampleResult:
        for i, ref in enumerate(data.get("spans", [])):
            self.add_span(ref, f"spans[{i}]")
        for i, rel in enumerate(data.get("relations", [])):
            self.add_relation(rel, f"relations[{i}]")
        for i, entry in enumerate(data.get("propositions", [])):
            self.add_proposition(entry, f"propositions[{i}]")
        for i, entry in enumerate(data.get("provenance", [])):
            self.add_provenance(entry, f"provenance[{i}]")
        return self.result


def sample_propositions_load(*, path: Path = SAMPLE_PATH) -> SampleResult:
    data = json_file_read(path, field="file", schema=SCHEMA, missing="sample propositions")
    with transaction.atomic():
        loader = _Loader(data)
        result = loader.load(data)
    if loader.stored_any:  # rows stored as data: the credibility scores see them now, not at the next change
        scores_recompute(project=result.project, targets=Targets(everything=True))
    return result
