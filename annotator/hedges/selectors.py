"""Reads of hedge suggestions: what an annotator sees, and how each rule fares with reviewers."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery

from annotator.hedges.models import HedgeDecision, HedgeRuleSetting, HedgeState, HedgeSuggestion
from annotator.hedges.suggester import RULES


def hedge_rules_disabled(*, project_id: int) -> set[str]:
    return set(
        HedgeRuleSetting.objects.filter(project_id=project_id, enabled=False).values_list("rule", flat=True)
    )


def hedge_suggestions_for_user(*, document, user) -> list[dict]:
    """The document's suggestions of enabled rules with the user's decision (state None = pending)."""
    mine = HedgeDecision.objects.filter(suggestion=OuterRef("pk"), user=user)
    return list(
        HedgeSuggestion.objects.filter(document=document)
        .exclude(rule__in=hedge_rules_disabled(project_id=document.project_id))
        .annotate(
            state=Subquery(mine.values("state")[:1]), annotation=Subquery(mine.values("annotation_id")[:1])
        )
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
