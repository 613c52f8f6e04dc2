#!/bin/sh
# One image, three roles: web (migrates first), worker, beat.
set -e
case "$1" in
  web)
    python manage.py migrate --noinput
    # Threaded workers (gthread), one thread each by default: as tests/bench/bench_api.py
    # measured, span writes are CPU-bound Python and on 2 cores more threads per worker (3x4,
    # 4x2, 5x2) gave no gain for one client and, in most runs, a worse p99 for 8 concurrent
    # writers (a worker's threads queue on its GIL). With one thread a worker takes one
    # connection at a time and closes it after the answer (--worker-connections 1
    # --keep-alive 0), as sync workers do, so a busy worker leaves new connections to the
    # others. Unlike a sync worker, its main thread keeps reporting to the arbiter while the
    # request thread streams: --timeout no longer cuts a long download to a slow reader (a
    # sync worker was killed after GUNICORN_TIMEOUT seconds of one response,
    # tests/faults/test_slow_readers.py); a worker whose whole process hangs is still killed
    # after GUNICORN_TIMEOUT. GUNICORN_THREADS > 1 keeps gunicorn's connection defaults.
    # --preload: the application (URLconf, views, Celery transport) is imported once in the
    # master, before the workers fork, so no user request pays for it (annotator/config/wsgi.py).
    threads="${GUNICORN_THREADS:-1}"
    one_at_a_time=""
    if [ "$threads" = 1 ]; then one_at_a_time="--worker-connections 1 --keep-alive 0"; fi
    # shellcheck disable=SC2086 # one_at_a_time is two options or none
    exec gunicorn annotator.config.wsgi:application --bind "${GUNICORN_BIND:-0.0.0.0:8000}" --preload \
      --workers "${GUNICORN_WORKERS:-4}" --worker-class gthread --threads "$threads" $one_at_a_time \
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
