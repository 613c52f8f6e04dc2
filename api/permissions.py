"""DRF permission classes backed by the project selectors.

Views that act inside a project resolve it with ``project_access`` (which
raises NotFound for non-members); these classes cover object-level checks for
viewsets whose objects carry a ``project_id``.
"""

from rest_framework import permissions

from annotator.projects.models import Role
from annotator.projects.selectors import role_at_least, user_role


class IsProjectMember(permissions.BasePermission):
    """Read for any member; writes for the role named by ``write_role`` on the view."""

    def has_object_permission(self, request, view, obj):
        role = user_role(user=request.user, project_id=obj.project_id)
        if role is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return role_at_least(role, getattr(view, "write_role", Role.ANNOTATOR))
