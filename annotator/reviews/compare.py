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

from bisect import bisect_left
from dataclasses import dataclass
from heapq import heappop, heappush

RANK = {"agreed": 0, "boundary": 1, "label": 2, "missing": 3}


@dataclass(frozen=True)
class Item:
    id: int
    start: int
    end: int
    label: str


class _Index:
    """A layer's spans sorted by start, to find the ones overlapping a range quickly."""

    def __init__(self, spans: list[Item]):
        self.spans = sorted(spans, key=lambda s: (s.start, s.end))
        self.starts = [s.start for s in self.spans]
        self.longest = max((s.end - s.start for s in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[Item]:
        lo = bisect_left(self.starts, start - self.longest + 1)
        hi = bisect_left(self.starts, end)
        return [o for o in self.spans[lo:hi] if o.start < end and start < o.end]


def span_difference(span: Item, other: list[Item] | _Index) -> str:
    index = other if isinstance(other, _Index) else _Index(other)
    overlapping = index.overlapping(span.start, span.end)
    if any((o.start, o.end, o.label) == (span.start, span.end, span.label) for o in overlapping):
        return "agreed"
    if any(o.label == span.label for o in overlapping):
        return "boundary"
    if overlapping:
        return "label"
    return "missing"


def layer_differences(layers: dict[int, list[Item]]) -> dict[int, dict[int, tuple[str, dict[int, str]]]]:
    """{layer: {span id: (overall difference, {other layer: difference})}}."""
    indexes = {key: _Index(spans) for key, spans in layers.items()}
    out: dict[int, dict[int, tuple[str, dict[int, str]]]] = {}
    for key, spans in layers.items():
        others = {k: v for k, v in indexes.items() if k != key}
        result = {}
        for span in spans:
            detail = {k: span_difference(span, v) for k, v in others.items()}
            worst = max(detail.values(), key=RANK.__getitem__, default="agreed")
            result[span.id] = (worst, detail)
        out[key] = result
    return out


def segments(text: str, spans: list[Item]) -> list[tuple[int, int, Item | None]]:
    """Cut the text at every span boundary; each piece carries the innermost
    (shortest) span covering it, or None. Used to render a highlighted layer.

    A sweep with a heap of open spans (shortest on top, ended ones dropped
    lazily): O((n + cuts) log n) rather than cuts x spans.
    """
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    ordered = sorted(spans, key=lambda s: s.start)
    heap: list[tuple[int, int, int, Item]] = []
    out, i = [], 0
    for start, end in zip(cuts, cuts[1:], strict=False):
        while i < len(ordered) and ordered[i].start <= start:
            span = ordered[i]
            heappush(heap, (span.end - span.start, span.start, span.id, span))
            i += 1
        while heap and heap[0][3].end <= start:
            heappop(heap)
        out.append((start, end, heap[0][3] if heap else None))
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
