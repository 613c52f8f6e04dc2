"""The /api/v1/source-scores/ endpoints: scoping, filters, history, drill-down, CSV, recompute."""

import pytest

from annotator.credibility.services import Targets, scores_recompute
from annotator.jobs.models import JobState
from tests.clients import api_client, page_client
from tests.credibility.corpus import span
from tests.factories import DocumentFactory, ProjectFactory, SourceFactory, UserFactory, member

pytestmark = pytest.mark.django_db
URL = "/api/v1/source-scores/"


def test_list_is_scoped_to_the_callers_projects(corpus):
    """A member sees the project's 7 rows; a non-member sees none, and asking for the project is a 404."""
    rows = api_client(corpus.annotator).get(URL).json()
    assert len(rows) == 7
    outsider = UserFactory()
    assert api_client(outsider).get(URL).json() == []
    response = api_client(outsider).get(URL, {"project": corpus.project.pk})
    assert response.status_code == 404
    assert response.json() == {"message": "Project not found.", "errors": {}}


def test_list_filters_and_ranks_by_the_interval(corpus):
    """With the small-sample minimums at 1 document and 0 claims, kind=outlet&sort=ratio_low
    ranks by the ratio's lower bound: Outlet A (two documents, a positive bound) above Outlet B
    (one document: [0, ∞)), the unknown outlet (no claims, no ratio) last; layer=gold keeps
    gold-only rows."""
    corpus.project.score_min_documents, corpus.project.score_min_claims = 1, 0
    corpus.project.save()
    scores_recompute(project=corpus.project, targets=Targets(everything=True))
    client = api_client(corpus.reviewer)
    rows = client.get(URL, {"project": corpus.project.pk, "kind": "outlet", "sort": "ratio_low"}).json()
    assert [(r["entity_name"], r["rank"]) for r in rows] == [
        ("Outlet A", 1),
        ("Outlet B", 2),
        ("Unknown outlet", 3),
    ]
    assert rows[0]["figures"]["ratio"]["low"] > 0
    assert rows[1]["figures"]["ratio"]["point"] is None and rows[1]["figures"]["ratio"]["high"] is None
    assert rows[2]["figures"]["ratio"]["low"] is None
    gold = client.get(URL, {"project": corpus.project.pk, "layer": "gold"}).json()
    assert sorted(r["entity_name"] for r in gold) == [
        "Author X",
        "Outlet A",
        "Unknown author",
        "Unknown outlet",
    ]


