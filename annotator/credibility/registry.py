"""The one definition of every count and metric of source scores.

The SQL (sql_rollup.ROLLUP), the derived figures (figures_of), the API,
the CSV, the dashboard table and the charts all read METRICS; adding a metric
is one ``Metric`` here (over counts that exist) plus its test. The formulas
and rules are explained for readers in docs/credibility.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.credibility.intervals import METHODS, Moments

# Counts of one document, from one reading (the gold layer, else the mean of its
# readers' counts). Level 1 stores them summed over readings; level 2 divides.
SPAN_COUNTS = [
    "claims",
    "evidence",
    "opinions",
    "hedges",
    "supported_claims",
    "attacked_claims",
    "contested_claims",
    "qualified_claims",
    "hedges_uncertain",
    "hedges_vague",
]
# Spans attributed to a quoted speaker, shown beside an outlet's or author's own figures.
REPORTED_COUNTS = ["reported_claims", "reported_evidence", "reported_opinions", "reported_hedges"]
UNIT_COUNTS = [*SPAN_COUNTS, *REPORTED_COUNTS]

# HEDGE subtypes (by code, for any label of kind hedge) in the two families that
# are scored apart. A hedge with no subtype, or another subtype, counts in
# ``hedges`` only. Acknowledged uncertainty is honest; vague authority and
# insinuation borrow authority the text does not show.
HEDGE_FAMILIES = {
    "hedges_uncertain": ("modal", "speculation"),
    "hedges_vague": ("vague_attribution", "insinuation"),
}


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    numerator: str
    denominator: tuple[str, ...]
    method: str  # intervals.METHODS: share, odds, rate
    formula: str
    per: float = 1.0  # rates: per how many units of the denominator
    percent: bool = False

    def moments_sql(self, unit: str) -> dict[str, str]:
        """SQL expressions (over the per-document unit columns ``unit``.<count>) of y and x."""
        y = f"{unit}.{self.numerator}"
        x = " + ".join(f"{unit}.{d}" for d in self.denominator)
        return {"y": y, "x": f"({x})"}

    def estimate(self, moments: Moments):
        method = METHODS[self.method]
        return method(moments, per=self.per) if self.method == "rate" else method(moments)


METRICS = [
    Metric(
        "ratio",
        "Claims per evidence",
        "claims",
        ("claims", "evidence"),
        "odds",
        "claims / evidence; interval from the share p = claims / (claims + evidence), mapped by p / (1 − p)",
    ),
    Metric(
        "supported_share",
        "Supported claims",
        "supported_claims",
        ("claims",),
        "share",
        "supported claims / claims",
        percent=True,
    ),
    Metric(
        "qualified_share",
        "Hedged claims",
        "qualified_claims",
        ("claims",),
        "share",
        "claims qualified by a hedge / claims",
        percent=True,
    ),
    Metric(
        "opinion_share",
        "Opinion share",
        "opinions",
        ("claims", "opinions"),
        "share",
        "opinions / (claims + opinions)",
        percent=True,
    ),
    Metric(
        "hedge_density",
        "Hedges / 1k words",
        "hedges",
        ("words",),
        "rate",
        "1000 · hedges / body words",
        per=1000.0,
    ),
    Metric(
        "uncertain_density",
        "Acknowledged uncertainty / 1k words",
        "hedges_uncertain",
        ("words",),
        "rate",
        "1000 · hedges of acknowledged uncertainty (modal, speculation) / body words",
        per=1000.0,
    ),
    Metric(
        "vague_density",
        "Vague authority or insinuation / 1k words",
        "hedges_vague",
        ("words",),
        "rate",
        "1000 · hedges of vague authority or insinuation (vague_attribution, insinuation) / body words",
        per=1000.0,
    ),
    Metric(
        "uncertain_share",
        "Hedges that acknowledge uncertainty",
        "hedges_uncertain",
        ("hedges",),
        "share",
        "hedges of acknowledged uncertainty / all hedges",
        percent=True,
    ),
    Metric(
        "vague_share",
        "Hedges of vague authority or insinuation",
        "hedges_vague",
        ("hedges",),
        "share",
        "hedges of vague authority or insinuation / all hedges",
        percent=True,
    ),
]
METRICS_BY_NAME = {m.name: m for m in METRICS}


def figures_of(moments: dict) -> dict:
    """{metric: {point, low, high, documents, effective_n}} from stored moments (lists of six)."""
    figures = {}
    for metric in METRICS:
        e = metric.estimate(Moments.of(moments.get(metric.name) or (0, 0, 0, 0, 0, 0)))
        figures[metric.name] = {
            "point": e.point,
            "low": e.low,
            "high": e.high,
            "documents": e.documents,
            "effective_n": e.effective_n,
        }
    return figures


def moments_sum(rows: list[dict]) -> dict:
    """Moments of several disjoint sets of documents (e.g. one source across projects)."""
    total: dict[str, Moments] = {}
    for row in rows:
        for name, values in (row or {}).items():
            m = Moments.of(values)
            total[name] = total[name] + m if name in total else m
    return {name: list(m.astuple()) for name, m in total.items()}


# Sorts offered by the dashboard and the API: a metric's lower bound (highest first)
# or its upper bound (lowest first); rankings use bounds, never points.
def sort_keys() -> dict[str, tuple[str, str, bool]]:
    keys = {}
    for m in METRICS:
        keys[f"{m.name}_low"] = (m.name, "low", True)
        keys[f"{m.name}_high"] = (m.name, "high", False)
    return keys
