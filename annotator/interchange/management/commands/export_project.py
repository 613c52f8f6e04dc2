"""manage.py export_project PROJECT_SLUG --format native|aif|web-annotation|csv [--status] [--annotator] -o FILE"""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import ApplicationError
from annotator.interchange.exporters import EXPORTERS, exporter_get
from annotator.interchange.selection import STATUSES, ExportSelection
from annotator.projects.models import Project


class Command(BaseCommand):
    help = "Export a project's argument maps to a file, streaming (memory stays flat)."

    def add_arguments(self, parser):
        parser.add_argument("project", help="Project slug")
        parser.add_argument("--format", choices=list(EXPORTERS), default="native")
        parser.add_argument("--status", choices=STATUSES, default="all")
        parser.add_argument("--annotator", help="Only this username's layer")
        parser.add_argument(
            "-o", "--output", type=Path, help="Output file (default: a name in the current folder)"
        )

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project with slug {options['project']!r}.")
        annotator_id = None
        if options["annotator"]:
            annotator_id = (
                get_user_model()
                .objects.filter(username=options["annotator"])
                .values_list("pk", flat=True)
                .first()
            )
            if annotator_id is None:
                raise CommandError(f"No user {options['annotator']!r}.")
        try:
            selection = ExportSelection(project=project, status=options["status"], annotator_id=annotator_id)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        exporter = exporter_get(options["format"])
        output = options["output"] or Path(exporter.filename(selection))
        total = max(1, selection.documents().count())

        def progress(documents: int, annotations: int) -> None:
            filled = 30 * min(documents, total) // total
            sys.stderr.write(f"\rexport [{'#' * filled}{'.' * (30 - filled)}] {documents}/{total} documents, "
                             f"{annotations} spans")  # fmt: skip
            sys.stderr.flush()

        written = 0
        with output.open("wb") as handle:
            for chunk in exporter.stream(selection, progress=progress):
                handle.write(chunk)
                written += len(chunk)
        sys.stderr.write("\n")
        self.stdout.write(f"{output}: {written} bytes")
