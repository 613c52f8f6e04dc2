from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import ApplicationError
from annotator.propositions.sample import sample_propositions_load


class Command(BaseCommand):
    help = (
        "Link the demo's repeated statements to shared propositions and mark the self-citation in 002 "
        "(seeds/sample_propositions.json). Needs load_seeds, create_demo_users and load_sample_layer. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=str(Path(settings.BASE_DIR) / "seeds" / "sample_propositions.json")
        )

    def handle(self, *args, file, **options):
        try:
            r = sample_propositions_load(path=Path(file))
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Sample propositions: {r.propositions} proposition(s), {r.links} link(s), {r.spans} span(s), "
            f"{r.relations} relation(s), {r.provenance} provenance mark(s) added to {r.project.name}."
            + (
                f" {r.skipped} reference(s) wait for documents that have no gold layer yet; run this again "
                "once the reviewer has adjudicated them."
                if r.skipped
                else ""
            )
        )
