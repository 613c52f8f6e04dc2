"""Sending Celery tasks without letting a broker outage break the request that sends them.

A write that committed must answer 2xx even when the broker is down: the
task is tried a few times (a bounded wait), then the failure is logged and
the caller is told (None) so it can leave a record that something is owed
(a job that says "not queued", a debounce row removed so the next change
queues again). Nothing here raises for a broker problem.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# Kombu's publish retries: about a second in all, so a request never hangs on a dead broker.
RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.3, "interval_max": 0.5}


def task_send(task, *, kwargs: dict, countdown: float | None = None) -> str | None:
    """Queue ``task``; its id, or None when the broker could not be reached (logged).

    In eager mode (no broker configured) the task runs here and its own errors propagate.
    """
    if task.app.conf.task_always_eager:
        result = task.apply_async(kwargs=kwargs, countdown=countdown)
    else:
        try:
            result = task.apply_async(
                kwargs=kwargs, countdown=countdown, retry=True, retry_policy=RETRY_POLICY
            )
        except Exception as exc:  # noqa: BLE001 - any failure to publish means "not queued"
            log.error("could not queue %s(%s): %s: %s", task.name, kwargs, type(exc).__name__, exc)
            return None
    return getattr(result, "id", None) or ""
