"""The REST API under load: gunicorn on 127.0.0.1 against real PostgreSQL (a scratch database).

Figures, each printed with its target (issue 4):
- span creation over HTTP, 1 client and 8 concurrent clients (each its own
  annotator and document): spans/s and p99 latency (targets 160/s; 320/s, p99 < 50 ms);
- opening a document with 500 spans and 250 relations (the workspace endpoint):
  p50 (target < 30 ms);
- streaming a native JSON export of a project: annotations/s (target 50,000/s)
  and the peak RSS of the gunicorn workers meanwhile (target < 250 MB);
- importing JSONL documents with spans: documents/s (target 1,000/s), with the
  job's progress values seen by a poller while it runs.

Sizes come from environment variables; defaults are the issue's sizes:
BENCH_EXPORT_DOCUMENTS=10000, BENCH_EXPORT_SPANS_PER_DOCUMENT=100 (1,000,000
spans), BENCH_IMPORT_DOCUMENTS=10000, BENCH_SPAN_REQUESTS=1000 (per mode),
BENCH_GUNICORN_WORKERS=4. ``BENCH_SMALL=1`` runs a quick reduced set;
``BENCH_API_PARTS=spans,workspace`` runs only some parts (spans, workspace,
export, import). ``BENCH_GUNICORN_ARGS="--threads 4"`` adds gunicorn options
(the defaults match docker/entrypoint.sh).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tests.bench.support import median_ms, percentile_ms, settle

ROOT = Path(__file__).resolve().parents[2]
SMALL = os.environ.get("BENCH_SMALL", "") not in ("", "0")


def _size(name: str, default: int, small: int) -> int:
    return int(os.environ.get(name) or (small if SMALL else default))


EXPORT_DOCUMENTS = _size("BENCH_EXPORT_DOCUMENTS", 10_000, 1_000)
SPANS_PER_DOCUMENT = _size("BENCH_EXPORT_SPANS_PER_DOCUMENT", 100, 50)
IMPORT_DOCUMENTS = _size("BENCH_IMPORT_DOCUMENTS", 10_000, 2_000)
SPAN_REQUESTS = _size("BENCH_SPAN_REQUESTS", 1000, 200)
WORKERS = _size("BENCH_GUNICORN_WORKERS", 4, 4)
WORKSPACE_SPANS, WORKSPACE_RELATIONS = 500, 250
WARM_UP = 20  # untimed span requests per client before the timed ones
PARTS = set((os.environ.get("BENCH_API_PARTS") or "spans,workspace,export,import").split(","))
WORDS = [
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
]


def _text(seed: int, chars: int) -> str:
    words, n = [], seed
    while sum(len(w) + 1 for w in words) < chars:
        n = (n * 1103515245 + 12345) % 2**31
        words.append(WORDS[n % len(WORDS)])
    return f"Document {seed}. " + " ".join(words) + "."


def _user_with_token(project, username: str, role: str):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from annotator.projects.services import membership_set

    user = get_user_model().objects.create_user(username=username, password="bench-pw")
    membership_set(project=project, user=user, role=role)
    return user, Token.objects.create(user=user).key


def _populate_small_project():
    """Users, documents for span creation, and a document with 500 spans and 250 relations."""
    from annotator.annotations.models import Annotation, Relation
    from annotator.documents.services import document_create
    from annotator.projects.models import Label
    from annotator.projects.services import project_create

    project = project_create(name="API bench", slug="api-bench")
    manager, manager_token = _user_with_token(project, "bench-manager", "manager")
    clients = []
    for index in range(8):
        user, token = _user_with_token(project, f"bench-annotator-{index}", "annotator")
        document = document_create(
            project=project, text=_text(index, (2 * SPAN_REQUESTS + 3 * WARM_UP + 100) * 12)
        )
        clients.append((user, token, document))
    labels = list(Label.objects.filter(project=project).order_by("position"))
    owner, owner_token, _ = clients[0]
    big = document_create(project=project, text=_text(99, WORKSPACE_SPANS * 12 + 50))
    spans = Annotation.objects.bulk_create(
        Annotation(
            project=project,
            document=big,
            annotator=owner,
            start=i * 12,
            end=i * 12 + 8,
            quote=big.text[i * 12 : i * 12 + 8],
            label=labels[i % 2],
        )  # fmt: skip
        for i in range(WORKSPACE_SPANS)
    )
    Relation.objects.bulk_create(
        Relation(
            project=project,
            document=big,
            annotator=owner,
            type="supports",
            source=spans[2 * i + 1],
            target=spans[2 * i],
        )  # fmt: skip
        for i in range(WORKSPACE_RELATIONS)
    )
    return {"project": project, "manager_token": manager_token, "clients": clients, "labels": labels,
            "workspace_document": big, "workspace_token": owner_token}  # fmt: skip


def _populate_export_project(manager) -> tuple[int, int]:
    """EXPORT_DOCUMENTS documents with SPANS_PER_DOCUMENT spans each, written in SQL (setup speed only)."""
    from django.db import connection

    from annotator.projects.models import Label
    from annotator.projects.services import membership_set, project_create

    project = project_create(name="Export bench", slug="export-bench")
    membership_set(project=project, user=manager, role="manager")
    labels = list(Label.objects.filter(project=project).order_by("position").values_list("id", flat=True))
    chars = SPANS_PER_DOCUMENT * 20 + 20
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO documents_document (project_id, text, content_hash, char_count, word_count, title, url,
                language, provenance, created_at, updated_at)
            SELECT %(project)s, t.text, encode(sha256(convert_to(t.text, 'UTF8')), 'hex'), char_length(t.text),
                   array_length(regexp_split_to_array(t.text, '\\s+'), 1), 'Bench ' || g, '', 'en', '{}',
                   now(), now()
            FROM generate_series(1, %(documents)s) g,
                 LATERAL (SELECT 'Document ' || g || '. ' || repeat('Officials say the budget will double. ',
                          %(chars)s / 38 + 1) AS text) t
            """,
            {"project": project.pk, "documents": EXPORT_DOCUMENTS, "chars": chars},
        )
        cursor.execute(
            """
            INSERT INTO annotations_annotation (project_id, document_id, annotator_id, layer, start, "end", quote,
                label_id, note, status, status_reason, version, created_at, updated_at)
            SELECT d.project_id, d.id, %(user)s, 'annotator', i * 20, i * 20 + 15, substr(d.text, i * 20 + 1, 15),
                   (%(labels)s::bigint[])[1 + i %% 4], '', 'pending', '', 1, now(), now()
            FROM documents_document d, generate_series(0, %(spans)s - 1) i
            WHERE d.project_id = %(project)s
            """,
            {"project": project.pk, "user": manager.pk, "labels": labels, "spans": SPANS_PER_DOCUMENT},
        )
        cursor.execute("ANALYZE documents_document; ANALYZE annotations_annotation")
    return project.pk, EXPORT_DOCUMENTS * SPANS_PER_DOCUMENT


