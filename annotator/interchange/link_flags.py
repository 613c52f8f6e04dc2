"""The link flags of imported spans, computed before they are stored.

Spans carry ``support_depth``/``is_supported``/``is_attacked``/``is_qualified``,
which the relation insert trigger (credibility migrations 0004-0005,
``credibility_link_flags``) keeps up to date by UPDATEing every target. On an
import that is one extra, non-HOT row version per linked span (every index of
the span table written again): about half of the relation COPY. Spans that
arrive with the flags the trigger would compute are left alone by it (it only
writes rows whose flags differ), so the importer computes them here for the links
among its own new spans. The trigger still runs on every import and corrects
anything this leaves out (links to spans already stored); a test checks that it
finds nothing to change after an import of every kind of chain.

Mirrors credibility_link_flags: a span is supported at depth 1 by non-rejected
evidence, at depth d + 1 by a non-rejected claim supported at depth d; depths
above 5 count as unsupported; it is attacked by evidence or by a supported claim,
qualified by a hedge; rejected links and rejected sources do not count.
"""

from __future__ import annotations

from django.db import connection

from annotator.annotations.models import RelationType, ReviewStatus
from annotator.projects.kinds import CLAIM, EVIDENCE, HEDGE, kind_role

MAX_DEPTH = 5
_ROUNDS = 24  # as credibility_link_flags_refresh
# The project's link-flag lock (credibility migration 0004's FLAG_LOCK_CLASS): a label kind
# change takes it exclusively, every link writer shared.
FLAG_LOCK_CLASS = 0x5C0F


def flag_lock_shared(project_id: int, *, after: int | None = None) -> None:
    """Hold the project's flag lock shared to the end of the transaction. Taken before the label
    kinds are read, it makes a kind change wait for the import's commit and then refresh its
    links (which the relation trigger, skipped for precomputed flags, would otherwise do).

    ``after``: an advisory lock class the caller takes exclusively on the project first (the
    import's own), in the same statement: one round trip fewer on a small upload.
    """
    with connection.cursor() as cursor:
        if after is None:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [FLAG_LOCK_CLASS, project_id])
        else:
            # A target list is evaluated left to right: the exclusive lock, then the shared one.
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s), pg_advisory_xact_lock_shared(%s, %s)",
                [after, project_id, FLAG_LOCK_CLASS, project_id],
            )


def link_flags(
    kinds: list[str], rejected: list[bool], links: list[tuple[int, int, str, bool]]
) -> dict[int, tuple[int | None, bool, bool, bool]]:
    """(support_depth, is_supported, is_attacked, is_qualified) by span index, for the targets of
    ``links`` ((source index, target index, type, link rejected)) among spans of these label
    ``kinds`` (and rejected statuses). Spans not in the result keep the defaults (no flag)."""
    kinds = [kind_role(kind) for kind in kinds]  # what each counts as (projects/kinds.py)
    incoming: dict[int, list[tuple[int, str]]] = {}
    for source, target, type, link_rejected in links:
        if not link_rejected and not rejected[source]:
            incoming.setdefault(target, [])
            incoming[target].append((source, type))
    depth: dict[int, int] = {}
    for _ in range(_ROUNDS):
        changed = False
        for target, sources in incoming.items():
            best = None
            for source, type in sources:
                if type != RelationType.SUPPORTS:
                    continue
                kind = kinds[source]
                if kind == EVIDENCE:
                    candidate = 1
                elif kind == CLAIM and source in depth:
                    candidate = depth[source] + 1
                else:
                    continue
                best = candidate if best is None else min(best, candidate)
            value = best if best is not None and best <= MAX_DEPTH else None
            if value != depth.get(target):
                changed = True
                if value is None:
                    depth.pop(target)
                else:
                    depth[target] = value
        if not changed:
            break
    flags = {}
    for target, sources in incoming.items():
        attacked = any(
            type == RelationType.ATTACKS and (kinds[s] == EVIDENCE or (kinds[s] == CLAIM and s in depth))
            for s, type in sources
        )
        qualified = any(type == RelationType.QUALIFIES and kinds[s] == HEDGE for s, type in sources)
        flags[target] = (depth.get(target), target in depth, attacked, qualified)
    return flags


def is_rejected(status: str) -> bool:
    return status == ReviewStatus.REJECTED
