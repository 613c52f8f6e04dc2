"""What the OpenAPI document says beyond what drf-spectacular infers from the views.

A postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) that makes
every operation document the error responses it can give, in the one error shape
(components/schemas/Error), so a client generated from the schema has a type for
every answer:

- 400 when the operation takes a body or query parameters (bad input, named by field);
- 403 everywhere (not logged in, a bad token, CSRF on a session write, or a role too low);
- 404 when it names a row (path id, or ids in its body or required query parameters);
- 409 stays where a view declares it (versioned writes);
- 413 and 415 when it takes a body (too large; not JSON or multipart).

Path ids are ``[0-9]+`` in the URL patterns; they are documented as integers.
"""

from __future__ import annotations

ERROR_REF = {"$ref": "#/components/schemas/Error"}
DESCRIPTIONS = {
    "400": "Bad input: `errors` names each field (or query parameter, or `line N`) and says why.",
    "403": "Not authenticated (no or bad credentials; CSRF on a session write), or your role does not allow this.",
    "404": "No such row, or it is in a project you are not a member of.",
    "409": "A conflict: the row changed since the version you sent (`current` holds what is stored now).",
    "413": "The request body is larger than the server accepts.",
    "415": "The body's media type is not one this operation reads.",
}
_PATH_ID = "^[0-9]+$"
# Query parameters that name one row the caller must be able to see (not list filters).
ROW_QUERY = {"project", "entity"}


def _error(code: str) -> dict:
    return {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": ERROR_REF}}}


def _integer_path_ids(operation: dict) -> None:
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "path" and schema.get("pattern") == _PATH_ID:
            parameter["schema"] = {"type": "integer", "minimum": 0}


def _no_empty_query_strings(operation: dict) -> None:
    """The API refuses ``?name=`` (api/lists.py); say so, for string parameters and their items."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "query":
            continue
        schema = parameter.get("schema", {})
        target = schema.get("items", {}) if schema.get("type") == "array" else schema
        if target.get("type") == "string" and "enum" not in target:
            target.setdefault("minLength", 1)
            if target.get("default") == "":
                del target["default"]


def _names_a_row(operation: dict) -> bool:
    parameters = operation.get("parameters", [])
    is_list = any(p.get("name") == "cursor" for p in parameters)
    return (
        "requestBody" in operation
        or any(p.get("in") == "path" for p in parameters)
        or any(
            p.get("in") == "query" and (p.get("required") or (p.get("name") in ROW_QUERY and not is_list))
            for p in parameters
        )
    )


# Inputs that take exactly one of two ways to name something (the views say so in a 400 too).
EXACTLY_ONE_OF = {
    "MembershipCreateInputRequest": ("user", "username"),
    "BulkRelationInputRequest": ("source", "source_ref"),
}


def _exactly_one_of(components: dict) -> None:
    for name, (first, second) in EXACTLY_ONE_OF.items():
        if name in components:
            components[name]["oneOf"] = [{"required": [first]}, {"required": [second]}]


def document_error_responses(result, generator, request, public):
    _exactly_one_of(result.get("components", {}).get("schemas", {}))
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            _integer_path_ids(operation)
            _no_empty_query_strings(operation)
            responses = operation.setdefault("responses", {})
            codes = ["403"]
            if operation.get("parameters") or "requestBody" in operation:
                codes.append("400")
            if _names_a_row(operation):
                codes.append("404")
            if "requestBody" in operation:
                codes += ["413", "415"]
            for code in codes:
                responses.setdefault(code, _error(code))
            if "202" in responses and "200" not in responses:
                # Without a broker a job has finished by the time the view answers (api/jobs.py).
                responses["200"] = {
                    **responses["202"],
                    "description": "The job already finished (no broker).",
                }
                responses["202"]["description"] = "The job is queued or running; poll /api/v1/jobs/{id}/."
            for code, response in responses.items():
                if code in DESCRIPTIONS and not response.get("description"):
                    response["description"] = DESCRIPTIONS[code]
    return result