def _settle_database() -> None:
    """Finish what a bulk load leaves PostgreSQL to do in the background (vacuum of the new
    rows, writing dirty buffers out) before timing anything: setup cost, not the API's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) documents_document, annotations_annotation")
    settle(connection)


def _broker() -> str:
    """Redis when it answers (as deployed: tasks queue, a worker runs them), else in-process tasks."""
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure means no broker
        return ""
    return url


def _server_env(database_url: str, broker: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false", "SECRET_KEY": "bench-only-secret",
            "DJANGO_SETTINGS_MODULE": "annotator.config.settings.base", "ALLOWED_HOSTS": "127.0.0.1",
            "CELERY_BROKER_URL": broker, "ASSAY_CELERY_QUEUE": f"assay-bench-api-{os.getpid()}",
            "LOG_LEVEL": "WARNING"}  # fmt: skip


def _start_worker(env: dict) -> subprocess.Popen | None:
    if not env["CELERY_BROKER_URL"]:
        return None
    command = [sys.executable, "-m", "celery", "-A", "annotator", "worker", "-Q", env["ASSAY_CELERY_QUEUE"],
               "-c", "1", "-P", "prefork", "--without-gossip", "--without-mingle", "--loglevel=WARNING"]  # fmt: skip
    # Worker banners go to stderr: stdout carries only the JSON figures.
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=sys.stderr)  # noqa: S603 - our own interpreter


def _start_gunicorn(env: dict) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # As deployed: docker/entrypoint.sh's defaults (4 sync workers); BENCH_GUNICORN_ARGS tries others.
    command = [str(Path(sys.executable).parent / "gunicorn"), "annotator.config.wsgi:application",
               "-b", f"127.0.0.1:{port}", "-w", str(WORKERS), "--preload", "--timeout", "900",
               "--log-level", "warning", *os.environ.get("BENCH_GUNICORN_ARGS", "").split()]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sys.stderr)  # noqa: S603 - our own gunicorn
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                time.sleep(1.0)  # let every worker boot
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}") from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start within 60 s")


def _create_spans(
    base: str,
    token: str,
    document_id: int,
    label_id: int,
    count: int,
    offset: int,
    *,
    warm_up: int = 0,
    start_at: float = 0.0,
) -> tuple[float, float, list[float]]:
    """POST ``warm_up`` untimed spans, wait until ``start_at``, then POST ``count`` timed ones
    one after another; returns (first send, last answer, latencies) in time.monotonic().

    A plain http.client client (about 0.3 ms of CPU per request here, against about 1 ms for
    requests), so the figures measure the server more than the client. Every request is a
    full HTTP exchange on a new TCP connection: gunicorn's sync workers close each one.
    """
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def post(i: int) -> None:
        start = (offset + i) * 12
        body = json.dumps({"document": document_id, "start": start, "end": start + 8, "label": label_id})
        connection.request("POST", "/api/v1/annotations/", body, headers)
        response = connection.getresponse()
        answer = response.read()
        if response.status != 201:
            raise RuntimeError(f"span creation failed: {response.status} {answer[:200]!r}")

    for i in range(warm_up):
        post(i)
    time.sleep(max(0.0, start_at - time.monotonic()))  # clients in other processes start together
    latencies = []
    began = time.monotonic()
    for i in range(warm_up, warm_up + count):
        t0 = time.monotonic()
        post(i)
        latencies.append(time.monotonic() - t0)
    return began, time.monotonic(), latencies


def _bench_spans(base: str, data: dict) -> dict:
    label = data["labels"][0].pk
    _, token, document = data["clients"][0]
    # Warm-up, untimed for every client: the first span of a layer also opens it (creates the
    # annotator's assignment, about 9 ms here), then the connection and prepared statements.
    began, ended, single = _create_spans(base, token, document.pk, label, SPAN_REQUESTS, 0, warm_up=WARM_UP)
    single_rate = SPAN_REQUESTS / (ended - began)
    # 8 clients, each its own process (as 8 scripts would be): threads in this process would
    # share one GIL with each other and with the benchmark itself.
    per_client = max(1, SPAN_REQUESTS // 8)
    start_at = time.monotonic() + 3.0  # every process spawned and warmed up
    with ProcessPoolExecutor(8, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [
            pool.submit(
                _create_spans,
                base,
                token,
                document.pk,
                label,
                per_client,
                WARM_UP + SPAN_REQUESTS if i == 0 else 0,
                warm_up=WARM_UP,
                start_at=start_at,
            )  # fmt: skip
            for i, (_, token, document) in enumerate(data["clients"])
        ]
        runs = [future.result() for future in futures]
    concurrent = [latency for _, _, latencies in runs for latency in latencies]
    concurrent_rate = len(concurrent) / (max(r[1] for r in runs) - min(r[0] for r in runs))
    return {
        "spans_per_s_1_client": round(single_rate, 1), "target_spans_per_s_1_client": ">= 160",
        "p99_ms_1_client": percentile_ms(single, 99),
        "spans_per_s_8_clients": round(concurrent_rate, 1), "target_spans_per_s_8_clients": ">= 320",
        "p99_ms_8_clients": percentile_ms(concurrent, 99), "target_p99_ms_8_clients": "< 50",
    }  # fmt: skip


def _bench_workspace(base: str, data: dict) -> dict:
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Token {data['workspace_token']}"
    url = f"{base}/api/v1/documents/{data['workspace_document'].pk}/workspace/"
    body = session.get(url).json()
    assert len(body["annotations"]) == WORKSPACE_SPANS and len(body["relations"]) == WORKSPACE_RELATIONS, (
        body.keys()
    )
    samples = []
    for _ in range(60):
        t0 = time.perf_counter()
        session.get(url).raise_for_status()
        samples.append(time.perf_counter() - t0)
    return {"workspace_p50_ms_500_spans_250_relations": median_ms(samples), "target_workspace_p50_ms": "< 30",
            "workspace_p90_ms": percentile_ms(samples, 90)}  # fmt: skip


class _RssWatcher(threading.Thread):
    """Samples the resident memory of the gunicorn workers every 50 ms."""

    def __init__(self, master_pid: int):
        super().__init__(daemon=True)
        import psutil

        self.master = psutil.Process(master_pid)
        self.peak = 0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            for worker in self.master.children():
                with contextlib.suppress(Exception):  # a worker may exit between listing and reading
                    self.peak = max(self.peak, worker.memory_info().rss)
            time.sleep(0.05)


def _bench_export(base: str, token: str, project_id: int, spans: int, master_pid: int) -> dict:
    import requests

    watcher = _RssWatcher(master_pid)
    watcher.start()
    t0 = time.perf_counter()
    size = 0
    with requests.get(f"{base}/api/v1/projects/{project_id}/export/?format=native",
                      headers={"Authorization": f"Token {token}"}, stream=True, timeout=900) as response:  # fmt: skip
        response.raise_for_status()
        for chunk in response.iter_content(chunk_size=1 << 20):
            size += len(chunk)
    seconds = time.perf_counter() - t0
    watcher.stopped.set()
    watcher.join()
    return {
        "export_documents": EXPORT_DOCUMENTS, "export_annotations": spans, "export_seconds": round(seconds, 2),
        "export_mb": round(size / 1e6, 1), "export_annotations_per_s": round(spans / seconds),
        "target_export_annotations_per_s": ">= 50000", "export_peak_worker_rss_mb": round(watcher.peak / 2**20, 1),
        "target_export_peak_worker_rss_mb": "< 250",
    }  # fmt: skip


def _bench_import(base: str, token: str, project_id: int) -> dict:
    import requests

    lines = [
        json.dumps(
            {
                "text": _text(100_000 + i, 600),
                "title": f"Imported {i}",
                "outlet": f"Outlet {i % 20}",
                "authors": [f"Author {i % 50}"],
                "published_on": "2024-05-31",
                "language": "en",
                "spans": [
                    {"start": 0, "end": 8, "label": "CLAIM"},
                    {"start": 20, "end": 40, "label": "EVIDENCE"},
                    {"start": 60, "end": 90, "label": "HEDGE"},
                ],
            }
        )  # fmt: skip
        for i in range(IMPORT_DOCUMENTS)
    ]
    payload = ("\n".join(lines) + "\n").encode()
    headers = {"Authorization": f"Token {token}"}
    seen_progress: list[int] = []
    done = threading.Event()

    def poll():
        session = requests.Session()
        session.headers.update(headers)
        while not done.is_set():
            jobs = session.get(f"{base}/api/v1/jobs/?kind=import&project={project_id}").json()["results"]
            for job in jobs:
                if job["state"] == "running" and (not seen_progress or seen_progress[-1] != job["progress"]):
                    seen_progress.append(job["progress"])
            time.sleep(0.1)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    t0 = time.perf_counter()
    response = requests.post(f"{base}/api/v1/projects/{project_id}/imports/", headers=headers,
                             files={"file": ("bench.jsonl", payload)}, timeout=900)  # fmt: skip
    job = response.json()
    while job.get("state") not in ("succeeded", "failed"):
        time.sleep(0.1)
        job = requests.get(f"{base}/api/v1/jobs/{job['id']}/", headers=headers, timeout=30).json()
    seconds = time.perf_counter() - t0
    done.set()
    poller.join()
    if job["state"] != "succeeded":
        raise RuntimeError(f"import failed: {job}")
    return {
        "import_documents": job["counts"]["documents"], "import_annotations": job["counts"]["annotations"],
        "import_mb": round(len(payload) / 1e6, 1), "import_seconds": round(seconds, 2),
        "import_documents_per_s": round(job["counts"]["documents"] / seconds),
        "target_import_documents_per_s": ">= 1000", "import_progress_seen": seen_progress,
    }  # fmt: skip


def run() -> dict:
    from tests.bench.support import scratch_database

    with scratch_database("assay_bench_api"):
        from tests.conftest import test_database_url

        data = _populate_small_project()
        manager = data["clients"][0][0].__class__.objects.get(username="bench-manager")
        env = _server_env(test_database_url(), _broker())
        worker = _start_worker(env)
        server, base = _start_gunicorn(env)
        try:
            figures = {
                "gunicorn_workers": WORKERS,
                "celery": "redis + 1 worker" if worker else "in-process (no broker)",
            }
            if "spans" in PARTS:
                figures.update(_bench_spans(base, data))
            if "workspace" in PARTS:
                figures.update(_bench_workspace(base, data))
            if "export" in PARTS:
                # Loaded only now, so the span and workspace figures never run beside the
                # aftermath of a million-row load (autovacuum, checkpoint writes).
                export_project, export_spans = _populate_export_project(manager)
                _settle_database()
                figures.update(
                    _bench_export(base, data["manager_token"], export_project, export_spans, server.pid)
                )
            if "import" in PARTS:
                figures.update(_bench_import(base, data["manager_token"], data["project"].pk))
        finally:
            for process in (server, worker):
                if process is not None:
                    process.terminate()
                    process.wait(30)
            from django.db import connections

            connections.close_all()
    return figures


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.config.settings.test")
    os.environ.setdefault("DEBUG", "true")
    print(json.dumps(run(), indent=2))