def test_bad_filters_name_the_field(corpus):
    """An unknown kind is a 400 whose errors name "kind"."""
    response = api_client(corpus.reviewer).get(URL, {"kind": "planet"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]
    assert response.json()["message"] == 'kind: "planet" is not a valid choice.'


def test_history_lists_snapshots_oldest_first(corpus):
    """Each recompute adds a dated snapshot; the history has one entry per day, the last."""
    scores_recompute(project=corpus.project, targets=Targets(everything=True))
    rows = (
        api_client(corpus.annotator)
        .get(f"{URL}history/", {"project": corpus.project.pk, "kind": "outlet", "entity": corpus.outlet_a.pk})
        .json()
    )
    assert [r["claims"] for r in rows] == [3]
    assert rows[0]["period"].startswith(rows[0]["computed_at"][:10])


def test_history_filters_by_layer(corpus):
    """Author Y is "mixed" (d2 gold, d3 submitted); once d3's layer is sent back only gold is
    left. Both recomputes fall on one day, so the history shows the later (gold, 1 own claim);
    layer=gold lists that one snapshot, layer=mixed the earlier one (2 own claims, c5 is
    reported); an unknown layer is a 400 naming "layer"."""
    from annotator.reviews.models import Assignment
    from annotator.reviews.services import assignment_request_changes

    assignment = Assignment.objects.get(document=corpus.docs["d3"], annotator=corpus.annotator)
    assignment_request_changes(assignment=assignment, reviewer=corpus.reviewer, reason="Redo.")
    scores_recompute(project=corpus.project, targets=Targets(everything=True))
    client = api_client(corpus.annotator)
    query = {"project": corpus.project.pk, "kind": "author", "entity": corpus.author_y.pk}
    assert [(r["layer"], r["claims"]) for r in client.get(f"{URL}history/", query).json()] == [("gold", 1)]
    assert [r["claims"] for r in client.get(f"{URL}history/", {**query, "layer": "gold"}).json()] == [1]
    assert [r["claims"] for r in client.get(f"{URL}history/", {**query, "layer": "mixed"}).json()] == [2]
    bad = client.get(f"{URL}history/", {**query, "layer": "silver"})
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["layer"]


def test_unsupported_claims_are_listable(corpus):
    """Outlet A's unsupported claims are c2 and c3 (c1 and c4 have supporting evidence)."""
    rows = (
        api_client(corpus.reviewer)
        .get(
            f"{URL}spans/",
            {
                "project": corpus.project.pk,
                "kind": "outlet",
                "entity": corpus.outlet_a.pk,
                "unsupported": "true",
            },
        )
        .json()["results"]
    )
    assert [r["id"] for r in rows] == [corpus.spans["c2"].pk, corpus.spans["c3"].pk]
    assert rows[0]["quote"] == "bravo delta"


def test_documents_behind_a_speaker(corpus):
    """Speaker S is quoted in d1 (gold) and d3 (submitted), one claim each."""
    rows = (
        api_client(corpus.reviewer)
        .get(
            f"{URL}documents/", {"project": corpus.project.pk, "kind": "speaker", "entity": corpus.speaker.pk}
        )
        .json()["results"]
    )
    assert [(r["id"], r["tier"], r["claims"]) for r in rows] == [
        (corpus.docs["d1"].pk, "gold", 1),
        (corpus.docs["d3"].pk, "submitted", 1),
    ]


def test_csv_export_has_a_header_and_escapes_formulas(corpus):
    """The CSV has one line per source; a name that looks like a formula is prefixed with '."""
    project = ProjectFactory()
    reviewer = member(project, "reviewer")
    doc = DocumentFactory(project=project, text="alpha bravo", source=SourceFactory(name="=cmd()"))
    span(doc, reviewer, 0, "CLAIM")
    scores_recompute(project=project, targets=Targets(everything=True))
    response = api_client(reviewer).get(f"{URL}export/", {"project": project.pk, "kind": "outlet"})
    assert response["Content-Type"] == "text/csv"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith(
        "project_id,project,kind,entity_id,entity_name,layer,small_sample,small_sample_reason,documents,"
    )
    assert "ratio_point,ratio_low,ratio_high,ratio_documents," in lines[0]
    assert len(lines) == 2 and ",'=cmd(),gold,true," in lines[1]


def test_recompute_needs_the_reviewer_role(corpus, django_capture_on_commit_callbacks):
    """Reviewers get 202 and a Job (run after commit; at once without a broker); annotators 403;
    outsiders 404."""
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(corpus.reviewer).post(
            f"{URL}recompute/", {"project": corpus.project.pk}, format="json"
        )
    assert response.status_code == 202
    assert response.json()["kind"] == "scores"
    from annotator.jobs.models import Job

    assert Job.objects.get(pk=response.json()["id"]).state == JobState.SUCCEEDED
    denied = api_client(corpus.annotator).post(
        f"{URL}recompute/", {"project": corpus.project.pk}, format="json"
    )
    assert denied.status_code == 403
    assert denied.json()["message"] == "This needs the reviewer role in the project; you are annotator."
    hidden = api_client(UserFactory()).post(f"{URL}recompute/", {"project": corpus.project.pk}, format="json")
    assert hidden.status_code == 404


def test_overall_sums_the_callers_projects_only(corpus):
    """A reviewer of two projects sees Outlet A with 3 + 1 own claims overall; a member of one sees 3."""
    other = ProjectFactory()
    reviewer = corpus.reviewer
    from annotator.projects.services import membership_set

    membership_set(project=other, user=reviewer, role="reviewer")
    doc = DocumentFactory(project=other, text="alpha bravo", source=corpus.outlet_a)
    span(doc, reviewer, 0, "CLAIM")
    scores_recompute(project=other, targets=Targets(everything=True))
    rows = api_client(reviewer).get(f"{URL}overall/", {"kind": "outlet"}).json()["results"]
    a = next(r for r in rows if r["entity_name"] == "Outlet A")
    assert (a["claims"], a["evidence"], a["projects"], a["layer"]) == (4, 3, 2, "gold")
    assert a["figures"]["ratio"]["point"] == pytest.approx(4 / 3)
    assert a["figures"]["ratio"]["documents"] == 3
    rows = api_client(corpus.annotator).get(f"{URL}overall/", {"kind": "outlet"}).json()["results"]
    assert next(r for r in rows if r["entity_name"] == "Outlet A")["claims"] == 3


def test_overall_sums_evidence_subtypes_that_are_means_of_readers(corpus):
    """Two readers of one text give a document 1.5 statistics (the mean of 1 and 2): the
    all-projects view sums such fractional counts instead of failing on them."""
    from annotator.credibility.models import SourceScore

    row = SourceScore.objects.filter(project=corpus.project, kind="outlet", entity_name="Outlet A").get()
    row.evidence_subtypes = {"statistic": 1.5}
    row.save(update_fields=["evidence_subtypes"])
    response = api_client(corpus.reviewer).get(f"{URL}overall/", {"kind": "outlet"})
    assert response.status_code == 200, response.content
    a = next(r for r in response.json()["results"] if r["entity_name"] == "Outlet A")
    assert float(a["evidence_subtypes"]["statistic"]) == 1.5
    assert logged_in_page(corpus.reviewer).status_code == 200


def logged_in_page(user):
    return page_client(user).get("/sources/", {"kind": "outlet"})
