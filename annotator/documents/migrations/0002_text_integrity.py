"""Database-side guarantees for document text: verbatim and self-describing."""

from django.db import migrations

SQL = r"""
ALTER TABLE documents_document
  ADD CONSTRAINT document_char_count_matches CHECK (char_count = char_length(text)),
  ADD CONSTRAINT document_hash_matches
    CHECK (content_hash = encode(sha256(convert_to(text, 'UTF8')), 'hex'));

CREATE FUNCTION documents_text_immutable() RETURNS trigger AS $$
BEGIN
  IF NEW.text IS DISTINCT FROM OLD.text THEN
    RAISE EXCEPTION 'document_text_immutable: document % text cannot be changed', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'document_text_immutable';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER document_text_immutable BEFORE UPDATE OF text ON documents_document
  FOR EACH ROW EXECUTE FUNCTION documents_text_immutable();
"""

REVERSE = r"""
DROP TRIGGER document_text_immutable ON documents_document;
DROP FUNCTION documents_text_immutable();
ALTER TABLE documents_document
  DROP CONSTRAINT document_char_count_matches, DROP CONSTRAINT document_hash_matches;
"""


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
