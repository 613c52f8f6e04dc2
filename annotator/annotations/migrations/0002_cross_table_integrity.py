"""Rules that span tables, enforced by PostgreSQL itself.

Django has no composite foreign keys, so they are declared here. They are
checked at once, except the membership ones: Django does not know them, so
a cascading delete of a project may remove memberships before annotations,
and those are checked at commit.
"""

from django.db import migrations

DEFERRED = "DEFERRABLE INITIALLY DEFERRED"
IMMEDIATE = "NOT DEFERRABLE"

SQL = f"""
ALTER TABLE annotations_annotation
  ADD CONSTRAINT annotation_document_project_fk FOREIGN KEY (document_id, project_id)
    REFERENCES documents_document (id, project_id) ON DELETE CASCADE {IMMEDIATE},
  ADD CONSTRAINT annotation_label_project_fk FOREIGN KEY (label_id, project_id)
    REFERENCES projects_label (id, project_id) {IMMEDIATE},
  ADD CONSTRAINT annotation_subtype_label_fk FOREIGN KEY (subtype_id, label_id)
    REFERENCES projects_labelsubtype (id, label_id) {IMMEDIATE},
  ADD CONSTRAINT annotation_annotator_member_fk FOREIGN KEY (project_id, annotator_id)
    REFERENCES projects_membership (project_id, user_id) {DEFERRED};

ALTER TABLE annotations_relation
  ADD CONSTRAINT relation_document_project_fk FOREIGN KEY (document_id, project_id)
    REFERENCES documents_document (id, project_id) ON DELETE CASCADE {IMMEDIATE},
  ADD CONSTRAINT relation_source_same_layer_fk FOREIGN KEY (source_id, document_id, annotator_id, layer)
    REFERENCES annotations_annotation (id, document_id, annotator_id, layer) ON DELETE CASCADE {IMMEDIATE},
  ADD CONSTRAINT relation_target_same_layer_fk FOREIGN KEY (target_id, document_id, annotator_id, layer)
    REFERENCES annotations_annotation (id, document_id, annotator_id, layer) ON DELETE CASCADE {IMMEDIATE};

-- A span lies inside the text and its quote is the text at its offsets
-- (substr counts characters, i.e. code points, in a UTF8 database).
CREATE FUNCTION annotations_check_span() RETURNS trigger AS $$
DECLARE
  doc_text text;
  doc_length integer;
BEGIN
  IF NEW.start < 0 OR NEW.start >= NEW."end" THEN
    RETURN NEW;  -- the CHECK constraints report these with their own names
  END IF;
  SELECT d.text, d.char_count INTO doc_text, doc_length
    FROM documents_document d WHERE d.id = NEW.document_id;
  IF NEW."end" > doc_length THEN
    RAISE EXCEPTION 'annotation_within_text: span %-% runs past the end of document % (% code points)',
      NEW.start, NEW."end", NEW.document_id, doc_length
      USING ERRCODE = 'check_violation', CONSTRAINT = 'annotation_within_text';
  END IF;
  IF NEW.quote IS DISTINCT FROM substr(doc_text, NEW.start + 1, NEW."end" - NEW.start) THEN
    RAISE EXCEPTION 'annotation_quote_matches: quote differs from the text at %-% of document %',
      NEW.start, NEW."end", NEW.document_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'annotation_quote_matches';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER annotation_check_span
  BEFORE INSERT OR UPDATE OF start, "end", quote, document_id ON annotations_annotation
  FOR EACH ROW EXECUTE FUNCTION annotations_check_span();
"""

REVERSE = """
DROP TRIGGER annotation_check_span ON annotations_annotation;
DROP FUNCTION annotations_check_span();
ALTER TABLE annotations_relation
  DROP CONSTRAINT relation_document_project_fk,
  DROP CONSTRAINT relation_source_same_layer_fk,
  DROP CONSTRAINT relation_target_same_layer_fk;
ALTER TABLE annotations_annotation
  DROP CONSTRAINT annotation_document_project_fk,
  DROP CONSTRAINT annotation_label_project_fk,
  DROP CONSTRAINT annotation_subtype_label_fk,
  DROP CONSTRAINT annotation_annotator_member_fk;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("documents", "0002_text_integrity"),
        ("projects", "0001_initial"),
    ]
    operations = [migrations.RunSQL(SQL, REVERSE)]
