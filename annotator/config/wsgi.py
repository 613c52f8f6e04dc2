import os

from django.core.wsgi import get_wsgi_application

from annotator.config.celery_app import app as celery_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.config.settings.base")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import now what each worker's first requests would otherwise import on the spot.

    Django loads the URLconf (every view, serializer and schema module) on the first
    request, and Celery its broker transport on the first task sent: about 0.2 s per
    worker, paid by a user. Under ``gunicorn --preload`` (docker/entrypoint.sh) this runs
    once in the master, and the forked workers share the result. No connection is opened.
    Then every object so far is moved out of the garbage collector's reach (gc.freeze, as
    the gc module's documentation advises before forking): otherwise a worker's full
    collection walks the whole loaded application, about 60 ms here, inside a request.
    """
    import gc

    from django.conf import settings
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point
    if settings.CELERY_BROKER_URL:
        celery_app.connection_for_write().transport_cls  # noqa: B018 - resolves (imports) the transport
    gc.freeze()


_warm_up()
