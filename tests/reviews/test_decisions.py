"""Per-span and per-relation review: accept, reject with a reason, correct without losing the original."""

import pytest

from annotator.annotations.models import Annotation, Layer, ReviewStatus
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.reviews.decisions import (
    annotation_correct,
    annotation_review,
    relation_correct,
    relation_review,
)
from annotator.reviews.models import AssignmentState
from tests.factories import RelationFactory, label


def _span(scene, annotator, start):
    return Annotation.objects.get(document=scene.document, annotator=annotator, start=start)


def test_accept_and_reject(scene):
    """Accept sets the status; reject keeps the reason; each decision is a new version in history."""
    span = _span(scene, scene.ann1, 15)
    span = annotation_review(annotation=span, reviewer=scene.reviewer, decision="accept")
    assert (span.status, span.version) == (ReviewStatus.ACCEPTED, 2)
    span = annotation_review(
        annotation=span, reviewer=scene.reviewer, decision="reject", reason="Starts too late."
    )
    assert (span.status, span.status_reason, span.version) == (ReviewStatus.REJECTED, "Starts too late.", 3)
    statuses = list(span.history.order_by("history_date").values_list("status", "history_user__username"))
    assert statuses == [("pending", None), ("accepted", "rev"), ("rejected", "rev")]


def test_reject_needs_reason_and_stale_version_conflicts(scene):
    span = _span(scene, scene.ann1, 15)
    with pytest.raises(
        ApplicationError, match="Say why the span is rejected: the reason is required."
    ) as err:
        annotation_review(annotation=span, reviewer=scene.reviewer, decision="reject", reason=" ")
    assert list(err.value.errors) == ["reason"]
    with pytest.raises(ApplicationError, match="Unknown decision 'maybe'; use accept or reject."):
        annotation_review(annotation=span, reviewer=scene.reviewer, decision="maybe")
    with pytest.raises(ApplicationError, match=r"you had version 5, it is now 1"):
        annotation_review(annotation=span, reviewer=scene.reviewer, decision="accept", version=5)


def test_correct_keeps_the_original(scene):
    """Correcting EVIDENCE[15,22) to [12,22) writes a gold copy with origin; the original keeps its offsets."""
    span = _span(scene, scene.ann1, 15)
    gold = annotation_correct(annotation=span, reviewer=scene.reviewer, start=12, reason="Include 'on'.")
    span.refresh_from_db()
    assert (gold.layer, gold.annotator, gold.start, gold.end, gold.quote, gold.origin) == (
        Layer.GOLD,
        scene.reviewer,
        12,
        22,
        "on the mat",
        span,
    )
    assert (span.start, span.end, span.status, span.status_reason) == (
        15,
        22,
        ReviewStatus.CORRECTED,
        "Include 'on'.",
    )
    with pytest.raises(ApplicationError, match="A correction must change the start, end, label or subtype"):
        annotation_correct(annotation=span, reviewer=scene.reviewer)
    relabelled = annotation_correct(
        annotation=_span(scene, scene.ann2, 23),
        reviewer=scene.reviewer,
        label=label(scene.project, "OPINION"),
    )
    assert (relabelled.label.code, relabelled.start, relabelled.end) == ("OPINION", 23, 28)


def test_relation_review_and_correct(scene):
    src, tgt = _span(scene, scene.ann1, 15), _span(scene, scene.ann1, 0)
    rel = RelationFactory(source=src, target=tgt, type="supports")
    rel = relation_review(relation=rel, reviewer=scene.reviewer, decision="reject", reason="It attacks.")
    assert (rel.status, rel.status_reason) == (ReviewStatus.REJECTED, "It attacks.")
    gold = relation_correct(relation=rel, reviewer=scene.reviewer, type="attacks")
    rel.refresh_from_db()
    assert (gold.type, gold.layer, gold.origin, gold.source.origin, gold.target.origin) == (
        "attacks",
        "gold",
        rel,
        src,
        tgt,
    )
    assert (rel.type, rel.status) == ("supports", ReviewStatus.CORRECTED)
    with pytest.raises(ApplicationError, match="The relation already is supports; to keep it, accept it."):
        relation_correct(relation=rel, reviewer=scene.reviewer, type="supports")


def test_forbidden_span_reviews(scene):
    """Own span -> 403; annotator -> 403; non-member -> 404; unsubmitted layer and gold spans -> 400."""
    span = _span(scene, scene.ann1, 15)
    with pytest.raises(PermissionDenied, match="You cannot review your own work."):
        annotation_review(annotation=span, reviewer=scene.ann1, decision="accept")
    with pytest.raises(
        PermissionDenied, match="This needs the reviewer role in the project; you are annotator."
    ):
        annotation_review(annotation=span, reviewer=scene.ann2, decision="accept")
    with pytest.raises(NotFound, match="Project not found."):
        annotation_review(annotation=span, reviewer=scene.outsider, decision="accept")
    scene.a1.__class__.objects.filter(pk=scene.a1.pk).update(state=AssignmentState.IN_PROGRESS)
    with pytest.raises(ApplicationError, match="Review this layer once it is submitted; it is in progress."):
        annotation_review(annotation=span, reviewer=scene.reviewer, decision="accept")
    gold = annotation_correct(annotation=_span(scene, scene.ann2, 23), reviewer=scene.reviewer, start=24)
    with pytest.raises(
        ApplicationError, match="Gold-layer items are adjudicated, not reviewed; edit them instead."
    ):
        annotation_review(annotation=gold, reviewer=scene.manager, decision="accept")
