"""``assay_kind_role(kind)``: what a label kind counts as, for SQL inside PostgreSQL.

Created here so that the migrations after it (credibility 0010, propositions 0005) can
turn their functions' literal kinds into roles with ``kinds_to_roles``; after every
migrate ``projects/apps.py`` rewrites it from ``projects/kinds.py``, so a new kind never
needs a migration for it.
"""

import re

from django.db import migrations

from annotator.projects.kinds import KIND_ROLE_FUNCTION, role_sql

# "l.kind = 'evidence'", "span_kind IS DISTINCT FROM 'claim'": a kind column against a role.
_KIND_TEST = re.compile(r"\b([a-z_]+\.kind|[a-z_]*kind) (=|IS DISTINCT FROM) '(claim|evidence|opinion|hedge)'")
_ROLE_TEST = re.compile(r"assay_kind_role\(([a-z_.]+)\) (=|IS DISTINCT FROM) '(claim|evidence|opinion|hedge)'")


def _rewrite(schema_editor, functions: list[str], pattern: re.Pattern, replacement: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        for name in functions:
            cursor.execute("SELECT pg_get_functiondef(%s::regprocedure)", [name])
            (definition,) = cursor.fetchone()
            rewritten = pattern.sub(replacement, definition)
            assert rewritten != definition, name  # noqa: S101 - a function with no kind to rewrite
            cursor.execute(rewritten)


def kinds_to_roles(*functions: str) -> migrations.RunPython:
    """Rewrite ``functions`` (regprocedure names) so they compare what a kind counts as,
    not the kind: ``l.kind = 'claim'`` becomes ``assay_kind_role(l.kind) = 'claim'``.
    Read from the database, so it is whichever migration defined each last."""
    return migrations.RunPython(
        lambda apps, schema_editor: _rewrite(schema_editor, list(functions), _KIND_TEST, r"assay_kind_role(\1) \2 '\3'"),
        lambda apps, schema_editor: _rewrite(schema_editor, list(functions), _ROLE_TEST, r"\1 \2 '\3'"),
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_historical_project_score_minimums")]

    operations = [
        migrations.RunSQL(
            KIND_ROLE_FUNCTION.format(expression=role_sql("kind")),
            reverse_sql="DROP FUNCTION assay_kind_role(text)",
        )
    ]
