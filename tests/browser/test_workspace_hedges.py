"""Hedge suggestions in the workspace: drawn as ghosts, accepted with one key (a HEDGE span at
exact code-point offsets after an emoji and across a no-break space), rejected, undone."""

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Annotation
from annotator.hedges.models import HedgeDecision
from annotator.hedges.services import hedge_documents_suggest
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 😀 is one code point (two UTF-16 units); "might" is at code points 8-13, after a no-break space.
TEXT = "😀 Talks\u00a0might fail.\n\nThe plan was widely considered dead, and the envoy\u00a0very strongly implied it."
GHOSTS = "#ws-text .seg.ghost[data-ghost]"


def _spans(user):
    return [
        (a.start, a.end, a.quote, a.label.code, a.subtype.code)
        for a in Annotation.objects.filter(annotator=user)
        .select_related("label", "subtype")
        .order_by("start")
    ]


def test_accept_reject_undo_with_one_key(page, login, workspace, screenshot):
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT)
    hedge_documents_suggest(project_id=project.pk, documents=[(document.pk, TEXT)], disabled=set())
    user = member(project, Role.ANNOTATOR)
    login(user)
    ws = workspace.open(document)
    page.wait_for_selector(GHOSTS)
    assert page.locator(GHOSTS).count() == 3
    assert page.locator("#ws-text .seg[data-tag]").count() == 0  # ghosts are not spans
    screenshot("workspace-hedge-suggestions")
    assert Annotation.objects.count() == 0  # nothing counts before a decision

    ws.click_text("might")
    page.wait_for_selector("#ws-text .seg.ghost.gsel")
    page.keyboard.press("a")
    ws.wait_saved()
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(2)
    assert _spans(user) == [(8, 13, "might", "HEDGE", "modal")]
    assert TEXT[7] == "\u00a0" and TEXT[8:13] == "might"
    assert page.locator("#ws-text .seg[data-tag]").count() == 1  # drawn as a real span now

    # the selection moved on to the next suggestion: reject it with X
    assert "widely considered" in page.locator("#ws-hedges-body .hedge-current").inner_text()
    page.keyboard.press("x")
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(1)
    ws.wait_saved()
    assert HedgeDecision.objects.get(user=user, suggestion__rule="weasel.widely").state == "rejected"

    # Enter accepts too: "strongly implied" ("very" stays outside the span)
    page.keyboard.press("Enter")
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(0)
    ws.wait_saved()
    assert _spans(user)[1][2:] == ("strongly implied", "HEDGE", "insinuation")

    # Ctrl+Z undoes the last three decisions, newest first
    page.keyboard.press("Control+z")
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(1)
    ws.wait_saved()
    page.keyboard.press("Control+z")
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(2)
    ws.wait_saved()
    assert not HedgeDecision.objects.filter(user=user, suggestion__rule="weasel.widely").exists()
    page.keyboard.press("Control+z")
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(3)
    ws.wait_saved()
    assert Annotation.objects.count() == 0
    assert not HedgeDecision.objects.filter(user=user).exists()
    assert page.js_errors == []


def test_accept_all_of_a_rule_and_reload(page, login, workspace):
    project = ProjectFactory()
    text = "It may rain. It may snow. While they may argue, it may not."
    document = DocumentFactory(project=project, text=text)
    hedge_documents_suggest(project_id=project.pk, documents=[(document.pk, text)], disabled=set())
    user = member(project, Role.ANNOTATOR)
    login(user)
    ws = workspace.open(document)
    page.get_by_role(
        "button", name="Accept all 3 confident suggestions of modal.may in this document"
    ).click()
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(1)
    ws.wait_saved()
    assert [s[0] for s in _spans(user)] == [3, 16, 51]
    page.reload()
    page.wait_for_selector("#ws[data-ready=true]")
    assert page.locator(GHOSTS).count() == 1  # the concessive "may" (0.7) stays pending
    assert page.locator("#ws-text .seg[data-tag]").count() == 3


def _job_answers(page) -> list[dict]:
    """Every job state the page received while following a run (the API's answers, in order)."""
    seen: list[dict] = []

    def record(response):
        run = response.request.method == "POST" and response.url.endswith(("/hedges/", "/hedge-runs/"))
        poll = response.request.method == "GET" and "/api/v1/jobs/" in response.url
        if (run or poll) and response.status in {200, 202}:
            body = response.json()
            seen.append({k: body[k] for k in ("id", "state", "progress")})

    page.on("response", record)
    return seen


