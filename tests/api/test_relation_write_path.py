"""The relation write path: one statement (relation_sql.py) against the general path.

A relation POST is one statement that checks every rule (RULES) and writes the
relation, its history row and its credibility marks; when a rule refuses, the
general path (access checks one by one, then relation_create) names it. These
tests hold the two to each other: over a grid of callers, spans, speakers and
types, the statement writes exactly when the general path succeeds, and the first
rule it reports is the one the general path raises. A rule added to one path and
not the other fails here.
"""

import itertools

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import api.relations
from annotator.annotations.models import Relation
from annotator.annotations.relation_sql import RULES, relation_insert_checked
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.credibility import tasks
from annotator.credibility.models import ScoreDirty
from annotator.projects.models import Role
from annotator.reviews.models import Assignment, AssignmentState
from api.relations import relation_create_from_input
from tests.factories import (
    AnnotationFactory,
    DocumentFactory,
    ProjectFactory,
    RelationFactory,
    SpeakerFactory,
    UserFactory,
    label,
    member,
)

TEXT = "Taxes rose 5%. Experts say growth will follow. Officials disagree."
MISSING = 2**40

# The error the general path raises for each rule: (error class, field or None).
RULE_ERRORS = {
    "source_visible": (NotFound, "source"),
    "layer_writable": (PermissionDenied, None),
    "target_visible": (NotFound, "target"),
    "speaker_exists": (ApplicationError, "speaker"),
    "type_known": (ApplicationError, "type"),
    "speaker_given": (ApplicationError, "speaker"),
    "target_given": (ApplicationError, "target"),
    "speaker_only_attributed": (ApplicationError, "speaker"),
    "not_self": (ApplicationError, "target"),
    "same_document": (ApplicationError, "target"),
    "same_layer": (ApplicationError, "target"),
    "source_kind_fits": (ApplicationError, "source"),
    "target_kind_fits": (ApplicationError, "target"),
    "layer_editable": (ApplicationError, "document"),
    "not_duplicate": (ApplicationError, "non_field_errors"),
}


def test_every_rule_of_the_statement_has_its_general_path_error():
    """The table above and the statement's rules name the same rules."""
    assert set(RULE_ERRORS) == set(RULES)


def _world():
    project, other_project = ProjectFactory(), ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT)
    second = DocumentFactory(project=project, text=TEXT + " Again.")
    submitted = DocumentFactory(project=project, text=TEXT + " Once more.")
    annotator = member(project, Role.ANNOTATOR, username="ann")
    colleague = member(project, Role.ANNOTATOR, username="col")
    reviewer = member(project, Role.REVIEWER, username="rev")
    outsider = member(other_project, Role.MANAGER, username="out")
    superuser = UserFactory(username="root", is_superuser=True)
    for doc, state in [(document, AssignmentState.IN_PROGRESS), (submitted, AssignmentState.SUBMITTED)]:
        Assignment.objects.create(project=project, document=doc, annotator=annotator, state=state,
                                  submitted_at="2026-01-01T00:00:00Z")  # fmt: skip
    claim = label(project, "CLAIM")

    def span(doc, user, start, layer="annotator"):
        return AnnotationFactory(
            document=doc, annotator=user, start=start, end=start + 5, label=claim, layer=layer
        )

    spans = {
        "own": span(document, annotator, 0),
        "own2": span(document, annotator, 6),
        "own_other_doc": span(second, annotator, 0),
        "own_submitted": span(submitted, annotator, 0),
        "colleague": span(document, colleague, 0),
        "gold": span(document, reviewer, 0, layer="gold"),
        "gold2": span(document, reviewer, 6, layer="gold"),
        # A hedge can qualify or be attributed, never support or be supported (annotations/rules.py).
        "own_hedge": AnnotationFactory(document=document, annotator=annotator, start=15, end=22,
                                       label=label(project, "HEDGE")),
        "elsewhere": AnnotationFactory(document=DocumentFactory(project=other_project, text=TEXT),
                                       annotator=outsider, start=0, end=5),
    }  # fmt: skip
    speaker = SpeakerFactory(name="Officials")
    # Existing links, so the duplicate rule is met in the grid.
    RelationFactory(source=spans["own"], target=spans["own2"], type="supports")
    RelationFactory(source=spans["own"], type="attributed_to", speaker=speaker)
    RelationFactory(source=spans["gold"], target=spans["gold2"], type="supports")
    users = {"annotator": annotator, "reviewer": reviewer, "outsider": outsider, "superuser": superuser}
    return users, {k: v.pk for k, v in spans.items()}, speaker.pk


