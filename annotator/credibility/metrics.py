"""Running the metric SQL: counts per source from PostgreSQL, intervals on the aggregated rows."""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

from annotator.credibility import sql_documents, sql_rollup
from annotator.credibility.models import LayerUsed
from annotator.credibility.registry import METRICS, figures_of
from annotator.projects.models import Project, ScoreLayer

# The fallback chain of each project setting: the tiers tried, in order, per document.
LAYER_CHAIN = {
    ScoreLayer.GOLD: ("gold", "approved", "submitted"),
    ScoreLayer.APPROVED: ("approved", "submitted"),
    ScoreLayer.SUBMITTED: ("submitted",),
}


@dataclass
class Targets:
    """Which sources to compute; ``everything`` means all of the project's."""

    everything: bool = False
    outlets: set[int] = field(default_factory=set)
    authors: set[int] = field(default_factory=set)
    speakers: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return self.everything or bool(self.outlets or self.authors or self.speakers)


def sql_params(*, project: Project, targets: Targets, **extra) -> dict:
    chain = LAYER_CHAIN[ScoreLayer(project.score_layer)]
    return {
        "project": project.pk,
        "use_gold": "gold" in chain,
        "use_approved": "approved" in chain,
        "everything": targets.everything,
        "outlets": sorted(targets.outlets),
        "authors": sorted(targets.authors),
        "speakers": sorted(targets.speakers),
        **extra,
    }


def layer_used(row: dict) -> str:
    tiers = [t for t in ("gold", "approved", "submitted") if row[f"docs_{t}"]]
    if not tiers:
        return LayerUsed.NONE
    return tiers[0] if len(tiers) == 1 else LayerUsed.MIXED


def _count(value: float) -> str:
    return f"{value:g}"


def small_sample_reason(row: dict, *, min_documents: int, min_claims: int) -> str:
    """Why a source is "too little data" to rank or plot ('' when it is not)."""
    reasons = []
    if row["scored_documents"] < min_documents:
        reasons.append(f"{row['scored_documents']} scored document(s), fewer than {min_documents}")
    if row["claims"] < min_claims:
        reasons.append(f"{_count(row['claims'])} claim(s), fewer than {min_claims}")
    return "; ".join(reasons)


def with_derived(row: dict, *, min_documents: int, min_claims: int) -> dict:
    """A row of counts and moments with its layer, figures and small-sample verdict."""
    if isinstance(row.get("evidence_subtypes"), str):  # Django leaves jsonb undecoded on raw cursors
        row["evidence_subtypes"] = json.loads(row["evidence_subtypes"])
    if "moments" not in row:
        row["moments"] = {}
        for metric in METRICS:
            values = row.pop(f"m_{metric.name}")
            row["moments"][metric.name] = json.loads(values) if isinstance(values, str) else list(values)
    row["evidence_subtypes"] = {k: round(v, 6) for k, v in (row["evidence_subtypes"] or {}).items()}
    reason = small_sample_reason(row, min_documents=min_documents, min_claims=min_claims)
    return {
        **row,
        "layer": layer_used(row),
        "figures": figures_of(row["moments"]),
        "small_sample": bool(reason),
        "small_sample_reason": reason,
    }


# Planner settings for the metric statements, for the transaction only (LOCAL):
# enough memory to hash in memory, no sort-heavy merge joins, index lookups
# priced for a cached database (a hundred documents are read by index rather
# than by scanning every span), no JIT, and serial plans: on two cores a parallel plan
# only adds work, and it would give up the index order level 1 relies on.
# services.scores_recompute sets them as its transaction begins, in the same
# round trip as its lock; the functions below run inside that transaction.
TUNING = {
    "work_mem": "128MB",
    "enable_mergejoin": "off",
    "random_page_cost": "1.1",
    "max_parallel_workers_per_gather": "0",
    # Compiling these statements costs more than running them (100-400 ms each, measured).
    "jit": "off",
    # A cache in front of per-row index probes that never repeat only adds work.
    "enable_memoize": "off",
}


def _set_local(cursor, settings: dict[str, str]) -> None:
    """SET LOCAL for each setting, in one round trip."""
    cursor.execute(
        "SELECT set_config(name, value, true) FROM unnest(%s::text[], %s::text[]) AS s(name, value)",
        [list(settings), list(settings.values())],
    )


