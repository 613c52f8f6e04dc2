"""The propositions API: permissions role by role, linking from a suggestion, undo, provenance, figures."""

from __future__ import annotations

import pytest

from annotator.annotations.models import Layer
from annotator.projects.models import Role
from annotator.propositions.models import EvidenceProvenance, Proposition, PropositionChange, PropositionLink
from tests.clients import api_client
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db
TEXT = "Officials say the strike was passively facilitated. As mentioned earlier, logs prove it."


@pytest.fixture
def team():
    project = ProjectFactory()
    team = {
        "project": project,
        "annotator": member(project, Role.ANNOTATOR),
        "other": member(project, Role.ANNOTATOR),
        "reviewer": member(project, Role.REVIEWER),
        "outsider": UserFactory(),
    }
    docs = [DocumentFactory(project=project, text=f"{n}. {TEXT}") for n in range(2)]
    team["docs"] = docs
    claim = TEXT.index("the strike was passively facilitated")
    team["claims"] = [
        AnnotationFactory(document=d, annotator=team["annotator"], start=3 + claim, end=3 + claim + 36)
        for d in docs
    ]
    team["theirs"] = AnnotationFactory(
        document=docs[0], annotator=team["other"], start=3 + claim, end=3 + claim + 36
    )
    start = 3 + TEXT.index("As mentioned earlier")
    team["evidence"] = AnnotationFactory(document=docs[0], annotator=team["annotator"], start=start,
                                         end=start + 20, label_code="EVIDENCE")  # fmt: skip
    return team


def test_non_members_get_404_everywhere(team):
    c = api_client(team["outsider"])
    p = Proposition.objects.create(project=team["project"], text="P")
    project = team["project"].pk
    assert c.get(f"/api/v1/propositions/?project={project}").status_code == 404
    assert c.get(f"/api/v1/propositions/{p.pk}/").status_code == 404
    assert c.get(f"/api/v1/proposition-suggestions/?span={team['claims'][0].pk}").status_code == 404
    assert c.get(f"/api/v1/evidence-provenance/{team['evidence'].pk}/").status_code == 404
    assert c.get(f"/api/v1/proposition-figures/?project={project}").status_code == 404
    response = c.post("/api/v1/propositions/", {"project": project, "text": "X"}, format="json")
    assert response.status_code == 404


