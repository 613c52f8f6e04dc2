"""manage.py hedges_suggest FILE [FILE ...] --json [--min-confidence X]"""

from __future__ import annotations

import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.hedges.suggester import suggest


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise CommandError(f"{path}: cannot read ({exc.strerror})")
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not UTF-8 (byte {exc.start})")


class Command(BaseCommand):
    help = (
        "Suggest hedge cues in plain-text files. With --json prints one object mapping each file's name "
        "(without directories) to its cues {start, end, text, kind, confidence, rule}; offsets are code points."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--json", action="store_true", help="Print JSON (the default output is a table)")
        parser.add_argument(
            "--min-confidence", type=float, default=0.0, help="Drop cues below this confidence"
        )

    def handle(self, *args, files, json: bool, min_confidence: float, **options):  # noqa: A002
        if not 0.0 <= min_confidence <= 1.0:
            raise CommandError("--min-confidence must be between 0 and 1")
        result = {}
        for path in files:
            text = read_text(path)
            result[path.name] = [s.as_dict() for s in suggest(text, min_confidence=min_confidence)]
        if json:
            self.stdout.write(_dumps(result))
            return
        for name, cues in result.items():
            self.stdout.write(f"{name}: {len(cues)} cues")
            for c in cues:
                self.stdout.write(
                    f"  {c['start']:>7}-{c['end']:<7} {c['kind']:<12} {c['confidence']:.2f} {c['rule']:<32} {c['text']}"
                )


def _dumps(value) -> str:
    return jsonlib.dumps(value, ensure_ascii=False, indent=1)
