"""The peers' phases (issue 18), replayed against Assay's API by bench_api.py.

doccano 1.8.4 and Label Studio 1.23.2 were measured with these phases, counts and
timing (one client, requests one after another, every request a new connection to a
sync worker): the figures here are comparable with theirs. Each returns figures with
``target_*`` and ``pass_*`` beside them.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import time
from pathlib import Path

from tests.bench.support import median_ms, percentile_ms

ROOT = Path(__file__).resolve().parents[2]
LABELS = ["CLAIM", "EVIDENCE", "HEDGE", "OPINION"]


def verdict(figures: dict, name: str, value: float, target: str) -> None:
    """Store ``value`` under ``name`` with its target (">= 180", "< 15") and whether it passes."""
    op, bound = target.split()
    figures[name] = value
    figures[f"target_{name}"] = target
    figures[f"pass_{name}"] = value >= float(bound) if op == ">=" else value < float(bound)


class Client:
    """A plain http.client client (about 0.3 ms of CPU a request, against 1 ms for requests)."""

    def __init__(self, base: str, token: str | None = None):
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.headers = {"Authorization": f"Token {token}"} if token else {}

    def send(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes, float, dict]:
        began = time.perf_counter()
        self.connection.request(method, path, body, {**self.headers, **(headers or {})})
        response = self.connection.getresponse()
        answer = response.read()
        return response.status, answer, time.perf_counter() - began, dict(response.getheaders())

    def post_json(self, path: str, payload: dict, expect: int = 201) -> tuple[dict, float]:
        status, answer, seconds, _ = self.send(
            "POST", path, json.dumps(payload), {"Content-Type": "application/json"}
        )
        if status != expect:
            raise RuntimeError(f"POST {path}: {status} {answer[:300]!r}")
        return json.loads(answer), seconds


class ServerCpu:
    """CPU seconds spent by the gunicorn workers and by the database's backends (on this host):
    per request, it barely moves when other processes load the machine, where rates halve."""

    def __init__(self, master_pid: int, database: str):
        import psutil

        self.master, self.database = psutil.Process(master_pid), database

    def _backends(self) -> list[int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                           [self.database])  # fmt: skip
            return [pid for (pid,) in cursor.fetchall()]

    def sample(self) -> dict:
        import psutil

        seconds = {}
        for process in self.master.children():
            times = process.cpu_times()
            seconds[("web", process.pid)] = times.user + times.system
        for pid in self._backends():
            try:
                times = psutil.Process(pid).cpu_times()
            except psutil.NoSuchProcess:
                continue
            seconds[("pg", pid)] = times.user + times.system
        return seconds

    @staticmethod
    def per_request(before: dict, after: dict, requests: int) -> tuple[float, float]:
        """(web ms, PostgreSQL ms) per request; processes that ended meanwhile are not counted."""
        spent = {"web": 0.0, "pg": 0.0}
        for key, value in after.items():
            spent[key[0]] += value - before.get(key, 0.0)
        return round(spent["web"] * 1000 / requests, 2), round(spent["pg"] * 1000 / requests, 2)


class OtherLoad:
    """The share of the host's CPU that processes outside this benchmark used during a phase:
    neither this process and its children (server, Celery worker, clients) nor the backends of
    its database. Other sessions' tests do not take /tmp/bench.lock, and a phase that shares
    the 2 cores with them runs at about half speed while ``_machine_speed_ms`` (the best of
    three loops before the benchmark) still reads quiet: this figure tells such a run apart."""

    def __init__(self, cpu: ServerCpu):
        self.cpu = cpu

    def _now(self) -> tuple[float, float, float]:
        import psutil

        host = psutil.cpu_times()
        busy = sum(getattr(host, f, 0.0) for f in ("user", "nice", "system", "irq", "softirq", "steal"))
        ours = 0.0
        me = psutil.Process()
        for process in [me, *me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a process may exit between listing and reading
                times = process.cpu_times()
                ours += times.user + times.system + times.children_user + times.children_system
        ours += sum(v for (kind, _), v in self.cpu.sample().items() if kind == "pg")
        return time.monotonic(), busy, ours

    def start(self) -> None:
        self.began = self._now()

    def percent(self) -> float:
        """Other processes' CPU since start(), in percent of all cores over that time."""
        import psutil

        (t0, busy0, ours0), (t1, busy1, ours1) = self.began, self._now()
        others = max(0.0, (busy1 - busy0) - (ours1 - ours0))
        return round(100 * others / ((t1 - t0) * psutil.cpu_count()), 1)


def _phase(figures: dict, prefix: str, latencies: list[float], target: str) -> None:
    """Rate over the whole phase and over its steady state (after the first FIRST requests)."""
    first = 25
    steady = latencies[first:]
    figures[f"{prefix}_first_request_ms"] = round(latencies[0] * 1000, 2)
    figures[f"{prefix}_first_{first}_p50_ms"] = median_ms(latencies[:first])
    figures[f"{prefix}_all_per_s"] = round(len(latencies) / sum(latencies), 1)
    verdict(figures, f"{prefix}_per_s", round(len(steady) / sum(steady), 1), target)
    figures[f"{prefix}_p50_ms"] = median_ms(steady)
    figures[f"{prefix}_p99_ms"] = percentile_ms(steady, 99)


