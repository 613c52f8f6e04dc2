"""Brute-force protection around every password check (django-axes, configured in settings).

Failed log-ins are counted per account and, separately, per client address
(``AXES_LOCKOUT_PARAMETERS``); past ``AXES_FAILURE_LIMIT`` failures within the
cool-off, the log-in form, the admin's log-in and the API's password checks
refuse even the right password until the cool-off ends or an administrator
lifts the block (``manage.py axes_reset_username <name>`` / ``axes_reset_ip
<address>`` / ``axes_reset``; see docs/security.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def cooloff_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    return (
        "Too many failed log-in attempts for this account or from this network address. "
        f"Logging in is blocked for {cooloff_minutes()} minutes; an administrator can lift the block sooner."
    )


def lockout_response(request, original_response=None, credentials=None):
    """429 with the reason: the API's JSON error shape under /api/, a page elsewhere."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        message = lockout_message()
        response = JsonResponse({"message": message, "errors": {"password": [message]}}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": lockout_message()}, status=429)
    response["Retry-After"] = retry_after
    return response


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ASSAY_TRUSTED_PROXIES reverse proxies the
    address the outermost trusted proxy saw (X-Forwarded-For, counted from the right, so a
    client cannot choose its own address by sending the header)."""
    proxies = settings.ASSAY_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
