"""Imports: .txt, JSONL, doccano JSONL, native JSON; dedupe, modes, bad input, round trips, CLI."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, Relation
from annotator.documents.models import Document
from annotator.jobs.models import Job
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

# "Café" is written with a combining acute (e + U+0301): 5 code points. "😀" is one code point.
TRICKY = "Cafe\u0301 prices 😀 rose\u00a0sharply. Officials deny it."
#         0123 4     5678901 2 345678 9012345678901234567890123456
# code points: "Cafe\u0301" 0-5, "prices" 6-12, "😀" 13, "rose" 15-19, NBSP 19, "sharply." 20-28,
# "Officials deny it." 29-47


@pytest.fixture(params=["inline", "job"])
def setup(request, db, settings, tmp_path):
    """Every import test runs twice: small uploads written inside the request (201 with the
    finished job), and the same uploads queued as a job (202; the job runs on commit)."""
    settings.MEDIA_ROOT = tmp_path
    if request.param == "job":
        settings.ASSAY_IMPORT_INLINE_BYTES = 0

    class Setup:
        accepted = 201 if request.param == "inline" else 202
        project = ProjectFactory(name="Imports", slug="imports")
        manager = member(project, Role.MANAGER, username="boss")
        annotator = member(project, Role.ANNOTATOR, username="ann")
        outsider = UserFactory(username="stranger")

    return Setup


def _upload(user, project, files, django_capture_on_commit_callbacks, **fields):
    client = APIClient()
    client.force_authenticate(user)
    payload = {"file": [SimpleUploadedFile(name, data) for name, data in files], **fields}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/api/v1/projects/{project.pk}/imports/", payload, format="multipart")


def _jsonl(*rows):
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows).encode()


def test_jsonl_import_with_metadata_and_spans(setup, django_capture_on_commit_callbacks):
    """Two lines become two documents with metadata; spans land in the importer's layer at exact offsets."""
    data = _jsonl(
        {"text": TRICKY, "title": "Prices", "url": "https://example.org/a", "published_on": "2024-05-31",
         "outlet": "Example Times", "authors": ["Ann Writer", "Bo Reporter"], "language": "en",
         "spans": [{"start": 13, "end": 28, "label": "CLAIM", "subtype": "factual"}]},
        {"text": "Second text.", "title": "Two"},
    )  # fmt: skip
    response = _upload(
        setup.manager, setup.project, [("docs.jsonl", data)], django_capture_on_commit_callbacks
    )
    assert response.status_code == setup.accepted, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == "succeeded", job.message
    assert job.counts == {"documents": 2, "duplicates": 0, "matched": 0, "annotations": 1, "relations": 0,
                          "merged": 0, "refused": 0, "rejected": 0}  # fmt: skip
    document = Document.objects.get(project=setup.project, title="Prices")
    assert (document.url, str(document.published_on), document.source.name, document.language) == (
        "https://example.org/a",
        "2024-05-31",
        "Example Times",
        "en",
    )
    assert sorted(document.authors.values_list("name", flat=True)) == ["Ann Writer", "Bo Reporter"]
    span = Annotation.objects.get(document=document)
    assert (span.start, span.end, span.quote, span.annotator, span.subtype.code) == (
        13,
        28,
        "😀 rose\u00a0sharply.",
        setup.manager,
        "factual",
    )


def test_doccano_label_format_lands_exact_offsets(setup, django_capture_on_commit_callbacks):
    """doccano [[start, end, label]] offsets are code points: the combining mark, emoji and NBSP count as one each."""
    data = _jsonl({"text": TRICKY, "label": [[0, 5, "EVIDENCE"], [13, 28, "CLAIM"], [29, 47, "Claim"]]})
    response = _upload(setup.manager, setup.project, [("doccano.jsonl", data)], django_capture_on_commit_callbacks,
                       format="doccano", annotator=setup.annotator.pk)  # fmt: skip
    assert response.status_code == setup.accepted, response.json()
    spans = Annotation.objects.order_by("start")
    assert [(s.start, s.end, s.quote, s.label.code, s.annotator.username) for s in spans] == [
        (0, 5, "Cafe\u0301", "EVIDENCE", "ann"),
        (13, 28, "😀 rose\u00a0sharply.", "CLAIM", "ann"),
        (29, 47, "Officials deny it.", "CLAIM", "ann"),
    ]


