"""The /sources/ dashboard pages: login, project scoping, drill-down links, CSV, recompute."""

import pytest
from django.test import Client

from annotator.jobs.models import Job
from tests.clients import page_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_dashboard_needs_a_login():
    """Anonymous visitors are sent to the login page."""
    response = Client().get("/sources/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_dashboard_shows_the_projects_sources_with_chart_and_unknown_row(corpus):
    """A member sees each outlet, the explicit "Unknown outlet" row, the ratio chart and the layer used."""
    html = page_client(corpus.annotator).get("/sources/", {"project": corpus.project.pk}).content.decode()
    for text in (
        "Outlet A",
        "Outlet B",
        "Unknown outlet",
        "<svg",
        "Claims per evidence span with 95% intervals (documents as clusters)",
        "too little data",
        "gold",
    ):
        assert text in html
    assert "Recompute now" not in html  # annotators cannot recompute


def test_non_members_see_nothing_of_other_projects(corpus):
    """An outsider gets 404 for the project's dashboard and detail pages, and an empty overall view."""
    client = page_client(UserFactory())
    assert client.get("/sources/", {"project": corpus.project.pk}).status_code == 404
    url = f"/sources/{corpus.project.pk}/outlet/{corpus.outlet_a.pk}/"
    assert client.get(url).status_code == 404
    html = client.get("/sources/").content.decode()
    assert "Outlet A" not in html and "No scores yet" in html


def test_overall_view_sums_the_users_projects(corpus):
    """Without a project the table shows each source across the user's projects."""
    html = page_client(corpus.reviewer).get("/sources/", {"kind": "author"}).content.decode()
    assert "Author X" in html and "Unknown author" in html


def test_detail_lists_unsupported_claims_linking_into_the_workspace(corpus):
    """The unsupported tab of Outlet A lists c2 and c3, each linking to its span in the workspace."""
    url = f"/sources/{corpus.project.pk}/outlet/{corpus.outlet_a.pk}/"
    html = page_client(corpus.reviewer).get(url, {"show": "unsupported"}).content.decode()
    d1 = corpus.docs["d1"].pk
    # Gold spans open the gold layer; the fragment selects the span.
    assert f'href="/documents/{d1}/?layer=gold#span-{corpus.spans["c2"].pk}"' in html
    assert f'href="/documents/{d1}/?layer=gold#span-{corpus.spans["c3"].pk}"' in html
    assert f'#span-{corpus.spans["c1"].pk}"' not in html  # supported
    assert "Trend: 1 period" in html


def test_csv_export_from_the_dashboard(corpus):
    """The CSV holds the filtered table: 3 outlet rows plus the header."""
    response = page_client(corpus.reviewer).get(
        "/sources/export.csv", {"project": corpus.project.pk, "kind": "outlet"}
    )
    assert response["Content-Type"] == "text/csv"
    assert len(response.content.decode().splitlines()) == 4


def test_recompute_button_creates_a_job_for_reviewers_only(corpus, django_capture_on_commit_callbacks):
    """A reviewer's POST queues a scores Job and redirects back; an annotator's POST is refused (403)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = page_client(corpus.reviewer).post("/sources/recompute/", {"project": corpus.project.pk})
    assert response.status_code == 302
    assert Job.objects.filter(project=corpus.project, kind="scores", state="succeeded").count() == 1
    assert (
        page_client(corpus.annotator).post("/sources/recompute/", {"project": corpus.project.pk}).status_code
        == 403
    )


def test_admin_lists_scores_and_recomputes_on_demand(corpus, django_capture_on_commit_callbacks):
    """A staff manager sees the project's score rows in the admin; the "recompute all" button
    and the bulk action each queue a scores Job (run at once without a broker)."""
    from tests.factories import member

    manager = member(corpus.project, "manager", is_staff=True)
    client = page_client(manager)
    html = client.get("/admin/credibility/sourcescore/").content.decode()
    assert "Outlet A" in html and "Recompute all my projects now" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/credibility/sourcescore/recompute-all/")
    assert response.status_code == 302
    job = Job.objects.get(kind="scores", created_by=manager)
    assert (job.state, job.params, job.counts) == (
        "succeeded",
        {"project_ids": [corpus.project.pk]},
        {"projects": 1, "rows": 7},
    )
    some = corpus.project.pk
    from annotator.credibility.models import SourceScore

    ids = list(SourceScore.objects.filter(project_id=some).values_list("pk", flat=True)[:2])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/credibility/sourcescore/", {"action": "recompute_projects", "_selected_action": ids}
        )
    assert Job.objects.filter(kind="scores", created_by=manager, project=corpus.project).count() == 1
    assert page_client(corpus.reviewer).get("/admin/credibility/sourcescore/").status_code == 302  # not staff


def test_every_count_in_a_row_drills_down(corpus):
    """Outlet A's row links its documents (2), own claims (3), evidence (3), unsupported claims (2),
    hedges (2) and opinions (1) to the matching list; the hedges list holds h1 and h2, each
    linking to its span in the workspace's gold layer."""
    client = page_client(corpus.reviewer)
    html = client.get("/sources/", {"project": corpus.project.pk, "kind": "outlet"}).content.decode()
    detail = f"/sources/{corpus.project.pk}/outlet/{corpus.outlet_a.pk}/"
    for tab, text in [
        ("documents", "2"),
        ("claims", "3"),
        ("evidence", "3"),
        ("unsupported", "2 unsupported…"),
        ("hedges", "2 hedges"),
        ("opinions", "1 opinion"),
    ]:
        assert f'<a href="{detail}?show={tab}">{text}</a>' in html, tab
    hedges = client.get(detail, {"show": "hedges"}).content.decode()
    for name, doc in (("h1", "d1"), ("h2", "d2")):
        span = corpus.spans[name]
        assert f'href="/documents/{corpus.docs[doc].pk}/?layer=gold#span-{span.pk}"' in hedges
    assert hedges.count("#span-") == 2


def test_the_default_all_projects_view_drills_down_too(corpus):
    """Without a project (the default view) a source scored in one project links its name and
    counts to that project's page and lists, as the project view does."""
    client = page_client(corpus.reviewer)
    detail = f"/sources/{corpus.project.pk}/outlet/{corpus.outlet_a.pk}/"
    html = client.get("/sources/", {"kind": "outlet"}).content.decode()
    assert f'<a href="{detail}"><span>Outlet A</span></a>' in html
    # 3 of Outlet A's 4 claims are the writer's own; the fourth is attributed to a speaker.
    assert f'<a href="{detail}?show=claims">3</a>' in html
    assert f'<a href="{detail}?show=hedges">2 hedges</a>' in html
