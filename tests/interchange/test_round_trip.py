"""Native export -> import into a new project -> export gives the same file, apart from ids and timestamps.

What a user made must survive: layer review states and their reasons, span and relation
review statuses and reasons, and the origin of a gold span (the annotator span it was taken from).
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, Relation
from annotator.projects.models import Role
from annotator.reviews.models import Assignment
from tests.factories import AssignmentFactory, MembershipFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db


def _export(user, project) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/projects/{project.pk}/export/?format=native")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def _normalised(data: dict) -> dict:
    """The file with ids, timestamps and the project's own name replaced by what they point at."""
    data = json.loads(json.dumps(data))
    data.pop("exported_at")
    data.pop("project")
    for document in data["documents"]:
        document.pop("id")
        spans = {
            a["id"]: (a["start"], a["end"], a["label"])
            for layer in document["layers"]
            for a in layer["annotations"]
        }
        links = {
            r["id"]: (spans[r["source"]], spans.get(r["target"]), r["type"])
            for layer in document["layers"]
            for r in layer["relations"]
        }
        for layer in document["layers"]:
            for a in layer["annotations"]:
                a["origin"] = spans.get(a["origin"])
                for key in ("id", "created_at", "updated_at"):
                    a.pop(key)
            for r in layer["relations"]:
                r["source"], r["target"], r["origin"] = (
                    spans[r["source"]],
                    spans.get(r["target"]),
                    links.get(r["origin"]),
                )
                r.pop("id")
    return data


@pytest.fixture
def reviewed(mapped, settings, tmp_path):
    """The mapped project after review: the annotator's layer sent back with a reason, a span
    rejected with a reason, a relation accepted with a note, and a gold span taken from the annotator's."""
    settings.MEDIA_ROOT = tmp_path
    AssignmentFactory(document=mapped.document, annotator=mapped.annotator, state="changes_requested",
                      reason="Split the second claim.", submitted_at=timezone.now())  # fmt: skip
    Annotation.objects.filter(pk=mapped.taxes.pk).update(
        status="rejected", status_reason="Not evidence: a headline."
    )
    relation = Relation.objects.filter(source=mapped.taxes).get()
    Relation.objects.filter(pk=relation.pk).update(status="accepted", status_reason="Clear support.")
    Annotation.objects.filter(pk=mapped.gold.pk).update(origin=mapped.growth, status="accepted")
    return mapped


def test_native_round_trip_is_exact(reviewed, django_capture_on_commit_callbacks):
    """Layer state and reason, span and relation statuses and reasons, and gold origins all come back."""
    first = _export(reviewed.reviewer, reviewed.project)
    layer = next(layer for layer in first["documents"][0]["layers"] if layer["layer"] == "annotator")
    assert (layer["state"], layer["reason"]) == ("changes_requested", "Split the second claim.")
    gold = next(layer for layer in first["documents"][0]["layers"] if layer["layer"] == "gold")
    assert gold["annotations"][0]["origin"] == reviewed.growth.pk

    target = ProjectFactory(slug="copy")
    boss = member(target, Role.MANAGER, username="copy-boss")
    for user, role in ((reviewed.annotator, Role.ANNOTATOR), (reviewed.reviewer, Role.REVIEWER)):
        MembershipFactory(project=target, user=user, role=role)
    client = APIClient()
    client.force_authenticate(boss)
    upload = SimpleUploadedFile("map.json", json.dumps(first).encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/projects/{target.pk}/imports/", {"file": [upload]}, format="multipart"
        )
    assert response.status_code in (201, 202), response.json()

    second = _export(boss, target)
    assert _normalised(second) == _normalised(first)
    copied = Assignment.objects.get(project=target, annotator=reviewed.annotator)
    assert (copied.state, copied.reason) == ("changes_requested", "Split the second claim.")
    gold_copy = Annotation.objects.get(project=target, layer="gold")
    assert (gold_copy.origin.start, gold_copy.origin.end, gold_copy.origin.layer) == (15, 45, "annotator")


def test_a_changes_requested_layer_without_reason_is_refused(
    mapped, settings, tmp_path, django_capture_on_commit_callbacks
):
    """A native layer in state changes_requested needs its reason (as the database requires)."""
    settings.MEDIA_ROOT = tmp_path
    data = _export(mapped.reviewer, mapped.project)
    data["documents"][0]["layers"][0]["state"] = "changes_requested"
    target = ProjectFactory(slug="copy2")
    boss = member(target, Role.MANAGER, username="copy-boss2")
    client = APIClient()
    client.force_authenticate(boss)
    upload = SimpleUploadedFile("map.json", json.dumps(data).encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/projects/{target.pk}/imports/", {"file": [upload]}, format="multipart"
        )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "map.json documents[0]": [
            "documents[0].layers[0].reason is required when the state is changes_requested"
        ]
    }
