"""Suggestion jobs (on import and on demand), decisions, undo, rule switches and rule statistics."""

from __future__ import annotations

from functools import partial
from unittest import mock

import pytest
from django.test import override_settings

from annotator.annotations.models import Annotation
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.documents.services import document_create
from annotator.hedges import services
from annotator.hedges.models import HedgeDecision, HedgeState, HedgeSuggestion
from annotator.hedges.runs import hedge_job_start
from annotator.hedges.selectors import hedge_rule_stats, hedge_suggestions_for_user
from annotator.hedges.services import hedge_accept_rule, hedge_decide, hedge_rule_set, hedge_undo
from annotator.interchange.imports import import_documents
from annotator.jobs import runner
from annotator.jobs.models import Job, JobKind, JobState
from annotator.jobs.runner import job_run
from annotator.jobs.services import job_create
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db
# Jobs are queued on commit: the tests that run them need real transactions.
on_commit = pytest.mark.django_db(transaction=True)

# "might" at 10-15 after a no-break space; "widely considered" at 51-68.
TEXT = "The talks\u00a0might fail, the envoy said. The plan was widely considered to be dead."


@pytest.fixture
def project():
    return ProjectFactory()


def _suggested(document) -> list[tuple]:
    return list(
        HedgeSuggestion.objects.filter(document=document)
        .order_by("start")
        .values_list("start", "end", "quote", "kind", "rule")
    )


@override_settings(ASSAY_HEDGES_ON_IMPORT=True)
@on_commit
def test_import_runs_a_suggestion_job_with_exact_offsets(project):
    """An import queues one hedges job for its new documents; it ends succeeded with counts."""
    user = member(project, Role.MANAGER)
    counts, _ = import_documents(project=project, user=user, files=[("a.txt", TEXT.encode(), "txt")])
    assert counts["documents"] == 1
    job = Job.objects.get(kind=JobKind.HEDGES)
    assert (job.state, job.progress, job.created_by_id) == (JobState.SUCCEEDED, 100, user.pk)
    assert job.counts == {"documents": 1, "suggestions": 2, "total": 1}
    document = Document.objects.get(project=project)
    assert _suggested(document) == [
        (10, 15, "might", "modal", "modal.might"),
        (51, 68, "widely considered", "weasel", "weasel.widely"),
    ]
    assert document.text[9] == "\u00a0"
    assert Annotation.objects.count() == 0  # suggestions are not spans


@override_settings(ASSAY_HEDGES_ON_IMPORT=True)
@on_commit
def test_document_create_runs_a_job_and_the_switch_turns_it_off(project):
    document_create(project=project, text=TEXT)
    assert Job.objects.filter(kind=JobKind.HEDGES, state=JobState.SUCCEEDED).count() == 1
    with override_settings(ASSAY_HEDGES_ON_IMPORT=False):
        document_create(project=project, text=TEXT + " Again.")
    assert Job.objects.filter(kind=JobKind.HEDGES).count() == 1


@on_commit
def test_project_job_reports_progress_and_is_idempotent(project):
    docs = [DocumentFactory(project=project, text=f"Doc {n}: the deal might collapse.") for n in range(3)]
    job = job_create(kind=JobKind.HEDGES, project=project, params={"document_ids": None})
    work = partial(services.hedge_job_run, batch=1)
    with mock.patch.object(runner, "job_progress", wraps=runner.job_progress) as progress:
        job_run(job_id=job.pk, work=work)
        job_run(job_id=job.pk, work=work)  # a redelivered task: the job is already done
    job.refresh_from_db()
    assert [c.kwargs["percent"] for c in progress.call_args_list] == [33, 66, 100]
    assert (job.state, job.counts) == (JobState.SUCCEEDED, {"documents": 3, "suggestions": 3, "total": 3})
    hedge_job_start(project=project)  # run again: same rows, no duplicates
    assert HedgeSuggestion.objects.filter(document__in=docs).count() == 3


