"""doccano entities: only whole numbers are offsets; any other value rejects the line, naming the field."""

import json

import pytest

from annotator.interchange.importers.jsonl import parse_jsonl


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (True, 5, "start_offset must be a whole number of code points, not True"),
        (0, 5.0, "end_offset must be a whole number of code points, not 5.0"),
        ("0", 5, "start_offset must be a whole number of code points, not '0'"),
        (None, 5, "start_offset must be a whole number of code points, not None"),
    ],
)
def test_offsets_that_are_not_whole_numbers_reject_the_line(start, end, message):
    entity = {"id": 1, "label": "CLAIM", "start_offset": start, "end_offset": end}
    (item,) = parse_jsonl(json.dumps({"text": "Taxes rose.", "entities": [entity]}), doccano=True)
    assert (item.where, item.message) == ("line 1", message)


def test_whole_number_offsets_make_a_span():
    entity = {"id": 7, "label": "CLAIM", "start_offset": 0, "end_offset": 5}
    (document,) = parse_jsonl(json.dumps({"text": "Taxes rose.", "entities": [entity]}), doccano=True)
    (span,) = document.layers[0].spans
    assert (span.ref, span.start, span.end, span.label) == (7, 0, 5, "CLAIM")
