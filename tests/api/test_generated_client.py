"""A Python client generated from the schema (openapi-python-client) works against the server.

The client is generated here from the live /api/schema/, as CI does on every run, so an
operation the schema describes wrongly (a path parameter, a status, a body) fails this test.
"""

import importlib
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, label, member

from .test_schemathesis import in_process_app  # noqa: F401 - the WSGI app fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated_client(tmp_path, db):
    schema = tmp_path / "schema.yaml"
    schema.write_bytes(Client().get("/api/schema/").content)
    config = tmp_path / "generator.yaml"
    config.write_text("post_hooks: []\n")  # the generated code as generated, not reformatted
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "openapi-python-client", "generate", "--path", schema, "--meta", "none", "--config", config,
         "--output-path", tmp_path / "assay_api_client"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("assay_api_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == "assay_api_client" or n.startswith("assay_api_client.")]:
            del sys.modules[name]


def test_generated_client_creates_and_reads_a_span(generated_client, in_process_app):  # noqa: F811
    """Create a span, read it back, and get the error shape for a bad one, all through generated code."""
    project = ProjectFactory()
    annotator = member(project, Role.ANNOTATOR, username="client-user")
    document = DocumentFactory(project=project, text="Taxes rose 5%. Experts say growth will follow.")
    token = Token.objects.create(user=annotator).key
    client = generated_client.AuthenticatedClient(
        base_url="http://testserver", token=token, prefix="Token",
        httpx_args={"transport": httpx.WSGITransport(app=in_process_app)},
    )  # fmt: skip
    api = importlib.import_module("assay_api_client.api.v1")
    models = importlib.import_module("assay_api_client.models")
    create = importlib.import_module(f"{api.__name__}.v1_annotations_create")
    retrieve = importlib.import_module(f"{api.__name__}.v1_annotations_retrieve")
    claim = label(project, "CLAIM").pk

    created = create.sync_detailed(client=client, body=models.AnnotationCreateInputRequest(
        document=document.pk, start=15, end=45, label=claim))  # fmt: skip
    assert created.status_code == 201
    span = created.parsed
    assert isinstance(span, models.Annotation)
    assert (span.start, span.end, span.quote, span.version) == (15, 45, "Experts say growth will follow", 1)

    again = retrieve.sync(client=client, id=span.id)
    assert isinstance(again, models.Annotation) and again.quote == span.quote

    refused = create.sync_detailed(client=client, body=models.AnnotationCreateInputRequest(
        document=document.pk, start=45, end=15, label=claim))  # fmt: skip
    assert refused.status_code == 400
    assert isinstance(refused.parsed, models.Error) and refused.parsed.message
