"""The OpenAPI document is valid and documents every answer an operation can give."""

import pytest
import yaml
from django.test import Client
from openapi_spec_validator import OpenAPIV30SpecValidator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_schema_validates_with_no_errors(schema):
    """openapi-spec-validator finds nothing wrong (path parameters, defaults inside enums, ...)."""
    errors = [error.message for error in OpenAPIV30SpecValidator(schema).iter_errors()]
    assert errors == []


def test_every_operation_documents_its_errors_in_the_error_shape(schema):
    """403 everywhere; 404 wherever a row is named; 400/413/415 wherever a body is read; all as Error."""
    assert schema["components"]["schemas"]["Error"]["required"] == ["errors", "message"]
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        assert "403" in responses, (method, path)
        if "{" in path or "requestBody" in operation:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(responses), (method, path)
        if operation.get("parameters"):
            assert "400" in responses, (method, path)
        for code in ("400", "403", "404", "413", "415"):
            if code in responses:
                content = responses[code]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/Error"}, (method, path, code)


# Path parameters that are names, not row ids: a hedge rule is named by its word key.
STRING_KEYS = {"rule"}


def test_path_ids_are_integers(schema):
    """Every {id}-style path parameter is an integer, so generated clients take ints."""
    for path, method, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] not in STRING_KEYS:
                assert parameter["schema"]["type"] == "integer", (method, path, parameter["name"])


def test_list_parameters_are_documented(schema):
    """Lists document page_size (1..1000), count, ordering choices and repeatable filters."""
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/annotations/"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000}
    assert parameters["count"]["schema"] == {"type": "boolean"}
    assert "-start" in parameters["ordering"]["schema"]["enum"]
    assert parameters["label_code"]["schema"]["type"] == "array" and parameters["label_code"]["explode"]
    assert parameters["q"]["schema"]["type"] == "string"


def test_job_download_documents_what_it_returns(schema):
    """The result file is a zip, JSON, JSONL or CSV, as produced by the job's format."""
    content = schema["paths"]["/api/v1/jobs/{id}/download/"]["get"]["responses"]["200"]["content"]
    assert {"application/zip", "application/json", "text/csv"} <= set(content)
