"""The link flags PostgreSQL keeps on span rows (migrations credibility 0004, 0006, 0008).

Triggers keep ``is_supported``, ``is_attacked``, ``is_qualified``,
``support_depth`` and ``speakers`` right on every write; this module is the
repair tool for rows written around them (triggers disabled, a restore from a
dump made without them).
"""

from __future__ import annotations

from django.db import connection, transaction

from annotator.projects.models import Project


def link_flags_rebuild(*, project: Project) -> int:
    """Recompute every span's flags and speakers in ``project`` from its relations; returns how
    many span rows changed (a row whose flags and speakers were both wrong counts twice)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT credibility_link_flags_rebuild(%s) + credibility_speakers_rebuild(%s)",
            [project.pk, project.pk],
        )
        (changed,) = cursor.fetchone()
    return changed
