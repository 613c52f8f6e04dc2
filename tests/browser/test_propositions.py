"""Propositions in the browser: link a claim to a suggested proposition with the keyboard, open the
proposition view, follow a link back into a document."""

import pytest

from annotator.projects.models import Role
from annotator.propositions.models import PropositionLink
from annotator.propositions.services import proposition_create
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Intro. The drone strike in Kabul was passively facilitated by the regime. Other matters."
SECOND = "Later. The Kabul drone strike was, as many think, passively facilitated by the regime."


def test_link_a_claim_to_a_suggested_proposition_with_the_keyboard_and_follow_it_back(page, login, workspace):
    project = ProjectFactory()
    annotator = member(project, Role.ANNOTATOR)
    first = DocumentFactory(project=project, text=FIRST, title="First piece")
    second = DocumentFactory(project=project, text=SECOND, title="Second piece")
    start = FIRST.index("The drone strike")
    stated = AnnotationFactory(document=first, annotator=annotator, start=start, end=FIRST.index(" Other"))
    proposition = proposition_create(project=project, text="The regime passively facilitated the Kabul strike",
                                     user=annotator, spans=[stated])  # fmt: skip
    start = SECOND.index("The Kabul")
    claim = AnnotationFactory(document=second, annotator=annotator, start=start, end=len(SECOND) - 1)

    login(annotator)
    workspace.open(second, f"#span-{claim.pk}")
    option = page.get_by_role("button", name=f"Link to #{proposition.pk}: The regime passively facilitated")
    option.wait_for()
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.textContent").startswith(f"Link to #{proposition.pk}")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "New proposition worded as this span"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    linked = page.get_by_role("link", name=f"proposition #{proposition.pk}")
    linked.wait_for()
    assert PropositionLink.objects.get(annotation=claim).proposition_id == proposition.pk
    assert page.evaluate("document.activeElement.textContent") == f"proposition #{proposition.pk}"

    page.keyboard.press("Enter")
    page.wait_for_url(f"**/propositions/{project.pk}/p/{proposition.pk}/")
    assert "Stated 2 times in 2 documents" in page.locator("main").inner_text()
    page.get_by_role("link", name=f"First piece, {stated.start}–{stated.end}").click()
    page.wait_for_selector("#ws[data-ready=true]")
    assert page.url.endswith(
        f"/documents/{first.pk}/?annotator={annotator.pk}&layer=annotator#span-{stated.pk}"
    )
    assert (
        page.evaluate("window.assayWorkspace.store.spans.get(window.assayWorkspace.selected).id") == stated.pk
    )
    assert page.js_errors == []


def test_the_card_unlinks_the_selected_span(page, login, workspace):
    project = ProjectFactory()
    annotator = member(project, Role.ANNOTATOR)
    first = DocumentFactory(project=project, text=FIRST, title="First piece")
    start = FIRST.index("The drone strike")
    stated = AnnotationFactory(document=first, annotator=annotator, start=start, end=FIRST.index(" Other"))
    proposition = proposition_create(project=project, text="P", user=annotator, spans=[stated])
    login(annotator)
    workspace.open(first, f"#span-{stated.pk}")
    page.get_by_role("link", name=f"proposition #{proposition.pk}").wait_for()
    page.get_by_role("button", name="Unlink").click()
    page.locator("#ws-propositions .linked").wait_for(state="detached")
    assert not PropositionLink.objects.filter(annotation=stated).exists()
    assert page.js_errors == []