def _cpu(figures: dict, prefix: str, cpu: ServerCpu | None, before: dict | None, requests: int) -> None:
    if cpu is not None:
        figures[f"{prefix}_web_cpu_ms"], figures[f"{prefix}_pg_cpu_ms"] = cpu.per_request(
            before, cpu.sample(), requests
        )


def document_phases(
    base: str, data: dict, *, spans: int, relations: int, small_spans: int, cpu: ServerCpu | None = None
) -> dict:
    """500 spans, then 250 relations, into one document; then open it, and a 20-span one.
    With ``cpu``, also the server's CPU per span and per relation (``*_web_cpu_ms``, ``*_pg_cpu_ms``)."""
    client = Client(base, data["peer_token"])
    document, small = data["peer_document"], data["small_document"]
    labels = [label.pk for label in data["labels"]]
    figures: dict = {}
    ids, latencies = [], []
    before = cpu.sample() if cpu else None
    for i in range(spans):
        body, seconds = client.post_json(
            "/api/v1/annotations/",
            {"document": document.pk, "start": i * 12, "end": i * 12 + 8, "label": labels[i % 2]},
        )
        ids.append(body["id"])
        latencies.append(seconds)
    _cpu(figures, "peer_spans", cpu, before, spans)
    _phase(figures, "peer_spans", latencies, ">= 216")
    latencies = []
    before = cpu.sample() if cpu else None
    for i in range(relations):
        _, seconds = client.post_json(
            "/api/v1/relations/", {"source": ids[2 * i + 1], "type": "supports", "target": ids[2 * i]}
        )
        latencies.append(seconds)
    _cpu(figures, "relations", cpu, before, relations)
    _phase(figures, "relations", latencies, ">= 180")
    for i in range(small_spans):
        client.post_json(
            "/api/v1/annotations/",
            {"document": small.pk, "start": i * 12, "end": i * 12 + 8, "label": labels[0]},
        )
    for name, doc, p50, p99 in (
        ("open_500_spans", document, "< 15", "< 25"),
        ("open_20_spans", small, None, None),
    ):
        samples = []
        for _ in range(101):
            status, answer, seconds, _ = client.send("GET", f"/api/v1/documents/{doc.pk}/workspace/")
            if status != 200:
                raise RuntimeError(f"workspace: {status} {answer[:200]!r}")
            samples.append(seconds)
        if name == "open_500_spans":
            body = json.loads(answer)
            assert (len(body["annotations"]), len(body["relations"])) == (spans, relations)  # noqa: S101
        figures[f"{name}_first_ms"] = round(samples[0] * 1000, 2)
        steady = samples[1:]
        if p50:
            verdict(figures, f"{name}_p50_ms", median_ms(steady), p50)
            verdict(figures, f"{name}_p99_ms", percentile_ms(steady, 99), p99)
        else:
            figures[f"{name}_p50_ms"] = median_ms(steady)
    return figures


def login_phase(base: str, *, username: str, password: str, rounds: int) -> dict:
    """GET the login page and POST the form (a new client each round, as a browser would)."""
    samples, landing = [], []
    for _ in range(rounds):
        client = Client(base)
        status, page, page_seconds, headers = client.send("GET", "/login/")
        assert status == 200, status  # noqa: S101
        csrf = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
        form = f"username={username}&password={password}&csrfmiddlewaretoken={csrf}"
        status, _, post_seconds, headers = client.send(
            "POST", "/login/", form,
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}",
             "Referer": f"{base}/login/"},
        )  # fmt: skip
        if status != 302:
            raise RuntimeError(f"login: {status}")
        session = re.search(r"sessionid=([^;]+)", headers.get("Set-Cookie", "")).group(1)
        status, _, land_seconds, _ = client.send(
            "GET", headers["Location"], headers={"Cookie": f"sessionid={session}"}
        )
        assert status == 200, status  # noqa: S101
        samples.append(page_seconds + post_seconds)
        landing.append(land_seconds)
    figures = {"login_first_ms": round(samples[0] * 1000, 1)}
    verdict(figures, "login_ms", median_ms(samples[1:]), "< 200")
    figures["login_landing_page_ms"] = median_ms(landing)
    return figures


def _multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "assay-bench-boundary"
    parts = []
    for name, data in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _upload(client: Client, project_id: int, files: list[tuple[str, bytes]]) -> tuple[dict, float]:
    """POST the files; wait for the job to end. (answer, seconds to the finished job)"""
    body, content_type = _multipart(files)
    began = time.perf_counter()
    status, answer, request_seconds, _ = client.send("POST", f"/api/v1/projects/{project_id}/imports/", body,
                                                     {"Content-Type": content_type})  # fmt: skip
    if status not in (200, 201, 202):
        raise RuntimeError(f"import: {status} {answer[:300]!r}")
    job = json.loads(answer)
    while job.get("state") not in ("succeeded", "failed", "cancelled"):
        # One request that answers when the job ends (the API's ?wait), not a polling loop.
        _, answer, _, _ = client.send("GET", f"/api/v1/jobs/{job['id']}/?wait=10")
        job = json.loads(answer)
    seconds = time.perf_counter() - began
    if job["state"] != "succeeded":
        raise RuntimeError(f"import failed: {job}")
    job["_request_seconds"] = request_seconds
    return job, seconds


