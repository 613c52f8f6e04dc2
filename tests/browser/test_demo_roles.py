"""Each demo role's day in the browser on the data a first `make run` loads (issue 16)."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from annotator.annotations.models import Annotation, Layer
from annotator.documents.models import Document
from annotator.reviews.models import Assignment
from tests.browser.conftest import _FIND_RANGE_JS

PASSWORD = "assay-demo"
WORD_END = re.compile(r"[^\w'’-]*[\w'’-]+")


@pytest.fixture
def demo(transactional_db):
    for command in (("load_seeds",), ("create_demo_users",), ("load_sample_layer", "--demo-workflow")):
        call_command(*command, stdout=StringIO())
    return {u.username: u for u in get_user_model().objects.all()}


def _doc(title_start: str = "", content_start: str = "") -> Document:
    for doc in Document.objects.all():
        if (title_start and doc.title.startswith(title_start)) or (
            content_start and doc.text.startswith(content_start)
        ):
            return doc
    raise AssertionError(f"no demo document {title_start or content_start!r}")


def _keys(document, username):
    return {
        (a.start, a.end, a.label_id): a
        for a in Annotation.objects.filter(
            document=document, layer=Layer.ANNOTATOR, annotator__username=username
        )
    }


@pytest.mark.browser
def test_annotator_labels_on_first_open(page, login, workspace, demo, screenshot):
    """annotator1 opens the document the demo left in progress and labels a claim at once."""
    document = _doc(content_start="The Pakistani-Taliban security dilemma is untenable")
    page.set_viewport_size({"width": 1440, "height": 900})
    login(demo["annotator1"], PASSWORD)
    page.goto(f"/projects/{document.project_id}/")
    page.get_by_role("row").filter(has_text=f"#{document.pk}").get_by_role("link").first.click()
    page.wait_for_selector("#ws[data-ready=true]")
    assert page.locator("#ws-submit").is_visible()  # editable: no read-only banner, can submit
    phrase = "Islamabad might soon seize the initiative"
    workspace.select(phrase)
    page.keyboard.press("c")
    page.keyboard.press("Escape")
    workspace.wait_saved()
    start = document.text.index(phrase)
    span = Annotation.objects.get(document=document, annotator=demo["annotator1"], start=start)
    assert (span.end, span.label.code) == (start + len(phrase), "CLAIM")
    screenshot("demo-annotator-workspace-1440")
    assert page.js_errors == []


@pytest.mark.browser
def test_reviewer_builds_gold_in_place(page, login, demo, screenshot):
    """On "20 truths…" (two submitted layers, no gold yet) the reviewer takes three differences to
    gold with J then G, accepts everything agreed (the message names the number accepted), moves
    a gold span's end by one word with "." and then by Shift+click on a later word -- all without
    a navigation, the window's scroll kept."""
    document = _doc(title_start="20 truths")
    first, second = _keys(document, "annotator1"), _keys(document, "annotator2")
    layer_of = {**dict.fromkeys(first, "annotator1"), **dict.fromkeys(second, "annotator2")}
    differing = sorted(
        [(k[0], "annotator1", k) for k in first if k not in second]
        + [(k[0], "annotator2", k) for k in second if k not in first]
    )
    expected_gold = {k for _, _, k in differing[:3]}
    agreed = set(first) & set(second)
    assert len(agreed) > 0 and len(differing) >= 3

    page.set_viewport_size({"width": 1440, "height": 900})
    login(demo["reviewer"], PASSWORD)
    page.goto(f"/review/documents/{document.pk}/")
    page.locator("body[data-review-ready]").wait_for(state="attached")
    page.evaluate("window.__stayed = true; window.scrollTo(0, 140)")
    scroll = page.evaluate("window.scrollY")
    assert scroll > 0

    for n in range(1, 4):
        page.keyboard.press("j")
        page.keyboard.press("g")
        expect(page.locator("tr[data-layer=gold]")).to_have_count(n)
    gold = Annotation.objects.filter(document=document, layer=Layer.GOLD)
    assert {(g.start, g.end, g.label_id) for g in gold} == expected_gold
    assert all(layer_of[(g.start, g.end, g.label_id)] for g in gold)
    assert page.evaluate("window.__stayed") is True
    assert page.evaluate("window.scrollY") == scroll
    screenshot("demo-reviewer-three-to-gold-1440")

    page.get_by_role("button", name="Accept all agreed").click()
    page.get_by_text(
        re.compile(rf"^Accepted {len(agreed)} agreed span\(s\) and \d+ relation\(s\) into gold\.$")
    ).wait_for(timeout=30_000)  # one request doing a lot on a loaded CI host; speed is for make bench
    gold = Annotation.objects.filter(document=document, layer=Layer.GOLD)
    assert gold.count() == 3 + len(agreed)
    assert page.evaluate("window.__stayed") is True
    assert page.evaluate("window.scrollY") == scroll

    target = min(gold.filter(origin__isnull=False), key=lambda g: g.start)
    page.locator(f'.layer-gold mark[data-span="{target.pk}"]').first.click()
    page.keyboard.press(".")
    new_end = WORD_END.match(document.text, target.end).end()
    page.get_by_text("now reads").wait_for()
    target.refresh_from_db()
    assert (target.end, target.version) == (new_end, 2)
    assert page.evaluate("window.__stayed") is True
    assert page.evaluate("window.scrollY") == scroll

    # Shift+click on the third word after the span's end moves the end there, to the word's end.
    words = list(re.finditer(r"[\w'’-]+", document.text[new_end:]))
    third = words[2]
    word, at = third.group(), new_end + third.start()
    occurrence = document.text[:at].count(word)
    box = page.evaluate(
        f"(args) => {{ const r = ({_FIND_RANGE_JS})(args); if (!r) return null;"
        " const a = r.getClientRects()[0]; return [a.left + a.width / 2, a.top + a.height / 2]; }",
        [".layer-gold .text", word, occurrence],
    )
    page.keyboard.down("Shift")
    page.mouse.click(*box)
    page.keyboard.up("Shift")
    expect(page.locator(f'tr[data-span="{target.pk}"]')).to_have_attribute(
        "data-end", str(new_end + third.end())
    )
    target.refresh_from_db()
    assert (target.end, target.version) == (new_end + third.end(), 3)
    assert page.evaluate("window.__stayed") is True
    screenshot("demo-reviewer-gold-moved-1440")
    assert page.js_errors == []


