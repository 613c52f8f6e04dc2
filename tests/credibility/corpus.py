"""A small hand-built corpus whose every figure is worked out by hand in the tests.

Every document's text is ten (or twenty) words of five letters, so a span
[6*k, 6*k+5) is word k and word counts are obvious.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from annotator.annotations.models import Annotation, Relation
from annotator.projects.models import LabelSubtype, Role
from annotator.reviews.models import Assignment, AssignmentState
from tests.factories import (
    AuthorFactory,
    DocumentFactory,
    ProjectFactory,
    SourceFactory,
    SpeakerFactory,
    label,
    member,
)

WORDS = ["alpha", "bravo", "delta", "gamma", "kappa", "omega", "sigma", "theta", "tango", "zulus"]


def text_of(words: int, tag: str) -> str:
    # The last word carries the tag: texts are unique per project (by hash).
    return " ".join([*(WORDS * 3)[: words - 1], f"end{tag}"])


def word(k: int) -> tuple[int, int]:
    return 6 * k, 6 * k + 5


def span(document, user, k, code, *, layer="gold", subtype=None, status="pending", end_word=None):
    start, _ = word(k)
    _, end = word(end_word if end_word is not None else k)
    lab = label(document.project, code)
    return Annotation.objects.create(
        project=document.project,
        document=document,
        annotator=user,
        layer=layer,
        start=start,
        end=end,
        quote=document.text[start:end],
        label=lab,
        status=status,
        subtype=LabelSubtype.objects.get(label=lab, code=subtype) if subtype else None,
    )


def link(source, type_, target=None, speaker=None):
    return Relation.objects.create(
        project=source.project,
        document=source.document,
        annotator=source.annotator,
        layer=source.layer,
        type=type_,
        source=source,
        target=target,
        speaker=speaker,
    )


def submit(document, user, state=AssignmentState.SUBMITTED):
    return Assignment.objects.create(
        project=document.project, document=document, annotator=user, state=state, submitted_at=timezone.now()
    )


@dataclass
class Corpus:
    project: object
    reviewer: object
    annotator: object
    outlet_a: object
    outlet_b: object
    author_x: object
    author_y: object
    speaker: object
    docs: dict = field(default_factory=dict)
    spans: dict = field(default_factory=dict)


def build_corpus(project=None) -> Corpus:
    """
    doc1  outlet A, author X, 10 words, gold:
          c1 claim (w0), c2 claim (w1-2), c3 claim (w2-3, overlaps c2), e1 evidence/statistic (w4),
          h1 hedge (w5), o1 opinion (w6); e1 supports c1; h1 qualifies c2; c1 attributed to S.
          Also: a rejected gold claim (w7), and annotator's submitted layer (ignored: gold exists).
    doc2  outlet A, authors X and Y, 20 words, gold:
          c4 claim (w0), e2 evidence/quote (w1) supports c4, e3 evidence (no subtype, w2) attacks c4,
          h2 hedge (w3) qualifying nothing.
    doc3  outlet B, author Y, 10 words, no gold; annotator's layer submitted:
          c5, c6 claims (w0, w1); c5 attributed to S. Zero evidence.
    doc4  no outlet, no author, 10 words, gold: o2 opinion (w0). Zero claims.
    doc5  outlet B, 10 words, nothing annotated and nothing submitted: counted as a document, not scored.
    """
    project = project or ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    annotator = member(project, Role.ANNOTATOR)
    outlet_a, outlet_b = SourceFactory(name="Outlet A"), SourceFactory(name="Outlet B")
    author_x, author_y = AuthorFactory(name="Author X"), AuthorFactory(name="Author Y")
    speaker = SpeakerFactory(name="Speaker S")
    c = Corpus(project, reviewer, annotator, outlet_a, outlet_b, author_x, author_y, speaker)

    d1 = DocumentFactory(project=project, text=text_of(10, "d1"), source=outlet_a)
    d1.authors.set([author_x])
    d2 = DocumentFactory(project=project, text=text_of(20, "d2"), source=outlet_a)
    d2.authors.set([author_x, author_y])
    d3 = DocumentFactory(project=project, text=text_of(10, "d3"), source=outlet_b)
    d3.authors.set([author_y])
    d4 = DocumentFactory(project=project, text=text_of(10, "d4"), source=None)
    d5 = DocumentFactory(project=project, text=text_of(10, "d5"), source=outlet_b)
    c.docs = {"d1": d1, "d2": d2, "d3": d3, "d4": d4, "d5": d5}

    s = c.spans
    s["c1"] = span(d1, reviewer, 0, "CLAIM")
    s["c2"] = span(d1, reviewer, 1, "CLAIM", end_word=2)
    s["c3"] = span(d1, reviewer, 2, "CLAIM", end_word=3)
    s["e1"] = span(d1, reviewer, 4, "EVIDENCE", subtype="statistic")
    s["h1"] = span(d1, reviewer, 5, "HEDGE")
    s["o1"] = span(d1, reviewer, 6, "OPINION")
    s["rejected"] = span(d1, reviewer, 7, "CLAIM", status="rejected")
    link(s["e1"], "supports", s["c1"])
    link(s["h1"], "qualifies", s["c2"])
    link(s["c1"], "attributed_to", speaker=speaker)
    # The annotator's own layer on d1, submitted: ignored because d1 has gold.
    s["d1_annotator_claim"] = span(d1, annotator, 0, "CLAIM", layer="annotator")
    submit(d1, annotator)

    s["c4"] = span(d2, reviewer, 0, "CLAIM")
    s["e2"] = span(d2, reviewer, 1, "EVIDENCE", subtype="quote")
    s["e3"] = span(d2, reviewer, 2, "EVIDENCE")
    s["h2"] = span(d2, reviewer, 3, "HEDGE")
    link(s["e2"], "supports", s["c4"])
    link(s["e3"], "attacks", s["c4"])

    s["c5"] = span(d3, annotator, 0, "CLAIM", layer="annotator")
    s["c6"] = span(d3, annotator, 1, "CLAIM", layer="annotator")
    link(s["c5"], "attributed_to", speaker=speaker)
    submit(d3, annotator)

    s["o2"] = span(d4, reviewer, 0, "OPINION")
    return c
