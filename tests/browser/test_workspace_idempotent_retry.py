"""A write whose answer is lost (a proxy's 502 after the server committed) is retried with the
same Idempotency-Key: the replayed 201 counts as saved, and nothing queued on it is lost."""

import pytest

from annotator.annotations.models import Annotation, Relation
from annotator.projects.models import Role
from annotator.reviews.models import Assignment, AssignmentState
from tests.factories import DocumentFactory, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lost_201_is_retried_and_the_span_and_its_relation_are_kept(page, login, workspace):
    project = ProjectFactory()
    document = DocumentFactory(project=project, text="Officials said 40 people were hurt on Monday.")
    user = member(project, Role.ANNOTATOR)
    login(user)
    ws = workspace.open(document)
    posts: list[tuple[str, int, int]] = []  # (key, status the server gave, status the browser got)

    def lose_first_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        key = route.request.headers.get("idempotency-key", "")
        response = route.fetch()  # the request reaches the server, which commits the span
        if not posts:
            posts.append((key, response.status, 502))
            route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")
        else:
            posts.append((key, response.status, response.status))
            route.fulfill(response=response)

    page.route("**/api/v1/annotations/", lose_first_answer)
    ws.select("Officials said")
    page.keyboard.press("c")
    page.keyboard.press("Escape")
    ws.select("40 people were hurt")
    page.keyboard.press("e")
    page.keyboard.press("Escape")
    page.keyboard.press("l")
    ws.click_text("Officials")
    page.get_by_role("group", name="Relation type").get_by_role("button", name="Supports").click()
    ws.wait_saved()

    claim_key = posts[0][0]
    assert claim_key and posts[0] == (claim_key, 201, 502)
    assert posts[1] == (claim_key, 201, 201)  # the retry: same key, the replayed 201
    assert len(posts) == 3 and posts[2][0] not in ("", claim_key)  # the evidence span, its own key
    spans = {a.quote: a for a in Annotation.objects.filter(document=document)}
    assert sorted(spans) == ["40 people were hurt", "Officials said"]
    relation = Relation.objects.get(document=document)
    assert (relation.type, relation.source.quote, relation.target.quote) == (
        "supports", "40 people were hurt", "Officials said",
    )  # fmt: skip
    assert page.locator("#ws-text .seg[data-tag]").count() == 2
    assert page.locator("#ws-relations .claims > li").count() == 1
    assert page.locator("#ws-status").get_attribute("data-state") == "saved"
    assert page.js_errors == []


def test_a_lost_submit_answer_is_retried_with_its_key_and_counts_as_submitted(page, login, workspace):
    """Submit for review commits but a proxy answers 502: the workspace sends it again with the
    same Idempotency-Key, gets the replayed 200 (not 400 "already submitted") and shows the
    layer as submitted; the assignment moved once."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text="Prices rose sharply, officials said on Monday.")
    user = member(project, Role.ANNOTATOR)
    login(user)
    ws = workspace.open(document)
    ws.select("Prices rose sharply")
    page.keyboard.press("c")
    ws.wait_saved()
    posts: list[tuple[str, int, int, str]] = []  # (key, server's status, browser's status, replayed)

    def lose_first_answer(route):
        key = route.request.headers.get("idempotency-key", "")
        response = route.fetch()  # the submit reaches the server and commits
        replayed = response.headers.get("idempotent-replayed", "")
        if not posts:
            posts.append((key, response.status, 502, replayed))
            route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")
        else:
            posts.append((key, response.status, response.status, replayed))
            route.fulfill(response=response)

    page.route(f"**/api/v1/documents/{document.pk}/submit/", lose_first_answer)
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("button", name="Submit now").click()
    page.wait_for_selector("#ws-banner:has-text('Submitted for review')")

    key = posts[0][0]
    assert key and posts == [(key, 200, 502, ""), (key, 200, 200, "true")]
    assignment = Assignment.objects.get(document=document, annotator=user)
    assert assignment.state == AssignmentState.SUBMITTED
    states = [h.state for h in assignment.history.order_by("history_id")]
    assert states.count(AssignmentState.SUBMITTED) == 1  # submitted once, not twice
    assert page.locator("#ws-notice").is_hidden()
    assert page.js_errors == []