def _general(user, data):
    """The general path's verdict: None (written) or (error class, field)."""
    try:
        with transaction.atomic():
            relation_create_from_input(user=user, data={**data, "note": ""}, source=None, target=None)
            transaction.set_rollback(True)
    except ApplicationError as error:
        field = next(iter(error.errors), None)
        # NotFound and PermissionDenied are ApplicationErrors too: compare the exact class.
        return type(error), field
    return None


def _statement(user, data) -> tuple[str, ...]:
    """The statement's verdict: the rules it refused (none: it wrote the relation)."""
    with transaction.atomic():
        outcome = relation_insert_checked(
            user=user, source_id=data["source"], type=data["type"], target_id=data["target"],
            speaker_id=data["speaker"], note="", now="2026-01-01T00:00:00Z", marks=False,
        )  # fmt: skip
        assert (outcome.relation is None) == bool(outcome.refused)
        transaction.set_rollback(True)
    return outcome.refused


@pytest.mark.django_db
def test_the_statement_and_the_general_path_agree_on_every_case_of_the_grid(monkeypatch):
    """For every caller x source x target x speaker x type: the statement writes exactly when
    the general path does, and its first refused rule is the error the general path raises.
    Every rule is the first refusal somewhere in the grid (so each is compared)."""
    monkeypatch.setattr(api.relations, "relation_create_checked", lambda **kwargs: None)
    users, spans, speaker = _world()
    sources = [spans[k] for k in ("own", "own_hedge", "own_submitted", "colleague", "gold", "elsewhere")] + [
        MISSING
    ]
    targets = [None] + [
        spans[k] for k in ("own", "own2", "own_hedge", "own_other_doc", "colleague", "gold2", "elsewhere")
    ]
    targets.append(MISSING)
    speakers = [None, speaker, MISSING]
    types = ["supports", "attributed_to", "sideways"]
    first_refusals = set()
    mismatches = []
    for (name, user), source, target, speaker_id, kind in itertools.product(
        users.items(), sources, targets, speakers, types
    ):
        data = {"source": source, "target": target, "speaker": speaker_id, "type": kind}
        refused = _statement(user, data)
        expected = RULE_ERRORS[refused[0]] if refused else None
        got = _general(user, data)
        if got != expected:
            mismatches.append((name, data, refused, got))
        if refused:
            first_refusals.add(refused[0])
    assert mismatches == []
    assert first_refusals == set(RULES)


# The API end to end, outside a test transaction: the statement commits for real.


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.scores_recompute_dirty, "apply_async", lambda **kw: calls.append(kw))
    return calls


@pytest.fixture
def scene(transactional_db):
    class Scene:
        project = ProjectFactory()
        document = DocumentFactory(project=project, text=TEXT)
        annotator = member(project, Role.ANNOTATOR, username="ann")
        claim = AnnotationFactory(document=document, annotator=annotator, start=0, end=5)
        evidence = AnnotationFactory(document=document, annotator=annotator, start=6, end=13,
                                     label=label(project, "EVIDENCE"))  # fmt: skip
        speaker = SpeakerFactory(name="Officials")

    Assignment.objects.create(project=Scene.project, document=Scene.document, annotator=Scene.annotator,
                              state=AssignmentState.IN_PROGRESS)  # fmt: skip
    ScoreDirty.objects.all().delete()
    return Scene


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _marks(scene) -> list:
    return sorted(ScoreDirty.objects.filter(project=scene.project).values_list("kind", "entity_id", "claim"))


