"""Every endpoint against every kind of caller: anonymous, outsider, annotator, reviewer, manager.

Expected codes are written out per endpoint. Anonymous callers get 403 under
session auth with no credentials (DRF answers 401 only when the first
authenticator sends a WWW-Authenticate header, which session auth does not).
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotator.jobs.services import job_create
from annotator.projects.models import LabelSubtype, Membership
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    AuthorFactory,
    RelationFactory,
    SourceFactory,
    label,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "annotator", "reviewer", "manager"]


@pytest.fixture
def world(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    span = AnnotationFactory(
        document=team.document, annotator=team.annotator, start=0, end=13, label_code="EVIDENCE"
    )
    claim = AnnotationFactory(document=team.document, annotator=team.annotator, start=15, end=45)
    relation = RelationFactory(source=span, target=claim)
    assignment = AssignmentFactory(document=team.document, annotator=team.annotator)
    # The annotator's export of their own layer, as export_job_start records it.
    job = job_create(
        kind="export",
        project=team.project,
        created_by=team.annotator,
        params={"format": "native", "status": "all", "annotator": team.annotator.pk},
    )
    job.result_file.save("export.json", ContentFile(b"{}"))
    return {
        "team": team,
        "span": span,
        "claim": claim,
        "relation": relation,
        "assignment": assignment,
        "job": job,
        "label": label(team.project, "CLAIM"),
        "source": SourceFactory(),
        "author": AuthorFactory(),
        "membership": Membership.objects.get(project=team.project, user=team.other),
        "subtype": LabelSubtype.objects.get(label__project=team.project, label__code="CLAIM", code="factual"),
    }


def _client(world, role):
    client = APIClient()
    team = world["team"]
    users = {
        "outsider": team.outsider,
        "annotator": team.annotator,
        "reviewer": team.reviewer,
        "manager": team.manager,
    }
    if role != "anonymous":
        client.force_authenticate(users[role])
    return client


# (method, url template, body or None, {role: expected status})
CASES = [
    ("get", "/api/v1/projects/{project}/", None, [403, 404, 200, 200, 200]),
    ("get", "/api/v1/documents/{document}/", None, [403, 404, 200, 200, 200]),
    ("get", "/api/v1/documents/{document}/workspace/", None, [403, 404, 200, 200, 200]),
    ("get", "/api/v1/documents/{document}/workspace/?annotator={annotator}", None, [403, 404, 200, 200, 200]),
    ("get", "/api/v1/documents/{document}/workspace/?layer=gold", None, [403, 404, 403, 200, 200]),
    ("post", "/api/v1/documents/", "document", [403, 404, 403, 403, 201]),
    ("get", "/api/v1/annotations/{span}/", None, [403, 404, 200, 200, 200]),
    ("patch", "/api/v1/annotations/{span}/", {"version": 1, "note": "n"}, [403, 404, 200, 403, 403]),
    ("delete", "/api/v1/annotations/{claim}/?version=1", None, [403, 404, 204, 403, 403]),
    ("post", "/api/v1/annotations/", "span", [403, 404, 201, 201, 201]),
    ("post", "/api/v1/annotations/", "gold", [403, 404, 403, 201, 201]),
    ("get", "/api/v1/relations/{relation}/", None, [403, 404, 200, 200, 200]),
    ("patch", "/api/v1/relations/{relation}/", {"version": 1, "note": "n"}, [403, 404, 200, 403, 403]),
    ("get", "/api/v1/labels/{label}/", None, [403, 404, 200, 200, 200]),
    ("patch", "/api/v1/labels/{label}/", {"name": "Claim!"}, [403, 404, 403, 403, 200]),
    ("post", "/api/v1/labels/", "label", [403, 404, 403, 403, 201]),
    ("get", "/api/v1/assignments/{assignment}/", None, [403, 404, 200, 200, 200]),
    ("post", "/api/v1/assignments/", "assignment", [403, 404, 403, 403, 201]),
    # The (non-staff) manager invites the outsider: 202, nobody enrolled until they accept.
    ("post", "/api/v1/members/", "member", [403, 404, 403, 403, 202]),
    ("get", "/api/v1/jobs/{job}/", None, [403, 404, 200, 200, 200]),
    ("post", "/api/v1/sources/", {"name": "New outlet"}, [403, 403, 403, 403, 201]),
    ("get", "/api/v1/sources/{source}/", None, [403, 200, 200, 200, 200]),
    ("post", "/api/v1/documents/{document}/submit/", None, [403, 404, 200, 200, 200]),
    ("get", "/api/v1/tokens/", None, [403, 200, 200, 200, 200]),
    # Lists and the rest of each resource.
    ("get", "/api/v1/projects/", None, [403, 200, 200, 200, 200]),
    ("post", "/api/v1/projects/", {"name": "Mine"}, [403, 201, 201, 201, 201]),
    ("get", "/api/v1/projects/{project}/export/", None, [403, 404, 200, 200, 200]),
    ("get", "/api/v1/projects/{project}/export/?status=gold", None, [403, 404, 403, 200, 200]),
    ("post", "/api/v1/projects/{project}/export/", {"format": "csv"}, [403, 404, 202, 202, 202]),
    ("post", "/api/v1/projects/{project}/imports/", "import", [403, 404, 403, 403, 201]),
    ("get", "/api/v1/members/?project={project}", None, [403, 200, 200, 200, 200]),
    ("patch", "/api/v1/members/{membership}/", {"role": "reviewer"}, [403, 404, 403, 403, 200]),
    ("delete", "/api/v1/members/{membership}/", None, [403, 404, 403, 403, 204]),
    ("get", "/api/v1/documents/", None, [403, 200, 200, 200, 200]),
    ("get", "/api/v1/documents/{document}/export/", None, [403, 404, 200, 200, 200]),
    ("get", "/api/v1/documents/{document}/export/?format=aif&status=gold", None, [403, 404, 403, 200, 200]),
    ("get", "/api/v1/labels/", None, [403, 200, 200, 200, 200]),
    ("get", "/api/v1/subtypes/{subtype}/", None, [403, 404, 200, 200, 200]),
    ("post", "/api/v1/subtypes/", "subtype", [403, 404, 403, 403, 201]),
    ("patch", "/api/v1/subtypes/{subtype}/", {"name": "Stated fact"}, [403, 404, 403, 403, 200]),
    ("get", "/api/v1/annotations/", None, [403, 200, 200, 200, 200]),
    ("post", "/api/v1/annotations/bulk/", "bulk", [403, 404, 201, 201, 201]),
    ("get", "/api/v1/relations/", None, [403, 200, 200, 200, 200]),
    ("post", "/api/v1/relations/", "relation", [403, 404, 201, 403, 403]),
    ("delete", "/api/v1/relations/{relation}/?version=1", None, [403, 404, 204, 403, 403]),
    ("get", "/api/v1/speakers/", None, [403, 200, 200, 200, 200]),
    ("post", "/api/v1/speakers/", {"name": "A. Speaker", "kind": "person"}, [403, 201, 201, 201, 201]),
    ("get", "/api/v1/sources/", None, [403, 200, 200, 200, 200]),
    ("get", "/api/v1/authors/", None, [403, 200, 200, 200, 200]),
    ("get", "/api/v1/authors/{author}/", None, [403, 200, 200, 200, 200]),
    ("post", "/api/v1/authors/", {"name": "A. Writer"}, [403, 403, 403, 403, 201]),
    ("get", "/api/v1/assignments/", None, [403, 200, 200, 200, 200]),
    ("get", "/api/v1/jobs/", None, [403, 200, 200, 200, 200]),
    ("get", "/api/v1/jobs/{job}/download/", None, [403, 404, 200, 200, 200]),
    ("get", "/api/v1/documents/{document}/text/", None, [403, 404, 200, 200, 200]),
    ("patch", "/api/v1/projects/{project}/", {"description": "New."}, [403, 404, 403, 403, 200]),
    ("delete", "/api/v1/documents/{document}/", None, [403, 404, 403, 403, 204]),
    ("delete", "/api/v1/projects/{project}/", None, [403, 404, 403, 403, 204]),
    ("post", "/api/v1/tokens/", None, [403, 201, 201, 201, 201]),
    ("delete", "/api/v1/tokens/", None, [403, 204, 204, 204, 204]),
]


def _body(world, kind):
    team = world["team"]
    doc, claim = team.document.pk, world["label"].pk
    bodies = {
        "document": {"project": team.project.pk, "text": "A brand new text."},
        "span": {"document": doc, "start": 27, "end": 33, "label": claim},
        "gold": {"document": doc, "start": 27, "end": 33, "label": claim, "layer": "gold"},
        "label": {"project": team.project.pk, "code": "QUOTE", "name": "Quote"},
        "assignment": {"document": doc, "annotator": team.other.pk},
        "member": {"project": team.project.pk, "username": "outsider", "role": "annotator"},
        "subtype": {"label": claim, "code": "anecdotal", "name": "Anecdotal"},
        "bulk": {"annotations": [{"document": doc, "start": 27, "end": 33, "label": claim}]},
        "relation": {"source": world["span"].pk, "type": "attacks", "target": world["claim"].pk},
        "import": {"file": [SimpleUploadedFile("new.txt", b"A new text to import.")]},
    }
    return bodies[kind] if isinstance(kind, str) else kind


@pytest.mark.parametrize(
    ("method", "template", "body", "expected"), CASES, ids=[f"{c[0]} {c[1]}" for c in CASES]
)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_permission_matrix(world, method, template, body, expected, role_index):
    """Each caller gets exactly the status written in the table."""
    team = world["team"]
    url = template.format(
        project=team.project.pk,
        document=team.document.pk,
        annotator=team.annotator.pk,
        span=world["span"].pk,
        claim=world["claim"].pk,
        relation=world["relation"].pk,
        label=world["label"].pk,
        assignment=world["assignment"].pk,
        job=world["job"].pk,
        source=world["source"].pk,
        author=world["author"].pk,
        membership=world["membership"].pk,
        subtype=world["subtype"].pk,
    )
    client = _client(world, ROLES[role_index])
    kwargs = {"format": "multipart" if body == "import" else "json"}
    if body is not None:
        kwargs["data"] = _body(world, body)
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == expected[role_index], response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()) >= {"message", "errors"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/projects/",
        "/api/v1/documents/",
        "/api/v1/annotations/",
        "/api/v1/relations/",
        "/api/v1/labels/",
        "/api/v1/subtypes/",
        "/api/v1/assignments/",
        "/api/v1/members/",
        "/api/v1/jobs/",
    ],
)
def test_lists_hide_other_projects(world, url):
    """An outsider's lists are empty; anonymous callers are refused."""
    assert _client(world, "outsider").get(url).json()["results"] == []
    assert _client(world, "anonymous").get(url).status_code == 403


def test_annotators_list_only_their_own_layer(world):
    """The other annotator sees no spans; the reviewer sees both spans of the first annotator."""
    team = world["team"]
    other = APIClient()
    other.force_authenticate(team.other)
    assert other.get("/api/v1/annotations/").json()["results"] == []
    assert [a["id"] for a in _client(world, "reviewer").get("/api/v1/annotations/").json()["results"]] == [
        world["span"].pk,
        world["claim"].pk,
    ]