@on_commit
def test_rerun_keeps_decided_suggestions_and_skips_switched_off_rules(project):
    user = member(project)
    document = DocumentFactory(project=project, text=TEXT)
    hedge_job_start(project=project, document_ids=[document.pk])
    might = HedgeSuggestion.objects.get(document=document, rule="modal.might")
    hedge_decide(suggestion=might, user=user, state=HedgeState.REJECTED)
    hedge_rule_set(project=project, rule="modal.might", enabled=False, user=user)
    hedge_rule_set(project=project, rule="weasel.widely", enabled=False, user=user)
    hedge_job_start(project=project, document_ids=[document.pk])
    # the decided "might" stays (its decision is history); the undecided weasel is gone
    assert _suggested(document) == [(10, 15, "might", "modal", "modal.might")]
    assert hedge_suggestions_for_user(document=document, user=user) == []  # switched-off rules are hidden


def _suggest(document):
    services.hedge_documents_suggest(
        project_id=document.project_id, documents=[(document.pk, document.text)], disabled=set()
    )


def _one(project, text=TEXT, rule="weasel.widely"):
    document = DocumentFactory(project=project, text=text)
    _suggest(document)
    return document, HedgeSuggestion.objects.get(document=document, rule=rule)


def test_accept_creates_a_hedge_span_in_the_users_layer_with_the_mapped_subtype(project):
    user = member(project)
    document, suggestion = _one(project)
    decision = hedge_decide(suggestion=suggestion, user=user, state=HedgeState.ACCEPTED)
    span = Annotation.objects.get(document=document)
    assert (span.start, span.end, span.quote, span.label.code, span.subtype.code, span.annotator_id, span.layer) == (
        51, 68, "widely considered", "HEDGE", "vague_attribution", user.pk, "annotator",
    )  # fmt: skip
    assert (decision.annotation_id, decision.span_created) == (span.pk, True)
    # accepting twice changes nothing
    hedge_decide(suggestion=suggestion, user=user, state=HedgeState.ACCEPTED)
    assert Annotation.objects.count() == 1
    assert hedge_suggestions_for_user(document=document, user=user)[1]["state"] == "accepted"


@pytest.mark.parametrize(
    ("text", "rule", "subtype"),
    [
        ("The talks might fail.", "modal.might", "modal"),
        ("The ceasefire seems to hold.", "speculation.seem", "speculation"),
        ("The envoy strongly implied a deal.", "insinuation.implied", "insinuation"),
    ],
)
def test_kind_maps_to_subtype(project, text, rule, subtype):
    user = member(project)
    _, suggestion = _one(project, text, rule)
    decision = hedge_decide(suggestion=suggestion, user=user, state=HedgeState.ACCEPTED)
    assert decision.annotation.subtype.code == subtype


def test_reject_undo_and_independent_annotators(project):
    first, second = member(project), member(project)
    document, suggestion = _one(project)
    hedge_decide(suggestion=suggestion, user=first, state=HedgeState.ACCEPTED)
    hedge_decide(suggestion=suggestion, user=second, state=HedgeState.REJECTED)
    assert Annotation.objects.filter(annotator=first).count() == 1
    assert Annotation.objects.filter(annotator=second).count() == 0
    # rejecting after accepting removes the span accepting created
    hedge_decide(suggestion=suggestion, user=first, state=HedgeState.REJECTED)
    assert Annotation.objects.count() == 0
    hedge_decide(suggestion=suggestion, user=first, state=HedgeState.ACCEPTED)
    hedge_undo(suggestion=suggestion, user=first)
    assert Annotation.objects.count() == 0
    assert not HedgeDecision.objects.filter(user=first).exists()
    history = HedgeDecision.history.filter(user_id=first.pk).order_by("history_id")
    assert [h.history_type for h in history] == ["+", "~", "~", "-"]
    with pytest.raises(ApplicationError, match="nothing to undo"):
        hedge_undo(suggestion=suggestion, user=first)


