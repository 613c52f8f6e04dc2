"""Who may see and change what: the one place the API, the pages and the services ask.

Rules (from project membership and role, docs/api.md "Who may do what"):
- a non-member gets NotFound for anything inside a project (its existence is private);
- a member below the role an action needs gets PermissionDenied naming both roles;
- an annotator reads and writes only their own annotator layer;
- reviewers and managers read every layer and write the gold layer (and their own layer);
- superusers act as managers everywhere.

``access_*`` functions return the object (with the caller's role where callers need it) or
raise one of the two errors; ``access_page`` turns them into 404/403 pages for HTML views.
The API's exception handler (api/exceptions.py) renders them as 404/403 JSON.

The module sits above ``annotations`` and ``documents`` (it reads their rows) and below
every feature app, page and API view (they call it).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpResponseBadRequest, JsonResponse

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.core.db import model_from_row, prepared_cursor
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.documents.models import Document
from annotator.projects.models import Label, Membership, Project, Role
from annotator.projects.selectors import role_at_least, user_role

REVIEW_ROLES = [Role.REVIEWER, Role.MANAGER]
MAX_ID = 2**63 - 1


def _id(value, noun: str) -> int:
    """A path or body id as an int; anything that cannot name a row reads as missing."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound(f"{noun} not found.") from None
    if not 1 <= number <= MAX_ID:
        raise NotFound(f"{noun} not found.")
    return number


def _role_assert(role: str, minimum: str) -> None:
    if not role_at_least(role, minimum):
        raise PermissionDenied(f"This needs the {minimum} role in the project; you are {role}.")


# -- querysets: what a list may show ---------------------------------------------------