def test_doccano_entities_and_relations(setup, django_capture_on_commit_callbacks):
    """entities + relations (from_id/to_id) become spans and a supports relation."""
    data = _jsonl({
        "text": TRICKY,
        "entities": [{"id": 7, "label": "EVIDENCE", "start_offset": 0, "end_offset": 5},
                     {"id": 8, "label": "CLAIM", "start_offset": 13, "end_offset": 28}],
        "relations": [{"id": 1, "from_id": 7, "to_id": 8, "type": "supports"}],
    })  # fmt: skip
    response = _upload(setup.manager, setup.project, [("d.jsonl", data)], django_capture_on_commit_callbacks)
    assert response.status_code == setup.accepted
    relation = Relation.objects.get()
    assert (relation.type, relation.source.quote, relation.target.quote) == (
        "supports",
        "Cafe\u0301",
        "😀 rose\u00a0sharply.",
    )


def test_duplicates_are_skipped_not_rejected(setup, django_capture_on_commit_callbacks):
    """A text already in the project and a repeated line are counted as duplicates."""
    DocumentFactory(project=setup.project, text="Already here.")
    data = _jsonl({"text": "Already here."}, {"text": "New one."}, {"text": "New one."})
    response = _upload(setup.manager, setup.project, [("d.jsonl", data)], django_capture_on_commit_callbacks)
    job = Job.objects.get(pk=response.json()["id"])
    assert job.counts["documents"] == 1 and job.counts["duplicates"] == 2


