"""Inter-annotator agreement as pure functions (no database): span F1 and
Krippendorff's alpha. The exact definitions are in docs/review.md, "Agreement: exact definitions".

Hand-written rather than the ``krippendorff`` package because that needs
numpy (not a dependency of Assay) and because the coincidence matrix is what
we store: project-wide alpha is computed from the sum of the documents'
matrices, which the package does not expose.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

NONE = "none"
TOKEN = re.compile(r"\S+")


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    label: str


@dataclass
class PairCounts:
    """Counts for one pair of annotators (a < b) and one label (or all labels)."""

    a: int
    b: int
    spans_a: int = 0
    spans_b: int = 0
    exact: int = 0
    overlap: int = 0

    @property
    def exact_f1(self) -> float | None:
        return f1(self.exact, self.spans_a, self.spans_b)

    @property
    def overlap_f1(self) -> float | None:
        return f1(self.overlap, self.spans_a, self.spans_b)

    def as_dict(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "spans_a": self.spans_a,
            "spans_b": self.spans_b,
            "exact": self.exact,
            "overlap": self.overlap,
            "exact_f1": self.exact_f1,
            "overlap_f1": self.overlap_f1,
        }


@dataclass
class Scope:
    """Agreement over one scope: a document (or project) and one label or all."""

    annotators: int = 0
    pair_spans: int = 0
    exact_matches: int = 0
    overlap_matches: int = 0
    alpha: float | None = None
    units: int = 0
    coincidences: dict[str, float] = field(default_factory=dict)
    pairs: list[dict] = field(default_factory=list)

    @property
    def exact_f1(self) -> float | None:
        return f1_pooled(self.exact_matches, self.pair_spans)

    @property
    def overlap_f1(self) -> float | None:
        return f1_pooled(self.overlap_matches, self.pair_spans)


def f1(matches: int, spans_a: int, spans_b: int) -> float | None:
    """F1 of B against A: 2PR/(P+R) with P = m/|B|, R = m/|A|, i.e. 2m/(|A|+|B|)."""
    return f1_pooled(matches, spans_a + spans_b)


def f1_pooled(matches: int, pair_spans: int) -> float | None:
    """Micro F1 pooled over pairs: 2·Σm / Σ(|A|+|B|); None when nobody marked anything."""
    return None if pair_spans == 0 else 2 * matches / pair_spans


def exact_matches(a: Iterable[Span], b: Iterable[Span]) -> int:
    """Spans with the same start, end and label (a layer holds each at most once)."""
    return len(set(a) & set(b))


def overlap_matches(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Size of a one-to-one matching of same-label, overlapping spans.

    Exact pairs are matched first; the rest greedily by the number of shared
    code points (largest first), ties by (a.start, b.start, a.end, b.end).
    Matching exact pairs first guarantees overlap matches >= exact matches.
    """
    set_b = set(b)
    exact = [s for s in set(a) if s in set_b]
    used_a, used_b = set(exact), set(exact)
    by_label_b: dict[str, list[Span]] = defaultdict(list)
    for span in sorted(set_b - used_b):
        by_label_b[span.label].append(span)
    longest_b = {label: max(s.end - s.start for s in spans) for label, spans in by_label_b.items()}
    starts_b = {label: [s.start for s in spans] for label, spans in by_label_b.items()}
    candidates = []
    for span in set(a) - used_a:
        spans = by_label_b.get(span.label)
        if not spans:
            continue
        # Only B spans starting in (a.start - longest, a.end) can overlap a.
        lo = bisect_left(starts_b[span.label], span.start - longest_b[span.label] + 1)
        hi = bisect_left(starts_b[span.label], span.end)
        for other in spans[lo:hi]:
            shared = min(span.end, other.end) - max(span.start, other.start)
            if shared > 0:
                candidates.append((-shared, span.start, other.start, span.end, other.end, span, other))
    candidates.sort(key=lambda c: c[:5])
    matched = len(exact)
    for *_, span, other in candidates:
        if span not in used_a and other not in used_b:
            used_a.add(span)
            used_b.add(other)
            matched += 1
    return matched


def tokenize(text: str) -> tuple[list[int], list[int]]:
    """Whitespace-separated tokens as parallel lists of start and end code points."""
    starts, ends = [], []
    for match in TOKEN.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
    return starts, ends