def member_project_ids(*, user, roles: list[str] | None = None) -> QuerySet:
    """A subquery of the ids of the projects where the user is an active member."""
    memberships = Membership.objects.filter(user=user, is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.values("project_id")


def in_member_projects(queryset: QuerySet, *, user, field: str = "project_id") -> QuerySet:
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{field}__in": member_project_ids(user=user)})


def layered_visible(queryset: QuerySet, *, user) -> QuerySet:
    """Annotations or relations the user may read: every layer for reviewers, their own otherwise."""
    if user.is_superuser:
        return queryset
    return queryset.filter(
        Q(project_id__in=member_project_ids(user=user, roles=REVIEW_ROLES))
        | Q(
            project_id__in=member_project_ids(user=user, roles=[Role.ANNOTATOR]),
            annotator=user,
            layer=Layer.ANNOTATOR,
        )
    )


# -- projects ----------------------------------------------------------------------------


def access_role(user, project_id: int, *, minimum: str = Role.ANNOTATOR, noun: str = "Document") -> str:
    """The caller's role in the project in one query: NotFound (naming ``noun``) for non-members,
    PermissionDenied below ``minimum``. For hot paths that do not need the project row."""
    role = user_role(user=user, project_id=project_id)
    if role is None:
        raise NotFound(f"{noun} not found.")
    _role_assert(role, minimum)
    return role


def access_project(user, project_id, *, minimum: str = Role.ANNOTATOR) -> tuple[Project, str]:
    """The project and the caller's role, or NotFound / PermissionDenied."""
    project_id = _id(project_id, "Project")
    role = access_role(user, project_id, minimum=minimum, noun="Project")
    try:
        project = Project.objects.get(pk=project_id)
    except Project.DoesNotExist:
        raise NotFound("Project not found.") from None
    return project, role


def access_project_row(model: type[Model], user, pk, *, noun: str):
    """A row of ``model`` (it has ``project_id``) in one of the caller's projects, any role.

    The services called next check the role the action needs (403) with their own message;
    this only hides other projects' rows (404)."""
    number = _id(pk, noun)
    item = model.objects.filter(pk=number).first()
    if item is None or user_role(user=user, project_id=item.project_id) is None:
        raise NotFound(f"{noun} not found.")
    return item


def access_span_record(user, annotation_id):
    """The newest history record of a span (it may be deleted since) in one of the caller's projects."""
    number = _id(annotation_id, "Span")
    record = Annotation.history.filter(id=number).order_by("-history_date").first()
    if record is None or user_role(user=user, project_id=record.project_id) is None:
        raise NotFound("Span not found.")
    return record


# -- documents: the hot path of every span write -------------------------------------------

# The document and the caller's role in one parameterised, prepared query (annotator/core/db.py).
# The ORM version (Subquery annotation) costs ~0.9 ms of Python per call, this ~0.1 ms.
_DOCUMENT_FIELDS = [f.attname for f in Document._meta.concrete_fields]
_DOCUMENT_COLUMNS = ", ".join(f'd."{f.column}"' for f in Document._meta.concrete_fields)
_DOCUMENT_WITH_ROLE_TEMPLATE = (
    f"SELECT {_DOCUMENT_COLUMNS}, (SELECT m.role FROM projects_membership m WHERE m.project_id = d.project_id"  # noqa: S608 - columns from model meta
    " AND m.user_id = %s AND m.is_active LIMIT 1) AS caller_role{label_columns}"
    " FROM documents_document d{label_join} WHERE d.id = %s"
)
_DOCUMENT_WITH_ROLE = _DOCUMENT_WITH_ROLE_TEMPLATE.format(label_columns="", label_join="")
# Span creation also names a label: read it in the same query (a round trip fewer), and only
# from the document's project, so a label of another project reads as missing.
_LABEL_FIELDS = [f.attname for f in Label._meta.concrete_fields]
_DOCUMENT_WITH_ROLE_AND_LABEL = _DOCUMENT_WITH_ROLE_TEMPLATE.format(
    label_columns="".join(f', l."{f.column}"' for f in Label._meta.concrete_fields),
    label_join=" LEFT JOIN projects_label l ON l.id = %s AND l.project_id = d.project_id",
)


def _document_row(*, user, document_id, minimum: str, sql: str, params: list) -> tuple[Document, str, list]:
    """The document, the caller's role and the row's remaining columns."""
    document_id = _id(document_id, "Document")
    with prepared_cursor() as cursor:
        cursor.execute(sql, [*params, document_id])
        row = cursor.fetchone()
    if row is None:
        raise NotFound("Document not found.")
    count = len(_DOCUMENT_FIELDS)
    document = model_from_row(Document, _DOCUMENT_FIELDS, row[:count])
    role = Role.MANAGER if user.is_superuser else row[count]
    if role is None:
        raise NotFound("Document not found.")
    _role_assert(role, minimum)
    return document, role, row[count + 1 :]


def access_document(user, document_id, *, minimum: str = Role.ANNOTATOR) -> tuple[Document, str]:
    """The document and the caller's role in its project (one prepared query)."""
    document, role, _ = _document_row(
        user=user, document_id=document_id, minimum=minimum, sql=_DOCUMENT_WITH_ROLE, params=[user.pk]
    )
    return document, role


def access_document_with_label(
    user, document_id, *, label_id: int, minimum: str = Role.ANNOTATOR
) -> tuple[Document, str, Label | None]:
    """As access_document, plus the label ``label_id`` if it belongs to the document's project (same query)."""
    document, role, label_values = _document_row(
        user=user,
        document_id=document_id,
        minimum=minimum,
        sql=_DOCUMENT_WITH_ROLE_AND_LABEL,
        params=[user.pk, label_id],
    )
    if label_values[0] is None:
        return document, role, None
    return document, role, model_from_row(Label, _LABEL_FIELDS, label_values)


# -- layers: spans and relations ---------------------------------------------------------


def layer_assert_readable(*, user, role: str, annotator_id: int | None, layer: str) -> None:
    if role_at_least(role, Role.REVIEWER):
        return
    if layer == Layer.GOLD:
        raise PermissionDenied("Only reviewers and managers can see the gold layer.")
    if annotator_id != user.pk:
        raise PermissionDenied("Annotators can see only their own layer.")


def layer_assert_writable(*, user, role: str, annotator_id: int | None, layer: str) -> None:
    if layer == Layer.GOLD:
        if not role_at_least(role, Role.REVIEWER):
            raise PermissionDenied("Only reviewers and managers can write the gold layer.")
        return
    if annotator_id != user.pk:
        raise PermissionDenied("You can change only your own layer.")


def _layered_get(model, *, user, pk, write: bool, noun: str):
    number = _id(pk, noun)
    item = in_member_projects(model.objects.select_related("document"), user=user).filter(pk=number).first()
    if item is None:
        raise NotFound(f"{noun} not found.")
    role = access_role(user, item.project_id, noun=noun)
    check = layer_assert_writable if write else layer_assert_readable
    check(user=user, role=role, annotator_id=item.annotator_id, layer=item.layer)
    return item


def access_annotation(user, annotation_id, *, write: bool = False) -> Annotation:
    """A span the caller may read (``write``: change) under the layer rules above."""
    return _layered_get(Annotation, user=user, pk=annotation_id, write=write, noun="Span")


def access_relation(user, relation_id, *, write: bool = False) -> Relation:
    return _layered_get(Relation, user=user, pk=relation_id, write=write, noun="Relation")


# -- HTML views ---------------------------------------------------------------------------


def access_page(view):
    """For HTML views (login required): NotFound -> 404, PermissionDenied -> 403 (Django's own
    pages), any other ApplicationError -> 400 naming the field. A caller asking for JSON (the
    pages' scripts) gets ``{"message", "errors"}`` with that status instead, like the API's."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            if "application/json" in request.headers.get("Accept", ""):
                return JsonResponse({"message": exc.message, "errors": exc.errors}, status=exc.status_code)
            if isinstance(exc, NotFound):
                raise Http404(exc.message) from None
            if isinstance(exc, PermissionDenied):
                raise DjangoPermissionDenied(exc.message) from None
            return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")

    return login_required(wrapped)
