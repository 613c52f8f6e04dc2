"""A small review scene: a project with a manager, a reviewer, two annotators and
an outsider; one document whose two annotator layers differ in known ways."""

from dataclasses import dataclass

import pytest

from annotator.documents.models import Document
from annotator.projects.models import Project, Role
from annotator.reviews.models import Assignment, AssignmentState
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    DocumentFactory,
    ProjectFactory,
    UserFactory,
    member,
)

TEXT = "The cat sat on the mat today"


@dataclass
class Scene:
    project: Project
    document: Document
    manager: object
    reviewer: object
    ann1: object
    ann2: object
    outsider: object
    a1: Assignment
    a2: Assignment


def submitted(document, annotator, spans):
    """Spans [(start, end, code)] in the annotator's layer, then a submitted assignment."""
    from django.utils import timezone

    made = [
        AnnotationFactory(document=document, annotator=annotator, start=s, end=e, label_code=code)
        for s, e, code in spans
    ]
    assignment = AssignmentFactory(
        document=document, annotator=annotator, state=AssignmentState.SUBMITTED, submitted_at=timezone.now()
    )
    return assignment, made


@pytest.fixture
def scene(db):
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT)
    manager = member(project, Role.MANAGER, username="mgr")
    reviewer = member(project, Role.REVIEWER, username="rev")
    ann1 = member(project, Role.ANNOTATOR, username="ann1")
    ann2 = member(project, Role.ANNOTATOR, username="ann2")
    outsider = UserFactory(username="outsider")
    a1, _ = submitted(document, ann1, [(0, 11, "CLAIM"), (15, 22, "EVIDENCE")])
    a2, _ = submitted(document, ann2, [(0, 11, "CLAIM"), (12, 22, "EVIDENCE"), (23, 28, "HEDGE")])
    return Scene(project, document, manager, reviewer, ann1, ann2, outsider, a1, a2)
