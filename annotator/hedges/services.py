"""Writes of hedge suggestions: suggesting documents, annotators' decisions, managers' rule switches.

Suggesting is idempotent: a document's suggestions are recomputed and
upserted; suggestions someone decided on are kept even when the suggester no
longer produces them (the decision and its span are history), undecided ones
that it no longer produces are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from annotator.annotations.models import Annotation, Layer
from annotator.annotations.services import annotation_create, annotation_delete
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.hedges.bulk import suggestions_insert
from annotator.hedges.models import (
    KIND_SUBTYPES,
    HedgeDecision,
    HedgeRuleSetting,
    HedgeState,
    HedgeSuggestion,
)
from annotator.hedges.selectors import hedge_rules_disabled
from annotator.hedges.suggester import RULES, suggest
from annotator.jobs.runner import JobOutcome
from annotator.projects.kinds import HEDGE, kinds_counted_as
from annotator.projects.models import Label, LabelSubtype, Project

BATCH = 200


def hedge_documents_suggest(
    *, project_id: int, documents: Iterable[tuple[int, str]], disabled: set[str]
) -> int:
    """Suggest cues for ``documents`` ((id, text) pairs); returns how many suggestions they now have."""
    documents = list(documents)
    ids = [pk for pk, _ in documents]
    fresh: dict[tuple[int, int, int, str], tuple] = {}
    for pk, text in documents:
        for cue in suggest(text, disabled=disabled):
            fresh[(pk, cue.start, cue.end, cue.rule)] = (
                project_id, pk, cue.start, cue.end, cue.text, cue.kind, cue.confidence, cue.rule,
            )  # fmt: skip
    with transaction.atomic():
        stale = [
            pk
            for pk, doc, start, end, rule in HedgeSuggestion.objects.filter(
                document_id__in=ids, decisions__isnull=True
            ).values_list("pk", "document_id", "start", "end", "rule")
            if (doc, start, end, rule) not in fresh
        ]
        if stale:
            HedgeSuggestion.objects.filter(pk__in=stale, decisions__isnull=True).delete()
        suggestions_insert(list(fresh.values()))
    return len(fresh)


def hedge_job_run(*, job, progress, batch: int = BATCH) -> JobOutcome:
    """A suggestion job's work: its documents (all of its project when none are named), with progress."""
    counts = {"documents": 0, "suggestions": 0}
    disabled = hedge_rules_disabled(project_id=job.project_id)
    documents = Document.objects.filter(project_id=job.project_id)
    if job.params.get("document_ids") is not None:
        documents = documents.filter(pk__in=job.params["document_ids"])
    ids = list(documents.order_by("pk").values_list("pk", flat=True))
    total = len(ids)
    counts["total"] = total
    for at in range(0, total, batch):
        chunk = ids[at : at + batch]
        rows = Document.objects.filter(pk__in=chunk).values_list("pk", "text")
        counts["suggestions"] += hedge_documents_suggest(
            project_id=job.project_id, documents=rows, disabled=disabled
        )
        counts["documents"] += len(chunk)
        progress(counts["documents"] * 100 // max(total, 1), dict(counts))
    return JobOutcome(
        counts=counts, message=f"{counts['suggestions']} hedge suggestions in {counts['documents']} documents"
    )


def _hedge_label(project_id: int) -> Label:
    labels = list(
        Label.objects.filter(project_id=project_id, kind__in=kinds_counted_as(HEDGE), is_active=True)
    )
    if not labels:
        raise ApplicationError.field(
            "label",
            "This project has no active label of kind hedge; a manager must add one before accepting.",
        )
    return next((label for label in labels if label.code == "HEDGE"), labels[0])


def _accept_span(suggestion: HedgeSuggestion, user) -> tuple[Annotation, bool]:
    """The HEDGE span for the suggestion in the user's layer: (span, whether it was created now)."""
    label = _hedge_label(suggestion.project_id)
    subtype = LabelSubtype.objects.filter(
        label=label, code=KIND_SUBTYPES[suggestion.kind], is_active=True
    ).first()
    existing = Annotation.objects.filter(
        document_id=suggestion.document_id,
        annotator=user,
        layer=Layer.ANNOTATOR,
        start=suggestion.start,
        end=suggestion.end,
        label=label,
    ).first()
    if existing is not None:
        return existing, False
    span = annotation_create(
        document=suggestion.document,
        annotator=user,
        start=suggestion.start,
        end=suggestion.end,
        label=label,
        subtype=subtype,
        quote=suggestion.quote,
    )
    return span, True


def _assert_rule_enabled(suggestion: HedgeSuggestion) -> None:
    if suggestion.rule in hedge_rules_disabled(project_id=suggestion.project_id):
        raise ApplicationError.field("rule", f"Rule {suggestion.rule} is switched off in this project.")


@transaction.atomic
def hedge_decide(*, suggestion: HedgeSuggestion, user, state: str) -> HedgeDecision:
    """Accept (a HEDGE span in the user's layer, subtype from the kind) or reject a suggestion.

    Deciding again changes the decision: rejecting an accepted suggestion removes the span
    accepting created. The suggestion row is locked, so one user's double click decides once.
    """
    if state not in HedgeState.values:
        raise ApplicationError.field("state", f"Unknown state {state!r}; use accepted or rejected.")
    suggestion = HedgeSuggestion.objects.select_for_update().select_related("document").get(pk=suggestion.pk)
    _assert_rule_enabled(suggestion)
    decision = (
        HedgeDecision.objects.filter(suggestion=suggestion, user=user).select_related("annotation").first()
    )
    if decision is not None and decision.state == state:
        return decision
    if decision is None:
        decision = HedgeDecision(suggestion=suggestion, user=user)
    if state == HedgeState.ACCEPTED:
        decision.annotation, decision.span_created = _accept_span(suggestion, user)
    else:
        _remove_created_span(decision)
        decision.annotation, decision.span_created = None, False
    decision.state = state
    decision._history_user = user  # who decided, also outside a request (jobs, shell)
    decision.save()
    return decision


def _remove_created_span(decision: HedgeDecision) -> None:
    if decision.pk and decision.span_created and decision.annotation_id is not None:
        annotation_delete(annotation=decision.annotation)


@transaction.atomic
def hedge_undo(*, suggestion: HedgeSuggestion, user) -> None:
    """Take back the user's decision: the suggestion is pending again and a span accepting created is deleted."""
    suggestion = HedgeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    decision = (
        HedgeDecision.objects.filter(suggestion=suggestion, user=user).select_related("annotation").first()
    )
    if decision is None:
        raise ApplicationError.field(
            "state", "You have not decided on this suggestion; there is nothing to undo."
        )
    _remove_created_span(decision)
    decision._history_user = user
    decision.delete()


@transaction.atomic
def hedge_accept_rule(
    *, document: Document, user, rule: str, min_confidence: float | None = None
) -> list[HedgeDecision]:
    """Accept every pending suggestion of ``rule`` in the document at or above the confidence bar."""
    if rule not in RULES:
        raise ApplicationError.field("rule", f"Unknown rule {rule!r}.")
    if rule in hedge_rules_disabled(project_id=document.project_id):
        raise ApplicationError.field("rule", f"Rule {rule} is switched off in this project.")
    bar = settings.ASSAY_HEDGES_CONFIDENT if min_confidence is None else min_confidence
    pending = (
        HedgeSuggestion.objects.filter(document=document, rule=rule, confidence__gte=bar)
        .exclude(decisions__user=user)
        .order_by("start", "end")
    )
    return [hedge_decide(suggestion=s, user=user, state=HedgeState.ACCEPTED) for s in pending]


def hedge_rule_set(*, project: Project, rule: str, enabled: bool, user) -> HedgeRuleSetting:
    """Switch a suggester rule on or off for a project (a manager's decision)."""
    if rule not in RULES:
        raise ApplicationError.field("rule", f"Unknown rule {rule!r}; see GET projects/<id>/hedge-rules/.")
    setting, _ = HedgeRuleSetting.objects.update_or_create(
        project=project, rule=rule, defaults={"enabled": enabled, "changed_by": user}
    )
    return setting
