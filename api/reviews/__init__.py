"""Review endpoints, one small viewset per resource, nested under what they act on.

| resource | routes (under /api/v1/) | module |
|---|---|---|
| an assignment's lifecycle | ``assignments/{id}/approve/``, ``request-changes/``, ``reassign/`` | assignments.py |
| a project's assignments | ``projects/{id}/assignments/bulk/``, ``projects/{id}/progress/`` | assignments.py |
| the review queue | ``review-queue/`` | queue.py |
| span and relation decisions | ``annotations/{id}/accept/``, ``reject/``, ``correct/`` (and ``relations/{id}/...``) | decisions.py |
| a document's gold layer | ``documents/{id}/gold/accept/``, ``documents/{id}/gold/accept-agreed/`` | gold.py |
| agreement | ``documents/{id}/agreement/``, ``projects/{id}/agreement/`` (+ ``compute/``) | agreement.py |
| history | ``documents/{id}/history/``, ``annotations/{id}/history/``, ``history/restore/`` | history.py |

Each view resolves its object through annotator/access.py (404 for non-members) and calls one
service; the services enforce roles (403) and rules (400) with their messages. Inputs and
outputs are in serializers.py. ``ROUTES`` (router prefixes) and ``PATHS`` (the three whose
answer is one object, not rows: plain APIViews) are what api/v1.py registers.
"""

from __future__ import annotations

from django.urls import path

from api.reviews.agreement import DocumentAgreementViewSet, ProjectAgreementViewSet
from api.reviews.assignments import AssignmentReviewViewSet, ProjectAssignmentsViewSet, ProjectProgressView
from api.reviews.decisions import RelationReviewViewSet, SpanReviewViewSet
from api.reviews.gold import DocumentGoldViewSet
from api.reviews.history import DocumentHistoryView, HistoryRestoreViewSet, SpanHistoryViewSet
from api.reviews.queue import ReviewQueueView

DOCUMENT = r"documents/(?P<document_pk>[0-9]+)"
PROJECT = r"projects/(?P<project_pk>[0-9]+)"

# (router prefix, viewset, basename)
ROUTES = [
    ("assignments", AssignmentReviewViewSet, "assignment-review"),
    (f"{PROJECT}/assignments", ProjectAssignmentsViewSet, "project-assignments"),
    ("annotations", SpanReviewViewSet, "annotation-review"),
    ("annotations", SpanHistoryViewSet, "annotation-history"),
    ("relations", RelationReviewViewSet, "relation-review"),
    (f"{DOCUMENT}/gold", DocumentGoldViewSet, "document-gold"),
    (f"{DOCUMENT}/agreement", DocumentAgreementViewSet, "document-agreement"),
    (f"{PROJECT}/agreement", ProjectAgreementViewSet, "project-agreement"),
    ("history", HistoryRestoreViewSet, "history-restore"),
]

PATHS = [
    path("projects/<int:project_pk>/progress/", ProjectProgressView.as_view(), name="project-progress"),
    path("review-queue/", ReviewQueueView.as_view(), name="review-queue"),
    path("documents/<int:document_pk>/history/", DocumentHistoryView.as_view(), name="document-history"),
]
