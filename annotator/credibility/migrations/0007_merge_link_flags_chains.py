"""Joins 0005_link_flags_skip_own_rows (which now runs before 0005_units_clusters) and 0006_support_chains.

0006 redefined ``credibility_link_flags_refresh`` for sub-claim chains after 0005
had taught it to skip locking spans of the current transaction and to plan
without JIT (the import speed-up measured in 0005's docstring). This puts both
into the chain version: the same loop, locking only rows other transactions
can see, with ``jit = off``.
"""

from importlib import import_module

from django.db import migrations

chains = import_module("annotator.credibility.migrations.0006_support_chains")
skip = import_module("annotator.credibility.migrations.0005_link_flags_skip_own_rows")

_START = chains.SQL.index("CREATE FUNCTION credibility_link_flags_refresh")
_END = chains.SQL.index("CREATE OR REPLACE FUNCTION credibility_link_flags_rebuild")
CHAIN_REFRESH = chains.SQL[_START:_END].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
LOCK = "PERFORM 1 FROM annotations_annotation WHERE id = ANY(targets) ORDER BY id FOR NO KEY UPDATE;"
assert LOCK in CHAIN_REFRESH and "LANGUAGE plpgsql AS $$" in CHAIN_REFRESH  # noqa: S101 - 0006's text
FAST_REFRESH = CHAIN_REFRESH.replace(
    LOCK,
    f"PERFORM 1 FROM annotations_annotation WHERE id = ANY(targets) {skip.OWN} ORDER BY id FOR NO KEY UPDATE;",
).replace("LANGUAGE plpgsql AS $$", "LANGUAGE plpgsql SET jit = off AS $$", 1)


class Migration(migrations.Migration):
    dependencies = [("credibility", "0006_support_chains")]

    operations = [migrations.RunSQL(FAST_REFRESH, reverse_sql=CHAIN_REFRESH)]