ORDER = {"pending": 0, "running": 1, "succeeded": 2}


def _followed_to_the_end(answers: list[dict]) -> None:
    """The page polled one job from its queued answer until it succeeded, never going back
    (the worker may already have started it when the POST answers: pending or running)."""
    assert len(answers) >= 2 and len({a["id"] for a in answers}) == 1
    assert answers[0]["state"] in {"pending", "running"}
    assert answers[-1]["state"] == "succeeded" and answers[-1]["progress"] == 100
    assert [ORDER[a["state"]] for a in answers] == sorted(ORDER[a["state"]] for a in answers)
    assert [a["progress"] for a in answers] == sorted(a["progress"] for a in answers)


def test_suggest_this_document_from_the_workspace_with_progress(page, login, workspace, celery_workers):
    """No suggestions yet: "Suggest hedges" queues a job on the real worker, the panel shows its
    progress until it succeeds, then the ghosts appear and accept at exact code-point offsets."""
    celery_workers.start(1)
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT)
    user = member(project, Role.ANNOTATOR)
    login(user)
    ws = workspace.open(document)
    expect(page.locator("#ws-hedges-count")).to_have_text("No pending suggestions.")
    assert page.locator(GHOSTS).count() == 0
    answers = _job_answers(page)
    page.get_by_role("button", name="Suggest hedges in this document").click()
    expect(page.locator("#ws-hedges-progress")).to_be_visible()
    message = page.locator("#ws-hedges-job")
    expect(message).to_contain_text("succeeded, 100% (1 document of 1, 3 suggestions)", timeout=60_000)
    expect(message).to_contain_text("3 pending here.")
    expect(page.locator("#ws-hedges-progress")).to_have_attribute("value", "100")
    expect(page.locator(GHOSTS)).to_have_count(3)
    _followed_to_the_end(answers)

    ws.click_text("might")
    page.wait_for_selector("#ws-text .seg.ghost.gsel")
    page.keyboard.press("a")
    ws.wait_saved()
    assert _spans(user) == [(8, 13, "might", "HEDGE", "modal")]
    page.keyboard.press("x")  # the selection moved on to "widely considered"
    ws.wait_saved()
    expect(page.locator(GHOSTS)).to_have_count(1)

    # re-running keeps the decisions: nothing rejected or accepted comes back
    page.get_by_role("button", name="Re-run hedge suggestions for this document").click()
    expect(message).to_contain_text("succeeded, 100%", timeout=60_000)
    expect(message).to_contain_text("1 pending here.")
    expect(page.locator(GHOSTS)).to_have_count(1)
    assert _spans(user) == [(8, 13, "might", "HEDGE", "modal")]
    assert page.js_errors == []


def test_suggest_the_whole_project_from_the_project_page(page, login, workspace, celery_workers, screenshot):
    """A manager starts the project's job from the project page and sees it through to the end;
    the suggestions are then in every document's workspace."""
    from annotator.hedges.models import HedgeSuggestion

    celery_workers.start(1)
    project = ProjectFactory()
    documents = [DocumentFactory(project=project, text=f"{TEXT} ({n})") for n in range(3)]
    manager = member(project, Role.MANAGER)
    login(manager)
    page.goto(f"/projects/{project.pk}/")
    answers = _job_answers(page)
    page.get_by_role("button", name="Suggest hedges in every document").click()
    expect(page.locator("#hedge-run-progress")).to_be_visible()
    message = page.locator("#hedge-run-message")
    expect(message).to_contain_text("succeeded, 100% (3 documents of 3, 9 suggestions)", timeout=60_000)
    expect(page.locator("#hedge-run-progress")).to_have_attribute("value", "100")
    expect(page.locator("#hedge-run-form")).to_have_attribute("data-state", "succeeded")
    screenshot("project-hedge-run")
    _followed_to_the_end(answers)
    assert HedgeSuggestion.objects.filter(document__in=documents).count() == 9

    ws = workspace.open(documents[2], f"?annotator={manager.pk}&layer=annotator")  # "My layer"
    expect(page.locator(GHOSTS)).to_have_count(3)
    ws.click_text("might")
    page.keyboard.press("Enter")
    ws.wait_saved()
    assert _spans(manager) == [(8, 13, "might", "HEDGE", "modal")]
    assert page.js_errors == []
