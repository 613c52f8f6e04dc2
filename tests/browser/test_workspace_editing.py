"""Logging in and out, editing a span from the side panel, attributing claims to
speakers inline, hover and selection showing links, and the Alt override of snapping."""

import pytest

from annotator.annotations.models import Annotation, Relation
from annotator.projects.models import Role
from annotator.sources.models import Speaker
from tests.browser.conftest import seed_document
from tests.factories import (
    AnnotationFactory,
    DocumentFactory,
    ProjectFactory,
    RelationFactory,
    SpeakerFactory,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_see_projects_with_role_and_log_out(page, login):
    """The login form leads to the project list with the user's role; Log out
    ends the session, so the pages ask for a login again."""
    project = ProjectFactory(name="Elections desk")
    ProjectFactory(name="Someone else's desk")
    user = member(project, Role.REVIEWER)
    page.goto("/")
    assert page.url.endswith("/login/?next=/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert (
        page.get_by_role("alert").inner_text() == "Your username and password didn't match. Please try again."
    )

    login(user)
    card = page.locator(".project-card")
    assert card.count() == 1
    assert card.locator("h2").inner_text() == "Elections desk"
    assert card.get_by_label("Your role").inner_text() == "Reviewer"

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    page.goto("/")
    assert page.url.endswith("/login/?next=/")
    assert page.request.get("/api/v1/projects/").status in (401, 403)


def test_click_span_to_change_label_subtype_note_delete_and_undo(page, login, workspace):
    """Clicking a span opens it in the side panel: the label, subtype and note are
    changed there and saved; Delete removes it; Undo brings it back as edited."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text="Officials said 40 people were hurt on Monday.")
    user = member(project, Role.ANNOTATOR)
    AnnotationFactory(document=document, annotator=user, start=15, end=34, label_code="CLAIM")
    login(user)
    ws = workspace.open(document)

    ws.click_text("40 people")
    page.get_by_label("Label", exact=True).select_option(label="Evidence")
    page.get_by_role("group", name="Subtype").get_by_role("button", name="Statistic").click()
    page.get_by_label("Note").fill("figure from the police")
    page.locator("#ws-text").focus()
    ws.wait_saved()
    span = Annotation.objects.select_related("label", "subtype").get(document=document)
    assert (span.label.code, span.subtype.code, span.note, span.quote) == (
        "EVIDENCE",
        "statistic",
        "figure from the police",
        "40 people were hurt",
    )
    assert page.locator("#ws-text .seg[data-tag]").get_attribute("data-tag") == "E"

    ws.click_text("40 people")
    page.get_by_role("button", name="Delete").click()
    ws.wait_saved()
    assert Annotation.objects.filter(document=document).count() == 0
    assert page.locator("#ws-text .seg").count() == 0

    page.get_by_role("button", name="Undo").click()
    ws.wait_saved()
    again = Annotation.objects.select_related("label", "subtype").get(document=document)
    assert (again.start, again.end, again.label.code, again.subtype.code, again.note) == (
        15,
        34,
        "EVIDENCE",
        "statistic",
        "figure from the police",
    )


def test_attribute_a_claim_to_a_new_and_to_a_known_speaker(page, login, workspace):
    """'Attributed to' creates a speaker inline (name and kind) or reuses one the
    project already knows (suggested, its kind filled in); the side panel lists both."""
    project = ProjectFactory()
    known = SpeakerFactory(name="Reuters", kind="outlet")
    elsewhere = DocumentFactory(project=project, text="Reuters reported it.")
    someone = member(project, Role.ANNOTATOR)
    RelationFactory(
        source=AnnotationFactory(document=elsewhere, annotator=someone, start=0, end=7, label_code="CLAIM"),
        type="attributed_to",
        speaker=known,
    )
    document = DocumentFactory(project=project, text="The budget will double next year, the ministry said.")
    user = member(project, Role.ANNOTATOR)
    AnnotationFactory(document=document, annotator=user, start=0, end=32, label_code="CLAIM")
    login(user)
    ws = workspace.open(document)

    ws.click_text("The budget")
    assert page.locator("#insp-speakers option").evaluate_all("os => os.map(o => o.value)") == ["Reuters"]
    page.get_by_label("Speaker name").fill("Ministry of Finance")
    page.get_by_label("Speaker kind").select_option("government")
    page.get_by_role("button", name="Attribute").click()
    page.get_by_label("Speaker name").fill("reuters")
    assert page.get_by_label("Speaker kind").input_value() == "outlet"
    page.get_by_role("button", name="Attribute").click()
    ws.wait_saved()

    attributed = Relation.objects.filter(document=document, type="attributed_to").select_related("speaker")
    assert sorted((r.speaker.name, r.speaker.kind) for r in attributed) == [
        ("Ministry of Finance", "government"),
        ("Reuters", "outlet"),
    ]
    assert Speaker.objects.filter(name__iexact="reuters").count() == 1
    said = page.locator("#ws-relations .claims .speaker").all_inner_texts()
    assert said == ["said by Ministry of Finance", "said by Reuters"]


def test_hover_and_selection_show_the_linked_spans(page, login, workspace):
    """Hovering evidence highlights the claim it supports; selecting it draws an
    arrow to the claim in the text."""
    project = ProjectFactory()
    document = DocumentFactory(
        project=project, text="Prices will rise. Fuel costs went up 12 percent. The weather was fine."
    )
    user = member(project, Role.ANNOTATOR)
    claim = AnnotationFactory(document=document, annotator=user, start=0, end=17, label_code="CLAIM")
    evidence = AnnotationFactory(document=document, annotator=user, start=18, end=48, label_code="EVIDENCE")
    AnnotationFactory(document=document, annotator=user, start=49, end=70, label_code="OPINION")
    RelationFactory(source=evidence, target=claim, type="supports")
    login(user)
    ws = workspace.open(document)

    def marked(cls):
        return page.locator(f"#ws-text .seg.{cls}").all_inner_texts()  # in text order

    page.locator("#ws-text .seg", has_text="Fuel costs").hover()
    assert marked("hov") == ["Prices will rise.", "Fuel costs went up 12 percent."]
    page.locator("#ws-text .seg", has_text="The weather").hover()
    assert marked("hov") == ["The weather was fine."]

    ws.click_text("Fuel costs")
    assert marked("sel") == ["Fuel costs went up 12 percent."]
    assert marked("rel") == ["Prices will rise."]
    assert page.locator("#ws-overlay path.link-supports").count() == 1


def test_snapping_to_words_unless_alt_is_held(page, login, workspace):
    """A sloppy drag over 'idely consid' is stored as the whole words; the same
    kind of drag with Alt held keeps exactly the characters selected."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text="It is widely considered that the plan works.")
    user = member(project, Role.ANNOTATOR)
    login(user)
    ws = workspace.open(document)

    ws.select("idely consid")
    page.keyboard.press("h")
    page.keyboard.press("Escape")
    page.keyboard.down("Alt")
    ws.select("lan wor")
    page.keyboard.up("Alt")
    page.keyboard.press("c")
    page.keyboard.press("Escape")
    ws.wait_saved()
    stored = list(Annotation.objects.order_by("start").values_list("label__code", "start", "end", "quote"))
    assert stored == [("HEDGE", 6, 23, "widely considered"), ("CLAIM", 34, 41, "lan wor")]


def test_seed_span_across_nbsp_and_curly_apostrophe(page, login, workspace):
    """In seed 000 a span over a curly apostrophe and an NBSP (which a selection's
    text would turn into a space) is stored at the exact code points 1504-1550."""
    document = seed_document("000_3ebc57de493f7aab.txt")
    user = member(document.project, Role.ANNOTATOR)
    login(user)
    ws = workspace.open(document)
    phrase = "credible if Pakistan’s\u00a0post-modern coup regime"
    ws.select(phrase)
    page.keyboard.press("c")
    page.keyboard.press("Escape")
    ws.wait_saved()
    span = Annotation.objects.get(document=document, annotator=user)
    assert (span.start, span.end, span.quote) == (1504, 1550, phrase)
    page.reload()
    page.wait_for_selector("#ws[data-ready=true]")
    assert page.locator("#ws-text .seg[data-tag]").inner_text() == phrase
