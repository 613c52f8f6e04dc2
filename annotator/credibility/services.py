"""Writes of source scores: recompute-and-upsert, dirty markers, full recomputes.

Every recompute computes absolute figures from the annotations (never an
increment), upserts them under a per-project advisory lock and appends a
dated snapshot, so running it twice, or on two workers at once, gives the
same current figures.
"""

from __future__ import annotations

import contextlib
import json
import uuid

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from annotator.credibility.metrics import (
    TUNING,
    Targets,
    documents_count,
    documents_uncounted,
    source_counts,
    targets_for_documents,
)
from annotator.credibility.models import (
    COUNT_FIELDS,
    DirtyKind,
    EntityKind,
    ScoreDirty,
    SourceScore,
)
from annotator.jobs.runner import JobOutcome
from annotator.projects.models import Project

# pg_advisory_xact_lock(class, project id): one recompute per project at a time.
LOCK_CLASS = 0x5C0E
UPDATED_FIELDS = [
    "entity_name",
    "layer",
    *COUNT_FIELDS,
    "evidence_subtypes",
    "moments",
    "figures",
    "small_sample",
    "small_sample_reason",
    "computed_at",
]


def _begin_recompute(project_id: int) -> None:
    """In one round trip: the metric statements' planner settings, no wait for this
    transaction's WAL flush (see _commit_without_flush), then the project's lock."""
    settings = {**TUNING, "synchronous_commit": "off"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(set_config(name, value, true)), pg_advisory_xact_lock(%s, %s)"
            " FROM unnest(%s::text[], %s::text[]) AS s(name, value)",
            [LOCK_CLASS, project_id, list(settings), list(settings.values())],
        )


def _commit_without_flush(cursor) -> None:
    """Don't wait for this transaction's WAL flush (a few ms per commit here).

    Safe for recomputes, claims and settlements: a crash loses only a suffix
    of them, which leaves markers unsettled or unclaimed, and those are
    recomputed again (every recompute is idempotent)."""
    cursor.execute("SET LOCAL synchronous_commit = off")


def scores_recompute(*, project: Project, targets: Targets, documents: set[int] | None = None) -> int:
    """Recompute the targeted sources of one project; returns the number of rows written.

    ``documents`` are recounted first (the ones that changed); a full
    recompute (``targets.everything``) recounts every document. Sources that
    no longer have any document (or attribution) lose their current row;
    their history stays.
    """
    if not targets:
        return 0
    # No savepoint when called inside a transaction (the incremental task's): a failure
    # here fails that transaction anyway, and a savepoint is a round trip each way.
    with transaction.atomic(savepoint=False):
        _begin_recompute(project.pk)
        now = timezone.now()
        if targets.everything:
            documents_count(project=project)
        else:
            stale_counts = set(documents or ()) | documents_uncounted(project=project, targets=targets)
            if stale_counts:
                documents_count(project=project, document_ids=stale_counts)
        rows = source_counts(project=project, targets=targets)
        _scores_write(project_id=project.pk, rows=rows, now=now)
        # Every row written above carries ``now``: a targeted row without it lost its last document.
        stale = SourceScore.objects.filter(project=project).exclude(computed_at=now)
        if not targets.everything:
            stale = stale.filter(_targeted(targets))
        stale.delete()
    return len(rows)


# The rows go to PostgreSQL as one jsonb document (one json.dumps, in C), which
# jsonb_populate_recordset types by the table's own columns; the current rows are
# upserted and the snapshots appended by the same statement. Binding some 40
# parameters per row instead cost more than the whole roll-up at 350 sources.
_WRITTEN = ["kind", "entity_id", *UPDATED_FIELDS]
_WRITTEN_LIST = ", ".join(_WRITTEN)
_SCORES_WRITE = (
    "WITH incoming AS ("  # noqa: S608 - constant SQL
    f" SELECT {', '.join(c for c in _WRITTEN if c != 'computed_at')}"
    " FROM jsonb_populate_recordset(NULL::credibility_sourcescore, %(rows)s::jsonb)),"
    f" upserted AS (INSERT INTO credibility_sourcescore (project_id, {_WRITTEN_LIST})"
    " SELECT %(project)s, incoming.*, %(now)s FROM incoming"
    " ON CONFLICT (project_id, kind, entity_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in UPDATED_FIELDS)
    + f") INSERT INTO credibility_sourcescoresnapshot (project_id, {_WRITTEN_LIST})"  # noqa: S608
    " SELECT %(project)s, incoming.*, %(now)s FROM incoming"
)


