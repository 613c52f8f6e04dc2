"""What queues credibility's work: debounced dirty marks and on-demand recompute jobs.

Above tasks.py (which imports the services the tasks run), so nothing here needs an
import inside a function to reach a task.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from annotator.access import access_project
from annotator.credibility.models import DirtyKind
from annotator.credibility.services import scores_marks_write
from annotator.credibility.tasks import scores_recompute, scores_recompute_enqueue
from annotator.jobs.models import Job, JobKind
from annotator.jobs.services import job_queue
from annotator.projects.models import Role


def scores_mark_dirty(
    *,
    project_id: int,
    document_ids: Iterable[int] = (),
    speaker_ids: Iterable[int] = (),
    whole_project: bool = False,
    in_transaction: bool = False,
) -> bool:
    """Record what changed; True when this call scheduled the (single) recompute task.

    Call after the change committed (the task is sent at once), or with ``in_transaction``
    inside the transaction that made it: the marks then commit with the change at no commit
    of their own (a small import is one commit) and the task is sent on commit. The
    ``scheduled`` row is the debounce: while it exists a task is queued, so further marks
    only add dirty rows. Inside a transaction that row is held until the commit (other
    writers' marks of the project wait for it), so mark last, just before committing.
    """
    keys = [(DirtyKind.PROJECT, 0)] if whole_project else []
    keys += [(DirtyKind.DOCUMENT, int(i)) for i in document_ids]
    keys += [(DirtyKind.SPEAKER, int(i)) for i in speaker_ids]
    if not keys:
        return False
    scheduled = scores_marks_write(project_id=project_id, keys=keys)
    if scheduled and in_transaction:
        transaction.on_commit(partial(scores_recompute_enqueue, project_id=project_id))
    elif scheduled:
        scores_recompute_enqueue(project_id=project_id)
    return scheduled


def scores_recompute_request(*, user, project_id: int) -> Job:
    """On-demand full recompute of one project (reviewers and managers), as a Job."""
    project, _ = access_project(user=user, project_id=project_id, minimum=Role.REVIEWER)
    return job_queue(
        kind=JobKind.SCORES, task=scores_recompute, project=project, created_by=user,
        params={"project_ids": [project.pk]}, project_ids=[project.pk],
    )  # fmt: skip


def scores_recompute_request_many(*, user, project_ids: list[int]) -> Job:
    """One Job recomputing several projects (the admin's "recompute all"); managers only."""
    for project_id in project_ids:
        access_project(user=user, project_id=project_id, minimum=Role.MANAGER)
    return job_queue(
        kind=JobKind.SCORES, task=scores_recompute, created_by=user, params={"project_ids": project_ids},
        project_ids=project_ids,
    )  # fmt: skip
