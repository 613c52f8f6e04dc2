"""Imports: parse uploaded files, validate every document, then write them in one transaction.

- Known texts: a text already in the project (same SHA-256) gets the file's
  layers added to the existing document ("matched"); spans and relations it
  already holds are not written twice ("merged"); layers that were submitted
  or approved are left as reviewed and their items reported ("refused"). A
  known text with no spans, or a text twice in the upload, is a "duplicate".
- ``mode="atomic"``: any rejected line or document means nothing is written.
  ``mode="skip"``: rejected ones are reported and the rest imported.
- Writes are bulk inserts (with history rows) in batches inside one
  transaction, so a database error midway also leaves nothing behind.
Parsing is import_parse.py, the bulk writer import_writer.py; this module runs them in
the import's transaction.
Spans from JSONL and doccano go to the layer of ``annotator`` (default: the
importing user); native layers go to the member with the layer's username,
else to the importing user.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from annotator.core.errors import ApplicationError
from annotator.core.gc_pause import gc_paused
from annotator.credibility.scheduling import scores_mark_dirty
from annotator.documents.signals import documents_added_send
from annotator.interchange.import_parse import ParseResult, import_parse, rejections_error
from annotator.interchange.import_writer import BATCH, ImportWriter
from annotator.interchange.importers.base import Taxonomy
from annotator.interchange.link_flags import flag_lock_shared
from annotator.projects.models import Membership, Project
from annotator.propositions.interchange import propositions_import

MODES = ("atomic", "skip")

Progress = Callable[[str, int, int], None]  # (phase, done, total)


# pg_advisory_xact_lock(class, project id): imports of one project write one after another.
IMPORT_LOCK_CLASS = 0x5C10


def import_documents(
    *, project: Project, user, files: list[tuple[str, bytes, str]], mode: str = "atomic", annotator=None,
    progress: Progress | None = None,
) -> tuple[dict, list[dict]]:  # fmt: skip
    """Import the files into the project; (counts, rejections). Atomic mode raises on any rejection."""
    if mode not in MODES:
        raise ApplicationError.field(
            "mode", f"Unknown mode {mode!r}; use atomic (all or nothing) or skip (skip bad lines)."
        )
    annotator = annotator or user
    if not Membership.objects.filter(project=project, user=annotator, is_active=True).exists():
        raise ApplicationError.field(
            "annotator", f"{annotator.get_username()} is not a member of this project."
        )
    with gc_paused():
        taxonomy = Taxonomy(project)
        parsed = import_parse(files=files, taxonomy=taxonomy)
        return import_write(
            project=project, user=user, parsed=parsed, taxonomy=taxonomy, mode=mode, annotator=annotator,
            progress=progress,
        )  # fmt: skip


def import_write(
    *, project: Project, user, parsed: ParseResult, taxonomy: Taxonomy, mode: str, annotator,
    progress: Progress | None = None, own_transaction: bool = True,
) -> tuple[dict, list[dict]]:  # fmt: skip
    """Write documents already parsed and validated by import_parse (with its ``taxonomy``).

    ``own_transaction``: the import is one transaction of its own, committed without waiting
    for the WAL flush (a job's import, import_transaction_settings). False: the caller holds
    the transaction (the inline import writes its finished job in it too) and commits it as
    usual, so the import with everything it sets off is one synchronous commit.
    The dirty marks and the documents_added receivers' rows (the hedges job) are written in
    this transaction; their tasks are sent on commit.
    """
    if parsed.rejections and mode == "atomic":
        raise rejections_error(parsed.rejections)
    if not own_transaction and not connection.in_atomic_block:
        raise RuntimeError("import_write(own_transaction=False) must run inside transaction.atomic().")
    total = len(parsed.documents)
    if progress:
        progress("parsed", 0, total)
    with transaction.atomic() if own_transaction else nullcontext():
        import_transaction_settings(wait_for_flush=not own_transaction)
        # One import per project at a time: a second upload of the same file waits, then
        # finds the first one's documents and skips them as duplicates (instead of failing
        # on the unique text constraint). The writer reads the existing texts after the lock.
        # With it, the flag lock shared, before the writer reads the label kinds: link_flags.py.
        flag_lock_shared(project.pk, after=IMPORT_LOCK_CLASS)
        writer = ImportWriter(project=project, user=user, annotator=annotator, taxonomy=taxonomy)
        for start in range(0, total, BATCH):
            writer.write_batch(parsed.documents[start : start + BATCH])
            if progress:
                progress("writing", min(total, start + BATCH), total)
        for native in parsed.propositions:
            for key, value in propositions_import(
                project=project, user=user, data=native, stored=writer.stored
            ).items():
                writer.counts[key] = writer.counts.get(key, 0) + value
        documents_added_send(project=project, document_ids=writer.document_ids, user=user)
        if writer.counts["documents"] or writer.counts["annotations"]:
            # Bulk inserts send no post_save signals: tell source scores the project changed.
            # Last, as the marks hold the project's queued-task row until the commit.
            scores_mark_dirty(project_id=project.pk, whole_project=True, in_transaction=True)
    counts = {**writer.counts, "rejected": len(parsed.rejections)}
    return counts, [r.as_dict() for r in parsed.rejections] + writer.refusals


def import_transaction_settings(*, wait_for_flush: bool = False) -> None:
    """Plan the import's statements without JIT and, unless ``wait_for_flush``, commit its
    transaction without waiting for its WAL to reach the disk.

    Bulk statements over thousands of ids have estimated costs past jit_above_cost, and
    compiling them (up to a second each on a busy host) took longer than running them.

    Safe for durability as used here: a job's state is committed afterwards by an ordinary
    synchronous commit, which flushes the WAL up to and including this transaction, so a
    crash can never leave a succeeded job without its documents; it can only lose an import
    whose job then shows as still running. The inline import answers the client from its
    own commit, so it waits for the flush (docs/performance.md).
    """
    with connection.cursor() as cursor:
        if wait_for_flush:
            cursor.execute("SET LOCAL jit = off")
        else:
            cursor.execute("SET LOCAL synchronous_commit = off; SET LOCAL jit = off")


def user_for_annotator(*, project: Project, user_id: int | None):
    if user_id is None:
        return None
    user = (
        get_user_model()
        .objects.filter(pk=user_id, memberships__project=project, memberships__is_active=True)
        .first()
    )
    if user is None:
        raise ApplicationError.field("annotator", f"User {user_id} is not a member of this project.")
    return user
