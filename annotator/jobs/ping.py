"""The ping job: a round trip through the broker that says which worker answered."""

import socket

from annotator.jobs.runner import JobOutcome


def job_ping_run(*, job, progress) -> JobOutcome:
    return JobOutcome(counts={"pong": 1}, message=f"pong from {socket.gethostname()}")
