"""A document has one gold layer: every gold span of a document carries the
same annotator id (the reviewer who started it). The services pick that id;
this trigger is the net for code paths that write rows directly.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION annotation_one_gold_layer() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  owner integer;
BEGIN
  IF NEW.layer <> 'gold' THEN
    RETURN NEW;
  END IF;
  SELECT annotator_id INTO owner FROM annotations_annotation
   WHERE document_id = NEW.document_id AND layer = 'gold' AND annotator_id <> NEW.annotator_id
     AND id <> NEW.id
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'annotation_one_gold_layer: document % already has a gold layer (stored under user %)',
      NEW.document_id, owner
      USING ERRCODE = 'check_violation', CONSTRAINT = 'annotation_one_gold_layer';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER annotation_one_gold_layer
  BEFORE INSERT OR UPDATE OF layer, annotator_id, document_id ON annotations_annotation
  FOR EACH ROW EXECUTE FUNCTION annotation_one_gold_layer();
"""

REVERSE = """
DROP TRIGGER IF EXISTS annotation_one_gold_layer ON annotations_annotation;
DROP FUNCTION IF EXISTS annotation_one_gold_layer();
"""


class Migration(migrations.Migration):
    dependencies = [("annotations", "0002_cross_table_integrity")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
