import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotator.demo.sample_build import SpecError, sample_layer_build


class Command(BaseCommand):
    help = (
        "Write seeds/sample_layer.json from annotator/demo/sample_spec.json (offsets computed from the text)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "seeds" / "sample_layer.json"))

    def handle(self, *args, output, **options):
        seed_dir = Path(settings.BASE_DIR) / "seeds"
        try:
            data = sample_layer_build(seed_dir=seed_dir)
        except SpecError as exc:
            raise CommandError(str(exc)) from None
        Path(output).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        counts = [sum(len(layer["annotations"]) for layer in d["layers"]) for d in data["documents"]]
        self.stdout.write(f"Wrote {output}: {len(data['documents'])} documents, spans per document {counts}.")
