"""Permission-checked fetches for propositions, links and provenance (Zulip's ``access_*``).

The API, the pages and the admin call these; each returns the object or
raises the one error:
- non-members of the project get NotFound (a project's contents are private);
- annotators read and write only links and provenance of their own annotator
  layer; reviewers and managers read every layer and write the gold layer;
- merging, splitting, editing others' wording and adjudicating need a reviewer.
"""

from __future__ import annotations

from annotator.access import layer_assert_writable
from annotator.annotations.models import Annotation, Layer
from annotator.core.errors import NotFound, PermissionDenied
from annotator.projects.models import Project, Role
from annotator.projects.selectors import role_at_least, user_role
from annotator.propositions.models import Proposition, PropositionChange, PropositionLink


def _int(value, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound(f"{what} not found.") from None
    if not 1 <= number <= 2**63 - 1:
        raise NotFound(f"{what} not found.")
    return number


def project_role(*, user, project_id, minimum: str = Role.ANNOTATOR, what: str = "Project") -> str:
    """The caller's role in the project: NotFound for non-members, PermissionDenied below ``minimum``."""
    role = user_role(user=user, project_id=_int(project_id, what))
    if role is None:
        raise NotFound(f"{what} not found.")
    if not role_at_least(role, minimum):
        raise PermissionDenied(f"This needs the {minimum} role in the project; you are {role}.")
    return role


def project_get(*, user, project_id, minimum: str = Role.ANNOTATOR) -> tuple[Project, str]:
    role = project_role(user=user, project_id=project_id, minimum=minimum)
    project = Project.objects.filter(pk=int(project_id)).first()
    if project is None:
        raise NotFound("Project not found.")
    return project, role


def proposition_access(*, user, pk, minimum: str = Role.ANNOTATOR) -> tuple[Proposition, str]:
    proposition = Proposition.objects.filter(pk=_int(pk, "Proposition")).first()
    if proposition is None:
        raise NotFound("Proposition not found.")
    role = project_role(user=user, project_id=proposition.project_id, minimum=minimum, what="Proposition")
    return proposition, role


def layer_readable(*, user, role: str, annotator_id: int, layer: str) -> bool:
    if role_at_least(role, Role.REVIEWER):
        return True
    return layer == Layer.ANNOTATOR and annotator_id == user.pk


def span_access(*, user, pk, write: bool = False, field: str = "span") -> tuple[Annotation, str]:
    """A span the caller may read (or write): NotFound naming ``field`` when missing or not visible."""
    span = Annotation.objects.select_related("label", "document").filter(pk=_int(pk, "Span")).first()
    role = user_role(user=user, project_id=span.project_id) if span is not None else None
    if (
        span is None
        or role is None
        or not layer_readable(user=user, role=role, annotator_id=span.annotator_id, layer=span.layer)
    ):
        raise NotFound.field(field, f"There is no span {pk} in your projects.")
    if write:
        layer_assert_writable(user=user, role=role, annotator_id=span.annotator_id, layer=span.layer)
    return span, role


def link_access(*, user, pk, write: bool = False) -> tuple[PropositionLink, str]:
    link = PropositionLink.objects.select_related("proposition").filter(pk=_int(pk, "Link")).first()
    role = user_role(user=user, project_id=link.project_id) if link is not None else None
    if (
        link is None
        or role is None
        or not layer_readable(user=user, role=role, annotator_id=link.annotator_id, layer=link.layer)
    ):
        raise NotFound("Link not found.")
    if write:
        layer_assert_writable(user=user, role=role, annotator_id=link.annotator_id, layer=link.layer)
    return link, role


def change_access(*, user, pk) -> tuple[PropositionChange, str]:
    change = PropositionChange.objects.filter(pk=_int(pk, "Change")).first()
    role = user_role(user=user, project_id=change.project_id) if change is not None else None
    if change is None or role is None:
        raise NotFound("Change not found.")
    if change.user_id != user.pk and not role_at_least(role, Role.REVIEWER):
        raise PermissionDenied("Annotators can undo only their own changes.")
    return change, role