def test_atomic_mode_rejects_the_whole_upload_naming_each_line(setup, django_capture_on_commit_callbacks):
    """Malformed JSON, past-the-end offsets, an unknown label and a cross-document relation: 400, nothing written."""
    data = _jsonl(
        {"text": "Good line."},
        '{"text": "broken',
        {"text": "Short.", "label": [[0, 99, "CLAIM"]]},
        {"text": "Labelled.", "label": [[0, 5, "RUMOUR"]]},
        {"text": "Linked.", "entities": [{"id": 1, "label": "CLAIM", "start_offset": 0, "end_offset": 6}],
         "relations": [{"id": 1, "from_id": 1, "to_id": 99, "type": "supports"}]},
    )  # fmt: skip
    response = _upload(
        setup.manager, setup.project, [("bad.jsonl", data)], django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {
        "bad.jsonl line 2": ["malformed JSON at column 10: Unterminated string starting at"],
        "bad.jsonl line 3": ["span 0 has offsets 0-99, outside the text (0-6 code points) or empty"],
        "bad.jsonl line 4": ["unknown label 'RUMOUR' (the project has CLAIM, EVIDENCE, HEDGE, OPINION)"],
        "bad.jsonl line 5": ["a supports relation points to span 99, which is not in this document"],
    }
    assert body["message"].startswith("4 rejected (bad.jsonl line 2: malformed JSON")
    assert body["message"].endswith("nothing was imported.")
    assert Document.objects.filter(project=setup.project).count() == 0 and Job.objects.count() == 0


def test_skip_mode_imports_good_lines_and_reports_bad_ones(setup, django_capture_on_commit_callbacks):
    """mode=skip imports line 1 and 3 and lists line 2 with its reason in the job errors."""
    data = _jsonl({"text": "First."}, "not json", {"text": "Third."})
    response = _upload(setup.manager, setup.project, [("s.jsonl", data)], django_capture_on_commit_callbacks,
                       mode="skip")  # fmt: skip
    assert response.status_code == setup.accepted
    job = Job.objects.get(pk=response.json()["id"])
    assert job.counts["documents"] == 2 and job.counts["rejected"] == 1
    assert job.errors == [
        {"file": "s.jsonl", "where": "line 2", "message": "malformed JSON at column 1: Expecting value"}
    ]


def test_binary_file_renamed_txt_is_refused(setup, django_capture_on_commit_callbacks):
    """A PNG named notes.txt is a 400 saying it looks binary, with the byte offset of the NUL."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    response = _upload(setup.manager, setup.project, [("notes.txt", png)], django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": ["notes.txt looks like a binary file (a NUL byte at byte offset 8), not UTF-8 text."]
    }
    assert not Job.objects.exists() and not Document.objects.filter(project=setup.project).exists()


def test_invalid_utf8_names_the_byte_offset_and_line(setup, django_capture_on_commit_callbacks):
    """Latin-1 bytes in a .txt file: 400 with the offending byte, its offset and line."""
    data = "line one\nna\u00efve".encode("latin-1")
    response = _upload(
        setup.manager, setup.project, [("latin.txt", data)], django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert response.json()["message"] == "latin.txt is not valid UTF-8: byte 0xef at byte offset 11 (line 2)."
    assert response.json()["errors"] == {
        "file": ["latin.txt is not valid UTF-8: byte 0xef at byte offset 11 (line 2)."]
    }
    assert not Job.objects.exists() and not Document.objects.filter(project=setup.project).exists()


def test_oversized_upload_is_413(setup, settings, django_capture_on_commit_callbacks):
    """An upload larger than ASSAY_MAX_UPLOAD_BYTES is refused with 413 and the limit in the message."""
    settings.ASSAY_MAX_UPLOAD_BYTES = 1000
    response = _upload(
        setup.manager, setup.project, [("big.txt", b"x" * 5000)], django_capture_on_commit_callbacks
    )
    assert response.status_code == 413
    assert "the limit is 1,000 bytes (ASSAY_MAX_UPLOAD_BYTES)" in response.json()["message"]


def test_a_200_mb_upload_is_413_under_the_default_limit(setup, django_capture_on_commit_callbacks):
    """A real 200 MB file against the default 50 MB limit: 413 naming both sizes, no job, no document."""
    data = b"Officials said the budget would double.\n" * (200 * 1024 * 1024 // 40)
    response = _upload(setup.manager, setup.project, [("huge.txt", data)], django_capture_on_commit_callbacks)
    assert response.status_code == 413
    body = response.json()
    assert body["errors"] == {"file": ["larger than 52,428,800 bytes"]}
    assert body["message"].startswith(
        "The upload is 209,715,"
    )  # the multipart body: the file plus its headers
    assert "the limit is 52,428,800 bytes (ASSAY_MAX_UPLOAD_BYTES)" in body["message"]
    assert not Job.objects.exists() and not Document.objects.filter(project=setup.project).exists()


def test_wrong_content_type_is_415(setup):
    """A JSON body instead of multipart/form-data is a 415 naming the expected type."""
    client = APIClient()
    client.force_authenticate(setup.manager)
    response = client.post(f"/api/v1/projects/{setup.project.pk}/imports/", {"text": "x"}, format="json")
    assert response.status_code == 415, response.json()
    assert response.json()["message"].startswith("Send the files as multipart/form-data")


def test_txt_import_and_permissions(setup, django_capture_on_commit_callbacks):
    """A .txt file becomes one document titled by its name; annotators get 403 and outsiders 404."""
    response = _upload(setup.manager, setup.project, [("op-ed.txt", b"Text\r\nwith CRLF.")],
                       django_capture_on_commit_callbacks)  # fmt: skip
    assert response.status_code == setup.accepted
    assert Document.objects.get(project=setup.project).text == "Text\r\nwith CRLF."
    files = [("x.txt", b"hello")]
    assert (
        _upload(setup.annotator, setup.project, files, django_capture_on_commit_callbacks).status_code == 403
    )
    assert (
        _upload(setup.outsider, setup.project, files, django_capture_on_commit_callbacks).status_code == 404
    )


def test_native_round_trip_into_a_new_project(mapped, settings, tmp_path, django_capture_on_commit_callbacks):
    """Export native, import into a fresh project: the same spans (offsets, labels, layers) and relations."""
    settings.MEDIA_ROOT = tmp_path
    client = APIClient()
    client.force_authenticate(mapped.reviewer)
    exported = b"".join(
        client.get(f"/api/v1/projects/{mapped.project.pk}/export/?format=native").streaming_content
    )
    target = ProjectFactory(slug="copy")
    boss = member(target, Role.MANAGER, username="copy-boss")
    member(target, Role.ANNOTATOR, username="ann2")
    response = _upload(boss, target, [("map.json", exported)], django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.json()
    assert Job.objects.get(pk=response.json()["id"]).state == "succeeded"

    def spans(project):
        return sorted(
            (a.start, a.end, a.quote, a.label.code, a.layer)
            for a in Annotation.objects.filter(project=project)
        )

    def links(project):
        return sorted(
            (
                r.type,
                r.source.start,
                r.source.end,
                r.target.start if r.target else None,
                r.speaker.name if r.speaker else None,
            )
            for r in Relation.objects.filter(project=project)
        )

    assert spans(target) == spans(mapped.project) and len(spans(target)) == 6
    assert links(target) == links(mapped.project) and len(links(target)) == 5
    # ann and rev are not members of the new project: their layers go to the importer.
    assert set(Annotation.objects.filter(project=target).values_list("annotator__username", flat=True)) == {
        "copy-boss"
    }


def test_management_commands_round_trip(mapped, tmp_path, capsys):
    """export_project writes a native file that import_documents loads into another project; both draw
    a progress bar on stderr that ends full."""
    out = tmp_path / "map.json"
    call_command("export_project", mapped.project.slug, "--format", "native", "-o", str(out), stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    target = ProjectFactory(slug="cli-copy")
    member(target, Role.MANAGER, username="cli")
    stdout = io.StringIO()
    call_command(
        "import_documents", "cli-copy", str(out), "--user", "cli", stdout=stdout, stderr=io.StringIO()
    )
    assert (
        stdout.getvalue().strip()
        == "documents: 1, duplicates: 0, matched: 0, annotations: 6, relations: 5, merged: 0, refused: 0, rejected: 0"
    )
    bars = capsys.readouterr().err
    assert "export [" + "#" * 30 + "] 1/1 documents" in bars
    assert " writing [" + "#" * 30 + "] 1/1\n" in bars


def test_jsonl_lines_split_on_newline_only(setup, django_capture_on_commit_callbacks):
    """A raw U+2028, U+2029 or U+0085 inside a JSON string is text, not a line break; \\r\\n ends a line."""
    text = "One\u2028two\u2029three\u0085four."
    data = ("{" + f'"text": "{text}", "spans": [{{"start": 4, "end": 7, "label": "CLAIM"}}]' + "}\r\n"
            + json.dumps({"text": "Second."}) + "\r\n").encode()  # fmt: skip
    response = _upload(setup.manager, setup.project, [("d.jsonl", data)], django_capture_on_commit_callbacks)
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.state, job.counts["documents"], job.counts["rejected"]) == ("succeeded", 2, 0), job.errors
    document = Document.objects.get(project=setup.project, text=text)
    assert Annotation.objects.get(document=document).quote == "two"
    assert Document.objects.filter(project=setup.project, text="Second.").exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_import_answers_with_the_finished_job(settings, tmp_path):
    """Tasks run in-process on commit: the POST answers 201 with state succeeded and the counts, not a
    202 "pending" for a job that has already finished."""
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(slug="eager")
    manager = member(project, Role.MANAGER, username="eager-boss")
    client = APIClient()
    client.force_authenticate(manager)
    upload = SimpleUploadedFile("d.jsonl", _jsonl({"text": "One."}, {"text": "Two."}))
    response = client.post(f"/api/v1/projects/{project.pk}/imports/", {"file": [upload]}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["progress"], body["counts"]["documents"]) == ("succeeded", 100, 2)


def test_import_into_existing_documents_adds_layers(setup, django_capture_on_commit_callbacks):
    """A known text gets the file's spans and relations as a layer of the existing document: what it
    already holds is merged (not doubled), a submitted layer is refused and reported, new texts are added."""
    from tests.factories import AnnotationFactory, AssignmentFactory

    alpha = DocumentFactory(project=setup.project, text="Taxes rose. Growth follows.")
    beta = DocumentFactory(project=setup.project, text="Beta is reviewed.")
    kept = AnnotationFactory(
        document=alpha, annotator=setup.annotator, start=0, end=11, label_code="EVIDENCE"
    )
    AssignmentFactory(
        document=beta, annotator=setup.annotator, state="submitted", submitted_at="2026-01-01T00:00Z"
    )
    doccano = [
        {"text": alpha.text, "entities": [
            {"id": 1, "label": "EVIDENCE", "start_offset": 0, "end_offset": 11},
            {"id": 2, "label": "CLAIM", "start_offset": 12, "end_offset": 27}],
         "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "supports"}]},
        {"text": beta.text, "entities": [{"id": 1, "label": "CLAIM", "start_offset": 0, "end_offset": 4}],
         "relations": []},
        {"text": "A new text.", "entities": [], "relations": []},
    ]  # fmt: skip
    response = _upload(setup.manager, setup.project, [("d.jsonl", _jsonl(*doccano))], django_capture_on_commit_callbacks,
                       format="doccano", annotator=setup.annotator.pk)  # fmt: skip
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == "succeeded", job.message
    assert job.counts == {"documents": 1, "duplicates": 0, "matched": 2, "annotations": 1, "relations": 1,
                          "merged": 1, "refused": 1, "rejected": 0}  # fmt: skip
    assert job.errors == [{
        "file": "", "where": "line 2.layers[0]",
        "message": "this annotator's layer of the existing document is submitted or approved; "
                   "a reviewed layer is not changed by an import",
    }]  # fmt: skip
    layer = Annotation.objects.filter(document=alpha, annotator=setup.annotator).order_by("start")
    assert [(a.pk == kept.pk, a.start, a.end, a.label.code) for a in layer] == [
        (True, 0, 11, "EVIDENCE"), (False, 12, 27, "CLAIM")]  # fmt: skip
    link = Relation.objects.get(document=alpha)
    assert (link.source_id, link.target.start, link.type, link.annotator) == (
        kept.pk,
        12,
        "supports",
        setup.annotator,
    )
    assert not Annotation.objects.filter(document=beta).exists()
    assert Document.objects.filter(project=setup.project).count() == 3
