"""Scoring hedge suggestions against a gold reading of the same JSON shape.

Gold and predictions are ``{file name: [{"start", "end", "text", "kind"}, ...]}``.
Exact: same start and end. Overlap: the spans share at least one code point
(each gold cue matched at most once). Per kind, a prediction counts only when
its kind equals the gold cue's kind; ``kind_agreement`` is the share of
exactly matched cues whose kind is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from annotator.core.errors import ApplicationError
from annotator.hedges.suggester import KINDS


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "tp": self.true_positives,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Report:
    exact: Score = field(default_factory=Score)
    overlap: Score = field(default_factory=Score)
    by_kind_exact: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    by_kind_overlap: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    kind_right: int = 0
    false_positives: list[dict] = field(default_factory=list)
    false_negatives: list[dict] = field(default_factory=list)

    @property
    def kind_agreement(self) -> float:
        return self.kind_right / self.exact.true_positives if self.exact.true_positives else 1.0

    def as_dict(self) -> dict:
        return {
            "exact": self.exact.as_dict(),
            "overlap": self.overlap.as_dict(),
            "kind_agreement": round(self.kind_agreement, 4),
            "by_kind": {
                k: {"exact": self.by_kind_exact[k].as_dict(), "overlap": self.by_kind_overlap[k].as_dict()}
                for k in KINDS
            },
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
        }


def gold_validate(*, gold: dict, texts: dict[str, str]) -> None:
    """Raise ``ApplicationError`` naming the file and entry when a gold cue does not fit its text."""
    for name, cues in gold.items():
        if name not in texts:
            raise ApplicationError(f"gold names {name!r}, which is not among the files given")
        text = texts[name]
        for n, cue in enumerate(cues):
            where = f"{name} entry {n}"
            try:
                start, end, kind = int(cue["start"]), int(cue["end"]), cue["kind"]
            except (KeyError, TypeError, ValueError):
                raise ApplicationError(f"{where}: needs integer start, end and a kind")
            if not 0 <= start < end <= len(text):
                raise ApplicationError(
                    f"{where}: offsets {start}-{end} are outside the text ({len(text)} code points)"
                )
            if kind not in KINDS:
                raise ApplicationError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
            if "text" in cue and cue["text"] != text[start:end]:
                raise ApplicationError(
                    f"{where}: text {cue['text']!r} differs from the file's {text[start:end]!r}"
                )


def evaluate(*, gold: dict, predicted: dict) -> Report:
    report = Report()
    for name in sorted(set(gold) | set(predicted)):
        _score_file(report, name, gold.get(name, []), predicted.get(name, []))
    return report


def _score_file(report: Report, name: str, gold: list[dict], pred: list[dict]) -> None:
    gold_spans = {(g["start"], g["end"]): g for g in gold}
    report.exact.gold += len(gold)
    report.overlap.gold += len(gold)
    report.exact.predicted += len(pred)
    report.overlap.predicted += len(pred)
    for g in gold:
        report.by_kind_exact[g["kind"]].gold += 1
        report.by_kind_overlap[g["kind"]].gold += 1
    for p in pred:
        report.by_kind_exact[p["kind"]].predicted += 1
        report.by_kind_overlap[p["kind"]].predicted += 1
    pred_spans = {(p["start"], p["end"]) for p in pred}
    for p in pred:
        g = gold_spans.get((p["start"], p["end"]))
        if g is None:
            report.false_positives.append({"file": name, **_brief(p)})
            continue
        report.exact.true_positives += 1
        if g["kind"] == p["kind"]:
            report.kind_right += 1
            report.by_kind_exact[p["kind"]].true_positives += 1
    for g in gold:
        if (g["start"], g["end"]) not in pred_spans:
            report.false_negatives.append({"file": name, **_brief(g)})
    used: set[int] = set()
    for p in sorted(pred, key=lambda c: c["start"]):
        for n, g in enumerate(gold):
            if n not in used and p["start"] < g["end"] and g["start"] < p["end"]:
                used.add(n)
                report.overlap.true_positives += 1
                if g["kind"] == p["kind"]:
                    report.by_kind_overlap[p["kind"]].true_positives += 1
                break


def _brief(cue: dict) -> dict:
    return {k: cue[k] for k in ("start", "end", "text", "kind", "rule") if k in cue}


_MARK_RE = re.compile(r"\[\[([^\]|]+)\|(\w+)\]\]")


def gold_from_marked(marked: str) -> tuple[str, list[dict]]:
    """Plain text and gold cues from text marked ``[[cue|kind]]`` (how the hand-written gold is kept)."""
    out: list[str] = []
    cues: list[dict] = []
    pos = 0
    length = 0
    for m in _MARK_RE.finditer(marked):
        before = marked[pos : m.start()]
        out.append(before)
        length += len(before)
        cue, kind = m.group(1), m.group(2)
        if kind not in KINDS:
            raise ApplicationError(f"marked gold: kind {kind!r} of {cue!r} is not one of {', '.join(KINDS)}")
        cues.append({"start": length, "end": length + len(cue), "text": cue, "kind": kind})
        out.append(cue)
        length += len(cue)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), cues
