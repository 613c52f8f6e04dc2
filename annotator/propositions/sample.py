"""Load seeds/sample_propositions.json: the demo's propositions over the sample layer.

Requires load_seeds, create_demo_users and load_sample_layer. Spans are named
by document (sha256 of its text), offsets and label in the gold layer of the
file's layer owner; the file may add a few spans and relations (a claim the
sample layer lacks, the self-citing evidence). Everything goes through the
services, in one transaction, so history and rules apply. Running it again
changes nothing: existing spans, relations, propositions (same wording) and
provenance are left as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from annotator.annotations.models import Annotation, Relation
from annotator.annotations.services import annotation_create, relation_create
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.projects.models import Label, LabelSubtype, Project
from annotator.propositions.models import EvidenceProvenance, Proposition
from annotator.propositions.provenance import provenance_set
from annotator.propositions.services import links_create, proposition_create

SCHEMA = "assay.sample-propositions/1"


@dataclass
class SampleResult:
    project: Project
    spans: int = 0
    relations: int = 0
    propositions: int = 0
    links: int = 0
    provenance: int = 0
    skipped: int = 0  # references on documents that have no span in the layer yet


class _Unadjudicated(Exception):  # noqa: N818 - a signal inside the loader, not an error
    """The referenced document has no span in the sample's layer yet (the demo workflow leaves
    some documents for the reviewer to adjudicate): its references wait for a later run."""


class _Loader:
    def __init__(self, data: dict):
        self.project = Project.objects.filter(slug=data["project"]).first()
        if self.project is None:
            raise ApplicationError.field(
                "project", f"No project {data['project']!r}: run `manage.py load_seeds` first."
            )
        owner = data["layer"]["annotator"]
        self.user = get_user_model().objects.filter(username=owner).first()
        if self.user is None:
            raise ApplicationError.field(
                "layer", f"No user {owner!r}: run `manage.py create_demo_users` first."
            )
        self.layer = data["layer"]["layer"]
        self.documents = {d.content_hash: d for d in Document.objects.filter(project=self.project)}
        self.labels = {label.code: label for label in Label.objects.filter(project=self.project)}
        self.result = SampleResult(project=self.project)
        # Whether load_sample_layer ran at all (else a missing span is the user's missing step).
        self.sample_loaded = Annotation.objects.filter(project=self.project).exists()

    def document(self, digest: str, where: str) -> Document:
        if digest not in self.documents:
            raise ApplicationError.field(
                where, f"{where}: document {digest[:12]}… is not in the project; run load_seeds."
            )
        return self.documents[digest]

    def find(self, ref: dict, where: str) -> Annotation:
        document = self.document(ref["document"], where)
        span = (
            Annotation.objects.select_related("label", "document", "annotator")
            .filter(
                document=document,
                layer=self.layer,
                start=ref["start"],
                end=ref["end"],
                label__code=ref["label"],
            )
            .first()
        )
        if span is None:
            if (
                self.sample_loaded
                and not Annotation.objects.filter(document=document, layer=self.layer).exists()
            ):
                raise _Unadjudicated(where)
            raise ApplicationError.field(
                where, f"{where}: no {ref['label']} span at {ref['start']}-{ref['end']} in the {self.layer} layer of "
                f"{document.display_title}; run load_sample_layer first."
            )  # fmt: skip
        if span.quote != ref["quote"]:
            raise ApplicationError.field(
                where, f"{where}: the span reads {span.quote[:60]!r}, not {ref['quote'][:60]!r}."
            )
        return span

    def add_span(self, ref: dict, where: str) -> None:
        document = self.document(ref["document"], where)
        label = self.labels[ref["label"]]
        if self.sample_loaded and not Annotation.objects.filter(document=document, layer=self.layer).exists():
            self.result.skipped += 1  # not adjudicated yet: no gold layer to add to
            return
        if Annotation.objects.filter(document=document, layer=self.layer, start=ref["start"], end=ref["end"],
                                     label=label).exists():  # fmt: skip
            return
        subtype = (
            LabelSubtype.objects.filter(label=label, code=ref["subtype"]).first()
            if ref.get("subtype")
            else None
        )
        annotation_create(document=document, annotator=self.user, start=ref["start"], end=ref["end"], label=label,
                          subtype=subtype, quote=ref["quote"], layer=self.layer)  # fmt: skip
        self.result.spans += 1

    def load(self, data: dict) -> SampleResult:
        for i, ref in enumerate(data.get("spans", [])):
            self.add_span(ref, f"spans[{i}]")
        for i, rel in enumerate(data.get("relations", [])):
            try:
                source, target = (
                    self.find(rel["source"], f"relations[{i}].source"),
                    self.find(rel["target"], f"relations[{i}].target"),
                )
            except _Unadjudicated:
                self.result.skipped += 1
                continue
            if not Relation.objects.filter(source=source, target=target, type=rel["type"]).exists():
                relation_create(source=source, target=target, type=rel["type"])
                self.result.relations += 1
        for i, entry in enumerate(data.get("propositions", [])):
            spans = []
            for n, ref in enumerate(entry["spans"]):
                try:
                    spans.append(self.find(ref, f"propositions[{i}].spans[{n}]"))
                except _Unadjudicated:
                    self.result.skipped += 1
            if not spans:
                continue
            proposition = Proposition.objects.filter(project=self.project, text=entry["text"]).first()
            if proposition is None:
                proposition_create(project=self.project, text=entry["text"], note=entry.get("note", ""), user=self.user,
                                   spans=spans)  # fmt: skip
                self.result.propositions += 1
                self.result.links += len(spans)
            else:
                missing = [s for s in spans if not proposition.links.filter(annotation=s).exists()]
                if missing:
                    links_create(proposition=proposition, spans=missing, user=self.user)
                    self.result.links += len(missing)
        for i, entry in enumerate(data.get("provenance", [])):
            try:
                span = self.find(entry["span"], f"provenance[{i}].span")
            except _Unadjudicated:
                self.result.skipped += 1
                continue
            if EvidenceProvenance.objects.filter(annotation=span).exists():
                continue
            cited = self.document(entry["cited_document"], f"provenance[{i}].cited_document") if entry.get(
                "cited_document") else None  # fmt: skip
            provenance_set(span=span, kind=entry["kind"], user=self.user, cited_document=cited,
                           note=entry.get("note", ""))  # fmt: skip
            self.result.provenance += 1
        return self.result


def sample_propositions_load(*, path: Path) -> SampleResult:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ApplicationError.field("file", f"No sample propositions at {path}.") from None
    except json.JSONDecodeError as exc:
        raise ApplicationError.field(
            "file", f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    if data.get("schema") != SCHEMA:
        raise ApplicationError.field("schema", f"{path.name} must declare schema {SCHEMA!r}.")
    with transaction.atomic():
        return _Loader(data).load(data)