@contextmanager
def _planner(cursor, *, when: bool = True, **settings: str):
    """Planner switches (``enable_*``) for the statements inside only (when ``when``)."""
    if when:
        _set_local(cursor, settings)
    yield
    if when:
        _set_local(cursor, dict.fromkeys(settings, "on"))


# The metric reads run inside the recompute's transaction (services.scores_recompute,
# which sets TUNING): no savepoint of their own, a round trip each way.
def _atomic():
    return transaction.atomic(savepoint=False)


# Up to this many documents, level 1 runs as two statements with its intermediate
# results as CTEs (sql_documents.SMALL_REFRESH_*): an incremental recompute's case.
SMALL_DOCUMENT_SET = 20


def documents_count(*, project: Project, document_ids: set[int] | None = None) -> None:
    """Level 1: recount the given documents (all of the project's when None)."""
    params = {
        **sql_params(project=project, targets=Targets(everything=document_ids is None)),
        "documents": sorted(document_ids or ()),
    }
    if document_ids is not None and len(document_ids) <= SMALL_DOCUMENT_SET:
        with _atomic(), connection.cursor() as cursor:
            cursor.execute(sql_documents.SMALL_REFRESH_DOCUMENTS, params)
            cursor.execute(sql_documents.SMALL_REFRESH_SPEAKERS, params)
        return
    with _atomic(), connection.cursor() as cursor:
        for statement in sql_documents.REFRESH_SETUP:
            cursor.execute(statement, params)
        # At project size, group in index order (a streaming aggregate beats hashing
        # a million rows, though the planner prices the two within a few percent), and
        # never loop over the groups (their row estimates are guesses, often 1). A part
        # of a project plans well as it is: index lookups and small loops.
        whole = document_ids is None
        with _planner(cursor, when=whole, enable_hashagg="off"):
            cursor.execute(sql_documents.GROUP_SPANS, params)
        cursor.execute(sql_documents.GROUP_ATTRIBUTED, params)
        with _planner(cursor, when=whole, enable_nestloop="off"):
            cursor.execute(sql_documents.REFRESH_DOCUMENTS, params)
            cursor.execute(sql_documents.REFRESH_SPEAKERS, params)


def documents_uncounted(*, project: Project, targets: Targets) -> set[int]:
    """Documents of the targeted outlets and authors that have no counts yet."""
    with _atomic(), connection.cursor() as cursor:
        cursor.execute(sql_rollup.UNCOUNTED, sql_params(project=project, targets=targets))
        return {row[0] for row in cursor.fetchall()}


def source_counts(*, project: Project, targets: Targets) -> list[dict]:
    """Level 2: one row per targeted source from its documents' units, with figures and the small-sample verdict."""
    if not targets:
        return []
    with _atomic(), connection.cursor() as cursor:
        cursor.execute(sql_rollup.ROLLUP, sql_params(project=project, targets=targets))
        rows = [dict(zip(sql_rollup.ROLLUP_COLUMNS, values, strict=True)) for values in cursor.fetchall()]
    limits = {"min_documents": project.score_min_documents, "min_claims": project.score_min_claims}
    return [with_derived(row, **limits) for row in rows]


def targets_for_documents(*, project_id: int, document_ids: list[int]) -> Targets:
    """The sources whose figures depend on these documents: outlet, authors, quoted speakers."""
    targets = Targets()
    if not document_ids:
        return targets
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'outlet', COALESCE(d.source_id, 0) FROM documents_document d
             WHERE d.project_id = %(p)s AND d.id = ANY(%(docs)s::bigint[])
            UNION
            SELECT 'author', COALESCE(da.author_id, 0) FROM documents_document d
              LEFT JOIN documents_document_authors da ON da.document_id = d.id
             WHERE d.project_id = %(p)s AND d.id = ANY(%(docs)s::bigint[])
            UNION
            SELECT 'speaker', r.speaker_id FROM annotations_relation r
             WHERE r.project_id = %(p)s AND r.document_id = ANY(%(docs)s::bigint[])
               AND r.type = 'attributed_to'
            """,
            {"p": project_id, "docs": sorted(document_ids)},
        )
        for kind, entity_id in cursor.fetchall():
            {"outlet": targets.outlets, "author": targets.authors, "speaker": targets.speakers}[kind].add(
                entity_id
            )
    return targets
