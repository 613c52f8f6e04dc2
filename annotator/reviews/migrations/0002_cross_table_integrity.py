from django.db import migrations

SQL = """
ALTER TABLE reviews_assignment
  ADD CONSTRAINT assignment_document_project_fk FOREIGN KEY (document_id, project_id)
    REFERENCES documents_document (id, project_id) ON DELETE CASCADE NOT DEFERRABLE,
  ADD CONSTRAINT assignment_annotator_member_fk FOREIGN KEY (project_id, annotator_id)
    REFERENCES projects_membership (project_id, user_id) DEFERRABLE INITIALLY DEFERRED;
"""

REVERSE = """
ALTER TABLE reviews_assignment
  DROP CONSTRAINT assignment_document_project_fk, DROP CONSTRAINT assignment_annotator_member_fk;
"""


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("documents", "0001_initial"), ("projects", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
