"""DRF permission classes: thin wrappers over the access module (annotator/access.py).

Views that act inside a project resolve it with ``access_project`` (NotFound for
non-members); ``IsProjectMember`` covers object-level checks for viewsets whose
objects carry a ``project_id``, with the same errors (404 for non-members, 403 below
the role), so a viewset using it answers exactly like one calling the module itself.
"""

from rest_framework import permissions

from annotator.access import access_role
from annotator.projects.models import Role


class IsProjectMember(permissions.BasePermission):
    """Read for any member; writes for the role named by ``write_role`` on the view."""

    def has_object_permission(self, request, view, obj):
        write = request.method not in permissions.SAFE_METHODS
        minimum = getattr(view, "write_role", Role.ANNOTATOR) if write else Role.ANNOTATOR
        access_role(request.user, obj.project_id, minimum=minimum, noun=obj._meta.verbose_name.capitalize())
        return True
