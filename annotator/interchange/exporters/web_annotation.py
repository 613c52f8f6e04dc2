"""W3C Web Annotation JSON-LD: one Annotation per span in an AnnotationCollection.

The collection and its one page have ids (the export's URL), every term is in
the @context (Assay's own under the ``assay:`` prefix), and ``target.source`` is
the URL of the document's text as text/plain (``/api/v1/documents/<id>/text/``),
the very string the selectors count over.

Each annotation targets the document with a TextQuoteSelector (exact, and 32
code points of prefix and suffix) and a TextPositionSelector whose start and
end are Unicode code points of the stored text. Bodies carry the label
(purpose classifying), the subtype (tagging) and the note (commenting).
"""

from __future__ import annotations

import json

from annotator.interchange.exporters.base import Exporter, TextBuffer
from annotator.interchange.selection import Lookups, bundles

# The W3C context, and the prefix of Assay's own terms (assay:layer, assay:status, assay:subtype),
# so every term in the file expands to an IRI.
ASSAY_VOCABULARY = "urn:assay:vocabulary:"
CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"assay": ASSAY_VOCABULARY}]
AFFIX = 32


def collection_iri(selection, base_url: str) -> str:
    """The export as a resource: the URL that produces it, or a URN without a server."""
    query = f"format=web-annotation&status={selection.status}"
    if selection.annotator_id is not None:
        query += f"&annotator={selection.annotator_id}"
    if selection.document_ids is not None and len(selection.document_ids) == 1:
        path = f"/api/v1/documents/{selection.document_ids[0]}/export/"
    else:
        path = f"/api/v1/projects/{selection.project.pk}/export/"
    if base_url:
        return f"{base_url}{path}?{query}"
    return f"urn:assay:export:{selection.project.pk}:{selection.status}:{selection.annotator_id or 'all'}"


def text_iri(document_id: int, base_url: str) -> str:
    """What the selectors count over: the document's stored text as text/plain."""
    if base_url:
        return f"{base_url}/api/v1/documents/{document_id}/text/"
    return f"urn:assay:document:{document_id}:text"


def annotation_entry(a, text: str, document_iri: str, layer, lookups: Lookups, base_url: str) -> dict:
    start, end = a[4], a[5]
    body = [{"type": "TextualBody", "purpose": "classifying", "value": lookups.label_code(a[7])}]
    if a[8]:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": lookups.subtypes.get(a[8])})
    if a[9]:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": a[9]})
    return {
        "id": f"{base_url}/api/v1/annotations/{a[0]}/" if base_url else f"urn:assay:annotation:{a[0]}",
        "type": "Annotation",
        "motivation": "classifying",
        "created": a[11],
        "modified": a[12],
        "creator": {"type": "Person", "nickname": layer.username},
        "assay:layer": layer.layer,
        "assay:status": a[10],
        "body": body,
        "target": {
            "source": document_iri,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": text[start:end],
                    "prefix": text[max(0, start - AFFIX) : start],
                    "suffix": text[end : end + AFFIX],
                },  # fmt: skip
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


class WebAnnotationExporter(Exporter):
    name = "web-annotation"
    extension = "jsonld"
    media_type = "application/ld+json"

    @classmethod
    def stream(cls, selection, *, base_url="", progress=None):
        lookups = Lookups(selection)
        annotations = selection.annotations()
        if selection.document_ids is not None:
            annotations = annotations.filter(document_id__in=selection.document_ids)
        collection = collection_iri(selection, base_url)
        opening = {
            "@context": CONTEXT,
            "id": collection,
            "type": "AnnotationCollection",
            "label": f"{selection.project.name}: {selection.status} layers",
            "total": annotations.count(),
        }
        page = {"id": f"{collection}#page-1", "type": "AnnotationPage", "partOf": collection, "startIndex": 0}
        yield (
            json.dumps(opening, ensure_ascii=False)[:-1]
            + ', "first": '
            + json.dumps(page, ensure_ascii=False)[:-1]
            + ', "items": ['
        ).encode()
        buffer, first, documents, done = TextBuffer(), True, 0, 0
        for bundle in bundles(selection, lookups, with_relations=False):
            text, document_id = bundle.document["text"], bundle.document["id"]
            iri = text_iri(document_id, base_url)
            for layer in bundle.layers:
                for a in layer.annotations:
                    entry = json.dumps(
                        annotation_entry(a, text, iri, layer, lookups, base_url), ensure_ascii=False
                    )
                    chunk = buffer.add(entry if first else "," + entry)
                    first = False
                    done += 1
                    if chunk:
                        yield chunk
            documents += 1
            if progress and documents % 100 == 0:
                progress(documents, done)
        buffer.add("]}}\n")
        yield buffer.flush()
        if progress:
            progress(documents, done)
