"""The data files Assay ships (manifest, demo layer and workflow, sample propositions) are read
through one function whose errors name the field, the file and the line."""

import pytest

from annotator.core.datafiles import json_file_read
from annotator.core.errors import ApplicationError


def _error(tmp_path, text, **kwargs):
    path = tmp_path / "plan.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ApplicationError) as caught:
        json_file_read(path, field="workflow", schema="assay-plan/1", missing="demo workflow", **kwargs)
    return caught.value


def test_reads_the_object_with_its_schema(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{"schema": "assay-plan/1", "steps": [1, 2]}', encoding="utf-8")
    assert json_file_read(path, field="workflow", schema="assay-plan/1", missing="demo workflow") == {
        "schema": "assay-plan/1",
        "steps": [1, 2],
    }


def test_a_missing_file_is_named(tmp_path):
    error = _error(tmp_path, None)
    assert error.errors["workflow"] == [f"No demo workflow at {tmp_path / 'plan.json'}."]


def test_bad_json_names_line_and_column(tmp_path):
    error = _error(tmp_path, '{"schema": "assay-plan/1",\n  "steps": [1,, 2]}')
    assert error.errors["workflow"] == ["plan.json is not valid JSON (line 2, column 15: Expecting value)."]


@pytest.mark.parametrize("text", ['{"schema": "assay-plan/2"}', "[1, 2]", '{"steps": []}'])
def test_the_wrong_schema_is_refused(tmp_path, text):
    error = _error(tmp_path, text)
    assert error.errors["schema"] == ["plan.json must declare schema 'assay-plan/1'."]
