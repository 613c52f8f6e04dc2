"""Differences between annotators' layers on one document (pure functions).

For a span of one layer, against each other layer:
- ``agreed``: the other layer has a span with the same start, end and label;
- ``boundary``: it has an overlapping span with the same label, other offsets;
- ``label``: it has an overlapping span, but only with other labels;
- ``missing``: it has nothing overlapping (the other annotator lacks the span).
A span's overall difference is the worst of these, in the order
missing > label > boundary > agreed.
"""

from __future__ import annotations

from dataclasses import dataclass

RANK = {"agreed": 0, "boundary": 1, "label": 2, "missing": 3}


@dataclass(frozen=True)
class Item:
    id: int
    start: int
    end: int
    label: str


def span_difference(span: Item, other: list[Item]) -> str:
    overlapping = [o for o in other if o.start < span.end and span.start < o.end]
    if any((o.start, o.end, o.label) == (span.start, span.end, span.label) for o in overlapping):
        return "agreed"
    if any(o.label == span.label for o in overlapping):
        return "boundary"
    if overlapping:
        return "label"
    return "missing"


def layer_differences(layers: dict[int, list[Item]]) -> dict[int, dict[int, tuple[str, dict[int, str]]]]:
    """{layer: {span id: (overall difference, {other layer: difference})}}."""
    out: dict[int, dict[int, tuple[str, dict[int, str]]]] = {}
    for key, spans in layers.items():
        others = {k: v for k, v in layers.items() if k != key}
        result = {}
        for span in spans:
            detail = {k: span_difference(span, v) for k, v in others.items()}
            worst = max(detail.values(), key=RANK.__getitem__, default="agreed")
            result[span.id] = (worst, detail)
        out[key] = result
    return out


def segments(text: str, spans: list[Item]) -> list[tuple[int, int, Item | None]]:
    """Cut the text at every span boundary; each piece carries the innermost
    (shortest) span covering it, or None. Used to render a highlighted layer."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= start and end <= s.end]
        top = min(covering, key=lambda s: (s.end - s.start, s.start, s.id)) if covering else None
        out.append((start, end, top))
    return out


def relation_differences(layers: dict[int, list[tuple[int, tuple]]]) -> dict[int, str]:
    """{relation id: "agreed" | "missing"} for relations keyed by (type, source span
    (start, end, label), target span or speaker): "agreed" when every other layer has
    the same key, "missing" when at least one lacks it."""
    keys = {layer: {key for _, key in items} for layer, items in layers.items()}
    out = {}
    for layer, items in layers.items():
        others = [k for other, k in keys.items() if other != layer]
        for relation_id, key in items:
            out[relation_id] = "agreed" if all(key in k for k in others) else "missing"
    return out
