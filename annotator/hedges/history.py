"""Hedge decisions in a document's history (the review history page and API).

Accepting also creates a span, which the history shows as any other span;
these entries add who accepted, rejected or took back which suggestion.
"""

from __future__ import annotations

from annotator.hedges.models import HedgeDecision, HedgeSuggestion
from annotator.reviews.history import KIND, Entry


def hedge_history_entries(*, document) -> list[Entry]:
    records = list(
        HedgeDecision.history.filter(
            suggestion_id__in=HedgeSuggestion.objects.filter(document=document).values("id")
        )
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    suggestions = {s.pk: s for s in HedgeSuggestion.objects.filter(pk__in={r.suggestion_id for r in records})}
    previous: dict[int, str] = {}
    entries = []
    for record in records:
        before = previous.get(record.id)
        after = None if record.history_type == "-" else record.state
        previous[record.id] = record.state
        suggestion = suggestions.get(record.suggestion_id)
        summary = (
            f"{suggestion.rule} [{suggestion.start}:{suggestion.end}] {suggestion.quote[:60]!r}"
            if suggestion
            else f"suggestion {record.suggestion_id}"
        )
        entries.append(
            Entry(
                model="hedge decision",
                object_id=record.id,
                history_id=record.history_id,
                action=KIND[record.history_type],
                user=record.history_user.username if record.history_user_id else "system",
                date=record.history_date,
                version=None,
                changes=[("state", before if record.history_type != "+" else None, after)],
                summary=summary,
                restorable=False,
            )
        )
    return entries
