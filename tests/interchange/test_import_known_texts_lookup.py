"""The importer looks up only the upload's own texts among the stored ones (import_writer:
one probe of document_unique_text per hash), never every content hash of the project."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.documents.models import Document
from annotator.documents.services import content_hash
from annotator.interchange.imports import import_documents
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db


def _hash_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('SELECT "documents_document"."content_hash"')]


def test_known_texts_are_looked_up_by_the_upload_hashes_only():
    """A project of 30 stored texts, an upload of 3 lines (one stored text, one new, one twice):
    the one read of stored hashes names the upload's 2 distinct hashes, and returns 1 row."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    stored = [DocumentFactory(project=project, text=f"Stored text number {i}.") for i in range(30)]
    lines = [
        {"text": stored[0].text, "label": [[0, 6, "CLAIM"]]},
        {"text": "A new text."},
        {"text": "A new text."},
    ]
    upload = "\n".join(json.dumps(line) for line in lines).encode()
    with CaptureQueriesContext(connection) as queries:
        counts, _ = import_documents(project=project, user=manager, files=[("u.jsonl", upload, "jsonl")])
    assert (counts["documents"], counts["matched"], counts["duplicates"]) == (1, 1, 1)
    reads = _hash_reads(queries.captured_queries)
    assert len(reads) == 1
    assert reads[0].count("'") == 2 * 2  # two quoted hash literals in the IN list
    assert content_hash(stored[0].text) in reads[0] and content_hash("A new text.") in reads[0]
    assert content_hash(stored[1].text) not in reads[0]
    assert Document.objects.filter(project=project).count() == 31
