"""One error shape for the whole API:

    {"message": "what went wrong", "errors": {"field": ["why"]}}

``errors`` names the field (or ``line 12`` for imports); ``non_field_errors``
when no single field is to blame. Conflicts add ``current``.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.encoding import escape_uri_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from annotator.core.errors import ApplicationError, Conflict
from annotator.core.integrity import integrity_error_fields


def _join(prefix: str, key) -> str:
    """A field path as a client writes it: ``annotations[1].end``, ``relations[0].type``."""
    if key in ("non_field_errors", api_settings.NON_FIELD_ERRORS_KEY) and prefix:
        return prefix
    if isinstance(key, int) or str(key).isdigit():
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else str(key)


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as one flat ``{field path: [messages]}``."""
    out: dict[str, list[str]] = {}

    def add(errors: dict[str, list[str]]) -> None:
        for field, messages in errors.items():
            out.setdefault(field, []).extend(messages)

    if isinstance(detail, dict):
        for key, value in detail.items():
            add(_flatten(value, _join(prefix, key)))
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, item in enumerate(detail):
            if item:
                add(_flatten(item, _join(prefix, index)))
    elif isinstance(detail, list):
        out[prefix or "non_field_errors"] = [str(item) for item in detail]
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def _summary(errors: dict[str, list[str]], fallback: str) -> str:
    if not errors:
        return fallback
    field, messages = next(iter(errors.items()))
    where = "" if field == "non_field_errors" else f"{field}: "
    return f"{where}{messages[0]}"


def _too_big(exc) -> Response:
    """Django refuses an oversized body with a bare HTML 400; say what the limit is, as JSON."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = (
            f"The request body is larger than {limit:,} bytes (DATA_UPLOAD_MAX_MEMORY_SIZE); "
            "send fewer items per request, or upload files to an import."
        )
        return Response({"message": message, "errors": {"body": [message]}}, status=413)
    message = f"Too many form fields or files in one request: {exc}"
    return Response({"message": message, "errors": {"body": [message]}}, status=400)


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return _too_big(exc)
    if isinstance(exc, RecursionError):
        message = (
            "The request body is nested too deeply to read; send at most a few levels of lists and objects."
        )
        return Response({"message": message, "errors": {"body": [message]}}, status=400)
    if isinstance(exc, ObjectDoesNotExist):
        # A row read at the start of the request was deleted by a concurrent one before the write.
        message = f"{exc.__class__.__qualname__.split('.')[0]} not found: it was deleted (perhaps by another request)."
        return Response({"message": message, "errors": {}}, status=404)
    if isinstance(exc, ApplicationError):
        body = {"message": exc.message, "errors": exc.errors}
        if isinstance(exc, Conflict):
            body["current"] = exc.current
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": [str(m) for m in exc.messages]}
        )
        return Response(
            {"message": _summary(errors, "Invalid input."), "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, IntegrityError):
        errors = integrity_error_fields(exc)
        return Response(
            {"message": _summary(errors, "The data breaks a database rule."), "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        message = _summary(errors, "Invalid input.")
    else:
        detail = exc.detail if hasattr(exc, "detail") else str(exc)
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        errors = {}
    response.data = {"message": message, "errors": errors}
    return response


def _with_slash(request) -> str | None:
    """The URL with a trailing slash when that is an endpoint (the client forgot the slash)."""
    if request.path_info.endswith("/"):
        return None
    try:
        match = resolve(request.path_info + "/")
    except Resolver404:
        return None
    if match.func is not_found:
        return None
    query = request.META.get("QUERY_STRING", "")
    return escape_uri_path(request.path + "/") + (f"?{query}" if query else "")


@csrf_exempt  # writes nothing; without it a POST to a wrong path would get an HTML CSRF page
def not_found(request, *args, **kwargs):
    """Any path under /api/ that no endpoint serves: a 404 in the API's shape.

    A known endpoint without its trailing slash redirects: 301 for reads, 308 for writes
    (which keeps the method and body; Django's APPEND_SLASH cannot redirect a POST and
    would raise a 500 instead).
    """
    target = _with_slash(request)
    if target is not None:
        code = 301 if request.method in ("GET", "HEAD") else 308
        message = f"The endpoint is {target} (with a trailing slash); send the request there."
        response = JsonResponse({"message": message, "errors": {}}, status=code)
        response["Location"] = target
        return response
    message = f"There is no API endpoint at {request.path!r}; the endpoints are listed at /api/docs/."
    if request.path.isprintable():
        message = f"There is no API endpoint at {request.path}; the endpoints are listed at /api/docs/."
    return JsonResponse({"message": message, "errors": {}}, status=404)
