"""History per document and per span, and restore by a manager."""

import pytest

from annotator.annotations.models import Annotation, Relation
from annotator.annotations.services import annotation_delete, annotation_update
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.reviews.history import document_history, history_restore, span_history
from annotator.reviews.models import Assignment
from tests.factories import RelationFactory


def _reopen(scene):
    Assignment.objects.filter(pk=scene.a1.pk).update(state="in_progress")


def test_changed_span_is_restored_as_a_new_version(scene):
    """EVIDENCE [15,22) moved to [12,22) and back by restore: version 3, quote 'the mat', history keeps all three."""
    _reopen(scene)
    span = Annotation.objects.get(annotator=scene.ann1, start=15)
    created = span.history.get(history_type="+")
    annotation_update(annotation=span, version=1, start=12)
    restored = history_restore(model="annotation", history_id=created.history_id, manager=scene.manager)
    assert (restored.pk, restored.start, restored.end, restored.quote, restored.version) == (
        span.pk,
        15,
        22,
        "the mat",
        3,
    )
    entries = span_history(annotation_id=span.pk, user=scene.reviewer)
    assert [(e.action, e.user) for e in entries] == [
        ("created", "system"),
        ("changed", "system"),
        ("changed", "mgr"),
    ]
    assert ("start", 15, 12) in entries[1].changes and ("quote", "the mat", "on the mat") in entries[
        1
    ].changes
    assert ("start", 12, 15) in entries[2].changes


def test_deleted_span_and_relation_come_back_through_the_services(scene):
    """A deleted span is re-created with its old values (a new id); its relation needs the span first."""
    _reopen(scene)
    src = Annotation.objects.get(annotator=scene.ann1, start=15)
    tgt = Annotation.objects.get(annotator=scene.ann1, start=0)
    rel = RelationFactory(source=src, target=tgt, type="supports")
    rel_created = rel.history.get(history_type="+")
    annotation_delete(annotation=src)  # cascades to the relation
    assert not Relation.objects.filter(pk=rel.pk).exists()
    gone = Annotation.history.get(id=src.pk, history_type="-")
    with pytest.raises(
        ApplicationError, match=f"Span {src.pk} that this relation links is deleted; restore that span first."
    ):
        history_restore(model="relation", history_id=rel_created.history_id, manager=scene.manager)
    back = history_restore(model="annotation", history_id=gone.history_id, manager=scene.manager)
    assert (back.start, back.end, back.label.code, back.annotator) == (15, 22, "EVIDENCE", scene.ann1)
    assert back.pk != src.pk
    entries = document_history(document=scene.document, user=scene.reviewer)
    assert ("annotation", src.pk, "deleted") in {(e.model, e.object_id, e.action) for e in entries}


def test_restore_rules(scene):
    span = Annotation.objects.get(annotator=scene.ann1, start=15)
    record = span.history.get()
    with pytest.raises(
        PermissionDenied, match="This needs the manager role in the project; you are reviewer."
    ):
        history_restore(model="annotation", history_id=record.history_id, manager=scene.reviewer)
    with pytest.raises(NotFound, match="Project not found."):
        history_restore(model="annotation", history_id=record.history_id, manager=scene.outsider)
    with pytest.raises(ApplicationError, match="Cannot restore 'assignment'; restore a span or a relation."):
        history_restore(model="assignment", history_id=1, manager=scene.manager)
    with pytest.raises(NotFound, match="History entry not found."):
        history_restore(model="annotation", history_id=10**9, manager=scene.manager)
    with pytest.raises(PermissionDenied):
        document_history(document=scene.document, user=scene.ann1)


def test_restore_into_a_submitted_layer_is_refused(scene):
    """Re-creating a deleted span in a submitted layer would change submitted work: the layer rule applies."""
    _reopen(scene)
    span = Annotation.objects.get(annotator=scene.ann1, start=15)
    relation_count = Relation.objects.count()
    annotation_delete(annotation=span)
    Assignment.objects.filter(pk=scene.a1.pk).update(state="submitted")
    gone = Annotation.history.get(id=span.pk, history_type="-")
    with pytest.raises(
        ApplicationError, match="This layer is submitted and read-only until a reviewer sends it back."
    ):
        history_restore(model="annotation", history_id=gone.history_id, manager=scene.manager)
    assert Relation.objects.count() == relation_count