def test_undo_keeps_a_span_the_annotator_had_made_already(project):
    user = member(project)
    document, suggestion = _one(project)
    from annotator.annotations.services import annotation_create
    from tests.factories import label

    own = annotation_create(
        document=document, annotator=user, start=51, end=68, label=label(project, "HEDGE")
    )
    decision = hedge_decide(suggestion=suggestion, user=user, state=HedgeState.ACCEPTED)
    assert (decision.annotation_id, decision.span_created) == (own.pk, False)
    hedge_undo(suggestion=suggestion, user=user)
    assert Annotation.objects.filter(pk=own.pk).exists()


def test_accept_rule_takes_only_confident_pending_suggestions(project):
    user = member(project)
    document = DocumentFactory(project=project, text="It may rain. While they may argue, it may snow.")
    _suggest(document)
    confidences = list(
        HedgeSuggestion.objects.filter(document=document)
        .order_by("start")
        .values_list("confidence", flat=True)
    )
    assert confidences == [0.9, 0.7, 0.9]
    accepted = hedge_accept_rule(document=document, user=user, rule="modal.may")
    assert [d.annotation.start for d in accepted] == [3, 38]
    assert hedge_accept_rule(document=document, user=user, rule="modal.may") == []  # none pending left
    with pytest.raises(ApplicationError, match="Unknown rule 'modal.nope'"):
        hedge_accept_rule(document=document, user=user, rule="modal.nope")


def test_rule_stats_count_real_decisions(project):
    a, b, c = member(project), member(project), member(project)
    _, might = _one(project, "The talks might fail.", "modal.might")
    for user, state in ((a, "accepted"), (b, "accepted"), (c, "rejected")):
        hedge_decide(suggestion=might, user=user, state=state)
    hedge_rule_set(project=project, rule="modal.may", enabled=False, user=a)
    rows = {r["rule"]: r for r in hedge_rule_stats(project_id=project.pk)}
    assert rows["modal.might"] | {"description": ""} == {
        "rule": "modal.might", "kind": "modal", "description": "", "enabled": True,
        "suggested": 1, "accepted": 2, "rejected": 1, "precision": round(2 / 3, 4),
    }  # fmt: skip
    assert (rows["modal.may"]["enabled"], rows["modal.may"]["precision"]) == (False, None)


def test_switched_off_rule_cannot_be_decided(project):
    user = member(project)
    _, suggestion = _one(project)
    hedge_rule_set(project=project, rule="weasel.widely", enabled=False, user=user)
    with pytest.raises(ApplicationError, match="Rule weasel.widely is switched off in this project."):
        hedge_decide(suggestion=suggestion, user=user, state=HedgeState.ACCEPTED)
    with pytest.raises(ApplicationError, match="Unknown rule 'nope'"):
        hedge_rule_set(project=project, rule="nope", enabled=False, user=user)


def test_decisions_are_in_the_document_history(project):
    user = member(project, Role.ANNOTATOR, username="ann")
    reviewer = member(project, Role.REVIEWER)
    document, suggestion = _one(project)
    hedge_decide(suggestion=suggestion, user=user, state=HedgeState.ACCEPTED)
    hedge_decide(suggestion=suggestion, user=user, state=HedgeState.REJECTED)
    hedge_undo(suggestion=suggestion, user=user)
    from annotator.reviews.history import document_history

    entries = [e for e in document_history(document=document, user=reviewer) if e.model == "hedge decision"]
    assert {e.user for e in entries} == {"ann"}
    assert [(e.action, e.changes, e.summary) for e in reversed(entries)] == [
        ("created", [("state", None, "accepted")], "weasel.widely [51:68] 'widely considered'"),
        ("changed", [("state", "accepted", "rejected")], "weasel.widely [51:68] 'widely considered'"),
        ("deleted", [("state", "rejected", None)], "weasel.widely [51:68] 'widely considered'"),
    ]
    spans = [e.action for e in document_history(document=document, user=reviewer) if e.model == "annotation"]
    assert sorted(spans) == ["created", "deleted"]  # the span accepting made, then removed


