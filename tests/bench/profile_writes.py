"""Where a span or relation POST spends its time: CPU and round trips per request, not wall time.

``python -m tests.bench.profile_writes`` serves POST /api/v1/annotations/ and POST
/api/v1/relations/ in this process through Django's WSGI handler (production settings,
DEBUG off, token authentication, the whole middleware stack), into one document as the
peers' phase does (bench_api.py: 500 spans, then 250 relations; the first 20 of each
untimed), and prints per request:
the web process's CPU, the PostgreSQL backend's CPU (read from /proc, so the server must
run on this machine), the statements sent, and the share of each statement kind. CPU
time barely moves when other processes load the host, where a wall-clock rate halves:
use it to decide, and bench_api.py to report. ``PROFILE=spans`` or ``PROFILE=relations``
adds a cProfile of that phase (top 40 by cumulative time); ``SQL=1`` prints each
distinct statement's opening words with its count.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections import Counter
from wsgiref.util import setup_testing_defaults

SPANS, RELATIONS, WARM_UP = 500, 250, 20


def _backend_cpu(pid: int) -> float:
    """User + system CPU seconds of one local PostgreSQL backend."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Statements:
    """An execute wrapper counting statements by their opening words."""

    def __init__(self):
        self.kinds: Counter = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.kinds[" ".join(sql.split()[:6])[:90]] += 1
        return execute(sql, params, many, context)


def _post(application, path: str, token: str, payload: dict) -> dict:
    body = json.dumps(payload).encode()
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)), "HTTP_AUTHORIZATION": f"Token {token}",
        "SERVER_NAME": "127.0.0.1", "HTTP_HOST": "127.0.0.1", "wsgi.input": io.BytesIO(body),
    }  # fmt: skip
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    response = application(environ, start_response)
    content = b"".join(response)
    response.close()
    if answer["status"] != 201:
        raise RuntimeError(f"POST {path}: {answer['status']} {content[:300]!r}")
    return json.loads(content)


def _phase(name: str, application, calls: list) -> dict:
    """Run ``calls`` (path, token, payload) after WARM_UP of them; CPU and statements per request."""
    from django.db import connection

    connection.close()  # a fresh connection (CONN_MAX_AGE) that stays open for the whole phase
    answers = [_post(application, path, token, payload) for path, token, payload in calls[:WARM_UP]]
    statements = _Statements()
    backend = connection.connection.info.backend_pid
    profiler = cProfile.Profile(time.process_time) if os.environ.get("PROFILE") == name else None
    wall, cpu, pg = time.perf_counter(), time.process_time(), _backend_cpu(backend)
    with connection.execute_wrapper(statements):
        if profiler:
            profiler.enable()
        for path, token, payload in calls[WARM_UP:]:
            answers.append(_post(application, path, token, payload))
        if profiler:
            profiler.disable()
    count = len(calls) - WARM_UP
    pg_backend = connection.connection.info.backend_pid
    figures = {
        "requests": count,
        "web_cpu_ms": round((time.process_time() - cpu) * 1000 / count, 3),
        "pg_cpu_ms": round((_backend_cpu(backend) - pg) * 1000 / count, 3) if pg_backend == backend else None,
        "wall_ms": round((time.perf_counter() - wall) * 1000 / count, 3),
        "statements": round(sum(statements.kinds.values()) / count, 2),
    }
    with connection.cursor() as cursor:  # generic plans: planned once; custom: planned at every call
        cursor.execute("SELECT left(statement, 40), generic_plans, custom_plans FROM pg_prepared_statements")
        figures["prepared"] = [
            f"{text!r}: {generic} generic, {custom} custom" for text, generic, custom in cursor
        ]
    if os.environ.get("SQL"):
        figures["sql"] = {k: round(v / count, 2) for k, v in statements.kinds.most_common()}
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(
            os.environ.get("PROFILE_SORT", "cumulative")
        ).print_stats(int(os.environ.get("PROFILE_LINES", "40")))
        print(out.getvalue(), file=sys.stderr)
    figures["answers"] = answers
    return figures


def run() -> dict:
    from tests.bench.support import scratch_database

    with scratch_database(os.environ.get("BENCH_PROFILE_DATABASE") or "assay_bench_profile"):
        from django.core.wsgi import get_wsgi_application

        from annotator.documents.services import document_create
        from annotator.projects.models import Label
        from annotator.projects.services import project_create
        from tests.bench.bench_api import _text, _user_with_token

        project = project_create(name="Profile", slug="profile")
        _, token = _user_with_token(project, "profile-annotator", "annotator")
        document = document_create(project=project, text=_text(7, SPANS * 12 + 50))
        labels = list(Label.objects.filter(project=project).order_by("position").values_list("pk", flat=True))
        application = get_wsgi_application()
        spans = [
            ("/api/v1/annotations/", token,
             {"document": document.pk, "start": i * 12, "end": i * 12 + 8, "label": labels[i % 2]})
            for i in range(SPANS)
        ]  # fmt: skip
        span_figures = _phase("spans", application, spans)
        ids = [answer["id"] for answer in span_figures.pop("answers")]
        relations = [
            ("/api/v1/relations/", token, {"source": ids[2 * i + 1], "type": "supports", "target": ids[2 * i]})
            for i in range(RELATIONS)
        ]  # fmt: skip
        relation_figures = _phase("relations", application, relations)
        relation_figures.pop("answers")
        from django.db import connections

        connections.close_all()
    return {"spans": span_figures, "relations": relation_figures}


if __name__ == "__main__":
    os.environ.update(
        DJANGO_SETTINGS_MODULE="annotator.config.settings.base", DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "profile-only-secret", ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING", ASSAY_CELERY_QUEUE=f"assay-profile-{os.getpid()}",
    )  # fmt: skip
    print(json.dumps(run(), indent=2))
