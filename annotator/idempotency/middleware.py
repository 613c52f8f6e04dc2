"""``Idempotency-Key`` for every POST under /api/: a repeat gets the original answer.

A client that lost the response to a write (a proxy answered 502, the
connection dropped) sends the same request again with the same key. If the
first one committed, the repeat replays its stored status, headers and body
(with ``Idempotent-Replayed: true``) instead of running again, so a retried
span create is a 201, not a 400 "already has a span".

One place for every POST (spans, relations, bulk, imports, exports, review
actions): this middleware. How it stays correct under races:
- the key's row is inserted in the same transaction as the request's writes;
  a second request with the same key waits on the unique index until the
  first commits (then replays it) or rolls back (then runs itself);
- a 5xx (or a refusal that may change: 401, 403, 409, 429) is not stored and
  rolls back with the request, so the client can retry with the same key;
- the same key with a different request (method, path or body) is a 422.
Keys are per user and kept for ASSAY_IDEMPOTENCY_HOURS (default 24).
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from annotator.idempotency.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEPT_HEADERS = ("ETag", "Location", "Content-Disposition")
NOT_STORED = {401, 403, 409, 429}


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"message": message, "errors": {HEADER: [message]}}, status=status)


def _caller(request):
    """The authenticated user (session or token), or None: then the view refuses as usual."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    authenticators = [
        cls()
        for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES
        if not issubclass(cls, SessionAuthentication)
    ]
    drf_request = Request(request, authenticators=authenticators)
    anonymous = request.user if hasattr(request, "user") else None
    try:
        user = drf_request.user
    except APIException:
        return None
    finally:
        # DRF's Request sets the Django request's user too; put it back, or the view's
        # SessionAuthentication would take a token client for a session (and ask for CSRF).
        if anonymous is not None:
            request.user = anonymous
    return user if user is not None and user.is_authenticated else None


def _fingerprint(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        # Uploads can be large and are streamed to disk; their size stands for the body.
        digest.update(f"multipart {request.META.get('CONTENT_LENGTH', '')}".encode())
        return digest.hexdigest()
    try:
        digest.update(request.body)
    except RequestDataTooBig:
        # The view refuses it with the limit in a 413; nothing will be stored.
        digest.update(f"too big {request.META.get('CONTENT_LENGTH', '')}".encode())
    return digest.hexdigest()


def _replay(stored: IdempotentRequest) -> HttpResponse:
    if stored.body is None:
        return _error(
            409,
            f"The first request with this {HEADER} answered a download, which cannot be replayed; "
            "send the request again with a new key.",
        )
    response = HttpResponse(bytes(stored.body), status=stored.status_code, content_type=stored.content_type)
    for name, value in stored.headers.items():
        response[name] = value
    response[REPLAYED] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path_info.startswith("/api/"):
            return self.get_response(request)
        if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
            return _error(400, f"{HEADER} must be 1 to 255 printable ASCII characters, such as a UUID.")
        user = _caller(request)
        if user is None:
            return self.get_response(request)
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(
                        user=user, key=key, method=request.method, path=request.path,
                        fingerprint=fingerprint, status_code=0,
                    )  # fmt: skip
            except IntegrityError:
                # Committed by an earlier request with this key (we waited for it if it was running).
                stored = IdempotentRequest.objects.get(user=user, key=key)
                if stored.fingerprint != fingerprint:
                    return _error(
                        422,
                        f"This {HEADER} was used for another request ({stored.method} {stored.path}); "
                        "use a new key for each change.",
                    )
                return _replay(stored)
            response = self.get_response(request)
            if response.status_code >= 500 or response.status_code in NOT_STORED:
                transaction.set_rollback(True)
                return response
            record.status_code = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            record.body = None if getattr(response, "streaming", False) else response.content
            record.save(update_fields=["status_code", "content_type", "headers", "body"])
        return response
