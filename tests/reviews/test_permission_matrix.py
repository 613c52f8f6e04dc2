"""Every review endpoint by role: non-member 404, too small a role 403, allowed roles 2xx."""

import pytest
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation
from annotator.projects.models import Role
from tests.factories import RelationFactory, member

OUT, ANN, REV, MGR = "outsider", "annotator", "reviewer", "manager"


def endpoints(scene):
    """(method, url, body, {role: expected status})."""
    span = Annotation.objects.get(annotator=scene.ann2, start=23)
    claim = Annotation.objects.get(annotator=scene.ann2, start=0)
    evidence = Annotation.objects.get(annotator=scene.ann2, start=12)
    relation = RelationFactory(source=evidence, target=claim, type="attacks")
    doc, project = scene.document.pk, scene.project.pk
    review = {OUT: 404, ANN: 403, REV: 200, MGR: 200}
    manage = {OUT: 404, ANN: 403, REV: 403, MGR: 200}
    return [
        ("post", f"assignments/{scene.a2.pk}/approve/", {}, review),
        ("post", f"assignments/{scene.a2.pk}/request-changes/", {"reason": "x"}, review),
        (
            "post",
            f"projects/{project}/assignments/bulk/",
            {"annotators": ["other"], "overlap": 1},
            {**manage, MGR: 201},
        ),
        ("get", f"projects/{project}/progress/", None, manage),
        ("post", f"annotations/{span.pk}/accept/", {}, review),
        ("post", f"annotations/{span.pk}/reject/", {"reason": "no"}, review),
        ("post", f"annotations/{span.pk}/correct/", {"start": 24}, review),
        ("post", f"relations/{relation.pk}/accept/", {}, review),
        ("post", f"relations/{relation.pk}/reject/", {"reason": "no"}, review),
        ("post", f"relations/{relation.pk}/correct/", {"type": "supports"}, review),
        ("post", f"documents/{doc}/gold/accept/", {"annotation": span.pk}, {**review, REV: 201, MGR: 201}),
        ("post", f"documents/{doc}/gold/accept-agreed/", None, review),
        ("get", f"documents/{doc}/agreement/", None, review),
        ("get", f"projects/{project}/agreement/", None, review),
        ("get", "review-queue/", None, {OUT: 200, ANN: 200, REV: 200, MGR: 200}),
        ("post", f"projects/{project}/agreement/compute/", None, {**review, REV: 202, MGR: 202}),
        ("get", f"documents/{doc}/history/", None, review),
        ("get", f"annotations/{span.pk}/history/", None, review),
        (
            "post",
            "history/restore/",
            {"model": "annotation", "history_id": span.history.get().history_id},
            manage,
        ),
        # last: it moves ann2's assignment away
        ("post", f"assignments/{scene.a2.pk}/reassign/", {"annotator": "new"}, {**manage, MGR: 201}),
    ]


@pytest.mark.parametrize("role", [OUT, ANN, REV, MGR])
def test_review_endpoints_by_role(scene, role):
    """The annotator here is ann1: a member, but not the author of the reviewed layer (ann2)."""
    user = {OUT: scene.outsider, ANN: scene.ann1, REV: scene.reviewer, MGR: scene.manager}[role]
    client = APIClient()
    client.force_authenticate(user)
    new = member(scene.project, Role.ANNOTATOR, username="newcomer")
    other = member(scene.project, Role.ANNOTATOR, username="other")
    failures = []
    for method, url, body, expected in endpoints(scene):
        if body:
            body = {
                k: ([other.pk] if v == ["other"] else new.pk if v == "new" else v) for k, v in body.items()
            }
        response = getattr(client, method)(f"/api/v1/{url}", body or {}, format="json")
        if response.status_code != expected[role]:
            failures.append((method, url, response.status_code, expected[role], response.json()))
        if expected[role] in (403, 404):
            assert set(response.json()) == {"message", "errors"}
        # every endpoint is called against fresh state: undo what a success changed
        scene.a2.__class__.objects.filter(pk=scene.a2.pk).update(state="submitted", reason="")
    assert failures == []
