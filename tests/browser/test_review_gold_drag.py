"""Gold boundaries moved with the mouse on the review page (issue 16): drag a handle, snapped to
words like the workspace, Alt for exact characters; stored in code points over a text with
astral characters, CRLF line ends and a no-break space; no navigation, scroll kept; undoable."""

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Annotation, Layer
from annotator.annotations.services import annotation_create
from annotator.projects.models import Role
from annotator.reviews.adjudication import gold_add
from annotator.reviews.services import assignment_submit
from tests.browser.conftest import _FIND_RANGE_JS
from tests.factories import DocumentFactory, ProjectFactory, label, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILLER = "".join(f"Line {n} of the filler that makes the page scroll.\r\n" for n in range(60))
TEXT = "Intro 😀 line.\r\nThe 🎉 plan\u00a0works well 😀 today and tomorrow.\r\n" + FILLER

# Where a phrase is in the rendered gold text, in client pixels (the test's way to aim the mouse).
RECT_JS = (
    f"(args) => {{ const r = ({_FIND_RANGE_JS})(args.slice(0, 3)); if (!r) return null;"
    " const a = r.getClientRects()[0]; return [a.left + a.width * args[3], a.top + a.height / 2]; }"
)


def _aim(page, phrase, fraction=0.5):
    """A point inside ``phrase`` (0 = its left edge, 1 = its right edge) in the gold layer's text."""
    point = page.evaluate(RECT_JS, [".layer-gold .text", phrase, 0, fraction])
    assert point, f"{phrase!r} not in the gold text"
    return point


def _drag(page, edge, to):
    handle = page.locator(f".gold-handle-{edge}")
    expect(handle).to_be_visible()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(*to, steps=6)
    page.mouse.up()


def test_dragging_a_gold_boundary_snaps_to_words_alt_is_exact_and_ctrl_z_undoes(page, login, screenshot):
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT)
    reviewer = member(project, Role.REVIEWER, username="drag-reviewer")
    annotator = member(project, Role.ANNOTATOR, username="drag-ann")
    claim = label(project, "CLAIM")
    annotation_create(document=document, annotator=annotator, start=0, end=5, label=claim)
    assignment_submit(document=document, annotator=annotator)
    start = TEXT.index("plan")
    # Code points, as stored: two astral characters and a CRLF come before it.
    assert (start, len(TEXT[:start].encode("utf-16-le")) // 2) == (21, 23)
    gold = gold_add(document=document, reviewer=reviewer, start=start, end=start + 4, label=claim)

    page.set_viewport_size({"width": 1440, "height": 900})
    login(reviewer)
    page.goto(f"/review/documents/{document.pk}/")
    page.locator("body[data-review-ready]").wait_for(state="attached")
    page.evaluate("window.__stayed = true; window.scrollTo(0, 80)")
    scroll = page.evaluate("window.scrollY")
    assert scroll > 0
    page.locator(f'.layer-gold mark[data-span="{gold.pk}"]').click()
    row = page.locator(f'tr[data-span="{gold.pk}"]')

    # Drag the end two words right (over the no-break space), let go in the middle of "well".
    _drag(page, "end", _aim(page, "well"))
    snapped = TEXT.index("well") + 4
    expect(row).to_have_attribute("data-end", str(snapped))
    gold.refresh_from_db()
    assert (gold.start, gold.end, gold.quote, gold.version) == (start, snapped, "plan\u00a0works well", 2)
    assert page.evaluate("window.__stayed") is True
    assert page.evaluate("window.scrollY") == scroll
    screenshot("review-gold-drag-1440")

    # With Alt held the end lands exactly where it is dropped: inside "today", before its "a".
    page.keyboard.down("Alt")
    _drag(page, "end", _aim(page, "ay and", 0.05))
    page.keyboard.up("Alt")
    exact = TEXT.index("today") + 3
    expect(row).to_have_attribute("data-end", str(exact))
    gold.refresh_from_db()
    assert (gold.end, gold.quote, gold.version) == (exact, "plan\u00a0works well 😀 tod", 3)
    assert page.evaluate("window.scrollY") == scroll

    # Ctrl+Z takes the last move back, as a new version the history shows.
    page.keyboard.press("Control+z")
    expect(row).to_have_attribute("data-end", str(snapped))
    gold.refresh_from_db()
    assert (gold.end, gold.version) == (snapped, 4)
    rows = list(
        Annotation.history.filter(id=gold.pk)
        .order_by("history_date", "history_id")
        .values_list("end", "history_user__username")
    )
    assert rows[1:] == [(snapped, "drag-reviewer"), (exact, "drag-reviewer"), (snapped, "drag-reviewer")]
    assert rows[0][0] == start + 4
    assert Annotation.objects.filter(document=document, layer=Layer.GOLD).count() == 1
    assert page.evaluate("window.__stayed") is True
    assert page.js_errors == []
