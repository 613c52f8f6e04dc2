from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import ApplicationError
from annotator.propositions.sample import SAMPLE_PATH, sample_propositions_load


class Command(BaseCommand):
    help = (
        "Link the demo's repeated statements to shared propositions and mark the self-citation in 002 "
        "(annotator/propositions/sample_propositions.json), in each document's gold layer, else in its "
        "readers' layers. Needs load_seeds, create_demo_users and load_sample_layer. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SAMPLE_PATH))

    def handle(self, *args, file, **options):
        try:
            r = sample_propositions_load(path=Path(file))
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Sample propositions: {r.propositions} proposition(s), {r.links} link(s), {r.spans} span(s), "
            f"{r.relations} relation(s), {r.provenance} provenance mark(s) added to {r.project.name}."
            + (
                f" {r.skipped} reference(s) wait for documents that no layer reads yet; run this again "
                "once they are annotated."
                if r.skipped
                else ""
            )
        )
