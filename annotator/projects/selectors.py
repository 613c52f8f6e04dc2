"""Reads of projects, roles, members and labels.

Permission-checked fetches (NotFound for non-members, PermissionDenied below a
role) are in annotator/access.py, built on ``user_role`` and ``role_at_least``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from annotator.core.errors import ApplicationError
from annotator.projects.models import (
    Invitation,
    InvitationState,
    Label,
    LabelSubtype,
    Membership,
    Project,
    Role,
)

ROLE_RANK = {Role.ANNOTATOR: 1, Role.REVIEWER: 2, Role.MANAGER: 3}


def projects_for_user(*, user) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user, memberships__is_active=True)


def membership_get(*, user, project_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("project")
        .filter(user=user, project_id=project_id, is_active=True)
        .first()
    )


def role_at_least(role: str | None, minimum: str) -> bool:
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]


def user_role(*, user, project_id: int) -> str | None:
    """The user's role in the project; superusers act as managers."""
    if user.is_authenticated and user.is_superuser:
        return Role.MANAGER
    membership = membership_get(user=user, project_id=project_id)
    return membership.role if membership else None


def invitations_pending(*, user) -> QuerySet[Invitation]:
    """The user's own invitations still waiting for an answer (only the invitee sees them)."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(user=user, state=InvitationState.PENDING)
        .select_related("project", "invited_by")
        .order_by("-created_at")
    )


def project_member_get(*, project_id: int, user_id: int, field: str = "user"):
    """An active member of the project by user id. Unknown accounts and non-members get the same
    error, naming only the id, so asking cannot reveal which accounts exist or their names."""
    membership = (
        Membership.objects.select_related("user")
        .filter(project_id=project_id, user_id=user_id, is_active=True)
        .first()
    )
    if membership is None:
        raise ApplicationError.field(field, f"User {user_id} is not a member of this project.")
    return membership.user


def project_label_get(*, project_id: int, label_id, field: str = "label") -> Label:
    """A label of the project; any other id (or a label of another project) is a 400 naming ``field``."""
    try:
        label = Label.objects.filter(pk=int(label_id), project_id=project_id).first()
    except (TypeError, ValueError, OverflowError):
        label = None
    if label is None:
        named = f"Label {label_id} is not" if label_id not in (None, "") else "Pick"
        raise ApplicationError.field(field, f"{named} a label of this project.")
    return label


def project_subtype_get(*, project_id: int, subtype_id, field: str = "subtype") -> LabelSubtype | None:
    """A subtype of one of the project's labels, None for None; otherwise a 400 naming ``field``."""
    if subtype_id is None:
        return None
    subtype = LabelSubtype.objects.filter(pk=subtype_id, label__project_id=project_id).first()
    if subtype is None:
        raise ApplicationError.field(field, f"Subtype {subtype_id} is not a subtype in this project.")
    return subtype
