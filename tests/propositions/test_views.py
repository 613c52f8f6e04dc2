"""The browser pages: permission by membership, the proposition view's order and links, the source map."""

from __future__ import annotations

import datetime

import pytest

from annotator.annotations.models import Layer
from annotator.projects.models import Role
from annotator.propositions.models import PropositionChange, ProvenanceKind
from annotator.propositions.provenance import provenance_set
from annotator.propositions.services import proposition_create
from tests.clients import page_client
from tests.factories import (
    AnnotationFactory,
    DocumentFactory,
    ProjectFactory,
    RelationFactory,
    SourceFactory,
    member,
)

pytestmark = pytest.mark.django_db
TEXT = "Intro. The strike was passively facilitated. As mentioned earlier, it was."


@pytest.fixture
def setup():
    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    outlet = SourceFactory(name="Outlet <A>")
    dates = [datetime.date(2022, 9, 1), None, datetime.date(2022, 8, 1)]
    docs = [DocumentFactory(project=project, source=outlet, text=f"{n} {TEXT}", title=f"Piece {n}", published_on=d)
            for n, d in enumerate(dates)]  # fmt: skip
    start = 2 + TEXT.index("The strike")
    claims = [AnnotationFactory(document=d, annotator=reviewer, layer=Layer.GOLD, start=start, end=start + 36)
              for d in docs]  # fmt: skip
    ev_start = 2 + TEXT.index("As mentioned earlier")
    evidence = AnnotationFactory(document=docs[0], annotator=reviewer, layer=Layer.GOLD, start=ev_start,
                                 end=ev_start + 20, label_code="EVIDENCE")  # fmt: skip
    RelationFactory(source=evidence, target=claims[0])
    provenance_set(span=evidence, kind=ProvenanceKind.SELF_CITATION, user=reviewer)
    p = proposition_create(
        project=project, text="The strike was <b>facilitated</b>", user=reviewer, spans=claims
    )
    return {
        "project": project,
        "reviewer": reviewer,
        "outlet": outlet,
        "docs": docs,
        "claims": claims,
        "p": p,
    }


def test_the_proposition_view_lists_statements_in_publication_order_with_links_back(setup):
    html = (
        page_client(setup["reviewer"])
        .get(f"/propositions/{setup['project'].pk}/p/{setup['p'].pk}/")
        .content.decode()
    )
    order = [html.index(f"Piece {n},") for n in (2, 0, 1)]  # August, September, undated
    assert order == sorted(order)
    claim = setup["claims"][2]
    assert f'href="/documents/{claim.document_id}/?layer=gold#span-{claim.pk}"' in html
    assert "The strike was &lt;b&gt;facilitated&lt;/b&gt;" in html  # escaped
    assert "Outlet &lt;A&gt;" in html
    assert "no: self-citation" in html and "Self-citation" in html


def test_non_members_get_404_on_every_page(setup):
    outsider = member(ProjectFactory())
    c = page_client(outsider)
    project = setup["project"].pk
    for url in [f"/propositions/{project}/", f"/propositions/{project}/p/{setup['p'].pk}/",
                f"/propositions/{project}/sources/{setup['outlet'].pk}/"]:  # fmt: skip
        assert c.get(url).status_code == 404, url
    assert c.post(f"/propositions/{project}/repeats/", {"group": "1,2"}).status_code == 404


def test_the_source_map_shows_nodes_and_self_cited_support_without_colour(setup):
    html = (
        page_client(setup["reviewer"])
        .get(f"/propositions/{setup['project'].pk}/sources/{setup['outlet'].pk}/")
        .content.decode()
    )
    assert f"P{setup['p'].pk}</a>: The strike was &lt;b&gt;facilitated&lt;/b&gt;" in html
    assert "stated 3 times in 3 documents" in html
    assert "＋ supported by" in html and "1 self-citation" in html
    assert "3 claim spans in 3 documents state 1 distinct proposition; 0 of them supported" in html


def test_annotators_cannot_open_the_source_map_or_confirm_repeats(setup):
    annotator = member(setup["project"], Role.ANNOTATOR)
    c = page_client(annotator)
    assert c.get(f"/propositions/{setup['project'].pk}/sources/{setup['outlet'].pk}/").status_code == 403
    assert c.post(f"/propositions/{setup['project'].pk}/repeats/", {"group": "1"}).status_code == 403
    assert c.get(f"/propositions/{setup['project'].pk}/").status_code == 200


def test_undo_from_the_index_page(setup):
    c = page_client(setup["reviewer"])
    change = PropositionChange.objects.get()
    response = c.post(f"/propositions/{setup['project'].pk}/changes/{change.pk}/undo/", follow=True)
    assert "Undone: Created proposition" in response.content.decode()
    change.refresh_from_db()
    assert change.undone_at is not None


def test_reviewers_adjudicate_an_annotators_link_from_the_proposition_view(setup):
    annotator = member(setup["project"], Role.ANNOTATOR)
    span = AnnotationFactory(document=setup["docs"][0], annotator=annotator, start=setup["claims"][0].start,
                             end=setup["claims"][0].end)  # fmt: skip
    p = proposition_create(project=setup["project"], text="Q", user=annotator, spans=[span])
    link = p.links.get()
    url = f"/propositions/{setup['project'].pk}/links/{link.pk}/review/"
    assert page_client(annotator).post(url, {"decision": "accept"}).status_code == 403
    page = (
        page_client(setup["reviewer"])
        .post(url, {"decision": "reject", "reason": ""}, follow=True)
        .content.decode()
    )
    assert "Say why the link is rejected" in page
    page_client(setup["reviewer"]).post(url, {"decision": "reject", "reason": "Not the same claim"})
    link.refresh_from_db()
    assert (link.status, link.status_reason) == ("rejected", "Not the same claim")