@pytest.mark.browser
def test_manager_reassigns_from_the_project_page(page, login, demo, screenshot):
    """The manager goes from the project page to Assignments and gives annotator2's in-progress
    document to annotator3; annotator2's spans stay, the new assignment is annotator3's."""
    document = _doc(content_start="While the Pakistani-Taliban security dilemma owes its origins")
    kept = Annotation.objects.filter(document=document, annotator__username="annotator2").count()
    assert kept > 0
    page.set_viewport_size({"width": 1440, "height": 900})
    login(demo["manager"], PASSWORD)
    page.goto(f"/projects/{document.project_id}/")
    page.get_by_role("link", name="Assignments and agreement").click()
    page.wait_for_url(re.compile(r"/review/projects/\d+/assignments/$"))
    assert "Project agreement" in page.content()
    choice = page.get_by_label(f"Reassign {document.display_title} from annotator2 to")
    choice.select_option(label="annotator3")
    page.locator("tr[data-assignment]").filter(has=choice).get_by_role("button", name="Reassign").click()
    page.get_by_text("from annotator2 to annotator3").wait_for()
    owners = set(Assignment.objects.filter(document=document).values_list("annotator__username", flat=True))
    assert owners == {"annotator1", "annotator3"}
    assert Annotation.objects.filter(document=document, annotator__username="annotator2").count() == kept
    screenshot("demo-manager-assignments-1440")
    assert page.js_errors == []


@pytest.mark.browser
def test_manager_reads_the_history_and_undoes_an_approval(page, login, demo, screenshot):
    """On the first demo document the history reads "reviewer approved annotator2's layer";
    Undo this on that action puts annotator2's layer back to submitted."""
    document = _doc(title_start="Russia Implied")
    page.set_viewport_size({"width": 1440, "height": 900})
    login(demo["manager"], PASSWORD)
    page.goto(f"/review/documents/{document.pk}/history/")
    action = page.locator(".history-action").filter(has_text="reviewer approved annotator2's layer")
    assert action.count() == 1
    screenshot("demo-manager-history-1440")
    action.get_by_role("button", name="Undo this").click()
    page.get_by_text("Undone: reviewer: approved (1 item(s) put back as they were).").wait_for()
    state = Assignment.objects.get(document=document, annotator=demo["annotator2"]).state
    assert state == "submitted"
    assert page.js_errors == []
