"""Optimistic concurrency over HTTP: the version a write is based on.

Clients send it in the body (``"version": 3``), as ``If-Match: "3"`` (the
ETag every span and relation response carries) or, for DELETE, as
``?version=3``. A stale version is a 409 with the stored object in ``current``.
"""

from __future__ import annotations

from annotator.core.errors import ApplicationError, Conflict


def etag(version: int) -> str:
    return f'"{version}"'


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
