"""The history page's model: readable lines grouped by action, filters, and undo (issue 16, item 6)."""

import datetime

import pytest
from django.db.models import F

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.core.errors import ApplicationError, PermissionDenied
from annotator.reviews.accept_agreed import gold_accept_agreed
from annotator.reviews.history_actions import document_history_actions, history_action_undo
from annotator.reviews.models import Assignment
from annotator.reviews.services import assignment_approve, assignment_request_changes, assignment_submit


def later():
    """Everything recorded so far happened an hour ago: the next change is a new action."""
    for model in (Annotation, Relation, Assignment):
        model.history.update(history_date=F("history_date") - datetime.timedelta(hours=1))


def test_accept_all_agreed_is_one_readable_action_and_undo_puts_it_all_back(scene):
    """Accepting the agreed CLAIM "The cat sat" writes three rows (a gold copy, two statuses):
    one action by rev, each line naming the span by label and quote; undo deletes the gold copy
    and puts both annotators' spans back to pending."""
    later()
    gold_accept_agreed(document=scene.document, reviewer=scene.reviewer)
    newest = document_history_actions(document=scene.document, user=scene.reviewer)[0]
    assert newest.user == "rev"
    assert [line.text for line in newest.lines] == [
        "copied CLAIM “The cat sat” into the gold layer",
        "accepted ann1's CLAIM “The cat sat”",
        "accepted ann2's CLAIM “The cat sat”",
    ]
    assert newest.summary == "accepted 2, copied to gold"
    changed = history_action_undo(document=scene.document, items=newest.items, manager=scene.manager)
    assert changed == 3
    assert not Annotation.objects.filter(document=scene.document, layer=Layer.GOLD).exists()
    assert set(Annotation.objects.filter(start=0).values_list("status", flat=True)) == {"pending"}


def test_undoing_an_approval_does_not_bring_back_a_stale_reason(scene):
    """ann1's layer was sent back ("Mark the hedge."), resubmitted, then approved: undoing the
    approval makes it submitted again with no reason (the request it explained is over)."""
    assignment_request_changes(assignment=scene.a1, reviewer=scene.reviewer, reason="Mark the hedge.")
    assignment_submit(document=scene.document, annotator=scene.ann1)
    later()
    assignment_approve(assignment=Assignment.objects.get(pk=scene.a1.pk), reviewer=scene.reviewer)
    approval = document_history_actions(document=scene.document, user=scene.manager)[0]
    assert [line.text for line in approval.lines] == ["approved ann1's layer"]
    with pytest.raises(PermissionDenied, match="needs the manager role"):
        history_action_undo(document=scene.document, items=approval.items, manager=scene.reviewer)
    history_action_undo(document=scene.document, items=approval.items, manager=scene.manager)
    a1 = Assignment.objects.get(pk=scene.a1.pk)
    assert (a1.state, a1.reason, a1.reviewed_by) == ("submitted", "", scene.reviewer)


def test_filters_by_person_kind_and_date(scene):
    """Only rev's actions, only assignment lines, only today's; a bad kind names the field."""
    assignment_approve(assignment=scene.a1, reviewer=scene.reviewer)
    mine = document_history_actions(document=scene.document, user=scene.reviewer, person=scene.reviewer.pk)
    assert [line.text for a in mine for line in a.lines] == ["approved ann1's layer"]
    kinds = document_history_actions(document=scene.document, user=scene.reviewer, kind="assignments")
    assert {line.model for a in kinds for line in a.lines} == {"assignment"}
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert document_history_actions(document=scene.document, user=scene.reviewer, since=tomorrow) == []
    with pytest.raises(ApplicationError, match="Kind must be one of spans, relations, assignments, not 'x'."):
        document_history_actions(document=scene.document, user=scene.reviewer, kind="x")
