#!/bin/sh
# One image, three roles: web (migrates first), worker, beat.
set -e
case "$1" in
  web)
    python manage.py migrate --noinput
    exec gunicorn annotator.config.wsgi:application --bind 0.0.0.0:8000 \
      --workers "${GUNICORN_WORKERS:-3}" --threads "${GUNICORN_THREADS:-4}" --access-logfile -
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
