"""Export and import from the project page, as a manager does it in the browser."""

import json
from pathlib import Path

import pytest

from annotator.documents.models import Document
from annotator.jobs.models import Job, JobState
from annotator.projects.models import Role
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JSONL = (
    '{"text": "Officials say the strike was widely considered a success.", "title": "Strike", "outlet": "Daily A"}\n'
    '{"text": "broken line\n'
    '{"text": "Unnamed officials 😀 strongly implied more.", "authors": ["R. Writer"]}\n'
)


def test_manager_imports_jsonl_skipping_a_bad_line_and_sees_the_job_finish(page, login, tmp_path, screenshot):
    """Two good lines land as documents; line 2 is reported with its number; nothing else is written."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    upload = tmp_path / "batch.jsonl"
    upload.write_text(JSONL, encoding="utf-8")
    login(manager)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_label("Files (.txt, .jsonl, doccano .jsonl, Assay .json)").set_input_files(str(upload))
    page.get_by_label("Skip bad lines and report them").check()
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("#import-form[data-state=succeeded]")

    message = page.locator("#import-message").inner_text()
    assert message.startswith("Job #")
    assert "succeeded" in message
    errors = page.locator("#import-errors li").all_inner_texts()
    assert len(errors) == 1
    assert "line 2" in errors[0]
    screenshot("project-import")

    texts = set(Document.objects.filter(project=project).values_list("text", flat=True))
    assert texts == {
        "Officials say the strike was widely considered a success.",
        "Unnamed officials 😀 strongly implied more.",
    }
    job = Job.objects.get(project=project)
    assert (job.state, job.progress, job.counts["documents"], job.counts["rejected"]) == (
        JobState.SUCCEEDED,
        100,
        2,
        1,
    )

    page.reload()
    assert page.get_by_role("link", name="Strike").is_visible()
    assert "Succeeded" in page.locator("table.jobs").inner_text()


def test_a_refused_upload_says_why_and_imports_nothing(page, login, tmp_path):
    """All-or-nothing mode: one bad line refuses the whole file with the line named."""
    project = ProjectFactory()
    login(member(project, Role.MANAGER))
    upload = tmp_path / "bad.jsonl"
    upload.write_text(JSONL, encoding="utf-8")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_label("Files (.txt, .jsonl, doccano .jsonl, Assay .json)").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("#import-form[data-state=refused]")
    assert "nothing was imported" in page.locator("#import-message").inner_text()
    assert any("bad.jsonl line 2" in e for e in page.locator("#import-errors li").all_inner_texts())
    assert not Document.objects.filter(project=project).exists()


def test_member_downloads_a_native_export_and_annotators_get_no_import_form(page, login):
    """The export form downloads the project's argument maps; importing is for managers."""
    project = ProjectFactory()
    annotator = member(project, Role.ANNOTATOR)
    document = DocumentFactory(project=project, text="The claim is plain.")
    AnnotationFactory(document=document, annotator=annotator, start=4, end=9, label_code="CLAIM")
    login(annotator)
    page.goto(f"/projects/{project.pk}/")
    assert page.locator("#import-form").count() == 0
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    exported = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert exported["schema"] == "assay.argument-map/1"
    spans = [a for d in exported["documents"] for layer in d["layers"] for a in layer["annotations"]]
    assert [(s["start"], s["end"], s["quote"], s["label"]) for s in spans] == [(4, 9, "claim", "CLAIM")]
