from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import ApplicationError
from annotator.documents.seeds import SEEDS_DIR, seeds_load


class Command(BaseCommand):
    help = "Load the seed documents listed in seeds/manifest.json into the demo project (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--seed-dir", type=Path, default=SEEDS_DIR)
        parser.add_argument("--manifest", default="manifest.json")

    def handle(self, *args, seed_dir, manifest, **options):
        try:
            result = seeds_load(seed_dir=seed_dir, manifest_name=manifest)
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} Nothing was loaded.") from exc
        self.stdout.write(
            f"Seeds: project {result.project.slug!r}: {len(result.created)} documents loaded, "
            f"{len(result.unchanged)} already present."
        )
