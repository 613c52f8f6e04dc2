"""Reads behind the HTML pages: project list, document list, workspace shell.

Every count is computed in SQL (subqueries, so joins never multiply rows);
access goes through ``access_project`` so non-members get NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from annotator.access import access_project
from annotator.annotations.models import Annotation, Layer
from annotator.core.errors import NotFound
from annotator.documents.models import Document
from annotator.projects.models import Membership, Project, Role
from annotator.projects.selectors import projects_for_user, role_at_least
from annotator.reviews.models import Assignment, AssignmentState

DONE_STATES = [AssignmentState.SUBMITTED, AssignmentState.APPROVED]
# Filter values accepted by the document list for "my state"; "none" = not started.
STATE_FILTERS = [*AssignmentState.values, "none"]


def _count(queryset: QuerySet) -> Subquery:
    """A correlated COUNT(*) subquery (0 when nothing matches)."""
    counted = queryset.order_by().values(_k=Value(1)).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def project_list_for_user(*, user) -> QuerySet[Project]:
    """The user's projects with ``role``, ``document_count`` and ``done_count``
    (documents whose layer the user has submitted or had approved)."""
    role = Membership.objects.filter(project=OuterRef("pk"), user=user, is_active=True).values("role")[:1]
    projects = projects_for_user(user=user).annotate(
        role=Value(Role.MANAGER) if user.is_superuser else Subquery(role),
        document_count=_count(Document.objects.filter(project=OuterRef("pk"))),
        done_count=_count(
            Assignment.objects.filter(project=OuterRef("pk"), annotator=user, state__in=DONE_STATES)
        ),
        assigned_count=_count(Assignment.objects.filter(project=OuterRef("pk"), annotator=user)),
    )
    return projects.order_by("name")


@dataclass
class DocumentFilters:
    q: str = ""
    state: str = ""
    outlet: int | None = None

    @classmethod
    def from_query(cls, params) -> DocumentFilters:
        state = params.get("state", "")
        outlet = params.get("outlet", "")
        return cls(
            q=params.get("q", "").strip()[:200],
            state=state if state in STATE_FILTERS else "",
            outlet=int(outlet) if outlet.isdigit() else None,
        )


def project_documents(*, project: Project, user, filters: DocumentFilters) -> QuerySet[Document]:
    """The project's documents for the list page, with the caller's own
    assignment state (``my_state``) and span count (``my_spans``)."""
    mine = Assignment.objects.filter(document=OuterRef("pk"), annotator=user)
    documents = (
        Document.objects.filter(project=project)
        .select_related("source")
        .prefetch_related("authors")
        .annotate(
            my_state=Subquery(mine.values("state")[:1]),
            my_spans=_count(
                Annotation.objects.filter(document=OuterRef("pk"), annotator=user, layer=Layer.ANNOTATOR)
            ),
        )
        .defer("text", "provenance")
        .order_by("id")
    )
    if filters.q:
        matching = Document.objects.filter(project=project).filter(
            Q(title__icontains=filters.q)
            | Q(source__name__icontains=filters.q)
            | Q(authors__name__icontains=filters.q)
        )
        documents = documents.filter(pk__in=matching.values("pk"))
    if filters.state == "none":
        documents = documents.filter(my_state__isnull=True)
    elif filters.state:
        documents = documents.filter(my_state=filters.state)
    if filters.outlet is not None:
        documents = documents.filter(source_id=filters.outlet)
    return documents


def document_progress(*, document_ids: list[int], user, role: str) -> dict[int, list[dict]]:
    """Per-annotator progress on each document: ``{doc_id: [{username, state, spans}]}``.

    Annotators see only their own row; reviewers and managers see everyone's.
    """
    assignments = Assignment.objects.filter(document_id__in=document_ids)
    if not role_at_least(role, Role.REVIEWER):
        assignments = assignments.filter(annotator=user)
    rows = (
        assignments.annotate(
            spans=_count(
                Annotation.objects.filter(
                    document=OuterRef("document"), annotator=OuterRef("annotator"), layer=Layer.ANNOTATOR
                )
            )
        )
        .values("document_id", "annotator__username", "state", "spans")
        .order_by("document_id", "annotator__username")
    )
    progress: dict[int, list[dict]] = {}
    for row in rows:
        progress.setdefault(row["document_id"], []).append(
            {
                "username": row["annotator__username"],
                "state": row["state"],
                "state_label": AssignmentState(row["state"]).label,
                "spans": row["spans"],
            }
        )
    return progress


def project_outlets(*, project: Project) -> list[dict]:
    """Outlets that published the project's documents, for the filter menu."""
    return list(
        Document.objects.filter(project=project, source__isnull=False)
        .values("source_id", "source__name")
        .annotate(n=Count("id"))
        .order_by("source__name")
    )


def document_for_user(*, user, document_id: int) -> tuple[Document, Project, str]:
    """The document, its project and the user's role; NotFound for non-members
    (a document outside the user's projects looks exactly like a missing one)."""
    document = (
        Document.objects.select_related("source", "project")
        .prefetch_related("authors")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound("Document not found.")
    project, role = access_project(user=user, project_id=document.project_id)
    return document, project, role


def document_metadata_history(*, document: Document) -> list[dict]:
    """The document's details version by version, newest first: who, when, and what changed."""
    records = list(
        Document.history.filter(id=document.pk)
        .select_related("history_user", "source")
        .order_by("history_date", "history_id")
    )
    # simple-history keeps each version's authors in a table of its own (m2m_fields).
    authors_of: dict[int, list[str]] = {}
    through = apps.get_model("documents", "HistoricalDocument_authors")
    for history_id, name in through.objects.filter(
        history_id__in=[r.history_id for r in records]
    ).values_list("history_id", "author__name"):
        authors_of.setdefault(history_id, []).append(name)
    versions, previous = [], None
    for record in records:
        shown = {
            "title": record.title or "—",
            "outlet": record.source.name if record.source_id and record.source else "—",
            "authors": ", ".join(sorted(authors_of.get(record.history_id, []))) or "—",
            "date": record.published_on.isoformat() if record.published_on else "—",
            "address": record.url or "—",
        }
        changes = [
            (k, previous[k] if previous else None, v)
            for k, v in shown.items()
            if not previous or previous[k] != v
        ]
        if changes:
            versions.append(
                {
                    "date": record.history_date,
                    "user": record.history_user.username if record.history_user_id else "import",
                    "changes": changes,
                    "first": previous is None,
                }
            )
        previous = shown
    versions.reverse()
    return versions
