"""Propositions in exports and imports (called by annotator/interchange; kept here so the
interchange formats only add a section each).

Native JSON: two top-level lists after ``documents``::

    "propositions": [{"id": 7, "text": "...", "note": "", "spans": [{"span": 31, "status": "pending",
                      "status_reason": ""}]}],
    "evidence_provenance": [{"span": 44, "kind": "self_citation", "cited_document": "<sha256 of its text>"
                             | null, "cited_title": "", "cited_url": "", "note": ""}]

``span`` is a span id of the same file. AIF: one graph for the whole export
(``propositions.json`` in the ZIP): one I-node per proposition, each span stating
it an L-node (a locution of its outlet or author) asserting it through a YA node,
and the support and attacks between propositions as RA / CA nodes, one per pair.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from django.db.models import QuerySet
from simple_history.utils import bulk_create_with_history

from annotator.annotations.models import Annotation, Relation, RelationType, ReviewStatus
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.projects.kinds import EVIDENCE, STATING_ROLES, kind_role
from annotator.projects.models import Project
from annotator.propositions.models import EvidenceProvenance, Proposition, PropositionLink, ProvenanceKind


def propositions_export(*, project: Project, spans: QuerySet) -> dict:
    """The propositions stated by the exported ``spans`` (a queryset of their ids) and their evidence's provenance."""
    links = (
        PropositionLink.objects.filter(project=project, annotation_id__in=spans)
        .select_related("proposition")
        .order_by("proposition_id", "annotation_id")
    )
    propositions: dict[int, dict] = {}
    for link in links:
        p = link.proposition
        entry = propositions.setdefault(p.pk, {"id": p.pk, "text": p.text, "note": p.note, "spans": []})
        entry["spans"].append(
            {"span": link.annotation_id, "status": link.status, "status_reason": link.status_reason}
        )
    provenance = [
        {
            "span": pv.annotation_id,
            "kind": pv.kind,
            "cited_document": pv.cited_document.content_hash if pv.cited_document_id else None,
            "cited_title": pv.cited_title,
            "cited_url": pv.cited_url,
            "note": pv.note,
        }  # fmt: skip
        for pv in EvidenceProvenance.objects.filter(project=project, annotation_id__in=spans)
        .select_related("cited_document")
        .order_by("annotation_id")
    ]
    return {"propositions": list(propositions.values()), "evidence_provenance": provenance}


