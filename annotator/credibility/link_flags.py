"""The link flags PostgreSQL keeps on span rows (migration credibility 0004).

Triggers keep ``is_supported``, ``is_attacked`` and ``is_qualified`` right on
every write; this module is the repair tool for rows written around them
(triggers disabled, a restore from a dump made without them).
"""

from __future__ import annotations

from django.db import connection, transaction

from annotator.projects.models import Project


def link_flags_rebuild(*, project: Project) -> int:
    """Recompute every span's flags in ``project`` from its relations; returns how many changed."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT credibility_link_flags_rebuild(%s)", [project.pk])
        (changed,) = cursor.fetchone()
    return changed
