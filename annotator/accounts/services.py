"""Account checks that more than one entry point needs."""

from __future__ import annotations

from django.contrib.auth import authenticate

from annotator.accounts.lockout import lockout_message
from annotator.core.errors import ApplicationError, PermissionDenied


class TooManyAttempts(ApplicationError):
    status_code = 429


def password_confirm(*, request, user, password: str) -> None:
    """Check the user's own password as a log-in would: a wrong one counts as a failed log-in
    (django-axes, per account and per address) and, past the limit, even the right one is refused.

    ``request`` is the Django HttpRequest (axes reads the client address from it).
    """
    if not password:
        raise ApplicationError.field("password", "Type your password.")
    checked = authenticate(request, username=user.get_username(), password=password)
    if getattr(request, "axes_locked_out", False):
        raise TooManyAttempts(lockout_message(), errors={"password": [lockout_message()]})
    if checked is None or checked.pk != user.pk:
        raise PermissionDenied("The password is wrong.", errors={"password": ["The password is wrong."]})
