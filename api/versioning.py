"""Optimistic concurrency over HTTP: the version a write is based on.

Clients send it in the body (``"version": 3``), as ``If-Match: "3"`` (the
ETag every span and relation response carries) or, for DELETE, as
``?version=3``. A stale version is a 409 with the stored object in ``current``.
"""

from __future__ import annotations

import hashlib
import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.response import Response

from annotator.core.errors import ApplicationError, Conflict

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="The ETag you hold; a 304 without a body when it is still current",
)  # fmt: skip
NOT_MODIFIED = OpenApiResponse(description="Not modified: the ETag you sent is current")


def etag(version: int) -> str:
    return f'"{version}"'


def content_etag(data) -> str:
    """A strong ETag for a representation without a version: a digest of its JSON."""
    body = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def not_modified(request, tag: str) -> bool:
    """True when the client's If-None-Match already names this representation (RFC 9110, 13.1.2)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(candidate.strip().removeprefix("W/") == tag for candidate in header.split(","))


def conditional_response(request, data, tag: str, code: int = 200) -> Response:
    """The representation with its ETag, or a bodiless 304 when the client has it already."""
    if not_modified(request, tag):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return Response(data, status=code, headers={"ETag": tag})


def _parse(value, where: str) -> int:
    text = str(value).strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit() or not 1 <= int(text) <= 2**31 - 1:
        raise ApplicationError.field("version", f"{where} must be a version number like 3, not {value!r}.")
    return int(text)


def requested_version(request, body_version=None) -> int:
    """The version from the body, the If-Match header or ``?version=``; 400 when none is given."""
    if body_version is not None:
        return _parse(body_version, "version")
    header = request.headers.get("If-Match")
    if header:
        return _parse(header, "If-Match")
    query = request.query_params.get("version")
    if query:
        return _parse(query, "version")
    raise ApplicationError.field(
        "version",
        'Send the version you edited: "version" in the body, ?version=N, or an If-Match: "N" header.',
    )


def with_current(conflict: Conflict, current: dict) -> Conflict:
    """Replace the service's snapshot with the API representation of what is stored."""
    conflict.current = current
    return conflict
