from django.db.models import QuerySet

from annotator.jobs.models import Job
from annotator.projects.models import Role


def project_jobs_recent(*, project, user, role: str, limit: int = 5) -> QuerySet[Job]:
    """The project's latest jobs: all of them for managers, one's own for everyone else."""
    jobs = Job.objects.filter(project=project).select_related("created_by")
    if role != Role.MANAGER:
        jobs = jobs.filter(created_by=user)
    return jobs.order_by("-created_at")[:limit]
