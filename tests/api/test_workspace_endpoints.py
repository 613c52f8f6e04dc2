"""The endpoints the browser workspace is built on: spans, relations, speakers, workspace, submit."""

import pytest

from annotator.annotations.models import Annotation, Relation
from annotator.reviews.models import AssignmentState
from tests.factories import AnnotationFactory, ProjectFactory, RelationFactory, SpeakerFactory, label

pytestmark = pytest.mark.django_db

# "Taxes rose 5%. Experts say growth will follow."
#  0         1         2         3         4
#  0123456789012345678901234567890123456789012345


def _span(team, user, start, end, code="CLAIM", layer="annotator"):
    return AnnotationFactory(
        document=team.document, annotator=user, start=start, end=end, label_code=code, layer=layer
    )


def test_annotator_creates_a_span_in_their_own_layer(team, client_for):
    """POST /annotations/ stores the span with the caller as annotator and the quote from the text."""
    claim = label(team.project, "CLAIM")
    response = client_for(team.annotator).post(
        "/api/v1/annotations/",
        {"document": team.document.pk, "start": 0, "end": 13, "label": claim.pk, "note": "n"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quote"] == "Taxes rose 5%"
    assert (body["start"], body["end"], body["annotator"], body["layer"]) == (
        0,
        13,
        team.annotator.pk,
        "annotator",
    )
    assert body["version"] == 1
    assert response["ETag"] == '"1"'
    assert set(body) == {
        "id",
        "document",
        "annotator",
        "layer",
        "start",
        "end",
        "quote",
        "label",
        "subtype",
        "note",
        "status",
        "status_reason",
        "version",
        "created_at",
        "updated_at",
    }


def test_offsets_past_the_end_are_rejected_naming_the_field(team, client_for):
    """End 99 on a 46-code-point text is a 400 naming `end`; nothing is stored."""
    claim = label(team.project, "CLAIM")
    response = client_for(team.annotator).post(
        "/api/v1/annotations/",
        {"document": team.document.pk, "start": 0, "end": 99, "label": claim.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "End 99 is past the end of the text (46 code points).",
        "errors": {"end": ["End 99 is past the end of the text (46 code points)."]},
    }
    assert Annotation.objects.count() == 0


def test_label_of_another_project_is_rejected(team, client_for):
    """A label id from another project is a 400 on `label`."""
    foreign = label(ProjectFactory(), "CLAIM")
    response = client_for(team.annotator).post(
        "/api/v1/annotations/",
        {"document": team.document.pk, "start": 0, "end": 5, "label": foreign.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "label": [f"Label {foreign.pk} is not a label of this document's project."]
    }


def test_document_and_layer_are_checked_before_the_label(team, client_for):
    """An outsider gets 404 and an annotator writing gold 403, whatever label they name."""
    foreign = label(ProjectFactory(), "CLAIM")
    span = {"document": team.document.pk, "start": 0, "end": 5, "label": foreign.pk}
    hidden = client_for(team.outsider).post("/api/v1/annotations/", span, format="json")
    assert hidden.status_code == 404 and hidden.json()["message"] == "Document not found."
    gold = client_for(team.annotator).post("/api/v1/annotations/", {**span, "layer": "gold"}, format="json")
    assert gold.status_code == 403
    assert Annotation.objects.count() == 0


def test_unknown_and_retired_labels_are_rejected(team, client_for):
    """A label id nobody has is a 400 on `label`; so is a retired label of the project, by code."""
    client = client_for(team.annotator)
    span = {"document": team.document.pk, "start": 0, "end": 5}
    unknown = client.post("/api/v1/annotations/", {**span, "label": 987654}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"label": ["Label 987654 is not a label of this document's project."]}
    claim = label(team.project, "CLAIM")
    claim.is_active = False
    claim.save(update_fields=["is_active"])
    retired = client.post("/api/v1/annotations/", {**span, "label": claim.pk}, format="json")
    assert retired.status_code == 400
    assert retired.json()["errors"] == {"label": ["Label CLAIM is retired; pick an active label."]}
    assert Annotation.objects.count() == 0


def test_gold_layer_is_for_reviewers_only(team, client_for):
    """An annotator asking for layer gold gets 403; a reviewer gets 201."""
    data = {
        "document": team.document.pk,
        "start": 0,
        "end": 5,
        "label": label(team.project, "CLAIM").pk,
        "layer": "gold",
    }
    denied = client_for(team.annotator).post("/api/v1/annotations/", data, format="json")
    assert denied.status_code == 403
    assert denied.json()["message"] == "Only reviewers and managers can write the gold layer."
    assert client_for(team.reviewer).post("/api/v1/annotations/", data, format="json").status_code == 201


def test_non_member_gets_404_and_anonymous_401_or_403(team, client_for):
    """Outsiders cannot tell the document exists; anonymous callers must log in."""
    data = {"document": team.document.pk, "start": 0, "end": 5, "label": label(team.project, "CLAIM").pk}
    assert client_for(team.outsider).post("/api/v1/annotations/", data, format="json").status_code == 404
    assert client_for(None).post("/api/v1/annotations/", data, format="json").status_code in (401, 403)
    span = _span(team, team.annotator, 0, 5)
    assert client_for(team.outsider).get(f"/api/v1/annotations/{span.pk}/").status_code == 404
    assert (
        client_for(team.outsider).get(f"/api/v1/documents/{team.document.pk}/workspace/").status_code == 404
    )


def test_annotator_cannot_read_or_change_another_layer(team, client_for):
    """Another annotator's span: read 403, patch 403, delete 403; the reviewer may read it but not change it."""
    span = _span(team, team.annotator, 0, 5)
    other = client_for(team.other)
    assert other.get(f"/api/v1/annotations/{span.pk}/").status_code == 403
    assert (
        other.patch(f"/api/v1/annotations/{span.pk}/", {"version": 1, "note": "x"}, format="json").status_code
        == 403
    )
    assert other.delete(f"/api/v1/annotations/{span.pk}/?version=1").status_code == 403
    reviewer = client_for(team.reviewer)
    assert reviewer.get(f"/api/v1/annotations/{span.pk}/").status_code == 200
    assert (
        reviewer.patch(
            f"/api/v1/annotations/{span.pk}/", {"version": 1, "note": "x"}, format="json"
        ).status_code
        == 403
    )


def test_patch_with_current_version_then_stale_version_conflicts(team, client_for):
    """A patch with version 1 succeeds (version 2); replaying it is a 409 carrying the stored span."""
    span = _span(team, team.annotator, 0, 5)
    client = client_for(team.annotator)
    ok = client.patch(f"/api/v1/annotations/{span.pk}/", {"version": 1, "end": 13}, format="json")
    assert ok.status_code == 200
    assert (ok.json()["end"], ok.json()["quote"], ok.json()["version"]) == (13, "Taxes rose 5%", 2)
    stale = client.patch(f"/api/v1/annotations/{span.pk}/", {"version": 1, "note": "late"}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert body["message"] == "This span was changed elsewhere (you had version 1, it is now 2)."
    assert body["errors"] == {"version": ["Stale version 1; current is 2."]}
    assert body["current"]["version"] == 2 and body["current"]["end"] == 13 and body["current"]["note"] == ""


def test_if_match_header_carries_the_version(team, client_for):
    """If-Match: "1" works like version 1 in the body; a missing version is a 400 on `version`."""
    span = _span(team, team.annotator, 0, 5)
    client = client_for(team.annotator)
    missing = client.patch(f"/api/v1/annotations/{span.pk}/", {"note": "a"}, format="json")
    assert missing.status_code == 400 and list(missing.json()["errors"]) == ["version"]
    ok = client.patch(f"/api/v1/annotations/{span.pk}/", {"note": "a"}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok["ETag"] == '"2"'


def test_delete_needs_the_current_version(team, client_for):
    """DELETE ?version=2 on a version-1 span is a 409; ?version=1 deletes it (204)."""
    span = _span(team, team.annotator, 0, 5)
    client = client_for(team.annotator)
    assert client.delete(f"/api/v1/annotations/{span.pk}/?version=2").status_code == 409
    assert client.delete(f"/api/v1/annotations/{span.pk}/?version=1").status_code == 204
    assert not Annotation.objects.filter(pk=span.pk).exists()


@pytest.mark.usefixtures("relation_path")
def test_relations_create_patch_delete(team, client_for):
    """Evidence supports claim: created 201, retyped to attacks with version 1, deleted with version 2."""
    evidence = _span(team, team.annotator, 0, 13, "EVIDENCE")
    claim = _span(team, team.annotator, 15, 45)
    client = client_for(team.annotator)
    created = client.post(
        "/api/v1/relations/", {"source": evidence.pk, "type": "supports", "target": claim.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    rel = created.json()
    assert (rel["source"], rel["target"], rel["type"], rel["speaker"], rel["version"]) == (
        evidence.pk,
        claim.pk,
        "supports",
        None,
        1,
    )
    patched = client.patch(
        f"/api/v1/relations/{rel['id']}/", {"version": 1, "type": "attacks"}, format="json"
    )
    assert (
        patched.status_code == 200 and patched.json()["type"] == "attacks" and patched.json()["version"] == 2
    )
    stale = client.patch(f"/api/v1/relations/{rel['id']}/", {"version": 1, "note": "x"}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["type"] == "attacks"
    assert client.delete(f"/api/v1/relations/{rel['id']}/?version=2").status_code == 204
    assert Relation.objects.count() == 0


@pytest.mark.usefixtures("relation_path")
def test_relation_to_a_span_in_another_document_is_rejected(team, client_for):
    """The target must be in the source's document: 400 naming `target`."""
    from tests.factories import DocumentFactory

    other_doc = DocumentFactory(project=team.project, text="Another text entirely.")
    source = _span(team, team.annotator, 0, 5)
    target = AnnotationFactory(document=other_doc, annotator=team.annotator, start=0, end=7)
    response = client_for(team.annotator).post(
        "/api/v1/relations/", {"source": source.pk, "type": "supports", "target": target.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["target"]
    assert "relations link spans of one document" in response.json()["message"]
    assert Relation.objects.count() == 0


def test_speakers_are_found_case_insensitively_or_created(team, client_for):
    """POST the same name in other case returns the existing speaker with 200."""
    client = client_for(team.annotator)
    first = client.post(
        "/api/v1/speakers/", {"name": "Ministry of Truth", "kind": "government"}, format="json"
    )
    again = client.post(
        "/api/v1/speakers/", {"name": "ministry of truth", "kind": "government"}, format="json"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {"id": first.json()["id"], "name": "Ministry of Truth", "kind": "government"}
    listed = client.get("/api/v1/speakers/?name=ministry").json()
    assert [s["id"] for s in listed["results"]] == [first.json()["id"]]


@pytest.mark.usefixtures("relation_path")
def test_attribution_to_a_speaker(team, client_for):
    """attributed_to takes a speaker and no target."""
    speaker = SpeakerFactory(name="Dr. Who")
    claim = _span(team, team.annotator, 15, 45)
    response = client_for(team.annotator).post(
        "/api/v1/relations/",
        {"source": claim.pk, "type": "attributed_to", "speaker": speaker.pk},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["speaker"], response.json()["target"]) == (speaker.pk, None)


def test_workspace_payload_for_an_annotator(team, client_for):
    """The workspace returns the document, labels, the caller's layer, its relations and speakers."""
    evidence = _span(team, team.annotator, 0, 13, "EVIDENCE")
    claim = _span(team, team.annotator, 15, 45)
    _span(team, team.other, 0, 5)  # another layer: not included
    RelationFactory(source=evidence, target=claim)
    speaker = SpeakerFactory(name="Experts", kind="anonymous")
    RelationFactory(source=claim, type="attributed_to", speaker=speaker)
    response = client_for(team.annotator).get(f"/api/v1/documents/{team.document.pk}/workspace/")
    assert response.status_code == 200
    body = response.json()
    assert body["document"]["text"] == team.document.text
    assert body["document"]["char_count"] == 46
    assert body["project"] == {"id": team.project.pk, "name": team.project.name, "role": "annotator"}
    assert [lab["code"] for lab in body["labels"]] == ["CLAIM", "EVIDENCE", "OPINION", "HEDGE"]
    assert body["layer"]["annotator"] == {"id": team.annotator.pk, "username": "ann"}
    assert body["layer"]["layer"] == "annotator" and body["layer"]["read_only"] is False
    assert [(a["start"], a["end"]) for a in body["annotations"]] == [(0, 13), (15, 45)]
    assert sorted(r["type"] for r in body["relations"]) == ["attributed_to", "supports"]
    assert body["speakers"] == [{"id": speaker.pk, "name": "Experts", "kind": "anonymous"}]
    assert body["annotators"] == [{"id": team.annotator.pk, "username": "ann", "state": None}]


def test_workspace_layer_selection_permissions(team, client_for):
    """Annotators cannot open other layers or gold (403); reviewers can, read-only for other layers."""
    _span(team, team.other, 0, 5)
    url = f"/api/v1/documents/{team.document.pk}/workspace/"
    ann = client_for(team.annotator)
    assert ann.get(f"{url}?annotator={team.other.pk}").status_code == 403
    assert ann.get(f"{url}?layer=gold").status_code == 403
    rev = client_for(team.reviewer).get(f"{url}?annotator={team.other.pk}").json()
    assert rev["layer"]["read_only"] is True and len(rev["annotations"]) == 1
    gold = client_for(team.reviewer).get(f"{url}?layer=gold").json()
    assert gold["layer"] == {"annotator": None, "layer": "gold", "read_only": False, "assignment": None}


def test_submit_makes_the_layer_read_only(team, client_for):
    """After submit the assignment is submitted and further edits are refused with 400 on `document`."""
    span = _span(team, team.annotator, 0, 5)
    client = client_for(team.annotator)
    response = client.post(f"/api/v1/documents/{team.document.pk}/submit/")
    assert response.status_code == 200
    assert response.json()["assignment"]["state"] == AssignmentState.SUBMITTED
    refused = client.patch(f"/api/v1/annotations/{span.pk}/", {"version": 1, "note": "x"}, format="json")
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["document"]
    ws = client.get(f"/api/v1/documents/{team.document.pk}/workspace/").json()
    assert ws["layer"]["read_only"] is True and ws["layer"]["assignment"]["state"] == "submitted"


def test_bulk_is_all_or_nothing(team, client_for):
    """Two spans and a relation by ref are created together; a bad second span stores nothing."""
    claim, evidence = label(team.project, "CLAIM").pk, label(team.project, "EVIDENCE").pk
    doc = team.document.pk
    client = client_for(team.annotator)
    ok = client.post(
        "/api/v1/annotations/bulk/",
        {
            "annotations": [
                {"ref": "e", "document": doc, "start": 0, "end": 13, "label": evidence},
                {"ref": "c", "document": doc, "start": 15, "end": 45, "label": claim},
            ],
            "relations": [{"source_ref": "e", "type": "supports", "target_ref": "c"}],
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert len(ok.json()["annotations"]) == 2 and ok.json()["relations"][0]["type"] == "supports"
    bad = client.post(
        "/api/v1/annotations/bulk/",
        {
            "annotations": [
                {"document": doc, "start": 0, "end": 5, "label": claim},
                {"document": doc, "start": 40, "end": 50, "label": claim},
            ]
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == {
        "annotations[1].end": ["End 50 is past the end of the text (46 code points)."]
    }
    assert Annotation.objects.count() == 2


def test_job_is_visible_to_its_creator_only(team, client_for):
    """GET /jobs/{id}/ for the creator; someone else gets 404."""
    from annotator.jobs.services import job_create

    job = job_create(kind="ping", created_by=team.annotator)
    mine = client_for(team.annotator).get(f"/api/v1/jobs/{job.pk}/")
    assert mine.status_code == 200
    assert set(mine.json()) >= {
        "id",
        "kind",
        "state",
        "progress",
        "counts",
        "errors",
        "message",
        "result_url",
        "created_at",
        "started_at",
        "finished_at",
    }
    assert client_for(team.other).get(f"/api/v1/jobs/{job.pk}/").status_code == 404


def test_bulk_undoes_the_spans_when_a_relation_fails(team, client_for):
    """Good spans then a relation to a span of another document: 400 naming relations[1].target, nothing kept."""
    from tests.factories import DocumentFactory

    elsewhere = AnnotationFactory(
        document=DocumentFactory(project=team.project, text="Another text entirely."),
        annotator=team.annotator, start=0, end=7,
    )  # fmt: skip
    claim, evidence = label(team.project, "CLAIM").pk, label(team.project, "EVIDENCE").pk
    doc = team.document.pk
    response = client_for(team.annotator).post(
        "/api/v1/annotations/bulk/",
        {
            "annotations": [
                {"ref": "e", "document": doc, "start": 0, "end": 13, "label": evidence},
                {"ref": "c", "document": doc, "start": 15, "end": 45, "label": claim},
            ],
            "relations": [
                {"source_ref": "e", "type": "supports", "target_ref": "c"},
                {"source_ref": "c", "type": "attacks", "target": elsewhere.pk},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["relations[1].target"]
    assert response.json()["message"].startswith("relations[1]: ")
    assert list(Annotation.objects.values_list("pk", flat=True)) == [elsewhere.pk]
    assert Relation.objects.count() == 0


def test_stale_if_match_is_a_409_with_the_current_version(team, client_for):
    """If-Match: "1" after the span moved to version 2: 409 with the stored span; nothing changes."""
    span = _span(team, team.annotator, 0, 5)
    client = client_for(team.annotator)
    assert client.patch(f"/api/v1/annotations/{span.pk}/", {"note": "a"}, format="json",
                        HTTP_IF_MATCH='"1"').status_code == 200  # fmt: skip
    stale = client.patch(f"/api/v1/annotations/{span.pk}/", {"note": "b"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    assert stale.json()["errors"] == {"version": ["Stale version 1; current is 2."]}
    assert (stale.json()["current"]["version"], stale.json()["current"]["note"]) == (2, "a")
    gone = client.delete(f"/api/v1/annotations/{span.pk}/", HTTP_IF_MATCH='"1"')
    assert gone.status_code == 409 and gone.json()["current"]["version"] == 2
    assert Annotation.objects.get(pk=span.pk).note == "a"


@pytest.mark.usefixtures("relation_path")
def test_relation_to_a_span_outside_your_projects_is_a_404_naming_the_field(team, client_for):
    """A source span in a project you are not in: 404 on `source`, as for any object of that project."""
    span = _span(team, team.annotator, 0, 5)
    response = client_for(team.outsider).post(
        "/api/v1/relations/", {"source": span.pk, "type": "supports"}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["errors"] == {"source": [f"There is no span {span.pk} in your projects."]}


def test_workspace_body_matches_the_list_endpoints_and_the_schema(team, client_for):
    """The body PostgreSQL writes has the schema's keys, and its spans and relations are exactly
    the rows the list endpoints return for the layer (fields, timestamps, order)."""
    from api.workspace import WorkspaceSerializer

    evidence = _span(team, team.annotator, 0, 13, "EVIDENCE")
    claim = _span(team, team.annotator, 15, 45)
    RelationFactory(source=evidence, target=claim)
    RelationFactory(source=claim, type="attributed_to", speaker=SpeakerFactory(name="Experts"))
    client = client_for(team.annotator)
    body = client.get(f"/api/v1/documents/{team.document.pk}/workspace/").json()
    assert set(body) == set(WorkspaceSerializer().fields)
    spans = client.get(f"/api/v1/annotations/?document={team.document.pk}").json()["results"]
    links = client.get(f"/api/v1/relations/?document={team.document.pk}").json()["results"]
    assert body["annotations"] == sorted(spans, key=lambda s: (s["start"], s["end"], s["id"]))
    assert body["relations"] == sorted(links, key=lambda r: r["id"])
    assert set(body["labels"][0]) == set(WorkspaceSerializer().fields["labels"].child.fields)
