"""Explicit, round-robin and re-assignment by managers; progress counts."""

import pytest

from annotator.annotations.models import Annotation
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.projects.models import Role
from annotator.reviews.assigning import (
    assignment_create,
    assignment_reassign,
    assignments_bulk_create,
    round_robin,
)
from annotator.reviews.models import Assignment
from annotator.reviews.selectors import progress_by_annotator
from tests.factories import DocumentFactory, member


def test_round_robin_is_deterministic_and_balanced():
    """4 documents, annotators 10, 20, 30, overlap 2: document i gets annotators 2i and 2i+1 (mod 3).
    Loads: 10 -> 3, 20 -> 3, 30 -> 2 (8 = 4·2 assignments, floor/ceil of 8/3)."""
    pairs = round_robin([4, 3, 2, 1], [30, 10, 20], 2)
    assert pairs == [(1, 10), (1, 20), (2, 30), (2, 10), (3, 20), (3, 30), (4, 10), (4, 20)]


def test_bulk_assign_skips_existing_and_checks_input(scene):
    docs = [scene.document] + [DocumentFactory(project=scene.project) for _ in range(3)]
    ann3 = member(scene.project, Role.ANNOTATOR, username="ann3")
    annotators = [scene.ann1, scene.ann2, ann3]
    result = assignments_bulk_create(
        project=scene.project, manager=scene.manager, annotators=annotators, overlap=2
    )
    # scene.document already has ann1 and ann2 (round robin gives it exactly those): 2 skipped.
    assert result == {"created": 6, "skipped": 2, "documents": 4}
    assert Assignment.objects.filter(project=scene.project).count() == 8
    loads = {row["username"]: row["total"] for row in progress_by_annotator(project=scene.project)}
    assert loads == {"ann1": 3, "ann2": 3, "ann3": 2}
    assert (
        assignments_bulk_create(
            project=scene.project, manager=scene.manager, annotators=annotators, overlap=2
        )["created"]
        == 0
    )
    with pytest.raises(ApplicationError, match=r"Overlap 4 is more than the 3 annotator\(s\) chosen."):
        assignments_bulk_create(
            project=scene.project, manager=scene.manager, annotators=annotators, overlap=4
        )
    with pytest.raises(ApplicationError, match="outsider is not a member of this project."):
        assignments_bulk_create(
            project=scene.project, manager=scene.manager, annotators=[scene.outsider], overlap=1
        )
    with pytest.raises(
        PermissionDenied, match="This needs the manager role in the project; you are reviewer."
    ):
        assignments_bulk_create(
            project=scene.project, manager=scene.reviewer, annotators=annotators, overlap=1
        )
    assert len(docs) == 4


def test_explicit_assignment_rules(scene):
    doc = DocumentFactory(project=scene.project)
    a = assignment_create(document=doc, annotator=scene.ann1, manager=scene.manager)
    assert (a.state, a.assigned_by) == ("assigned", scene.manager)
    assert a.history.get().history_user == scene.manager
    with pytest.raises(ApplicationError, match=f"ann1 is already assigned to document {doc.pk}."):
        assignment_create(document=doc, annotator=scene.ann1, manager=scene.manager)
    with pytest.raises(NotFound, match="Project not found."):
        assignment_create(document=doc, annotator=scene.ann2, manager=scene.outsider)
    with pytest.raises(PermissionDenied):
        assignment_create(document=doc, annotator=scene.ann2, manager=scene.ann1)


def test_reassign_keeps_the_earlier_layer(scene):
    """ann1's two spans stay after their document moves to ann3; the old row is in history."""
    ann3 = member(scene.project, Role.ANNOTATOR, username="ann3")
    new = assignment_reassign(assignment=scene.a1, annotator=ann3, manager=scene.manager)
    assert (new.annotator, new.state, new.document) == (ann3, "assigned", scene.document)
    assert Annotation.objects.filter(document=scene.document, annotator=scene.ann1).count() == 2
    assert not Assignment.objects.filter(pk=scene.a1.pk).exists()
    assert Assignment.history.filter(id=scene.a1.pk, history_type="-").get().history_user == scene.manager
    with pytest.raises(ApplicationError, match=f"ann2 is already assigned to document {scene.document.pk}."):
        assignment_reassign(assignment=new, annotator=scene.ann2, manager=scene.manager)
    with pytest.raises(PermissionDenied):
        assignment_reassign(assignment=new, annotator=scene.ann1, manager=scene.reviewer)