def _stamp(value: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _job_split(figures: dict, prefix: str, job: dict) -> None:
    """Where an import's time went: the upload request, the wait in the queue, the worker."""
    figures[f"{prefix}_request_s"] = round(job["_request_seconds"], 2)
    if job.get("started_at") and job.get("finished_at"):
        figures[f"{prefix}_queued_s"] = round(_stamp(job["started_at"]) - _stamp(job["created_at"]), 2)
        figures[f"{prefix}_worker_s"] = round(_stamp(job["finished_at"]) - _stamp(job["started_at"]), 2)


def upload_phase(base: str, token: str, project_ids: list[int]) -> dict:
    """The five seed files into a new project each round (a seed upload), to the finished job."""
    seeds = [(path.name, path.read_bytes()) for path in sorted((ROOT / "seeds").glob("*.txt"))]
    client = Client(base, token)
    samples = []
    for project_id in project_ids:
        job, seconds = _upload(client, project_id, seeds)
        assert job["counts"]["documents"] == len(seeds), job  # noqa: S101
        samples.append(seconds)
    figures = {"upload_5_seeds_first_ms": round(samples[0] * 1000, 1)}
    verdict(figures, "upload_5_seeds_ms", median_ms(samples[1:]), "< 30")
    return figures


def labelled_lines(count: int, text) -> list[str]:
    """doccano JSONL: 10 spans and 3 relations a document (the peers' import workload)."""
    lines = []
    for i in range(count):
        body = text(200_000 + i, 600)
        entities = [
            {"id": k + 1, "label": LABELS[k % 4], "start_offset": k * 50, "end_offset": k * 50 + 8}
            for k in range(10)
        ]
        # Entity k is LABELS[(k - 1) % 4]: 1 CLAIM, 2 EVIDENCE, 3 HEDGE, 4 OPINION, 5 CLAIM, 6 EVIDENCE,
        # ... Each link obeys annotations/rules.py RELATION_ENDS (evidence or claim -> claim or opinion).
        relations = [
            {"id": 1, "from_id": 2, "to_id": 1, "type": "supports"},
            {"id": 2, "from_id": 6, "to_id": 4, "type": "attacks"},
            {"id": 3, "from_id": 10, "to_id": 9, "type": "supports"},
        ]
        lines.append(
            json.dumps({"text": body, "title": f"Imported {i}", "entities": entities, "relations": relations})
        )
    return lines


def _wait_for_idle_jobs(timeout: float = 120.0) -> float:
    """Seconds until no job is pending or running (the bench's scratch database)."""
    from annotator.jobs.models import FINISHED_STATES, Job

    began = time.monotonic()
    while Job.objects.exclude(state__in=FINISHED_STATES).exists():
        if time.monotonic() - began > timeout:
            raise RuntimeError(f"jobs still running after {timeout:.0f} s")
        time.sleep(0.02)
    return round(time.monotonic() - began, 2)


def import_phase(base: str, token: str, project_ids: dict, *, documents: int, text) -> dict:
    """2,000 documents with 10 spans + 3 relations each; 2,000 plain documents (upload to finished job)."""
    client = Client(base, token)
    figures: dict = {}
    labelled = ("\n".join(labelled_lines(documents, text)) + "\n").encode()
    job, seconds = _upload(client, project_ids["labelled"], [("peers.jsonl", labelled)])
    counts = job["counts"]
    assert (counts["documents"], counts["annotations"], counts["relations"]) == (  # noqa: S101
        documents, documents * 10, documents * 3,
    ), counts  # fmt: skip
    figures["import_labelled_seconds"] = round(seconds, 2)
    _job_split(figures, "import_labelled", job)
    figures["import_labelled_mb"] = round(len(labelled) / 1e6, 1)
    verdict(figures, "import_labelled_docs_per_s", round(documents / seconds), ">= 1400")
    # The import's follow-up jobs (hedge suggestions for the new documents, credibility) run in
    # the same worker: the next timed phase starts when they are done, as each peer's phase did,
    # and their time is reported apart.
    figures["import_labelled_followups_s"] = _wait_for_idle_jobs()
    plain = (
        "\n".join(json.dumps({"text": text(300_000 + i, 600)}) for i in range(documents)) + "\n"
    ).encode()
    job, seconds = _upload(client, project_ids["plain"], [("plain.jsonl", plain)])
    assert job["counts"]["documents"] == documents, job["counts"]  # noqa: S101
    _job_split(figures, "import_plain", job)
    verdict(figures, "import_plain_docs_per_s", round(documents / seconds), ">= 4599")
    return figures
