import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.config.settings.base")

app = Celery("assay")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Tasks are named "<app>.<entity>_<action>" (docs/development.md). Messages queued under the
# old names before a deploy still run: each old name is a task that sends the same arguments
# to the new one. Remove after the next release; stored names were rewritten by
# jobs/migrations/0004_task_names_renamed.py (Job rows, django-celery-beat's periodic tasks).
TASKS_RENAMED = {
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


def _task_forward(old: str, new: str) -> None:
    @app.task(name=old, acks_late=True, ignore_result=True)
    def forward(*args, **kwargs) -> None:
        app.tasks[new].apply_async(args=args, kwargs=kwargs)


for _old, _new in TASKS_RENAMED.items():
    _task_forward(_old, _new)
