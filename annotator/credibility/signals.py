"""Mark sources dirty when what they are computed from changes.

Handlers only remember what changed; the marks are written after the
transaction commits (nothing is recomputed for a rolled-back change), and
the marking service coalesces bursts into one queued task per project.
Spans and relations are heard through annotations' hook (annotations/hooks.py),
which every write path calls; a write that is its own single-statement
transaction runs the marking CTEs in that statement instead: same rows, same
single queued task, one commit.
Document metadata and label kinds can move figures between sources, so
they mark the whole project; a renamed outlet, author or speaker only
renames its current score rows.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from annotator.annotations import hooks
from annotator.credibility.models import EntityKind
from annotator.credibility.scheduling import scores_mark_dirty
from annotator.credibility.services import dirty_marks_ctes, dirty_statement_params, scores_entity_renamed
from annotator.credibility.tasks import scores_recompute_enqueue
from annotator.documents.models import Document
from annotator.projects.models import Label, Project
from annotator.reviews.models import Assignment
from annotator.sources.models import Author, Source, Speaker

_suspended = contextvars.ContextVar("credibility_signals_suspended", default=False)


@contextmanager
def scores_signals_suspended():
    """For bulk loaders that run a full recompute themselves afterwards."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def scores_marks_suspended() -> bool:
    return _suspended.get()


def scores_mark_on_commit(project_id, **kwargs) -> None:
    """Mark sources dirty once the current transaction commits (at once outside one)."""
    if _suspended.get() or project_id is None:
        return
    transaction.on_commit(partial(scores_mark_dirty, project_id=project_id, **kwargs))


def _on_assignment(sender, instance, **kwargs):
    scores_mark_on_commit(instance.project_id, document_ids=[instance.document_id])


def _on_project_wide(sender, instance, **kwargs):
    scores_mark_on_commit(instance.project_id, whole_project=True)


def _on_authors(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Document):
        scores_mark_on_commit(instance.project_id, whole_project=True)


def _on_project(sender, instance, created, update_fields=None, **kwargs):
    # A changed score_layer setting changes every figure of the project.
    if not created:
        scores_mark_on_commit(instance.pk, whole_project=True)


def _on_entity(sender, instance, created, **kwargs):
    if created or _suspended.get():
        return
    kind = {Source: EntityKind.OUTLET, Author: EntityKind.AUTHOR, Speaker: EntityKind.SPEAKER}[sender]
    transaction.on_commit(
        partial(scores_entity_renamed, kind=kind, entity_id=instance.pk, name=instance.name)
    )


def _on_work_changed(project_id, *, document_ids, speaker_ids) -> None:
    scores_mark_on_commit(project_id, document_ids=document_ids, speaker_ids=speaker_ids)


SUBSCRIBER = hooks.Subscriber(
    name="credibility",
    changed=_on_work_changed,
    paused=scores_marks_suspended,
    statement=hooks.StatementMarks(
        ctes=dirty_marks_ctes,
        params=dirty_statement_params,
        committed=lambda project_id: scores_recompute_enqueue(project_id=project_id),
    ),
)


def connect() -> None:
    hooks.subscribe(SUBSCRIBER)
    for model, handler in [
        (Assignment, _on_assignment),
        (Document, _on_project_wide),
        (Label, _on_project_wide),
    ]:
        post_save.connect(handler, sender=model, dispatch_uid=f"credibility-{model.__name__}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"credibility-{model.__name__}-delete")
    m2m_changed.connect(_on_authors, sender=Document.authors.through, dispatch_uid="credibility-authors")
    post_save.connect(_on_project, sender=Project, dispatch_uid="credibility-project-save")
    for model in (Source, Author, Speaker):
        post_save.connect(_on_entity, sender=model, dispatch_uid=f"credibility-{model.__name__}-rename")