def test_a_relation_is_checked_and_stored_with_history_and_marks_in_one_statement(scene, sent):
    """Two queries (token, the statement): 201 with the relation and its ETag, a "+" history row
    naming the token's user, the document marked dirty and one recompute queued; the target
    span is flagged supported by the trigger."""
    client = _client(scene.annotator)
    client.post("/api/v1/relations/", {}, format="json")  # opens the connection: not counted
    body = {"source": scene.evidence.pk, "type": "supports", "target": scene.claim.pk, "note": "n"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/relations/", body, format="json")
    assert response.status_code == 201, response.json()
    assert len(queries) == 2, [q["sql"] for q in queries]
    relation = Relation.objects.get(pk=response.json()["id"])
    assert response["ETag"] == '"1"'
    assert response.json() == {
        "id": relation.pk, "document": scene.document.pk, "annotator": scene.annotator.pk, "layer": "annotator",
        "type": "supports", "source": scene.evidence.pk, "target": scene.claim.pk, "speaker": None, "note": "n",
        "status": "pending", "status_reason": "", "version": 1,
        "created_at": relation.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": relation.updated_at.isoformat().replace("+00:00", "Z"),
    }  # fmt: skip
    history = relation.history.get()
    assert (history.history_type, history.history_user, history.type, history.note) == (
        "+", scene.annotator, "supports", "n",
    )  # fmt: skip
    assert history.history_date == relation.created_at
    assert _marks(scene) == [("document", scene.document.pk, None), ("scheduled", 0, None)]
    assert sent == [{"kwargs": {"project_id": scene.project.pk}, "countdown": 2.0}]
    with connection.cursor() as cursor:
        cursor.execute("SELECT is_supported FROM annotations_annotation WHERE id = %s", [scene.claim.pk])
        assert cursor.fetchone() == (True,)


def test_an_attribution_marks_its_document_and_its_speaker(scene, sent):
    """attributed_to with a speaker: the speaker is marked dirty beside the document."""
    response = _client(scene.annotator).post(
        "/api/v1/relations/", {"source": scene.claim.pk, "type": "attributed_to", "speaker": scene.speaker.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert _marks(scene) == [
        ("document", scene.document.pk, None), ("scheduled", 0, None), ("speaker", scene.speaker.pk, None),
    ]  # fmt: skip
    assert len(sent) == 1


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        ({"type": "supports", "target": "claim"}, 400, {"non_field_errors": ["These spans are already linked with supports."]}),
        ({"type": "supports", "target": "evidence"}, 400, {"target": ["A span cannot be linked to itself."]}),
        ({"type": "supports"}, 400, {"target": ["supports needs a target span."]}),
        ({"type": "supports", "target": MISSING}, 404, {"target": [f"There is no span {MISSING} in your projects."]}),
    ],
)  # fmt: skip
def test_a_refused_relation_names_its_rule_and_writes_nothing(scene, sent, body, status, errors):
    """A refusal answers as the general path always has (status, field, message); nothing
    is written: no relation, history row or mark beyond the one existing link."""
    RelationFactory(source=scene.evidence, target=scene.claim, type="supports")
    ScoreDirty.objects.all().delete()
    data = {"source": scene.evidence.pk, **body}
    data["target"] = {"claim": scene.claim.pk, "evidence": scene.evidence.pk}.get(
        data.get("target"), data.get("target")
    )
    response = _client(scene.annotator).post("/api/v1/relations/", data, format="json")
    assert response.status_code == status
    assert response.json()["errors"] == errors
    assert Relation.objects.count() == 1 and Relation.history.count() == 1 and _marks(scene) == []


def test_a_read_only_layer_refuses_the_relation(scene, sent):
    """A submitted layer: 400 on ``document`` naming the state; nothing stored."""
    Assignment.objects.filter(document=scene.document).update(state=AssignmentState.SUBMITTED,
                                                              submitted_at="2026-01-01T00:00:00Z")  # fmt: skip
    response = _client(scene.annotator).post(
        "/api/v1/relations/", {"source": scene.evidence.pk, "type": "supports", "target": scene.claim.pk},
        format="json",
    )  # fmt: skip
    message = "This layer is submitted and read-only until a reviewer sends it back."
    assert (response.status_code, response.json()) == (
        400,
        {"message": message, "errors": {"document": [message]}},
    )
    assert not Relation.objects.exists() and _marks(scene) == []
