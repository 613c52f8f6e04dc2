"""The HTML pages: project list with roles, the document list with filters and progress, the workspace shell."""

import pytest
from django.test import Client
from django.utils import timezone

from annotator.projects.models import Role
from annotator.reviews.models import AssignmentState
from annotator.sources.models import Author
from tests.clients import page_client
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    DocumentFactory,
    ProjectFactory,
    SourceFactory,
    member,
)

pytestmark = pytest.mark.django_db


def test_pages_need_login():
    """Anonymous visitors are sent to the login page."""
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_login_page_labels():
    """The login form has the labels the browser tests (and users) rely on."""
    html = Client().get("/login/").content.decode()
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert '<button type="submit">Log in</button>' in html


def test_project_list_shows_role_and_counts_only_for_member_projects():
    """Each project shows the user's role and document count; other projects are absent."""
    mine = ProjectFactory(name="Elections 2026")
    user = member(mine, Role.REVIEWER)
    DocumentFactory(project=mine)
    DocumentFactory(project=mine)
    ProjectFactory(name="Hidden project")
    response = page_client(user).get("/")
    projects = list(response.context["projects"])
    assert [(p.name, p.role, p.document_count, p.done_count) for p in projects] == [
        ("Elections 2026", "reviewer", 2, 0)
    ]
    html = response.content.decode()
    assert "Elections 2026" in html and "Reviewer" in html and "Hidden project" not in html


def test_project_page_lists_documents_with_outlet_authors_length_and_progress():
    """Rows show outlet (or 'unknown'), authors, length, my state and span count;
    a reviewer sees every annotator's progress, an annotator only their own."""
    project = ProjectFactory()
    annotator = member(project, Role.ANNOTATOR, username="ann")
    other = member(project, Role.ANNOTATOR, username="zed")
    reviewer = member(project, Role.REVIEWER)
    outlet = SourceFactory(name="Daily Planet")
    doc = DocumentFactory(project=project, title="Budget row", text="One two three four five.", source=outlet)
    doc.authors.set([Author.objects.create(name="Lois Lane")])
    bare = DocumentFactory(project=project, title="No metadata", text="Six seven.")
    AssignmentFactory(document=doc, annotator=annotator, state=AssignmentState.IN_PROGRESS)
    AssignmentFactory(document=doc, annotator=other, state=AssignmentState.ASSIGNED)
    AnnotationFactory(document=doc, annotator=annotator, start=0, end=3)
    AnnotationFactory(document=doc, annotator=annotator, start=4, end=7)

    response = page_client(annotator).get(f"/projects/{project.pk}/")
    rows = response.context["rows"]
    assert [r["document"].title for r in rows] == ["Budget row", "No metadata"]
    first = rows[0]
    assert (first["document"].my_state, first["document"].my_spans, first["my_state_label"]) == (
        "in_progress",
        2,
        "In progress",
    )
    assert first["progress"] == [
        {"username": "ann", "state": "in_progress", "state_label": "In progress", "spans": 2}
    ]
    html = response.content.decode()
    assert "Daily Planet" in html and "Lois Lane" in html and "5 words" in html and "24 chars" in html
    assert '<span class="unknown">unknown</span>' in html  # the bare document's outlet and authors
    assert bare.pk in [r["document"].pk for r in rows]

    reviewer_rows = page_client(reviewer).get(f"/projects/{project.pk}/").context["rows"]
    assert [p["username"] for p in reviewer_rows[0]["progress"]] == ["ann", "zed"]


def test_project_page_search_and_filters():
    """q searches title, outlet and author; state filters by my assignment state
    ('none' = not started); outlet filters by source; bad values are ignored."""
    project = ProjectFactory()
    user = member(project, Role.ANNOTATOR)
    planet = SourceFactory(name="Daily Planet")
    DocumentFactory(project=project, title="Budget doubles", source=planet)
    b = DocumentFactory(project=project, title="Rain expected")
    b.authors.set([Author.objects.create(name="Clark Kent")])
    DocumentFactory(project=project, title="Other")
    AssignmentFactory(
        document=b, annotator=user, state=AssignmentState.SUBMITTED, submitted_at=timezone.now()
    )
    client = page_client(user)

    def titles(query):
        return [r["document"].title for r in client.get(f"/projects/{project.pk}/{query}").context["rows"]]

    assert titles("?q=budget") == ["Budget doubles"]
    assert titles("?q=planet") == ["Budget doubles"]
    assert titles("?q=kent") == ["Rain expected"]
    assert titles("?state=submitted") == ["Rain expected"]
    assert titles("?state=none") == ["Budget doubles", "Other"]
    assert titles(f"?outlet={planet.pk}") == ["Budget doubles"]
    assert titles("?state=bogus&outlet=x") == ["Budget doubles", "Rain expected", "Other"]


def test_project_and_document_pages_are_404_for_non_members():
    """A project or document outside the user's projects answers 404, like a missing one."""
    project = ProjectFactory()
    document = DocumentFactory(project=project)
    outsider = member(ProjectFactory(), Role.MANAGER)
    client = page_client(outsider)
    assert client.get(f"/projects/{project.pk}/").status_code == 404
    assert client.get(f"/documents/{document.pk}/").status_code == 404
    assert client.get("/documents/999999/").status_code == 404


