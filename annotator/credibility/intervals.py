"""95% intervals that treat documents as clusters (docs/credibility.md, "Intervals").

Every figure is a ratio of two per-document sums, R = Σy / Σx over the n
documents that contribute to it (x > 0): supported claims over claims,
hedges over words, and so on. Spans of one document share a writer and a
topic, so they are not independent trials; the variance of R is the
cluster-robust (linearisation, "sandwich") variance of a ratio estimator,

    V = n / (n − 1) · Σ (y_i − R·x_i)² / (Σx)²,

computed from five sums PostgreSQL returns per source (Σy, Σx, Σy², Σx², Σxy).
The interval is then the usual one for the kind of figure (Wilson for a
share, the Poisson score interval for a rate) on an *effective* sample: the
span count divided by the design effect V / V_independent (at least 1, so
clustering never narrows an interval), times (z / t_{n−1})² for the n − 1
degrees of freedom that n documents give (Korn & Graubard, 1998). Two
documents (t₁ = 12.71) thus give a far wider interval than twenty
(t₁₉ = 2.09) with the same span counts. One document gives no interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from scipy.stats import t as student_t

Z = 1.959963984540054  # the 97.5% quantile of the standard normal
Z2 = Z * Z


@dataclass(frozen=True)
class Moments:
    """Sums over the documents that contribute to one figure (x > 0)."""

    n: int  # documents
    y: float
    x: float
    yy: float
    xx: float
    xy: float

    @classmethod
    def of(cls, values) -> Moments:
        n, y, x, yy, xx, xy = values
        return cls(int(n or 0), y or 0.0, x or 0.0, yy or 0.0, xx or 0.0, xy or 0.0)

    def __add__(self, other: Moments) -> Moments:
        return Moments(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple:
        return (self.n, self.y, self.x, self.yy, self.xx, self.xy)

    @property
    def ratio(self) -> float | None:
        return self.y / self.x if self.x > 0 else None

    def cluster_variance(self) -> float | None:
        """The cluster-robust variance of Σy/Σx; None with fewer than 2 documents."""
        if self.n < 2 or self.x <= 0:
            return None
        r = self.y / self.x
        residuals = max(0.0, self.yy - 2 * r * self.xy + r * r * self.xx)
        return self.n / (self.n - 1) * residuals / (self.x * self.x)


@dataclass(frozen=True)
class Estimate:
    point: float | None
    low: float | None
    high: float | None  # None = unbounded
    documents: int
    effective_n: float | None = None  # the effective number of trials (shares) or events (rates)


@lru_cache(maxsize=512)
def df_factor(documents: int) -> float:
    """(z / t_{n−1, 0.975})²: the effective sample shrinks with few documents."""
    return (Z / float(student_t.ppf(0.975, documents - 1))) ** 2


def wilson(successes: float, trials: float) -> tuple[float, float]:
    """Wilson score interval for successes of trials (both may be fractional)."""
    p = successes / trials
    denominator = 1 + Z2 / trials
    centre = (p + Z2 / (2 * trials)) / denominator
    half = Z * math.sqrt(max(0.0, p * (1 - p) / trials + Z2 / (4 * trials * trials))) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def design_effect(variance: float, independent: float) -> float:
    """V / V_independent, never below 1 (and 1 when the independent variance is 0)."""
    if independent <= 0:
        return 1.0
    return max(1.0, variance / independent)


def share(m: Moments) -> Estimate:
    """Σy / Σx as a proportion (y ≤ x per document), with a clustered Wilson interval."""
    p = m.ratio
    if p is None:
        return Estimate(None, None, None, m.n)
    variance = m.cluster_variance()
    if variance is None:
        return Estimate(p, 0.0, 1.0, m.n)
    deff = design_effect(variance, p * (1 - p) / m.x)
    trials = m.x / deff * df_factor(m.n)
    low, high = wilson(p * trials, trials)
    return Estimate(p, low, high, m.n, trials)


def odds(m: Moments) -> Estimate:
    """claims / evidence from the share p = claims / (claims + evidence): R = p / (1 − p).

    No figure when there are no claims (nothing asserted, nothing to weigh).
    """
    if m.y <= 0:
        return Estimate(None, None, None, m.n)
    p = share(m)

    def mapped(q: float | None) -> float | None:
        return None if q is None or q >= 1.0 else q / (1.0 - q)

    point = m.y / (m.x - m.y) if m.x > m.y else None  # claims / evidence, exactly
    return Estimate(point, mapped(p.low), mapped(p.high), m.n, p.effective_n)


def rate(m: Moments, *, per: float) -> Estimate:
    """Σy / Σx · per (events per ``per`` units of exposure), with a clustered Poisson score interval."""
    r = m.ratio
    if r is None:
        return Estimate(None, None, None, m.n)
    variance = m.cluster_variance()
    if variance is None:
        return Estimate(r * per, 0.0, None, m.n)
    deff = design_effect(variance, r / m.x)
    exposure = m.x / deff * df_factor(m.n)
    events = r * exposure
    spread = Z * math.sqrt(events + Z2 / 4)
    low = max(0.0, events + Z2 / 2 - spread) / exposure
    high = (events + Z2 / 2 + spread) / exposure
    return Estimate(r * per, low * per, high * per, m.n, events)


METHODS = {"share": share, "odds": odds, "rate": rate}
