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
    """A deleted span is re-created with its old values and its old id; its relation needs the span
    first, and then comes back too (it used to answer "restore that span first" forever)."""
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
    assert (back.pk, back.start, back.end, back.label.code, back.annotator) == (
        src.pk, 15, 22, "EVIDENCE", scene.ann1,
    )  # fmt: skip
    link = history_restore(model="relation", history_id=rel_created.history_id, manager=scene.manager)
    assert (link.pk, link.source_id, link.target_id, link.type) == (rel.pk, src.pk, tgt.pk, "supports")
    entries = document_history(document=scene.document, user=scene.reviewer)
    actions = [(e.model, e.object_id, e.action) for e in reversed(entries) if e.object_id in (src.pk, rel.pk)]
    # Each keeps one history under one id: created, deleted, created again by the restore
    # (and its review status put back, as a change by the manager).
    assert [a for a in actions if a[0] == "annotation"] == [
        ("annotation", src.pk, "created"), ("annotation", src.pk, "deleted"), ("annotation", src.pk, "created"),
        ("annotation", src.pk, "changed"),
    ]  # fmt: skip
    assert [a for a in actions if a[0] == "relation"] == [
        ("relation", rel.pk, "created"), ("relation", rel.pk, "deleted"), ("relation", rel.pk, "created"),
        ("relation", rel.pk, "changed"),
    ]  # fmt: skip


def test_restore_rules(scene):
    span = Annotation.objects.get(annotator=scene.ann1, start=15)
    record = span.history.get()
    with pytest.raises(
        PermissionDenied, match="This needs the manager role in the project; you are reviewer."
    ):
        history_restore(model="annotation", history_id=record.history_id, manager=scene.reviewer)
    with pytest.raises(NotFound, match="Project not found."):
        history_restore(model="annotation", history_id=record.history_id, manager=scene.outsider)
    with pytest.raises(
        ApplicationError,
        match="Cannot restore 'document'; restore an annotation, a relation or an assignment.",
    ):
        history_restore(model="document", history_id=1, manager=scene.manager)
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


def test_restoring_an_assignment_entry_undoes_a_decision(scene):
    """ann1's layer was approved; restoring the entry from before the decision makes it
    submitted again, with no reviewer, as a new version recorded under the manager."""
    from annotator.reviews.services import assignment_approve

    before = scene.a1.history.get(history_type="+")
    assignment_approve(assignment=scene.a1, reviewer=scene.reviewer)
    restored = history_restore(model="assignment", history_id=before.history_id, manager=scene.manager)
    assert (restored.pk, restored.state, restored.reviewed_by, restored.version) == (
        scene.a1.pk,
        "submitted",
        None,
        3,
    )
    assert restored.submitted_at == before.submitted_at
    latest = document_history(document=scene.document, user=scene.reviewer)[0]
    assert (latest.model, latest.user, latest.action) == ("assignment", "mgr", "changed")
    assert ("state", "approved", "submitted") in latest.changes
    with pytest.raises(
        PermissionDenied, match="This needs the manager role in the project; you are reviewer."
    ):
        history_restore(model="assignment", history_id=before.history_id, manager=scene.reviewer)


def test_restoring_a_reassigned_assignment_brings_the_earlier_annotator_back(
    scene, django_capture_on_commit_callbacks
):
    """Reassigning ann1's submitted layer to ann3 removes it from the agreement; restoring the
    deleted row gives ann1 back their submitted assignment (a new id) and the layer is compared again."""
    from annotator.reviews.assigning import assignment_reassign
    from annotator.reviews.models import Agreement
    from tests.factories import member

    ann3 = member(scene.project, username="ann3")
    with django_capture_on_commit_callbacks(execute=True):
        assignment_reassign(assignment=scene.a1, annotator=ann3, manager=scene.manager)
    assert Agreement.objects.get(document=scene.document, label=None).annotators == 1
    gone = Assignment.history.get(id=scene.a1.pk, history_type="-")
    with django_capture_on_commit_callbacks(execute=True):
        back = history_restore(model="assignment", history_id=gone.history_id, manager=scene.manager)
    assert (back.annotator, back.state, back.submitted_at) == (scene.ann1, "submitted", scene.a1.submitted_at)
    assert back.pk != scene.a1.pk
    row = Agreement.objects.get(document=scene.document, label=None)
    assert (row.annotators, row.alpha) == (2, pytest.approx(0.6))
    with pytest.raises(
        ApplicationError,
        match=f"ann1 is assigned to document {scene.document.pk} again; restore an entry of that assignment instead.",
    ):
        history_restore(model="assignment", history_id=gone.history_id, manager=scene.manager)
