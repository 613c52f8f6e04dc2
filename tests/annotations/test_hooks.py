"""annotations/hooks.py: every write path reports what changed, and the layer guard is reviews'."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from annotator.annotations import hooks
from annotator.annotations.relation_services import relation_create_checked, relation_delete
from annotator.annotations.services import annotation_create, annotation_update
from annotator.core.errors import ApplicationError
from annotator.projects.models import Role
from annotator.reviews.models import AssignmentState
from annotator.reviews.services import LAYER_GUARD
from tests.factories import AssignmentFactory, DocumentFactory, SpeakerFactory, label, member


@pytest.fixture
def heard(monkeypatch):
    """A second subscriber, without SQL of its own, beside credibility's."""
    calls = []
    subscriber = hooks.Subscriber(
        name="test", changed=lambda project_id, **keys: calls.append((project_id, keys))
    )
    monkeypatch.setitem(hooks._registry.subscribers, "test", subscriber)
    return calls


@pytest.mark.django_db(transaction=True)
def test_single_statement_and_orm_writes_each_report_their_document_and_speaker_once(heard):
    """Outside a transaction a span and an attribution are one statement each (no post_save):
    the hook still reports them, as it reports the ORM's update and delete. Each write is heard
    once, with the project, the document and (for the attribution) the speaker."""
    doc = DocumentFactory(text="Taxes rose. Everyone agrees.")
    annotator = member(doc.project, Role.ANNOTATOR)
    AssignmentFactory(document=doc, annotator=annotator, state=AssignmentState.IN_PROGRESS)
    speaker = SpeakerFactory()
    span = annotation_create(
        document=doc, annotator=annotator, start=0, end=11, label=label(doc.project, "CLAIM")
    )
    annotation_update(annotation=span, version=span.version, note="checked")
    relation = relation_create_checked(
        user=annotator, source_id=span.pk, type="attributed_to", speaker_id=speaker.pk
    )
    relation_delete(relation=relation)
    project, document = doc.project_id, [doc.pk]
    assert heard == [
        (project, {"document_ids": document, "speaker_ids": []}),
        (project, {"document_ids": document, "speaker_ids": []}),
        (project, {"document_ids": document, "speaker_ids": [speaker.pk]}),
        (project, {"document_ids": document, "speaker_ids": [speaker.pk]}),
    ]


@pytest.mark.django_db
def test_a_paused_subscriber_hears_nothing(monkeypatch):
    """A bulk loader's pause (credibility's scores_signals_suspended) silences that subscriber only."""
    calls = []
    monkeypatch.setitem(
        hooks._registry.subscribers,
        "paused",
        hooks.Subscriber(name="paused", changed=lambda *a, **k: calls.append(a), paused=lambda: True),
    )
    hooks.changed(7, document_ids=[1])
    assert calls == []


def test_a_second_subscriber_marking_inside_the_statement_is_refused():
    """The write statement returns one "scheduled" flag, so only one subscriber may add SQL to it."""
    other = hooks.Subscriber(
        name="other",
        changed=lambda *a, **k: None,
        statement=hooks.StatementMarks(ctes=str, params=dict, committed=lambda project_id: None),
    )
    with pytest.raises(ImproperlyConfigured, match="credibility already marks inside the write statement"):
        hooks.subscribe(other)


def test_the_layer_guard_is_the_review_lifecycle():
    """reviews registers its rules: annotators edit while assigned, in progress or sent back."""
    assert hooks.layer_guard() is LAYER_GUARD
    assert LAYER_GUARD.editable_states == {"assigned", "in_progress", "changes_requested"}
    assert LAYER_GUARD.editing_states == {"in_progress", "changes_requested"}


@pytest.mark.django_db
def test_a_submitted_layer_refuses_an_edit_through_the_guard():
    """The guard's message names the layer's state and the field."""
    doc = DocumentFactory(text="Taxes rose. Everyone agrees.")
    annotator = member(doc.project, Role.ANNOTATOR)
    AssignmentFactory(
        document=doc, annotator=annotator, state=AssignmentState.SUBMITTED, submitted_at="2026-01-01T00:00Z"
    )
    with pytest.raises(ApplicationError) as raised:
        annotation_create(
            document=doc, annotator=annotator, start=0, end=11, label=label(doc.project, "CLAIM")
        )
    assert raised.value.errors == {
        "document": ["This layer is submitted and read-only until a reviewer sends it back."]
    }
