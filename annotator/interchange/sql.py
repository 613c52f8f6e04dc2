"""Small SQL expressions shared by the API and the exporters."""

from django.db.models import CharField, Func


class IsoTimestamp(Func):
    """A timestamp as RFC 3339 text in UTC, formatted by PostgreSQL.

    Lists and exports of many spans spend most of their Python time parsing
    and re-formatting timestamps; PostgreSQL writes the text directly.
    """

    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    output_field = CharField()
