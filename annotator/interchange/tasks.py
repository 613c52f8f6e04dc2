"""Celery tasks: thin wrappers that fetch by id and call one service."""

from celery import shared_task

from annotator.interchange.exports import export_job_run


@shared_task(acks_late=True)
def export_project(*, job_id: int) -> None:
    export_job_run(job_id=job_id)


@shared_task(acks_late=True)
def import_files(*, job_id: int) -> None:
    from annotator.interchange.import_jobs import import_job_run

    import_job_run(job_id=job_id)
