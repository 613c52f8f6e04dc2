"""Schemathesis against the generated OpenAPI schema: no 5xx, no response that violates the schema.

Bounded: a few generated examples per operation, as an authenticated manager
(token auth) of a project with a document, spans and a relation. The cases
are drawn per operation with Hypothesis inside one test (schemathesis'
pytest fixture loader does not run under pytest 9).
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

from annotator.projects.models import Role
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, RelationFactory, member

EXAMPLES_PER_OPERATION = 10


@pytest.fixture
def in_process_app(db):
    """The WSGI app, with the request signals kept from closing the test's database connection
    (as Django's test client does: the connection is inside the test transaction)."""
    from annotator.config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    project = ProjectFactory()
    manager = member(project, Role.MANAGER, username="fuzz")
    document = DocumentFactory(project=project, text="Taxes rose 5%. Experts say growth will follow.")
    claim = AnnotationFactory(document=document, annotator=manager, start=15, end=45)
    evidence = AnnotationFactory(document=document, annotator=manager, start=0, end=13, label_code="EVIDENCE")
    RelationFactory(source=evidence, target=claim)
    return Token.objects.create(user=manager).key


def test_api_conforms_to_its_schema(in_process_app, token):
    """Every operation answers generated requests without a server error and within its documented shapes."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", in_process_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    headers = {"Authorization": f"Token {token}"}
    checked = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

        run()
        checked.append(operation.label)
    assert len(checked) == len(operations)
