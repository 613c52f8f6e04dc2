from django.core.management.base import BaseCommand, CommandError

from annotator.credibility.link_flags import link_flags_rebuild
from annotator.credibility.services import scores_recompute_projects
from annotator.projects.models import Project


class Command(BaseCommand):
    help = (
        "Recompute the link flags on every span (supported, attacked, qualified) from the relations, "
        "for rows written around the database triggers, then recompute the source scores of the "
        "projects where a flag changed. Safe to run again: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--project", type=int, action="append", help="Project id (repeatable); all by default"
        )

    def handle(self, *args, project=None, **options):
        projects = Project.objects.order_by("pk")
        if project:
            projects = projects.filter(pk__in=project)
            missing = sorted(set(project) - set(projects.values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"No project with id {', '.join(map(str, missing))}.")
        changed_projects = []
        for item in projects:
            changed = link_flags_rebuild(project=item)
            self.stdout.write(f"{item.name}: {changed} span(s) had wrong link flags.")
            if changed:
                changed_projects.append(item.pk)
        if changed_projects:
            counts = scores_recompute_projects(project_ids=changed_projects)
            self.stdout.write(
                f"Recomputed {counts['rows']} source score rows in {counts['projects']} project(s)."
            )
