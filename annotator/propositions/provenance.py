"""Evidence provenance: set it, and suggest it.

Suggestion rules, first match wins (docs/propositions.md, "Provenance"):
1. Self-reference wording in the evidence's sentence ("as mentioned earlier",
   "like was mentioned earlier in this analysis", "as I wrote", "my earlier
   article") -> self-citation.
2. The sentence names a project document by title (trigram word similarity of
   the title to the sentence >= TITLE_MATCH, typographic quotes folded) or by
   link (the document's URL appears in it): self-citation when that document
   shares an author or the outlet with the evidence's document, else external
   secondary, with the cited document set.
3. A link in the sentence on the outlet's own domain -> self-citation.
Otherwise no suggestion: provenance is a reader's judgement.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.db import connection, transaction

from annotator.annotations.models import Annotation, Layer
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.projects.kinds import EVIDENCE, kind_role
from annotator.propositions.models import EvidenceProvenance, ProvenanceKind
from annotator.reviews.services import layer_assert_editable

TITLE_MATCH = 0.8
SELF_WORDING = re.compile(
    r"\b(?:as|like)\s+(?:was\s+|i\s+|we\s+|has\s+been\s+|had\s+been\s+)?"
    r"(?:mentioned|noted|explained|argued|discussed|written|wrote|pointed\s+out|analy[sz]ed)\s+"
    r"(?:earlier|above|before|previously|in\s+(?:my|our|this)\b)"
    r"(?:\s+in\s+(?:this|my|our)\s+(?:analysis|article|piece|report|text|column))?"
    r"|\b(?:my|our)\s+(?:earlier|previous|prior|recent)\s+(?:article|piece|analysis|work|report|column)"
    r"|\bas\s+(?:i|we)\s+(?:have\s+)?(?:argued|written|explained|noted|warned)",
    re.IGNORECASE,
)
URL = re.compile(r"https?://[^\s\"'<>)\]]+", re.IGNORECASE)
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})
_SENTENCE_END = re.compile(r"[.!?…]\s|\n")


def evidence_context(*, text: str, start: int, end: int, limit: int = 600) -> str:
    """The evidence span with the rest of its sentence(s) on both sides (at most ``limit`` code points each way)."""
    left = text[max(0, start - limit) : start]
    ends = list(_SENTENCE_END.finditer(left))
    before = left[ends[-1].end() :] if ends else left
    right = text[end : end + limit]
    stop = _SENTENCE_END.search(right)
    after = right[: stop.start() + 1] if stop else right
    return before + text[start:end] + after


_TITLE_OR_LINK = """
SELECT d.id, d.title,
       COALESCE(d.source_id = %(source)s, false) AS same_outlet,
       EXISTS (SELECT 1 FROM documents_document_authors x JOIN documents_document_authors y
               ON y.author_id = x.author_id AND y.document_id = %(document)s
               WHERE x.document_id = d.id) AS same_author,
       CASE WHEN d.title <> '' THEN word_similarity(lower(translate(d.title, %(from)s, %(to)s)), %(context)s)
            ELSE 0 END AS score
FROM documents_document d
WHERE d.project_id = %(project)s AND d.id <> %(document)s
  AND ((d.title <> '' AND word_similarity(lower(translate(d.title, %(from)s, %(to)s)), %(context)s) >= %(match)s)
       OR (d.url <> '' AND position(lower(d.url) IN %(context)s) > 0))
ORDER BY score DESC, d.id
LIMIT 1
"""


def provenance_suggest(*, span: Annotation) -> dict | None:
    """A suggested provenance for an evidence span, with the reason shown to the reader, or None."""
    document: Document = span.document
    context = evidence_context(text=document.text, start=span.start, end=span.end)
    folded = context.translate(_FOLD).lower()
    wording = SELF_WORDING.search(folded)
    if wording:
        return {
            "kind": ProvenanceKind.SELF_CITATION,
            "cited_document": None,
            "reason": f"The sentence refers back to the author's own text: {wording.group(0)!r}.",
        }
    with connection.cursor() as cursor:
        cursor.execute(
            _TITLE_OR_LINK,
            {"source": document.source_id, "document": document.pk, "project": document.project_id,
             "context": folded, "match": TITLE_MATCH, "from": "‘’“”\u00a0", "to": "''\"\" "},
        )  # fmt: skip
        row = cursor.fetchone()
    if row is not None:
        cited_id, title, same_outlet, same_author, _ = row
        named = f"document {cited_id}" + (f" ({title!r})" if title else "")
        if same_author or same_outlet:
            who = "author" if same_author else "outlet"
            return {
                "kind": ProvenanceKind.SELF_CITATION,
                "cited_document": cited_id,
                "reason": f"It cites {named}, a project document by the same {who}.",
            }
        return {
            "kind": ProvenanceKind.EXTERNAL_SECONDARY,
            "cited_document": cited_id,
            "reason": f"It cites {named}, a project document by another author and outlet.",
        }
    domain = (document.source.domain if document.source_id else "").lower()
    if domain:
        for match in URL.finditer(context):
            host = (urlsplit(match.group(0)).hostname or "").lower()
            if host == domain or host.endswith("." + domain):
                return {
                    "kind": ProvenanceKind.SELF_CITATION,
                    "cited_document": None,
                    "reason": f"It links to the outlet's own site ({host}).",
                }
    return None


@transaction.atomic
def provenance_set(
    *, span: Annotation, kind: str, user, cited_document: Document | None = None, cited_title: str = "",
    cited_url: str = "", note: str = "",
) -> EvidenceProvenance:  # fmt: skip
    """Set (or replace) the provenance of an evidence span; its history keeps every earlier value."""
    if kind_role(span.label.kind) != EVIDENCE:
        raise ApplicationError.field(
            "span", f"Span {span.pk} is a {span.label.kind} span; provenance is for evidence."
        )
    if kind not in ProvenanceKind.values:
        raise ApplicationError.field(
            "kind", f"Unknown provenance {kind!r}; use one of {', '.join(ProvenanceKind.values)}."
        )
    if cited_document is not None and cited_document.project_id != span.project_id:
        raise ApplicationError.field("cited_document", "The cited document belongs to another project.")
    if cited_document is not None and cited_document.pk == span.document_id:
        raise ApplicationError.field(
            "cited_document",
            "The evidence cannot cite its own document; use self-citation without a document.",
        )
    if span.layer == Layer.ANNOTATOR:
        layer_assert_editable(document=span.document, annotator=span.annotator)
    provenance = EvidenceProvenance.objects.select_for_update().filter(annotation=span).first()
    if provenance is None:
        provenance = EvidenceProvenance(annotation=span, project_id=span.project_id)
    provenance.kind, provenance.cited_document = kind, cited_document
    provenance.cited_title, provenance.cited_url, provenance.note = cited_title[:500], cited_url, note
    provenance.set_by = user
    provenance.save()
    return provenance


@transaction.atomic
def provenance_clear(*, span: Annotation) -> None:
    provenance = EvidenceProvenance.objects.filter(annotation=span).first()
    if provenance is not None:
        provenance.delete()
