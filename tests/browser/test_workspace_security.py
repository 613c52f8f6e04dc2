"""Escaping, access control and concurrent edits in the browser workspace."""

import pytest

from annotator.annotations.models import Annotation
from annotator.projects.models import Role
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = 'Before <script>window.__pwned = 1</script> and <img src=x onerror="window.__pwned = 2"> after.'


def test_markup_in_text_and_notes_is_shown_as_text(page, login, workspace):
    """Document text, title and a span note holding <script> and <img onerror> are
    displayed literally; no element is created from them and no script runs."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=HOSTILE, title="<script>window.__pwned = 3</script>")
    user = member(project, Role.ANNOTATOR)
    AnnotationFactory(document=document, annotator=user, start=0, end=6, label_code="CLAIM", note=HOSTILE)
    login(user)
    ws = workspace.open(document)
    ws.click_text("Before")
    page.wait_for_selector("#insp-note")
    assert page.locator("#ws-text").inner_text().strip() == HOSTILE
    assert page.locator("#insp-note").input_value() == HOSTILE
    assert page.locator("h1.ws-title").inner_text() == "<script>window.__pwned = 3</script>"
    assert page.locator("#ws img, #ws-text script").count() == 0
    assert page.evaluate("window.__pwned") is None
    # A new note typed in the page is saved verbatim and still not interpreted.
    page.locator("#insp-note").fill('<img src=x onerror="window.__pwned = 4">')
    page.locator("#ws-text").focus()
    ws.wait_saved()
    assert Annotation.objects.get(document=document).note == '<img src=x onerror="window.__pwned = 4">'
    assert page.evaluate("window.__pwned") is None
    assert page.js_errors == []


def test_annotator_cannot_open_other_projects_or_other_layers(page, login, workspace):
    """A document of a project the annotator is not in answers 404 (page and API);
    another annotator's layer is refused and none of its spans reach the page."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text="Secret spans live here in another layer.")
    me = member(project, Role.ANNOTATOR)
    other = member(project, Role.ANNOTATOR)
    AnnotationFactory(
        document=document, annotator=other, start=0, end=12, label_code="CLAIM", note="private note"
    )
    elsewhere = DocumentFactory(project=ProjectFactory(), text="Not yours.")
    login(me)

    response = page.goto(f"/documents/{elsewhere.pk}/")
    assert response.status == 404
    assert page.request.get(f"/api/v1/documents/{elsewhere.pk}/workspace/").status == 404

    ws = workspace.open(document)
    assert page.locator("#ws-text .seg").count() == 0  # my own (empty) layer
    assert page.locator("#ws-layer").is_hidden()  # no layer switcher for annotators
    api = page.request.get(f"/api/v1/documents/{document.pk}/workspace/?annotator={other.pk}")
    assert api.status == 403
    page.goto(f"/documents/{document.pk}/?annotator={other.pk}")
    page.wait_for_selector('#ws-status[data-state="failed"]')
    assert "Could not open the document" in page.locator("#ws-status").inner_text()
    assert "private note" not in page.content()
    assert page.locator("#ws-text .seg").count() == 0
    ws.page.goto("/")  # leave cleanly


def test_stale_write_in_two_pages_shows_the_conflict(page, login, workspace):
    """Two tabs edit the same span's note: the second save is refused with the
    409, the page shows what is stored now and offers a reload; keeping the
    second change then saves it on top (version 3), so neither edit is lost silently."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text="The minister said the budget will double next year.")
    user = member(project, Role.ANNOTATOR)
    span = AnnotationFactory(document=document, annotator=user, start=4, end=12, label_code="CLAIM")
    login(user)
    first = workspace.open(document)
    second_page = page.context.new_page()
    from tests.browser.conftest import WorkspacePage

    second = WorkspacePage(second_page).open(document)

    first.click_text("minister")
    page.locator("#insp-note").fill("edited in tab one")
    page.locator("#ws-text").focus()
    first.wait_saved()
    span.refresh_from_db()
    assert (span.note, span.version) == ("edited in tab one", 2)

    second.click_text("minister")
    second_page.locator("#insp-note").fill("edited in tab two")
    second_page.locator("#ws-text").focus()
    conflict = second_page.locator("#ws-conflict")
    conflict.wait_for(state="visible")
    assert "changed elsewhere (you had version 1, it is now 2)" in conflict.inner_text()
    assert "edited in tab one" in conflict.inner_text()
    assert second_page.get_by_role("button", name="Reload to see their version").is_visible()
    assert second_page.locator("#ws-status").get_attribute("data-state") == "conflict"
    span.refresh_from_db()
    assert span.note == "edited in tab one"

    second_page.get_by_role("button", name="Keep my change").click()
    second.wait_saved()
    span.refresh_from_db()
    assert (span.note, span.version) == ("edited in tab two", 3)
    assert span.history.filter(note="edited in tab one").exists()
    second_page.close()


def test_change_refused_by_the_server_is_undone_and_explained(page, login, workspace):
    """If the layer was submitted in another tab, a new span is refused (400):
    the page removes it again and says why, instead of pretending it was saved."""
    from annotator.reviews.services import assignment_submit

    project = ProjectFactory()
    document = DocumentFactory(project=project, text="Turnout rose to 70 percent, officials said.")
    user = member(project, Role.ANNOTATOR)
    login(user)
    ws = workspace.open(document)
    assignment_submit(document=document, annotator=user)  # elsewhere, after the page loaded
    ws.select("Turnout rose")
    page.keyboard.press("c")
    notice = page.locator("#ws-notice")
    notice.wait_for(state="visible")
    assert notice.inner_text().startswith(
        "Not saved: This layer is submitted and read-only until a reviewer sends it back."
    )
    ws.wait_saved()
    assert page.locator("#ws-text .seg").count() == 0
    assert Annotation.objects.filter(document=document).count() == 0


def test_editing_a_span_deleted_in_another_tab_says_so(page, login, workspace):
    """A note typed on a span that was deleted elsewhere is not saved silently
    nowhere: the page says the span was deleted and removes it."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text="The minister said the budget will double.")
    user = member(project, Role.ANNOTATOR)
    span = AnnotationFactory(document=document, annotator=user, start=4, end=12, label_code="CLAIM")
    login(user)
    ws = workspace.open(document)
    ws.click_text("minister")
    span.delete()  # elsewhere
    page.locator("#insp-note").fill("too late")
    page.locator("#ws-text").focus()
    notice = page.locator("#ws-notice")
    notice.wait_for(state="visible")
    assert notice.inner_text().startswith("Not saved: This span was deleted elsewhere")
    ws.wait_saved()
    assert page.locator("#ws-text .seg").count() == 0
