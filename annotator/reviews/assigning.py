"""Who works on which document: explicit and round-robin assignment, reassignment.

Only managers assign. Assignments are keyed by (document, annotator); an
annotator's spans belong to the document and the annotator, not to the
assignment row, so reassigning never touches anyone's layer.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from annotator.access import access_project
from annotator.core.errors import ApplicationError
from annotator.core.locking import row_lock
from annotator.documents.models import Document
from annotator.projects.models import Membership, Project, Role
from annotator.reviews.models import Assignment, AssignmentState
from annotator.reviews.services import agreement_enqueue


def assert_member(project: Project, user, field: str = "annotator") -> None:
    if not Membership.objects.filter(project=project, user=user, is_active=True).exists():
        raise ApplicationError.field(field, f"{user.username} is not a member of this project.")


def _with_actor(instance, user):
    instance._history_user = user  # simple-history: who made the change outside a request
    return instance


@transaction.atomic
def assignment_create(*, document: Document, annotator, manager) -> Assignment:
    """Assign one document to one annotator."""
    project, _ = access_project(user=manager, project_id=document.project_id, minimum=Role.MANAGER)
    assert_member(project, annotator)
    if Assignment.objects.filter(document=document, annotator=annotator).exists():
        raise ApplicationError.field(
            "annotator", f"{annotator.username} is already assigned to document {document.pk}."
        )
    assignment = Assignment(project=project, document=document, annotator=annotator, assigned_by=manager)
    _with_actor(assignment, manager).save()
    return assignment


def round_robin(document_ids: list[int], annotator_ids: list[int], overlap: int) -> list[tuple[int, int]]:
    """(document, annotator) pairs: document i goes to annotators i·k, i·k+1, ... i·k+k-1 (mod n).

    Deterministic (sorted ids) and balanced: with D documents and n
    annotators each annotator gets floor or ceil of D·k/n documents.
    """
    documents, annotators = sorted(document_ids), sorted(annotator_ids)
    n = len(annotators)
    return [
        (document_id, annotators[(i * overlap + j) % n])
        for i, document_id in enumerate(documents)
        for j in range(overlap)
    ]


@transaction.atomic
def assignments_bulk_create(
    *, project: Project, manager, annotators: list, overlap: int, documents: list[Document] | None = None
) -> dict:
    """Round-robin assignment of ``documents`` (default: all of the project) to ``annotators``.

    Pairs that already exist are skipped, so running it twice assigns nothing new.
    """
    access_project(user=manager, project_id=project.pk, minimum=Role.MANAGER)
    annotators = list({a.pk: a for a in annotators}.values())
    if not annotators:
        raise ApplicationError.field("annotators", "Choose at least one annotator.")
    if not isinstance(overlap, int) or overlap < 1:
        raise ApplicationError.field("overlap", "Overlap must be a whole number of annotators, at least 1.")
    if overlap > len(annotators):
        raise ApplicationError.field(
            "overlap", f"Overlap {overlap} is more than the {len(annotators)} annotator(s) chosen."
        )
    for annotator in annotators:
        assert_member(project, annotator, field="annotators")
    if documents is None:
        document_ids = list(Document.objects.filter(project=project).values_list("pk", flat=True))
    else:
        foreign = [d.pk for d in documents if d.project_id != project.pk]
        if foreign:
            raise ApplicationError.field("documents", f"Documents {foreign} are not in this project.")
        document_ids = [d.pk for d in documents]
    pairs = round_robin(document_ids, [a.pk for a in annotators], overlap)
    existing = set(
        Assignment.objects.filter(document_id__in=document_ids).values_list("document_id", "annotator_id")
    )
    new = [
        Assignment(project=project, document_id=d, annotator_id=a, assigned_by=manager)
        for d, a in pairs
        if (d, a) not in existing
    ]
    bulk_create_with_history(new, Assignment, default_user=manager)
    return {"created": len(new), "skipped": len(pairs) - len(new), "documents": len(set(document_ids))}


@transaction.atomic
def assignment_reassign(*, assignment: Assignment, annotator, manager) -> Assignment:
    """Give the document to another annotator. The earlier annotator's spans and
    relations stay as they are (their layer is kept); only the assignment row moves."""
    project, _ = access_project(user=manager, project_id=assignment.project_id, minimum=Role.MANAGER)
    locked = row_lock(Assignment.objects.all(), pk=assignment.pk, what="Assignment")
    if locked.annotator_id == annotator.pk:
        raise ApplicationError.field(
            "annotator", f"Document {locked.document_id} is already assigned to them."
        )
    assert_member(project, annotator)
    if Assignment.objects.filter(document_id=locked.document_id, annotator=annotator).exists():
        raise ApplicationError.field(
            "annotator", f"{annotator.username} is already assigned to document {locked.document_id}."
        )
    new = Assignment(
        project=project, document_id=locked.document_id, annotator=annotator, assigned_by=manager
    )
    _with_actor(new, manager).save()
    _with_actor(locked, manager).delete()
    if locked.state in (AssignmentState.SUBMITTED, AssignmentState.APPROVED):
        transaction.on_commit(lambda: agreement_enqueue(locked.document_id))  # one layer fewer to compare
    return new


def user_by_id(user_id, *, field: str = "annotator"):
    try:
        return get_user_model().objects.get(pk=int(user_id))
    except (TypeError, ValueError, get_user_model().DoesNotExist):
        raise ApplicationError.field(field, f"User {user_id} does not exist.") from None
