from django.core.management.base import BaseCommand, CommandError

from annotator.accounts.demo import demo_users_create
from annotator.projects.models import Project


class Command(BaseCommand):
    help = "Create the demo users (manager, reviewer, two annotators) in the demo project and print their logins."

    def add_arguments(self, parser):
        parser.add_argument("--project", default="demo", help="slug of the project (default: demo)")

    def handle(self, *args, project, **options):
        try:
            target = Project.objects.get(slug=project)
        except Project.DoesNotExist:
            raise CommandError(f"No project with slug {project!r}; run load_seeds first.") from None
        logins = demo_users_create(project=target)
        self.stdout.write("Demo logins (http://127.0.0.1:8000/login/):")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<11} / {login.password:<11} ({login.role}): {login.purpose}"
            )
