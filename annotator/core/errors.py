"""The one error type services raise for bad input or forbidden actions.

The API renders it as ``{"message": ..., "errors": {field: [...]}}``; the
HTML views show ``message``.
"""

from __future__ import annotations


class ApplicationError(Exception):
    status_code = 400

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    @classmethod
    def field(cls, field: str, message: str) -> ApplicationError:
        return cls(message, errors={field: [message]})


class NotFound(ApplicationError):
    """Missing, or not visible to the caller: both look the same from outside."""

    status_code = 404


class PermissionDenied(ApplicationError):
    status_code = 403


class Conflict(ApplicationError):
    """A write based on a stale version; ``current`` is what is stored now."""

    status_code = 409

    def __init__(self, message: str, *, current: dict | None = None, errors=None):
        super().__init__(message, errors=errors)
        self.current = current or {}

    @classmethod
    def check_version(cls, row, version: int | None, *, noun: str, current) -> None:
        """Raise unless ``version`` (None: not asked) is ``row``'s stored version; ``row`` is locked.

        ``current`` is the stored row as the client sees it, or a callable making it: a write path
        that usually succeeds then builds the snapshot only for the 409.
        """
        if version is not None and row.version != version:
            raise cls(
                f"This {noun} was changed elsewhere (you had version {version}, it is now {row.version}).",
                current=current() if callable(current) else current,
                errors={"version": [f"Stale version {version}; current is {row.version}."]},
            )