def _scores_write(*, project_id: int, rows: list[dict], now) -> None:
    """Upsert the current rows and append their snapshots, stamped ``now``."""
    if not rows:
        return
    document = [{k: row[k] for k in _WRITTEN if k in row and k != "computed_at"} for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(_SCORES_WRITE, {"project": project_id, "now": now, "rows": json.dumps(document)})


def _targeted(targets: Targets) -> Q:
    return (
        Q(kind=EntityKind.OUTLET, entity_id__in=targets.outlets)
        | Q(kind=EntityKind.AUTHOR, entity_id__in=targets.authors)
        | Q(kind=EntityKind.SPEAKER, entity_id__in=targets.speakers)
    )


def scores_entity_renamed(*, kind: str, entity_id: int, name: str) -> int:
    """Carry a renamed outlet, author or speaker into its current score rows (history keeps
    the name it had then); the counts do not depend on the name, so nothing is recomputed."""
    return (
        SourceScore.objects.filter(kind=kind, entity_id=entity_id)
        .exclude(entity_name=name)
        .update(entity_name=name)
    )


# The marking statement's CTEs, over a CTE ``live`` that yields the project id (no row: mark
# nothing). Shared by scores_marks_write and by writes that mark in their own single-statement
# transaction (through annotations/hooks.py); parameters from dirty_statement_params().
# Never waits on a recompute: a recompute holds no lock on these rows (claims are taken
# and settled in short transactions of their own). A mark on a claimed row clears the
# claim, so the row survives the running recompute (which may have read the data before
# this change). ``scheduled`` returns a row when this statement queued the task: the
# caller enqueues it once the statement has committed (tasks.scores_recompute_enqueue). A
# queued-task row older than CREDIBILITY_SCHEDULED_STALE_SECONDS is taken over (its task
# was lost: the process died between commit and send), so a lost task never blocks marks.
# The queued-task row is left unlocked while a task is queued (DO NOTHING, and an UPDATE
# that matches only a stale row): "DO UPDATE ... WHERE" locks the row even when WHERE is
# false, which made every write of a project wait for the previous one's commit (8
# concurrent span writers ran no faster than one). A mark made while a claim is taken is
# left over after the run and queues the next one (scores_reschedule_needed).
_DIRTY_MARKS_TEMPLATE = """
marks AS (
  INSERT INTO credibility_scoredirty (project_id, kind, entity_id, marked_at, claim)
  SELECT DISTINCT live.id, k, e, now(), NULL::uuid
  FROM live, {keys}
  ON CONFLICT (project_id, kind, entity_id) DO UPDATE SET claim = NULL, marked_at = EXCLUDED.marked_at
    WHERE credibility_scoredirty.claim IS NOT NULL
),
scheduled_new AS (
  INSERT INTO credibility_scoredirty (project_id, kind, entity_id, marked_at)
  SELECT live.id, %(dirty_scheduled)s::text, 0, now() FROM live
  ON CONFLICT (project_id, kind, entity_id) DO NOTHING
  RETURNING true
),
scheduled_stale AS (
  UPDATE credibility_scoredirty SET marked_at = now() FROM live
  WHERE credibility_scoredirty.project_id = live.id AND kind = %(dirty_scheduled)s::text AND entity_id = 0
    AND marked_at < now() - make_interval(secs => %(dirty_stale_seconds)s)
  RETURNING true
),
scheduled AS (SELECT * FROM scheduled_new UNION ALL SELECT * FROM scheduled_stale)"""


def dirty_marks_ctes(keys: str) -> str:
    """DIRTY_MARKS_CTES over other keys: ``keys`` is a FROM item with columns (k, e), the kind
    and the entity id of each mark (a write that learns its document in the statement itself
    reads them from its own RETURNING rows)."""
    return _DIRTY_MARKS_TEMPLATE.format(keys=keys)


DIRTY_MARKS_CTES = dirty_marks_ctes("unnest(%(dirty_kinds)s::text[], %(dirty_ids)s::bigint[]) AS t(k, e)")


def dirty_statement_params() -> dict:
    """The parameters of dirty_marks_ctes() in a span or relation write statement, whose keys
    name the kinds as %(mark_document)s and %(mark_speaker)s (annotations/hooks.py)."""
    return {**_marks_params([]), "mark_document": DirtyKind.DOCUMENT, "mark_speaker": DirtyKind.SPEAKER}


def _marks_params(keys: list[tuple[str, int]]) -> dict:
    return {
        "dirty_kinds": [k for k, _ in keys],
        "dirty_ids": [i for _, i in keys],
        "dirty_scheduled": DirtyKind.SCHEDULED,
        "dirty_stale_seconds": float(settings.CREDIBILITY_SCHEDULED_STALE_SECONDS),
    }


def scores_marks_write(*, project_id: int, keys: list[tuple[str, int]]) -> bool:
    """Write these marks; True when this call inserted the ``scheduled`` row (the caller then
    queues the recompute: credibility/scheduling.py)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH live AS (SELECT id FROM projects_project WHERE id = %(p)s),"  # noqa: S608 - constant SQL
            f"{DIRTY_MARKS_CTES} SELECT true FROM scheduled",
            {"p": project_id, **_marks_params(keys)},
        )
        # No row: a task is already queued, or the project was deleted meanwhile.
        return cursor.fetchone() is not None


def scores_schedule_release(*, project_id: int) -> None:
    """Drop the debounce row of a recompute that could not be queued (the broker is unreachable),
    or no later change would queue one again. The dirty rows stay, so the next change (or the
    hourly full recompute) recomputes them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM credibility_scoredirty WHERE project_id = %s AND kind = %s",
            [project_id, DirtyKind.SCHEDULED],
        )


