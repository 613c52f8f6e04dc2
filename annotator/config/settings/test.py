from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Tests run tasks in-process unless a test starts real workers (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Documents created by unrelated tests get no hedge-suggestion job (tests/hedges turn it on).
ASSAY_HEDGES_ON_IMPORT = False
