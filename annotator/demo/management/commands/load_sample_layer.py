from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import ApplicationError
from annotator.demo.sample_load import sample_layer_load
from annotator.demo.workflow import WORKFLOW_PATH, demo_workflow_read


class Command(BaseCommand):
    help = (
        "Load the hand-made sample layer (seeds/sample_layer.json) into the demo project, then recompute "
        "its source scores. Needs load_seeds and create_demo_users first. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(Path(settings.BASE_DIR) / "seeds" / "sample_layer.json"))
        parser.add_argument(
            "--demo-workflow",
            nargs="?",
            const=str(WORKFLOW_PATH),
            default=None,
            help="leave the layers where the demo workflow puts them (some in progress, some submitted, "
            "some approved; gold on some documents). Without a path: annotator/demo/demo_workflow.json",
        )

    def handle(self, *args, file, demo_workflow, **options):
        try:
            workflow = (
                demo_workflow_read(path=Path(demo_workflow), manifest=Path(file).with_name("manifest.json"))
                if demo_workflow
                else None
            )
            result = sample_layer_load(path=Path(file), workflow=workflow)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Sample layer: {len(result.loaded)} layer(s) loaded ({result.annotations} spans, "
            f"{result.relations} relations), {len(result.skipped)} already present; "
            f"{result.scores} source score rows computed for {result.project.name}."
        )