def scores_reschedule_needed(*, project_id: int) -> bool:
    """After a run: marks that raced with its claim must not wait for the next change, so
    True when some are left and this call took the ``scheduled`` row for a new run."""
    left = ScoreDirty.objects.filter(project_id=project_id).exclude(kind=DirtyKind.SCHEDULED).exists()
    return left and scores_marks_write(project_id=project_id, keys=[])


def _claim(*, project_id: int, claim: uuid.UUID) -> list[tuple[str, int]]:
    """Take the project's markers (and drop the queued-task row) in one short transaction.

    Rows claimed by an earlier run that crashed or is still going are taken
    too: recomputing them twice is harmless, losing them is not. The queued-task
    row is deleted first, then the marks are claimed: the order in which a marking
    statement takes them (its ``scheduled`` CTEs run before ``marks``). In the other
    order a claim and a span write deadlocked.
    """
    params = {"p": project_id, "claim": claim, "scheduled": DirtyKind.SCHEDULED}
    with transaction.atomic(), connection.cursor() as cursor:
        _commit_without_flush(cursor)
        cursor.execute(
            "DELETE FROM credibility_scoredirty WHERE project_id = %(p)s AND kind = %(scheduled)s", params
        )
        cursor.execute(
            """
            UPDATE credibility_scoredirty SET claim = %(claim)s
            WHERE project_id = %(p)s AND kind <> %(scheduled)s
            RETURNING kind, entity_id
            """,
            params,
        )
        return cursor.fetchall()


def _settle(*, project_id: int, claim: uuid.UUID, done: bool) -> None:
    """Delete this run's markers once recomputed, or hand them back after a failure.

    Rows marked again during the run lost this claim, so they stay either way.
    """
    statement = (
        "DELETE FROM credibility_scoredirty WHERE project_id = %s AND claim = %s"
        if done
        else "UPDATE credibility_scoredirty SET claim = NULL WHERE project_id = %s AND claim = %s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _commit_without_flush(cursor)
        cursor.execute(statement, [project_id, claim])


def scores_recompute_dirty(*, project_id: int) -> int:
    """Claim the project's dirty markers, recompute the sources they touch, then settle the claim.

    Claiming, recomputing and settling are three transactions, so span writes
    marking sources dirty never wait for a recompute. A failed recompute
    hands its markers back (the retry finds them); a crashed one leaves them
    claimed, and the redelivered task (acks_late) takes them again. The task then queues
    the next run if marks raced with the claim (scores_reschedule_needed).
    """
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return 0
    claim = uuid.uuid4()
    claimed = _claim(project_id=project_id, claim=claim)
    try:
        with transaction.atomic():
            changed = {i for kind, i in claimed if kind == DirtyKind.DOCUMENT}
            if any(kind == DirtyKind.PROJECT for kind, _ in claimed):
                targets = Targets(everything=True)
            else:
                targets = targets_for_documents(project_id=project_id, document_ids=sorted(changed))
                targets.speakers |= {i for kind, i in claimed if kind == DirtyKind.SPEAKER}
            written = scores_recompute(project=project, targets=targets, documents=changed)
    except BaseException:
        # If the connection went down too, the retry takes the still-claimed rows again.
        with contextlib.suppress(DatabaseError):
            _settle(project_id=project_id, claim=claim, done=False)
        raise
    _settle(project_id=project_id, claim=claim, done=True)
    return written


def scores_recompute_projects(*, project_ids: list[int] | None = None, progress=None) -> dict:
    """Full recompute of the given projects (all when None); ``progress(percent, counts)`` after each."""
    projects = Project.objects.order_by("pk")
    if project_ids is not None:
        projects = projects.filter(pk__in=project_ids)
    projects = list(projects)
    rows = 0
    for index, project in enumerate(projects, start=1):
        rows += scores_recompute(project=project, targets=Targets(everything=True))
        if progress is not None:
            progress(100 * index // max(1, len(projects)), {"projects": index, "rows": rows})
    return {"projects": len(projects), "rows": rows}


def scores_recompute_job_run(*, job, progress, project_ids: list[int] | None = None) -> JobOutcome:
    """A recompute job's work (credibility.tasks.scores_recompute runs it through jobs.runner)."""
    counts = scores_recompute_projects(project_ids=project_ids, progress=progress)
    return JobOutcome(
        counts=counts, message=f"Recomputed {counts['rows']} source rows in {counts['projects']} project(s)."
    )
