"""A bulk writer that computed the link flags of its new spans itself can skip the relation
insert trigger.

``credibility_relations_inserted`` (0004_span_link_flags) recomputes every target of the new
links: a lock and a probe of its links per target, then an UPDATE that, after an import, finds
nothing to change (interchange/link_flags.py wrote the spans with the flags it would compute).
A writer whose new links all join spans it created itself in the same transaction, in
documents it created, sets ``assay.relation_flags_precomputed`` to ``'on'`` for its relation
COPY (interchange/import_writer.py); nobody else does. It holds the project's flag lock
(0004's FLAG_LOCK_CLASS) shared from before it reads the label kinds, so a label kind change
waits for its commit and then refreshes its links, as it does for links written row by row.
"""

from importlib import import_module

from django.db import migrations

flags = import_module("annotator.credibility.migrations.0004_span_link_flags")

_START = flags.SQL.index("CREATE FUNCTION credibility_relations_inserted()")
_END = flags.SQL.index("-- A deleted link can only take support away")
ORIGINAL = flags.SQL[_START:_END].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
ENTRY = "BEGIN\n  SELECT array_agg"
assert ORIGINAL.count(ENTRY) == 1  # noqa: S101
SKIPPING = ORIGINAL.replace(
    ENTRY,
    "BEGIN\n  IF current_setting('assay.relation_flags_precomputed', true) = 'on' THEN\n    RETURN NULL;\n"
    "  END IF;\n  SELECT array_agg",
)


class Migration(migrations.Migration):
    dependencies = [("credibility", "0011_merge_20261206_1418")]

    operations = [migrations.RunSQL(SKIPPING, reverse_sql=ORIGINAL)]
