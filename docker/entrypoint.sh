#!/bin/sh
# One image, three roles: web (migrates first), worker, beat.
set -e
case "$1" in
  web)
    python manage.py migrate --noinput
    # Sync workers (threads 1), as tests/bench/bench_api.py measures them: span writes
    # are CPU-bound Python; on 2 cores gthread (3x4, 4x2, 5x2) gave no gain for one
    # client and, in most runs, a worse p99 for 8 concurrent writers (a worker's
    # threads queue on its GIL). Sync workers have no keep-alive and should sit behind
    # a buffering proxy for slow clients. GUNICORN_THREADS > 1 switches to gthread.
    # --preload: the application (URLconf, views, Celery transport) is imported once in the
    # master, before the workers fork, so no user request pays for it (annotator/config/wsgi.py).
    # --timeout: a sync worker is killed when one request takes longer, which cut streaming
    # exports to slow readers at 30 s. Behind a buffering proxy (docs/failure-modes.md) the
    # download leaves the worker at network speed; without one, raise GUNICORN_TIMEOUT or use
    # export jobs (a file served by the job's download endpoint) for large exports.
    exec gunicorn annotator.config.wsgi:application --bind 0.0.0.0:8000 --preload \
      --workers "${GUNICORN_WORKERS:-4}" --threads "${GUNICORN_THREADS:-1}" \
      --timeout "${GUNICORN_TIMEOUT:-300}" --graceful-timeout 30 --access-logfile -
    ;;
  worker)
    exec celery -A annotator worker --loglevel=INFO --concurrency "${CELERY_CONCURRENCY:-2}" -Q "${ASSAY_CELERY_QUEUE:-assay}"
    ;;
  beat)
    exec celery -A annotator beat --loglevel=INFO
    ;;
  *)
    exec "$@"
    ;;
esac
