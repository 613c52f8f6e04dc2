"""Reading the JSON data files that ship with Assay (seed manifest, demo layer and workflow,
sample propositions): one place that turns a missing file, bad JSON or the wrong schema into
an ApplicationError naming the field, the file and the line."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.errors import ApplicationError


def json_file_read(path: Path, *, field: str, schema: str, missing: str) -> dict:
    """The file's JSON object, which must declare ``"schema": schema``.

    ``field`` names the input in the error (``"manifest"``, ``"file"``, ...); ``missing`` is
    what the file is, for "No <missing> at <path>."."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ApplicationError.field(field, f"No {missing} at {path}.") from None
    except json.JSONDecodeError as exc:
        raise ApplicationError.field(
            field, f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    if not isinstance(data, dict) or data.get("schema") != schema:
        raise ApplicationError.field("schema", f"{path.name} must declare schema {schema!r}.")
    return data
