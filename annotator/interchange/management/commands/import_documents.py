"""manage.py import_documents PROJECT_SLUG FILE... [--format] [--mode] [--user] [--annotator]"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import ApplicationError
from annotator.interchange.importers import import_format_for, import_formats
from annotator.interchange.imports import MODES, import_documents
from annotator.projects.models import Project


def progress_bar(stream):
    """A plain-text progress bar on one line of ``stream``."""

    def show(phase: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(1, total)
        stream.write(f"\r{phase:>8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        stream.flush()
        if phase == "writing" and done >= total:
            stream.write("\n")

    return show


class Command(BaseCommand):
    help = "Import documents (.txt, JSONL, doccano JSONL, native JSON) into a project, all or nothing by default."

    def add_arguments(self, parser):
        parser.add_argument("project", help="Project slug")
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--format", choices=import_formats(), help="Default: from each file's name")
        parser.add_argument(
            "--mode", choices=MODES, default="atomic", help="atomic (default) or skip bad lines"
        )
        parser.add_argument(
            "--user", required=True, help="Username of the importing member (owns imported spans)"
        )
        parser.add_argument("--annotator", help="Username whose layer gets the spans (default: --user)")

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project with slug {options['project']!r}.")
        users = get_user_model().objects
        user = users.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        annotator = users.filter(username=options["annotator"]).first() if options["annotator"] else None
        files = []
        for path in options["files"]:
            if not path.is_file():
                raise CommandError(f"{path} is not a file.")
            if path.stat().st_size > settings.ASSAY_MAX_UPLOAD_BYTES:
                raise CommandError(
                    f"{path} is larger than ASSAY_MAX_UPLOAD_BYTES ({settings.ASSAY_MAX_UPLOAD_BYTES})."
                )
            try:
                files.append((path.name, path.read_bytes(), import_format_for(path.name, options["format"])))
            except ApplicationError as exc:
                raise CommandError(exc.message) from None
        try:
            counts, rejections = import_documents(
                project=project, user=user, files=files, mode=options["mode"], annotator=annotator,
                progress=progress_bar(sys.stderr),
            )  # fmt: skip
        except ApplicationError as exc:
            for key, messages in exc.errors.items():
                for message in messages:
                    self.stderr.write(f"{key}: {message}")
            raise CommandError(exc.message) from None
        for rejection in rejections:
            self.stderr.write(f"rejected {rejection['file']} {rejection['where']}: {rejection['message']}")
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
