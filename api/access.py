"""Who may see and change what through the API.

Rules (from project membership and role):
- a non-member gets 404 for anything inside a project (its existence is private);
- an annotator reads and writes only their own annotator layer (403 otherwise);
- reviewers and managers read every layer and write the gold layer (and their own layer).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.core.db import model_from_row, prepared_cursor
from annotator.core.errors import NotFound, PermissionDenied
from annotator.documents.models import Document
from annotator.projects.models import Label, Membership, Role
from annotator.projects.selectors import role_at_least, user_role

REVIEW_ROLES = [Role.REVIEWER, Role.MANAGER]


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


def role_in(*, user, project_id: int, minimum: str = Role.ANNOTATOR, what: str = "Document") -> str:
    """The caller's role in the project in one query: NotFound for non-members, PermissionDenied below ``minimum``.

    (project_access also loads the project; hot paths here only need the role.)
    """
    role = user_role(user=user, project_id=project_id)
    if role is None:
        raise NotFound(f"{what} not found.")
    if not role_at_least(role, minimum):
        raise PermissionDenied(f"This needs the {minimum} role in the project; you are {role}.")
    return role


# Hot path of every span write: the document and the caller's role in one parameterised,
# prepared query (annotator/core/db.py). The ORM version (Subquery annotation) costs
# ~0.9 ms of Python per call, this ~0.1 ms.
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
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        raise NotFound("Document not found.") from None
    if not 1 <= document_id <= 2**63 - 1:
        raise NotFound("Document not found.")
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
    if not role_at_least(role, minimum):
        raise PermissionDenied(f"This needs the {minimum} role in the project; you are {role}.")
    return document, role, row[count + 1 :]


def document_access(*, user, document_id, minimum: str = Role.ANNOTATOR) -> tuple[Document, str]:
    """The document and the caller's role in its project (one query); NotFound for non-members."""
    document, role, _ = _document_row(
        user=user, document_id=document_id, minimum=minimum, sql=_DOCUMENT_WITH_ROLE, params=[user.pk]
    )
    return document, role


def document_access_with_label(
    *, user, document_id, label_id: int, minimum: str = Role.ANNOTATOR
) -> tuple[Document, str, Label | None]:
    """As document_access, plus the label ``label_id`` if it belongs to the document's project (same query)."""
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


def _layered_get(model, *, user, pk, write: bool, label: str):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(f"{label} not found.") from None
    item = in_member_projects(model.objects.select_related("document"), user=user).filter(pk=pk).first()
    if item is None:
        raise NotFound(f"{label} not found.")
    role = role_in(user=user, project_id=item.project_id, what=label)
    check = layer_assert_writable if write else layer_assert_readable
    check(user=user, role=role, annotator_id=item.annotator_id, layer=item.layer)
    return item


def annotation_access(*, user, pk, write: bool = False) -> Annotation:
    return _layered_get(Annotation, user=user, pk=pk, write=write, label="Span")


def relation_access(*, user, pk, write: bool = False) -> Relation:
    return _layered_get(Relation, user=user, pk=pk, write=write, label="Relation")
