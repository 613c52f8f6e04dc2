"""Permission-checked reads of projects.

Non-members get NotFound, never PermissionDenied: a project's existence is
itself private. Members with too small a role get PermissionDenied.
"""

from __future__ import annotations

from django.db.models import QuerySet

from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.projects.models import Invitation, InvitationState, Membership, Project, Role

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


def project_access(*, user, project_id: int, minimum: str = Role.ANNOTATOR) -> tuple[Project, str]:
    """The project and the user's role, or NotFound / PermissionDenied."""
    role = user_role(user=user, project_id=project_id)
    if role is None:
        raise NotFound("Project not found.")
    if not role_at_least(role, minimum):
        raise PermissionDenied(f"This needs the {minimum} role in the project; you are {role}.")
    try:
        project = Project.objects.get(pk=project_id)
    except Project.DoesNotExist:
        raise NotFound("Project not found.") from None
    return project, role


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
