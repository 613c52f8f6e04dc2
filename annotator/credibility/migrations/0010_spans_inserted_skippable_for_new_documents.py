"""A bulk writer of spans into documents it created itself can skip the speakers' span trigger.

``credibility_spans_inserted`` (0008_span_speakers) locks the spans enclosing each new span
and looks for an attribution in its layer: a probe per span, about a sixth of an import's
span COPY. Neither can find anything for a document created by the same transaction
before any of its relations: nobody else sees the document, and the attributions come
later, through the relation trigger, which sets the speakers of the quotation and of the
spans inside it. A writer in that position sets ``assay.spans_in_new_documents`` to
``'on'`` for its span COPY (interchange/import_writer.py); nobody else does.
"""

from importlib import import_module

from django.db import migrations

speakers = import_module("annotator.credibility.migrations.0008_span_speakers")

_START = speakers.SQL.index("CREATE FUNCTION credibility_spans_inserted()")
_END = speakers.SQL.index("CREATE TRIGGER credibility_spans_inserted")
ORIGINAL = speakers.SQL[_START:_END].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
ENTRY = "LANGUAGE plpgsql SET jit = off AS $$\nBEGIN\n"
assert ENTRY in ORIGINAL  # noqa: S101 - 0008's text
SKIPPING = ORIGINAL.replace(
    ENTRY,
    ENTRY + "  IF current_setting('assay.spans_in_new_documents', true) = 'on' THEN\n    RETURN NULL;\n  END IF;\n",
    1,
)


class Migration(migrations.Migration):
    dependencies = [("credibility", "0009_merge_20261206_1221")]

    operations = [migrations.RunSQL(SKIPPING, reverse_sql=ORIGINAL)]
