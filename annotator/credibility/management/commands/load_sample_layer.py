from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import ApplicationError
from annotator.credibility.sample_load import sample_layer_load


class Command(BaseCommand):
    help = (
        "Load the hand-made sample layer (seeds/sample_layer.json) into the demo project, then recompute "
        "its source scores. Needs load_seeds and create_demo_users first. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(Path(settings.BASE_DIR) / "seeds" / "sample_layer.json"))

    def handle(self, *args, file, **options):
        try:
            result = sample_layer_load(path=Path(file))
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Sample layer: {len(result.loaded)} layer(s) loaded ({result.annotations} spans, "
            f"{result.relations} relations), {len(result.skipped)} already present; "
            f"{result.scores} source score rows computed for {result.project.name}."
        )
