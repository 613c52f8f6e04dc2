"""Query and form values read by the review pages, with errors that name the field."""

from __future__ import annotations

import datetime

from annotator.core.errors import ApplicationError


def int_param(value, field):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApplicationError.field(field, f"{field.capitalize()} must be a whole number.") from None


def date_param(value, field):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError.field(field, f"{field.capitalize()} must be a date like 2026-12-31.") from None