def token_values(starts: list[int], ends: list[int], spans: Iterable[Span]) -> list[str]:
    """Each token's value in one layer: the label of the span covering it, or "none".

    A span covers a token when they share at least one code point. Where spans
    of one layer overlap, the shortest span wins (a HEDGE inside a CLAIM keeps
    its own tokens), then the one starting first, then the smaller label code.
    """
    values = [NONE] * len(starts)
    # Paint from the weakest to the strongest claim on a token: last write wins.
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), -s.start, _desc(s.label))):
        lo = bisect_right(ends, span.start)
        hi = bisect_left(starts, span.end)
        if hi > lo:
            values[lo:hi] = [span.label] * (hi - lo)
    return values


def _desc(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)


def coincidences(layers: Sequence[Sequence[str | None]]) -> dict[tuple[str, str], float]:
    """Krippendorff's coincidence matrix o_ck.

    o_ck = Σ_u (number of ordered pairs of values (c, k) from different coders in u) / (m_u - 1),
    where m_u counts the values of unit u (None = not coded; units with m_u < 2 are not
    pairable and drop out). Token units are coded by every layer ("none" included), so
    there m_u = len(layers); None is for general reliability data.
    """
    matrix: dict[tuple[str, str], float] = defaultdict(float)
    if len(layers) < 2:
        return {}
    for unit, count in Counter(zip(*layers, strict=True)).items():
        values = Counter(v for v in unit if v is not None)
        m_u = sum(values.values())
        if m_u < 2:
            continue
        for c, n_c in values.items():
            for k, n_k in values.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[(c, k)] += count * pairs / (m_u - 1)
    return dict(matrix)


def alpha_nominal(matrix: dict[tuple[str, str], float]) -> float | None:
    """alpha = 1 - (n - 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k (nominal distance).

    None when there are no pairable values. When every value is the same
    category the expected disagreement is zero and alpha is undefined in
    theory; we report 1.0 because the coders agree on everything.
    """
    totals: dict[str, float] = defaultdict(float)
    for (c, _k), value in matrix.items():
        totals[c] += value
    n = sum(totals.values())
    if n == 0:
        return None
    observed = sum(value for (c, k), value in matrix.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return 1.0
    return 1 - (n - 1) * observed / expected


def collapse(matrix: dict[tuple[str, str], float], label: str) -> dict[tuple[str, str], float]:
    """The matrix for "label vs everything else": coincidences add up under merging categories."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    for (c, k), value in matrix.items():
        out[(c if c == label else NONE, k if k == label else NONE)] += value
    return dict(out)


def matrix_to_json(matrix: dict[tuple[str, str], float]) -> dict[str, float]:
    return {f"{c}|{k}": round(v, 6) for (c, k), v in sorted(matrix.items())}


def matrix_from_json(data: dict[str, float]) -> dict[tuple[str, str], float]:
    return {tuple(key.split("|", 1)): float(v) for key, v in data.items()}


def document_agreement(
    text: str, layers: dict[int, list[Span]], labels: Sequence[str]
) -> dict[str | None, Scope]:
    """Agreement of a document's layers {annotator id: spans}, for all labels (key None) and each label."""
    annotators = sorted(layers)
    scopes: dict[str | None, Scope] = {key: Scope(annotators=len(annotators)) for key in [None, *labels]}
    by_label = {a: _split(layers[a]) for a in annotators}
    for a, b in combinations(annotators, 2):
        total = PairCounts(a=a, b=b)
        for code in labels:
            spans_a, spans_b = by_label[a].get(code, []), by_label[b].get(code, [])
            pair = PairCounts(
                a=a,
                b=b,
                spans_a=len(spans_a),
                spans_b=len(spans_b),
                exact=exact_matches(spans_a, spans_b),
                overlap=overlap_matches(spans_a, spans_b),
            )
            _add(scopes[code], pair)
            for name in ("spans_a", "spans_b", "exact", "overlap"):
                setattr(total, name, getattr(total, name) + getattr(pair, name))
        _add(scopes[None], total)
    if len(annotators) >= 2:
        starts, ends = tokenize(text)
        matrix = coincidences([token_values(starts, ends, layers[a]) for a in annotators])
        overall = scopes[None]
        overall.units = len(starts)
        overall.coincidences = matrix_to_json(matrix)
        overall.alpha = alpha_nominal(matrix)
        for code in labels:
            scopes[code].units = len(starts)
            scopes[code].alpha = alpha_nominal(collapse(matrix, code))
    return scopes


def _split(spans: Iterable[Span]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        out[span.label].append(span)
    return out


def _add(scope: Scope, pair: PairCounts) -> None:
    scope.pair_spans += pair.spans_a + pair.spans_b
    scope.exact_matches += pair.exact
    scope.overlap_matches += pair.overlap
    scope.pairs.append(pair.as_dict())
