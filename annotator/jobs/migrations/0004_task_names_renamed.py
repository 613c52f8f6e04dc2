"""Tasks were renamed to "<app>.<entity>_<action>": rewrite the names stored in the database.

Job.task_name is what a retry or the reaper sends again; django-celery-beat's periodic tasks
are what beat sends. The old names keep working for one release (config/celery_app.py
TASKS_RENAMED forwards them); this mapping is a frozen copy of it.
"""

from django.db import migrations

RENAMED = {
    "annotator.jobs.tasks.ping": "jobs.job_ping",
    "annotator.jobs.tasks.jobs_reap_task": "jobs.jobs_reap",
    "annotator.idempotency.tasks.idempotent_requests_purge_task": "idempotency.idempotent_requests_purge",
    "annotator.credibility.tasks.scores_recompute_dirty_task": "credibility.scores_recompute_dirty",
    "annotator.credibility.tasks.scores_recompute_task": "credibility.scores_recompute",
    "annotator.reviews.tasks.agreement_document": "reviews.agreement_document_compute",
    "annotator.reviews.tasks.agreement_project": "reviews.agreement_project_compute",
    "annotator.hedges.tasks.hedges_suggest": "hedges.hedge_documents_suggest",
    "annotator.interchange.tasks.export_project": "interchange.project_export",
    "annotator.interchange.tasks.import_files": "interchange.documents_import",
}


def _rename(apps, mapping: dict) -> None:
    for model, field in (("jobs.Job", "task_name"), ("django_celery_beat.PeriodicTask", "task")):
        rows = apps.get_model(model).objects
        for old, new in mapping.items():
            rows.filter(**{field: old}).update(**{field: new})


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0003_merge_20261206_0923"),
        ("django_celery_beat", "__first__"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
