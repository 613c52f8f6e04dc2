"""Errors under /api/ are always the API's JSON shape, whatever raised them.

DRF's exception handler (api/exceptions.py) covers what a view raises and it
knows how to say. Everything else (a lost database, a bug, an error in a
middleware) reaches Django's handler, which answers an HTML page (or, under
DEBUG, the debug page with settings and code). This middleware sits outside
every other one: it remembers the exception Django reported and replaces an
HTML error under /api/ with ``{"message", "errors"}``.

A database that cannot be reached answers 503 with ``Retry-After`` everywhere
(pages too): the client should try again, nothing was half-written (every
write runs in a transaction that the lost connection rolled back).
"""

from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
_ATTRIBUTE = "_assay_exception"
UNAVAILABLE = "The database is unavailable; nothing was changed by this request. Try again in a few seconds."


def database_unavailable(exc: BaseException | None) -> bool:
    """True for a lost or refused database connection (and psycopg's own errors behind Django's)."""
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        module = type(exc).__module__
        if module.startswith("psycopg") and type(exc).__name__ in ("OperationalError", "InterfaceError"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _remember(sender, request=None, **kwargs):
    if request is not None:
        setattr(request, _ATTRIBUTE, sys.exc_info()[1])


got_request_exception.connect(_remember, dispatch_uid="api-errors-remember")


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ErrorShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400:
            return response
        exc = getattr(request, _ATTRIBUTE, None)
        api = request.path_info.startswith("/api/")
        if database_unavailable(exc):
            log.warning("database unavailable for %s %s: %s", request.method, request.path, exc)
            return self._unavailable(request, api=api)
        if not api or _is_json(response) or getattr(response, "streaming", False):
            return response
        if response.status_code == 404:
            message = f"There is no API endpoint at {request.path!r}; the endpoints are listed at /api/docs/."
        elif response.status_code >= 500:
            message = (
                "The server failed to answer this request; the error was logged. Try again, or report it."
            )
        else:
            message = response.reason_phrase
        replaced = JsonResponse({"message": message, "errors": {}}, status=response.status_code)
        for header in ("Retry-After", "Allow", "WWW-Authenticate"):
            if header in response:
                replaced[header] = response[header]
        return replaced

    def _unavailable(self, request, *, api: bool):
        if api:
            response = JsonResponse({"message": UNAVAILABLE, "errors": {}}, status=503)
        else:
            body = render_to_string("503.html", {"message": UNAVAILABLE})
            response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