def test_an_annotator_links_own_spans_but_not_anothers(team):
    c = api_client(team["annotator"])
    response = c.post("/api/v1/propositions/", {"project": team["project"].pk, "text": "The strike was facilitated",
                                                "spans": [s.pk for s in team["claims"]]}, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    denied = c.post(
        "/api/v1/proposition-links/", {"proposition": pk, "spans": [team["theirs"].pk]}, format="json"
    )
    assert denied.status_code == 404
    assert denied.json()["errors"] == {"spans": [f"There is no span {team['theirs'].pk} in your projects."]}
    detail = c.get(f"/api/v1/propositions/{pk}/").json()
    assert [s["span"] for s in detail["statements"]] == [s.pk for s in team["claims"]]
    assert detail["statements"][0]["quote"] == "the strike was passively facilitated"
    # The other annotator sees the proposition but none of the first one's links.
    other = api_client(team["other"]).get(f"/api/v1/propositions/{pk}/").json()
    assert other["statements"] == []


def test_suggestions_offer_the_proposition_a_similar_span_states(team):
    c = api_client(team["annotator"])
    c.post("/api/v1/propositions/", {"project": team["project"].pk, "text": "The strike was facilitated",
                                     "spans": [team["claims"][0].pk]}, format="json")  # fmt: skip
    body = c.get(f"/api/v1/proposition-suggestions/?span={team['claims'][1].pk}").json()
    assert body["linked_to"] is None
    assert [p["text"] for p in body["propositions"]] == ["The strike was facilitated"]
    assert body["propositions"][0]["score"] == pytest.approx(1.0)
    assert [s["id"] for s in body["spans"]] == [team["claims"][0].pk]


def test_undo_over_the_api_and_only_own_changes_for_annotators(team):
    c = api_client(team["annotator"])
    pk = c.post("/api/v1/propositions/", {"project": team["project"].pk, "text": "P"}, format="json").json()[
        "id"
    ]
    change = PropositionChange.objects.get()
    denied = api_client(team["other"]).post(
        "/api/v1/proposition-undos/", {"change": change.pk}, format="json"
    )
    assert (denied.status_code, denied.json()["message"]) == (
        403,
        "Annotators can undo only their own changes.",
    )
    assert c.post("/api/v1/proposition-undos/", {"change": change.pk}, format="json").status_code == 200
    assert not Proposition.objects.filter(pk=pk).exists()


def test_merging_needs_a_reviewer(team):
    a = Proposition.objects.create(project=team["project"], text="A")
    b = Proposition.objects.create(project=team["project"], text="B")
    body = {"into": a.pk, "propositions": [b.pk]}
    assert (
        api_client(team["annotator"]).post("/api/v1/proposition-merges/", body, format="json").status_code
        == 403
    )
    assert (
        api_client(team["reviewer"]).post("/api/v1/proposition-merges/", body, format="json").status_code
        == 200
    )
    b.refresh_from_db()
    assert b.merged_into_id == a.pk


def test_reviewers_adjudicate_links_annotators_cannot(team):
    c = api_client(team["annotator"])
    c.post("/api/v1/propositions/", {"project": team["project"].pk, "text": "P", "spans": [team["claims"][0].pk]},
           format="json")  # fmt: skip
    link = PropositionLink.objects.get()
    assert (
        c.patch(f"/api/v1/proposition-links/{link.pk}/", {"decision": "accept"}, format="json").status_code
        == 403
    )
    response = api_client(team["reviewer"]).patch(
        f"/api/v1/proposition-links/{link.pk}/",
        {"decision": "reject", "reason": "Different claim"},
        format="json",
    )
    assert (response.status_code, response.json()["status"]) == (200, "rejected")


def test_provenance_suggestion_and_setting(team):
    c = api_client(team["annotator"])
    body = c.get(f"/api/v1/evidence-provenance/{team['evidence'].pk}/").json()
    assert body["kind"] is None
    assert body["suggestion"]["kind"] == "self_citation"
    response = c.put(
        f"/api/v1/evidence-provenance/{team['evidence'].pk}/", {"kind": "self_citation"}, format="json"
    )
    assert (response.status_code, response.json()["kind"]) == (200, "self_citation")
    assert EvidenceProvenance.objects.get().set_by == team["annotator"]
    bad = c.put(f"/api/v1/evidence-provenance/{team['evidence'].pk}/", {"kind": "rumour"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    claim = c.put(
        f"/api/v1/evidence-provenance/{team['claims'][0].pk}/", {"kind": "anonymous"}, format="json"
    )
    assert claim.json()["errors"] == {
        "span": [f"Span {team['claims'][0].pk} is a claim span; provenance is for evidence."]
    }
    assert (
        api_client(team["other"])
        .put(f"/api/v1/evidence-provenance/{team['evidence'].pk}/", {"kind": "anonymous"}, format="json")
        .status_code
        == 404
    )


def test_repeats_list_and_bulk_confirmation_for_reviewers(team):
    reviewer = team["reviewer"]
    gold = [AnnotationFactory(document=d, annotator=reviewer, layer=Layer.GOLD, start=s.start, end=s.end)
            for d, s in zip(team["docs"], team["claims"], strict=True)]  # fmt: skip
    c = api_client(reviewer)
    groups = c.get(f"/api/v1/proposition-repeats/?project={team['project'].pk}").json()
    assert [g["spans"] for g in groups] == [[gold[0].pk, gold[1].pk]]
    assert (
        api_client(team["annotator"])
        .get(f"/api/v1/proposition-repeats/?project={team['project'].pk}&layer=gold")
        .status_code
        == 403
    )
    response = c.post("/api/v1/proposition-repeats/", {"project": team["project"].pk,
                                                       "groups": [{"spans": groups[0]["spans"]}]}, format="json")  # fmt: skip
    assert response.status_code == 201
    assert response.json()[0]["text"] == "the strike was passively facilitated"
    assert c.get(f"/api/v1/proposition-repeats/?project={team['project'].pk}").json() == []
