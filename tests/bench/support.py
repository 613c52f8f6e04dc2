"""Shared set-up for benchmarks: a scratch database, a timer, a vocabulary for generated texts."""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from contextlib import contextmanager


@contextmanager
def scratch_database(name: str = "assay_bench"):
    """Create and migrate a fresh database ``name``, point Django at it, drop it after."""
    import django
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    settle(connection)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def settle(connection) -> None:
    """Write out what an earlier step left dirty (a dropped million-row database still has
    its WAL and buffers to flush), so its aftermath is not timed with what follows."""
    from django.db import DatabaseError

    # CHECKPOINT needs a privileged role; a managed server may refuse it (autocommit: no
    # transaction is left aborted).
    with connection.cursor() as cursor, contextlib.suppress(DatabaseError):
        cursor.execute("CHECKPOINT")
    # And the kernel's dirty pages: background writeback slows every commit's WAL flush.
    os.sync()


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def percentile_ms(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return round(ordered[index] * 1000, 2)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


# Words for generated documents: news-like, with hedges and evidence cues, all ASCII.
VOCABULARY = [
    "the",
    "minister",
    "said",
    "budget",
    "would",
    "double",
    "next",
    "year",
    "officials",
    "claim",
    "evidence",
    "shows",
    "growth",
    "report",
    "widely",
    "considered",
    "experts",
    "say",
    "may",
    "could",
    "likely",
    "data",
    "survey",
    "percent",
    "rose",
    "fell",
    "sharply",
    "according",
    "analysis",
    "suggests",
    "critics",
    "argue",
    "government",
    "policy",
    "election",
    "border",
    "security",
    "economy",
]
