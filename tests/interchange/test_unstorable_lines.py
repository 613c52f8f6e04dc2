"""Import lines PostgreSQL could not store, or Python could not parse, are line errors (400), not 500s."""

import json

import pytest

from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.interchange.importers.base import UnstorableJSON, decode_text, json_parse
from annotator.jobs.models import Job, JobState
from tests.interchange.test_imports import _jsonl, _upload, setup  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_nul_lone_surrogate_and_deep_nesting_name_their_lines(setup, django_capture_on_commit_callbacks):  # noqa: F811
    """A NUL in a note, title, outlet or author, a lone surrogate anywhere and `[`x1200 are each
    rejected with the line and field; in all-or-nothing mode nothing is stored and no job is made."""
    data = _jsonl(
        {"text": "Fine line."},
        {"text": "Title.", "title": "a\u0000b"},
        {"text": "Outlet.", "outlet": "Daily\u0000"},
        {"text": "Authors.", "authors": ["Ann", "B\u0000b"]},
        {"text": "Note.", "spans": [{"id": 1, "start": 0, "end": 4, "label": "CLAIM", "note": "\u0000"}]},
        '{"text": "Surrogate \\ud800 here."}',
        "[" * 1200 + "]" * 1200,
    )
    response = _upload(setup.manager, setup.project, [("x.jsonl", data)], django_capture_on_commit_callbacks)
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {
        "x.jsonl line 2": ["title contains a NUL character (\\u0000)"],
        "x.jsonl line 3": ["outlet contains a NUL character (\\u0000)"],
        "x.jsonl line 4": ["authors[1] contains a NUL character (\\u0000)"],
        "x.jsonl line 5": ["spans[0].note contains a NUL character (\\u0000)"],
        "x.jsonl line 6": ["text contains a lone surrogate (\\ud800), which is not a character"],
        "x.jsonl line 7": ["the JSON is nested too deeply (lists or objects inside each other)"],
    }
    assert Document.objects.count() == 0 and Job.objects.count() == 0


def test_skip_mode_imports_the_good_line_and_the_job_ends(setup, django_capture_on_commit_callbacks):  # noqa: F811
    """In skip mode the job succeeds with the good line and lists the bad one: never stuck `running`."""
    data = _jsonl({"text": "Good."}, {"text": "Bad.", "title": "\u0000"})
    response = _upload(setup.manager, setup.project, [("s.jsonl", data)], django_capture_on_commit_callbacks,
                       mode="skip")  # fmt: skip
    assert response.status_code == setup.accepted
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.SUCCEEDED and job.counts["documents"] == 1
    assert job.errors == [
        {"file": "s.jsonl", "where": "line 2", "message": "title contains a NUL character (\\u0000)"}
    ]


def test_native_file_with_a_nul_is_a_file_error(setup, django_capture_on_commit_callbacks):  # noqa: F811
    native = {"schema": "assay.argument-map/1", "documents": [{"text": "T", "title": "x\u0000"}]}
    response = _upload(setup.manager, setup.project, [("m.json", json.dumps(native).encode())],
                       django_capture_on_commit_callbacks)  # fmt: skip
    assert response.status_code == 400
    assert "documents[0].title contains a NUL character (\\u0000)" in response.json()["message"]


@pytest.mark.parametrize("encoded", [b"\xed\xa0\x80", b"\xed\xbf\xbf"], ids=["high", "low"])
def test_a_surrogate_in_utf8_bytes_is_refused_by_the_decoder(encoded):
    """The premise of json_parse(decoded=True): a surrogate's UTF-8 form is not strict UTF-8, so
    decode_text refuses it (naming the byte) and no decoded line can hold a raw one."""
    with pytest.raises(ApplicationError, match=r"not valid UTF-8: byte 0xed at byte offset 10 \(line 1\)"):
        decode_text(b'{"text": "' + encoded + b'"}', "x.jsonl")


def test_only_decoded_text_skips_the_raw_scan():
    """A str that did not come from decode_text is still scanned for a raw surrogate; an escaped
    one is refused either way."""
    with pytest.raises(UnstorableJSON, match="lone surrogate"):
        json_parse('{"text": "a \ud800 b"}')
    with pytest.raises(UnstorableJSON, match="lone surrogate"):
        json_parse('{"text": "a \\ud800 b"}', decoded=True)
    assert json_parse('{"text": "\\ud83d\\ude00"}', decoded=True) == {"text": "\U0001f600"}
