"""Reads of hedge suggestions: what an annotator sees, and how each rule fares with reviewers."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from annotator.annotations.models import Annotation, Layer
from annotator.hedges.models import HedgeDecision, HedgeRuleSetting, HedgeState, HedgeSuggestion
from annotator.hedges.suggester import RULES
from annotator.projects.kinds import HEDGE, kinds_counted_as


def hedge_rules_disabled(*, project_id: int) -> set[str]:
    return set(
        HedgeRuleSetting.objects.filter(project_id=project_id, enabled=False).values_list("rule", flat=True)
    )


def hedge_suggestions_for_user(*, document, user) -> list[dict]:
    """The document's suggestions of enabled rules with the user's decision (state None = pending).

    A pending suggestion is left out when it overlaps one the user already decided on or a
    HEDGE span already in the user's layer: a re-run whose rules now draw a cue a little
    differently (or under another rule) must not bring back what was rejected, nor offer
    again what was accepted or marked by hand.
    """
    mine = HedgeDecision.objects.filter(suggestion=OuterRef("pk"), user=user)
    decided_overlap = HedgeDecision.objects.filter(
        user=user,
        suggestion__document=document,
        suggestion__start__lt=OuterRef("end"),
        suggestion__end__gt=OuterRef("start"),
    ).exclude(suggestion=OuterRef("pk"))
    span_overlap = Annotation.objects.filter(
        document=document,
        annotator=user,
        layer=Layer.ANNOTATOR,
        label__kind__in=kinds_counted_as(HEDGE),
        start__lt=OuterRef("end"),
        end__gt=OuterRef("start"),
    )
    return list(
        HedgeSuggestion.objects.filter(document=document)
        .exclude(rule__in=hedge_rules_disabled(project_id=document.project_id))
        .annotate(
            state=Subquery(mine.values("state")[:1]),
            annotation=Subquery(mine.values("annotation_id")[:1]),
            covered=Exists(decided_overlap) | Exists(span_overlap),
        )
        .exclude(state__isnull=True, covered=True)
        .order_by("start", "end")
        .values("id", "start", "end", "quote", "kind", "confidence", "rule", "state", "annotation")
    )


def hedge_rule_stats(*, project_id: int) -> list[dict]:
    """Per rule: whether it is on, how many suggestions, and how often annotators accepted and rejected them.

    Counted in PostgreSQL; precision is accepted / (accepted + rejected) over real decisions.
    """
    counted = {
        row["rule"]: row
        for row in HedgeSuggestion.objects.filter(project_id=project_id)
        .values("rule")
        .annotate(
            suggested=Count("id", distinct=True),
            accepted=Count("decisions", filter=Q(decisions__state=HedgeState.ACCEPTED)),
            rejected=Count("decisions", filter=Q(decisions__state=HedgeState.REJECTED)),
        )
    }
    disabled = hedge_rules_disabled(project_id=project_id)
    rows = []
    for name, rule in RULES.items():
        row = counted.get(name, {})
        accepted, rejected = row.get("accepted", 0), row.get("rejected", 0)
        rows.append(
            {
                "rule": name,
                "kind": rule.kind,
                "description": rule.description,
                "enabled": name not in disabled,
                "suggested": row.get("suggested", 0),
                "accepted": accepted,
                "rejected": rejected,
                "precision": round(accepted / (accepted + rejected), 4) if accepted + rejected else None,
            }
        )
    return rows