def test_workspace_shell_escapes_title_and_sets_csrf_cookie():
    """The shell renders the title escaped, points the script at the API and sets the CSRF cookie."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, title="<script>alert(1)</script>")
    user = member(project, Role.ANNOTATOR)
    response = page_client(user).get(f"/documents/{document.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert f'data-document="{document.pk}"' in html and 'data-api="/api/v1/"' in html
    assert "annotator/js/workspace.js" in html
    assert "csrftoken" in response.cookies


def test_project_page_query_count_does_not_grow_with_documents(django_assert_max_num_queries):
    """The document list costs a fixed number of queries, however many rows it shows."""
    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    annotator = member(project, Role.ANNOTATOR)
    for i in range(12):
        doc = DocumentFactory(project=project, source=SourceFactory())
        doc.authors.set([Author.objects.create(name=f"Writer {i}")])
        AssignmentFactory(document=doc, annotator=annotator)
    client = page_client(reviewer)
    with django_assert_max_num_queries(11):  # + lowest agreement, + recent jobs
        response = client.get(f"/projects/{project.pk}/")
    assert len(response.context["rows"]) == 12


def test_superuser_sees_every_project_as_manager():
    """A superuser is not a member anywhere but sees all projects, as manager."""
    from django.contrib.auth import get_user_model

    ProjectFactory(name="A")
    ProjectFactory(name="B")
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    projects = page_client(admin).get("/").context["projects"]
    assert [(p.name, p.role) for p in projects] == [("A", "manager"), ("B", "manager")]


def test_project_page_lists_lowest_agreement_documents_for_reviewers_only():
    """Reviewers see the documents with the lowest alpha first; annotators do not see the section."""
    from annotator.reviews.models import Agreement

    project = ProjectFactory()
    low = DocumentFactory(project=project, title="Contested piece")
    high = DocumentFactory(project=project, title="Agreed piece")
    Agreement.objects.create(
        project=project, document=low, annotators=2, alpha=0.125, exact_f1=0.25, overlap_f1=0.5
    )
    Agreement.objects.create(
        project=project, document=high, annotators=2, alpha=0.875, exact_f1=1.0, overlap_f1=1.0
    )

    page = page_client(member(project, Role.REVIEWER)).get(f"/projects/{project.pk}/").content.decode()
    section = page[page.index("Lowest agreement") :]
    assert section.index("Contested piece") < section.index("Agreed piece")
    assert "0.125" in section

    annotator_page = (
        page_client(member(project, Role.ANNOTATOR)).get(f"/projects/{project.pk}/").content.decode()
    )
    assert "Lowest agreement" not in annotator_page


def test_reviewers_and_managers_land_on_the_layer_they_need():
    """A reviewer opening a document with submitted work goes to the review page (submitted layers
    beside gold); with nothing submitted, to the gold layer; never to an empty layer of their own.
    Naming a layer ("My layer") opens it, and an annotator always gets their own layer."""
    project = ProjectFactory()
    waiting, fresh = DocumentFactory(project=project), DocumentFactory(project=project)
    reviewer, manager = member(project, Role.REVIEWER), member(project, Role.MANAGER)
    annotator = member(project, Role.ANNOTATOR)
    AssignmentFactory(document=waiting, annotator=annotator, state="submitted", submitted_at=timezone.now())
    for user in (reviewer, manager):
        client = page_client(user)
        assert (
            client.get(f"/documents/{waiting.pk}/").headers["Location"] == f"/review/documents/{waiting.pk}/"
        )
        assert (
            client.get(f"/documents/{fresh.pk}/").headers["Location"] == f"/documents/{fresh.pk}/?layer=gold"
        )
        mine = client.get(f"/documents/{fresh.pk}/?annotator={user.pk}&layer=annotator")
        assert mine.status_code == 200
    assert page_client(annotator).get(f"/documents/{waiting.pk}/").status_code == 200
    AssignmentFactory(document=fresh, annotator=reviewer)  # the reviewer chose to annotate it
    assert page_client(reviewer).get(f"/documents/{fresh.pk}/").status_code == 200


def test_managers_correct_document_details_with_history():
    """A manager sets title, outlet, two authors and a date; the document's history lists the
    change under their name (authors included). Reviewers get 403, outsiders 404; a bad date or
    address names its field and changes nothing."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, title="")
    manager, reviewer = member(project, Role.MANAGER, username="boss"), member(project, Role.REVIEWER)
    url = f"/documents/{document.pk}/details/"
    assert page_client(reviewer).get(url).status_code == 403
    assert page_client(member(ProjectFactory(), Role.MANAGER)).get(url).status_code == 404
    client = page_client(manager)
    bad = client.post(
        url, {"title": "X", "published_on": "31/12/2026", "authors": "", "outlet": "", "url": ""}
    )
    assert bad.status_code == 400 and "The date must look like 2026-12-31." in bad.content.decode()
    document.refresh_from_db()
    assert document.title == ""
    response = client.post(
        url,
        {"title": "  Moscow  to Kabul ", "outlet": "Global Village Space", "authors": "Ann Writer\nBo Critic\n",
         "published_on": "2025-04-20", "url": "https://example.org/a"},
    )  # fmt: skip
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.source.name, str(document.published_on)) == (
        "Moscow to Kabul",
        "Global Village Space",
        "2025-04-20",
    )
    assert sorted(a.name for a in document.authors.all()) == ["Ann Writer", "Bo Critic"]
    versions = client.get(url).context["versions"]
    assert versions[0]["user"] == "boss"
    assert ("authors", "—", "Ann Writer, Bo Critic") in versions[0]["changes"]
    assert ("title", "—", "Moscow to Kabul") in [c for v in versions for c in v["changes"]]