def _pending(document, user) -> list[tuple]:
    return [
        (r["start"], r["end"], r["rule"])
        for r in hedge_suggestions_for_user(document=document, user=user)
        if r["state"] is None
    ]


@on_commit
def test_rerun_never_brings_back_a_rejected_cue_nor_duplicates_an_accepted_one(project):
    """Re-suggesting is idempotent for each annotator: what they rejected stays away, what they
    accepted is one span, even when a changed rule now draws the cue a little differently."""
    user, other = member(project), member(project)
    document = DocumentFactory(project=project, text=TEXT)
    hedge_job_start(project=project, document_ids=[document.pk])
    might = HedgeSuggestion.objects.get(document=document, rule="modal.might")
    widely = HedgeSuggestion.objects.get(document=document, rule="weasel.widely")
    hedge_decide(suggestion=might, user=user, state=HedgeState.REJECTED)
    hedge_decide(suggestion=widely, user=user, state=HedgeState.ACCEPTED)
    for _ in range(2):
        hedge_job_start(project=project, document_ids=[document.pk])
    assert _suggested(document) == [
        (10, 15, "might", "modal", "modal.might"),
        (51, 68, "widely considered", "weasel", "weasel.widely"),
    ]
    assert Annotation.objects.filter(annotator=user).count() == 1
    assert _pending(document, user) == []

    # a rule change: "might fail" (10-20) and "widely considered to" (51-71) overlap the decided cues
    from annotator.hedges.suggester import Suggestion

    redrawn = [
        Suggestion(10, 20, TEXT[10:20], "modal", 0.9, "modal.might"),
        Suggestion(51, 71, TEXT[51:71], "weasel", 0.9, "weasel.expected_to"),
    ]
    with mock.patch.object(services, "suggest", return_value=redrawn):
        hedge_job_start(project=project, document_ids=[document.pk])
    assert HedgeSuggestion.objects.filter(document=document).count() == 4  # the decided two are kept
    assert _pending(document, user) == []  # nothing offered again to the one who decided
    assert _pending(document, other) == [  # someone who has not decided sees every cue
        (10, 15, "modal.might"), (10, 20, "modal.might"), (51, 68, "weasel.widely"), (51, 71, "weasel.expected_to"),
    ]  # fmt: skip
    assert Annotation.objects.filter(annotator=user).count() == 1


def test_a_hedge_span_made_by_hand_hides_the_suggestion_it_covers(project):
    from annotator.annotations.services import annotation_create
    from tests.factories import label

    user, other = member(project), member(project)
    document, _ = _one(project)
    annotation_create(document=document, annotator=user, start=51, end=68, label=label(project, "HEDGE"))
    assert _pending(document, user) == [(10, 15, "modal.might")]
    assert _pending(document, other) == [(10, 15, "modal.might"), (51, 68, "weasel.widely")]


@on_commit
def test_rerun_after_a_rule_is_switched_off_drops_its_pending_suggestions(project):
    manager, user = member(project, Role.MANAGER), member(project)
    document = DocumentFactory(project=project, text=TEXT)
    hedge_job_start(project=project, document_ids=[document.pk])
    hedge_rule_set(project=project, rule="weasel.widely", enabled=False, user=manager)
    assert _pending(document, user) == [(10, 15, "modal.might")]  # hidden at once
    assert HedgeSuggestion.objects.filter(rule="weasel.widely").count() == 1  # until the next run
    hedge_job_start(project=project, document_ids=[document.pk])
    assert not HedgeSuggestion.objects.filter(rule="weasel.widely").exists()
    hedge_rule_set(project=project, rule="weasel.widely", enabled=True, user=manager)
    hedge_job_start(project=project, document_ids=[document.pk])
    assert _pending(document, user) == [(10, 15, "modal.might"), (51, 68, "weasel.widely")]
