"""Closed-form 95% intervals applied to aggregated counts (one call per source).

Hand-written rather than taken from scipy/statsmodels: each is a two-line
formula, and pulling a numerical stack into the web process for them is not
worth it. Formulas are documented in the README, "Source credibility scores".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z = 1.959963984540054  # the 97.5% quantile of the standard normal
Z2 = Z * Z


@dataclass(frozen=True)
class Estimate:
    point: float | None
    low: float | None
    high: float | None  # None = unbounded


def wilson(successes: int, trials: int) -> Estimate:
    """Wilson score interval for a proportion; with no trials, nothing is known: [0, 1]."""
    if trials <= 0:
        return Estimate(None, 0.0, 1.0)
    p = successes / trials
    denominator = 1 + Z2 / trials
    centre = (p + Z2 / (2 * trials)) / denominator
    half = Z * math.sqrt(p * (1 - p) / trials + Z2 / (4 * trials * trials)) / denominator
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half))


def _odds(p: float) -> float | None:
    return None if p >= 1.0 else p / (1.0 - p)


def claim_evidence_ratio(claims: int, evidence: int) -> tuple[float | None, Estimate]:
    """(raw ratio, smoothed estimate with interval) for claims per evidence span.

    Conditional on claims + evidence = n, claims ~ Binomial(n, p) with
    p = claims / (claims + evidence), and the ratio is p / (1 - p). The
    interval is the Wilson interval for p mapped through p / (1 - p); the
    smoothed estimate is the Wilson centre mapped the same way, which is
    (claims + z²/2) / (evidence + z²/2): small samples shrink towards 1.
    """
    raw = claims / evidence if evidence else None
    n = claims + evidence
    if n == 0:
        return raw, Estimate(None, 0.0, None)
    interval = wilson(claims, n)
    smoothed = (claims + Z2 / 2) / (evidence + Z2 / 2)
    return raw, Estimate(smoothed, _odds(interval.low), _odds(interval.high))


def rate_per_thousand(events: int, exposure: int) -> Estimate:
    """Poisson score interval for events per 1,000 units of exposure (words).

    Solves (x - λ)² = z² λ for the count rate λ: λ = x + z²/2 ± z √(x + z²/4).
    """
    if exposure <= 0:
        return Estimate(None, 0.0, None)
    spread = Z * math.sqrt(events + Z2 / 4)
    scale = 1000.0 / exposure
    low = max(0.0, events + Z2 / 2 - spread)
    return Estimate(events * scale, low * scale, (events + Z2 / 2 + spread) * scale)


def derived_figures(row: dict) -> dict:
    """The ratio, shares and density (with intervals) from one row of counts."""
    raw, ratio = claim_evidence_ratio(row["claims"], row["evidence"])
    supported = wilson(row["supported_claims"], row["claims"])
    qualified = wilson(row["qualified_claims"], row["claims"])
    opinion = wilson(row["opinions"], row["claims"] + row["opinions"])
    density = rate_per_thousand(row["hedges"], row["words"])
    return {
        "ratio": raw,
        "ratio_smoothed": ratio.point,
        "ratio_low": ratio.low,
        "ratio_high": ratio.high,
        "supported_share": supported.point,
        "supported_low": supported.low,
        "supported_high": supported.high,
        "qualified_share": qualified.point,
        "qualified_low": qualified.low,
        "qualified_high": qualified.high,
        "opinion_share": opinion.point,
        "opinion_low": opinion.low,
        "opinion_high": opinion.high,
        "hedge_density": density.point,
        "hedge_density_low": density.low,
        "hedge_density_high": density.high,
    }
