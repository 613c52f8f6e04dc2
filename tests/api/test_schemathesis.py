"""Schemathesis against the generated OpenAPI schema, with every check, as each role and anonymous.

Bounded: a few positive (schema-valid) and negative (schema-violating) examples per
operation, against a project with a document, spans and a relation. The cases
are drawn per operation with Hypothesis inside one test per role (schemathesis'
pytest fixture loader does not run under pytest 9). Failures are collected, not
raised inside Hypothesis (no shrinking), and reported together.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS
from schemathesis.core.failures import FailureGroup

from annotator.projects.models import Role
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, RelationFactory, member

EXAMPLES_PER_OPERATION = 4
ROLES = ["anonymous", Role.ANNOTATOR, Role.REVIEWER, Role.MANAGER]


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


def _world(role):
    """A project with a document, two spans and a relation; the caller (None when anonymous)."""
    project = ProjectFactory()
    owner = member(project, Role.MANAGER, username="owner")
    caller = None if role == "anonymous" else member(project, role, username=f"fuzz-{role}")
    document = DocumentFactory(project=project, text="Taxes rose 5%. Experts say growth will follow.")
    author = caller or owner
    claim = AnnotationFactory(document=document, annotator=author, start=15, end=45)
    evidence = AnnotationFactory(document=document, annotator=author, start=0, end=13, label_code="EVIDENCE")
    RelationFactory(source=evidence, target=claim)
    return caller


def _keep_token(user, key):
    """POST/DELETE /tokens/ replace or revoke the caller's own token (that is their job): put it back."""
    if user is not None and not Token.objects.filter(key=key).exists():
        Token.objects.filter(user=user).delete()
        Token.objects.create(user=user, key=key)


# Schema-valid requests that are rightly refused with a 400: rules OpenAPI 3.0 cannot state.
CROSS_FIELD_RULES = {
    # A cursor is an opaque token the server hands out in `next`/`previous`; a made-up one is refused.
    "cursor",
    # Replacing a token while authenticated by that token needs the password (a stolen token must
    # not lock its owner out); with a session it does not. OpenAPI cannot make a body field
    # required for one security scheme only.
    "password",
    # A span's offsets must satisfy start < end <= the document's length.
    "start",
    "end",
    # Whether a relation needs a target depends on its type (attributed_to does not; the others do);
    # in a bulk request a relation gives target or target_ref, not both.
    "target",
    # Overlap must not exceed the number of annotators chosen.
    "overlap",
}


# PostgreSQL cannot store U+0000 in text; DRF refuses it with this message, on any string field.
NUL_REFUSED = "Null characters are not allowed."


def _genuine_exception(failure, response) -> bool:
    """A positive case refused with 400 only for a rule the schema cannot express."""
    if failure.title != "Schema-valid request rejected" or response.status_code != 400:
        return False
    errors = response.json()["errors"]
    return bool(errors) and all(
        messages == [NUL_REFUSED] or field.rsplit(".", 1)[-1] in CROSS_FIELD_RULES
        for field, messages in errors.items()
    )


def _all_checks():
    return [check for check in CHECKS.get_all() if check.__name__ != "max_response_time"]


@pytest.mark.parametrize("role", ROLES)
def test_api_conforms_to_its_schema(in_process_app, role):
    """Generated valid and invalid requests to every operation pass every schemathesis check."""
    caller = _world(role)
    key = "f" * 40
    headers = {}
    if caller is not None:
        Token.objects.create(user=caller, key=key)
        headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", in_process_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 80
    checks = _all_checks()
    failures: list[str] = []

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
            def run(case):
                if caller is not None:
                    # Schemathesis fills the declared session cookie with a made-up value; the
                    # token in the headers is the credential, so send no cookie at all.
                    case.cookies = {k: v for k, v in (case.cookies or {}).items() if k != "sessionid"}
                response = case.call(headers=headers)
                try:
                    case.validate_response(response, checks=checks, headers=headers)
                except FailureGroup as group:
                    for failure in group.exceptions:
                        if _genuine_exception(failure, response):
                            continue
                        failures.append(f"{mode.value} {operation.label}: {failure.title}: {failure.message}"
                                        f"\n    {case.as_curl_command()}\n    -> {response.status_code} {response.text[:300]}")  # fmt: skip
                finally:
                    _keep_token(caller, key)

            try:
                run()
            except Unsatisfiable:  # nothing can violate this operation's schema (no parameters, no body)
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
