"""The per-row span checks can be left to one set-based statement by a bulk writer.

``annotation_check_span`` (the span lies inside its text and its quote is the text there)
and ``annotation_one_gold_layer`` run once per inserted row: a statement each, about a
third of an import's span COPY. A writer that sets ``assay.span_row_checks`` to ``'batch'``
for its COPY skips them, and must run the same checks as one statement over the rows it
wrote, in the same transaction (the importer: interchange/bulk_sql.py, ``spans_check``).
Any other session, or the setting unset, checks row by row as before.
"""

from django.db import migrations

SKIPPABLE = "WHEN (current_setting('assay.span_row_checks', true) IS DISTINCT FROM 'batch')"

SQL = f"""
DROP TRIGGER annotation_check_span ON annotations_annotation;
CREATE TRIGGER annotation_check_span
  BEFORE INSERT OR UPDATE OF start, "end", quote, document_id ON annotations_annotation
  FOR EACH ROW {SKIPPABLE} EXECUTE FUNCTION annotations_check_span();
DROP TRIGGER annotation_one_gold_layer ON annotations_annotation;
CREATE TRIGGER annotation_one_gold_layer
  BEFORE INSERT OR UPDATE OF layer, annotator_id, document_id ON annotations_annotation
  FOR EACH ROW {SKIPPABLE} EXECUTE FUNCTION annotation_one_gold_layer();
"""

REVERSE = """
DROP TRIGGER annotation_check_span ON annotations_annotation;
CREATE TRIGGER annotation_check_span
  BEFORE INSERT OR UPDATE OF start, "end", quote, document_id ON annotations_annotation
  FOR EACH ROW EXECUTE FUNCTION annotations_check_span();
DROP TRIGGER annotation_one_gold_layer ON annotations_annotation;
CREATE TRIGGER annotation_one_gold_layer
  BEFORE INSERT OR UPDATE OF layer, annotator_id, document_id ON annotations_annotation
  FOR EACH ROW EXECUTE FUNCTION annotation_one_gold_layer();
"""


class Migration(migrations.Migration):
    dependencies = [("annotations", "0006_history_user_without_constraint")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
