"""The importer registry: the format list and the extension guess come from it, and
import_parse reaches a format only through it (a new format is a module plus one entry)."""

import pytest

from annotator.core.errors import ApplicationError
from annotator.interchange import importers
from annotator.interchange.import_parse import import_parse
from annotator.interchange.importers import (
    IMPORTERS,
    import_extensions,
    import_format_for,
    import_formats,
)
from annotator.interchange.importers.base import Importer, ParsedDocument, Rejection, Taxonomy
from tests.factories import ProjectFactory

# The formats Assay ships; a new one is added after them (a module and one registry entry),
# so these tests hold the built-in ones without being edited for it.
BUILT_IN = ("txt", "jsonl", "doccano", "native")


@pytest.fixture
def built_in_only(monkeypatch):
    monkeypatch.setattr(importers, "IMPORTERS", {name: IMPORTERS[name] for name in BUILT_IN})


def test_the_format_list_and_extension_map_are_derived_from_the_registry():
    assert import_formats() == tuple(IMPORTERS)
    assert import_formats()[: len(BUILT_IN)] == BUILT_IN
    built_in = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "native"}
    assert import_extensions().items() >= built_in.items()
    assert set(import_extensions()) == {ext for importer in IMPORTERS.values() for ext in importer.extensions}


@pytest.mark.parametrize(
    ("filename", "requested", "expected"),
    [
        ("a.TXT", None, "txt"),
        ("a.ndjson", None, "jsonl"),
        ("a.json", None, "native"),
        ("a.json", "doccano", "doccano"),
    ],
)
def test_the_format_is_the_one_asked_for_else_guessed_from_the_name(filename, requested, expected):
    assert import_format_for(filename, requested) == expected


def test_unknown_formats_and_unguessable_names_are_refused_naming_the_field(built_in_only):
    with pytest.raises(ApplicationError) as unknown:
        import_format_for("a.txt", "xml")
    assert unknown.value.errors == {
        "format": ["Unknown import format 'xml'; use one of txt, jsonl, doccano, native."]
    }
    with pytest.raises(ApplicationError) as unguessed:
        import_format_for("a.csv", None)
    assert unguessed.value.errors == {
        "format": [
            "Cannot tell the format of 'a.csv' from its name; say format=txt, jsonl, doccano or native."
        ]
    }


def _lines(text, *, filename, **_):
    """A throwaway format: one document per non-blank line; a line of '!' is rejected."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line == "!":
            yield Rejection(f"line {number}", "a bang is not a document")
        elif line.strip():
            yield ParsedDocument(where=f"line {number}", text=line, title=f"{filename} {number}")


@pytest.mark.django_db
def test_a_registered_format_is_guessed_and_parsed_through_the_registry(monkeypatch):
    monkeypatch.setitem(IMPORTERS, "lines", Importer(name="lines", extensions=(".lines",), parse=_lines))
    assert import_format_for("notes.lines", None) == "lines"
    assert import_formats()[-1] == "lines"
    result = import_parse(
        files=[("notes.lines", b"First claim.\n!\n\nSecond claim.\n", "lines")],
        taxonomy=Taxonomy(ProjectFactory()),
    )
    assert [(d.where, d.text, d.title) for d in result.documents] == [
        ("line 1", "First claim.", "notes.lines 1"),
        ("line 4", "Second claim.", "notes.lines 4"),
    ]
    assert [(r.file, r.where, r.message) for r in result.rejections] == [
        ("notes.lines", "line 2", "a bang is not a document")
    ]
