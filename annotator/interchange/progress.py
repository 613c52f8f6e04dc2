"""Job progress written on a database connection of its own.

An all-or-nothing import holds one transaction open while it writes; progress
written through that transaction would only appear at commit. This side
connection (autocommit) makes each update visible to pollers at once.
"""

from __future__ import annotations

import json

from django.db import DEFAULT_DB_ALIAS, connections

from annotator.jobs.models import Job


class SideProgress:
    def __init__(self, job_id: int):
        self.job_id = job_id
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, percent: int, counts: dict) -> None:
        table = self.connection.ops.quote_name(Job._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(
                # heartbeat_at: a sign of life for the jobs reaper (annotator/jobs/services.py).
                f"UPDATE {table} SET progress = %s, counts = %s::jsonb, heartbeat_at = now() WHERE id = %s",  # noqa: S608 - table name from model meta
                [max(0, min(100, int(percent))), json.dumps(counts), self.job_id],
            )

    def close(self) -> None:
        self.connection.close()
