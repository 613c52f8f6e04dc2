"""manage.py hedges_evaluate [--gold GOLD.json FILE ...] [--marked FILE.marked.txt ...] [--json]

Scores the suggester against gold readings: exact and overlap precision and
recall, overall and per kind, and lists the misses. Gold JSON has the shape
``hedges_suggest --json`` prints; a ``.marked.txt`` file carries its own gold
as ``[[cue|kind]]`` marks.
"""

from __future__ import annotations

import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.core.errors import ApplicationError
from annotator.hedges.evaluation import evaluate, gold_from_marked, gold_validate
from annotator.hedges.management.commands.hedges_suggest import read_text
from annotator.hedges.suggester import KINDS, suggest


class Command(BaseCommand):
    help = "Score hedge suggestions against gold files (exact and overlap precision/recall per kind)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="Texts the --gold files name")
        parser.add_argument("--gold", action="append", type=Path, default=[], help="Gold JSON (repeatable)")
        parser.add_argument(
            "--marked", action="append", type=Path, default=[], help="A [[cue|kind]] marked text"
        )
        parser.add_argument("--min-confidence", type=float, default=0.0)
        parser.add_argument("--json", action="store_true", help="Print the report as JSON")
        parser.add_argument("--errors", action="store_true", help="List false positives and negatives")

    def handle(self, *args, files, gold, marked, min_confidence, json, errors, **options):  # noqa: A002
        texts: dict[str, str] = {p.name: read_text(p) for p in files}
        reading: dict[str, list] = {}
        for path in gold:
            try:
                data = jsonlib.loads(read_text(path))
            except ValueError as exc:
                raise CommandError(f"{path}: not JSON ({exc})")
            if not isinstance(data, dict):
                raise CommandError(f"{path}: expected an object mapping file names to cue lists")
            reading.update(data)
        for path in marked:
            try:
                texts[path.name], reading[path.name] = gold_from_marked(read_text(path))
            except ApplicationError as exc:
                raise CommandError(f"{path}: {exc.message}")
        if not reading:
            raise CommandError("give at least one --gold file (with its texts) or --marked file")
        try:
            gold_validate(gold=reading, texts=texts)
        except ApplicationError as exc:
            raise CommandError(exc.message)
        predicted = {
            name: [s.as_dict() for s in suggest(texts[name], min_confidence=min_confidence)]
            for name in reading
        }
        report = evaluate(gold=reading, predicted=predicted)
        if json:
            self.stdout.write(jsonlib.dumps(report.as_dict(), ensure_ascii=False, indent=1))
            return
        self._table(report, errors)

    def _table(self, report, errors: bool) -> None:
        w = self.stdout.write
        w(
            f"{'':<12} {'exact P':>8} {'exact R':>8} {'overlap P':>10} {'overlap R':>10} {'gold':>5} {'pred':>5}"
        )
        rows = [("all", report.exact, report.overlap)] + [
            (k, report.by_kind_exact[k], report.by_kind_overlap[k]) for k in KINDS
        ]
        for name, ex, ov in rows:
            w(
                f"{name:<12} {ex.precision:>8.3f} {ex.recall:>8.3f} {ov.precision:>10.3f} {ov.recall:>10.3f}"
                f" {ex.gold:>5} {ex.predicted:>5}"
            )
        w(f"kind right on {report.kind_agreement:.1%} of exactly matched cues")
        if errors:
            for label, items in (
                ("false positive", report.false_positives),
                ("missed", report.false_negatives),
            ):
                for c in items:
                    w(
                        f"  {label:<15} {c['file']} {c['start']}-{c['end']} {c['kind']:<12} {c['text']!r} {c.get('rule', '')}"
                    )