def _list(data, key: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ApplicationError.field(key, f'"{key}" must be a list.')
    return value


def propositions_import(*, project: Project, user, data: dict, stored: dict) -> dict:
    """Recreate a native file's propositions and provenance over the spans just imported.

    ``stored`` maps the file's span ids to the new spans' ids; entries naming spans that were
    not stored (their document was already in the project) are skipped and counted. Call inside
    the import's transaction: a bad entry raises with its JSON path and nothing is kept.
    """
    counts = {"propositions": 0, "proposition_links": 0, "provenance": 0, "skipped_links": 0}
    entries, provenance = _list(data, "propositions"), _list(data, "evidence_provenance")
    span_ids = set(stored.values())
    kinds = dict(Annotation.objects.filter(pk__in=span_ids).values_list("pk", "label__kind"))
    spans = {a.pk: a for a in Annotation.objects.filter(pk__in=span_ids).only("id", "document_id", "annotator_id",
                                                                                "layer", "project_id")}  # fmt: skip
    links = []
    for index, entry in enumerate(entries):
        where = f"propositions[{index}]"
        text = " ".join(str(entry.get("text") or "").split()) if isinstance(entry, dict) else ""
        if not text:
            raise ApplicationError.field(where, f"{where}: a proposition needs a non-empty text.")
        targets = []
        for n, item in enumerate(_list(entry, "spans")):
            ref = item.get("span") if isinstance(item, dict) else None
            if ref not in stored:
                counts["skipped_links"] += 1
                continue
            span_id = stored[ref]
            if kind_role(kinds[span_id]) not in STATING_ROLES:
                message = f"{where}.spans[{n}]: span {ref} is a {kinds[span_id]} span; only claims and evidence state propositions."
                raise ApplicationError.field(f"{where}.spans[{n}]", message)
            status = item.get("status") if item.get("status") in ReviewStatus.values else ReviewStatus.PENDING
            targets.append((span_id, status, str(item.get("status_reason") or "")))
        if not targets:
            continue
        proposition = Proposition.objects.create(project=project, text=text[:2000], note=str(entry.get("note") or ""),
                                                 created_by=user)  # fmt: skip
        counts["propositions"] += 1
        for span_id, status, reason in targets:
            span = spans[span_id]
            links.append(PropositionLink(
                project=project, proposition=proposition, annotation_id=span_id, document_id=span.document_id,
                annotator_id=span.annotator_id, layer=span.layer, status=status, status_reason=reason, created_by=user,
            ))  # fmt: skip
    seen = set()
    links = [link for link in links if not (link.annotation_id in seen or seen.add(link.annotation_id))]
    bulk_create_with_history(links, PropositionLink, default_user=user)
    counts["proposition_links"] = len(links)
    hashes = dict(Document.objects.filter(project=project).values_list("content_hash", "id"))
    rows = []
    for index, item in enumerate(provenance):
        where = f"evidence_provenance[{index}]"
        if not isinstance(item, dict) or item.get("span") not in stored:
            continue
        span_id = stored[item["span"]]
        if item.get("kind") not in ProvenanceKind.values:
            raise ApplicationError.field(
                f"{where}.kind", f"{where}.kind: unknown provenance {item.get('kind')!r}."
            )
        if kind_role(kinds[span_id]) != EVIDENCE:
            raise ApplicationError.field(where, f"{where}: span {item['span']} is not an evidence span.")
        rows.append(EvidenceProvenance(
            annotation_id=span_id, project=project, kind=item["kind"],
            cited_document_id=hashes.get(item.get("cited_document")), cited_title=str(item.get("cited_title") or "")[:500],
            cited_url=str(item.get("cited_url") or "")[:2000], note=str(item.get("note") or ""), set_by=user,
        ))  # fmt: skip
    bulk_create_with_history(rows, EvidenceProvenance, default_user=user)
    counts["provenance"] = len(rows)
    return counts


def _stamp(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def propositions_aif_graph(*, project: Project, spans: QuerySet, ids=None) -> dict | None:
    """One AIF graph across the exported documents, or None when no exported span states a proposition.

    ``ids`` is the export's node id counter, so ids stay unique across every file of a ZIP."""
    links = list(
        PropositionLink.objects.filter(project=project, annotation_id__in=spans)
        .exclude(status=ReviewStatus.REJECTED)
        .select_related("proposition", "annotation", "document__source")
        .prefetch_related("document__authors")
        .order_by("proposition_id", "document_id", "annotation__start")
    )
    if not links:
        return None
    if ids is None:
        ids = (str(n) for n in itertools.count(1))
    nodes, edges, locutions, participants, i_nodes, assay = (
        [],
        [],
        [],
        {},
        {},
        {"propositions": {}, "locutions": {}},
    )

    def node(text, kind, stamp, **extra):
        node_id = next(ids)
        nodes.append({"nodeID": node_id, "text": text, "type": kind, "timestamp": stamp, **extra})
        return node_id

    def edge(source, target):
        edges.append({"edgeID": next(ids), "fromID": source, "toID": target, "formEdgeID": None})

    proposition_of = {}
    for link in links:
        p = link.proposition
        stamp = _stamp(link.annotation.created_at)
        if p.pk not in i_nodes:
            i_nodes[p.pk] = node(p.text, "I", _stamp(p.created_at))
            assay["propositions"][i_nodes[p.pk]] = p.pk
        proposition_of[link.annotation_id] = p.pk
        authors = [a.name for a in link.document.authors.all()]
        speaker = (
            authors[0] if authors else (link.document.source.name if link.document.source_id else "Unknown")
        )
        if speaker not in participants:
            first, _, rest = speaker.partition(" ")
            participants[speaker] = {
                "participantID": str(len(participants) + 1),
                "firstname": first,
                "surname": rest,
            }
        locution = node(f"{speaker}: {link.annotation.quote}", "L", stamp)
        locutions.append({"nodeID": locution, "personID": participants[speaker]["participantID"], "timestamp": stamp,
                          "start": None, "end": None, "source": None})  # fmt: skip
        assay["locutions"][locution] = {"annotation": link.annotation_id, "document": link.document_id,
                                        "start": link.annotation.start, "end": link.annotation.end}  # fmt: skip
        asserting = node("Asserting", "YA", stamp, scheme="Asserting")
        edge(locution, asserting)
        edge(asserting, i_nodes[p.pk])
    relations = (
        Relation.objects.filter(
            source_id__in=proposition_of.keys(),
            target_id__in=proposition_of.keys(),
            type__in=[RelationType.SUPPORTS, RelationType.ATTACKS],
        )  # fmt: skip
        .exclude(status=ReviewStatus.REJECTED)
        .order_by("id")
    )
    pairs = defaultdict(list)
    for r in relations:
        source, target = proposition_of[r.source_id], proposition_of[r.target_id]
        if source != target:
            pairs[(source, target, r.type)].append(r)
    for (source, target, kind), found in pairs.items():
        scheme_type, text = (
            ("RA", "Default Inference") if kind == RelationType.SUPPORTS else ("CA", "Default Conflict")
        )
        scheme = node(text, scheme_type, _stamp(found[0].created_at), scheme=text)
        edge(i_nodes[source], scheme)
        edge(scheme, i_nodes[target])
    return {"nodes": nodes, "edges": edges, "locutions": locutions, "participants": list(participants.values()),
            "assay": assay}  # fmt: skip
