"""Geometry of the dashboard's SVG charts, computed here so templates only draw.

The ratio is drawn on a log scale (0.1 to 10): 1 claim per evidence span sits
in the middle and "twice as many claims" is as far from it as "half as many".
Bounds beyond the axis (0, or unbounded when there is no evidence) end in an
arrow. Shapes, dash patterns and text carry the meaning, not colour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LOG_MIN, LOG_MAX = -1.0, 1.0  # log10 of 0.1 and 10
RATIO_TICKS = [0.1, 0.25, 0.5, 1, 2, 4, 10]


def fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "∞"
    return f"{value:.{digits}f}"


def interval_text(point, low, high, digits: int = 2) -> str:
    if point is None and low in (None, 0.0) and high is None:
        return "no data"
    return f"{fmt(point, digits) if point is not None else '—'} [{fmt(low, digits)}–{fmt(high, digits)}]"


@dataclass
class Scale:
    left: float
    width: float

    def log_x(self, value: float | None) -> tuple[float, bool]:
        """x of a ratio and whether it was clipped to the axis."""
        if value is None:
            return self.left + self.width, True
        if value <= 0:
            return self.left, True
        position = (math.log10(value) - LOG_MIN) / (LOG_MAX - LOG_MIN)
        clipped = position < 0 or position > 1
        return self.left + self.width * min(1.0, max(0.0, position)), clipped


def ratio_chart(rows: list[dict], *, width: int = 760, label_width: int = 230, row_height: int = 26) -> dict:
    """Rows need entity_name, claims, evidence, figures and small_sample; returns drawable geometry.

    A small sample ("too little data") gets neither a point nor a bar: its row says why.
    """
    value_width = 170
    scale = Scale(left=label_width, width=width - label_width - value_width)
    top = 30
    items = []
    for index, row in enumerate(rows):
        y = top + index * row_height + row_height / 2
        figure = row["figures"].get("ratio") or {}
        small = row.get("small_sample", False)
        drawn = not small and figure.get("low") is not None
        low_x, low_clipped = scale.log_x(figure.get("low")) if drawn else (None, False)
        high_x, high_clipped = scale.log_x(figure.get("high")) if drawn else (None, False)
        point = figure.get("point") if drawn else None
        if small:
            text = "too little data"
        elif figure.get("low") is None:
            text = "no claims"
        else:
            text = interval_text(point, figure.get("low"), figure.get("high"))
        items.append(
            {
                "name": row["entity_name"],
                "y": y,
                "drawn": drawn,
                "low_x": low_x,
                "high_x": high_x,
                "low_clipped": low_clipped,
                "high_clipped": high_clipped,
                "point_x": scale.log_x(point)[0] if point else None,
                "text": text,
                "reason": row.get("small_sample_reason", ""),
                "documents": figure.get("documents", 0),
                "claims": row["claims"],
                "evidence": row["evidence"],
            }
        )
    height = top + len(rows) * row_height + 36
    ticks = [{"x": scale.log_x(t)[0], "label": f"{t:g}", "one": t == 1} for t in RATIO_TICKS]
    return {
        "width": width,
        "height": height,
        "items": items,
        "ticks": ticks,
        "axis_y": height - 26,
        "top": top - 8,
        "value_x": width - value_width + 8,
        "label_x": label_width - 10,
        "left": scale.left,
        "right": scale.left + scale.width,
    }


def trend_chart(snapshots: list, *, width: int = 760, height: int = 240) -> dict:
    """Claims per evidence with interval bars, and the supported-claim share, one point per
    period (day or week, oldest first); periods with too little data have no point."""
    left, right, top, bottom = 60, 50, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(snapshots)

    def x_of(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y_log(value: float | None) -> float:
        if value is None:
            return top
        if value <= 0:
            return top + plot_h
        position = (math.log10(value) - LOG_MIN) / (LOG_MAX - LOG_MIN)
        return top + plot_h * (1 - min(1.0, max(0.0, position)))

    def y_share(value: float | None) -> float | None:
        return None if value is None else top + plot_h * (1 - value)

    points = []
    for i, s in enumerate(snapshots):
        ratio = s.figures.get("ratio") or {}
        supported = s.figures.get("supported_share") or {}
        small = s.small_sample
        when = getattr(s, "period", None) or s.computed_at
        drawn = not small and ratio.get("low") is not None
        points.append(
            {
                "x": x_of(i),
                "y": y_log(ratio["point"]) if drawn and ratio.get("point") else None,
                "drawn": drawn,
                "low_y": y_log(ratio.get("low")) if drawn else None,
                "high_y": y_log(ratio.get("high")) if drawn else None,
                "unbounded": drawn and ratio.get("high") is None,
                "share_y": None if small else y_share(supported.get("point")),
                "when": when,
                "text": f"{when:%Y-%m-%d}: "
                + (
                    f"too little data ({s.small_sample_reason})"
                    if small
                    else f"claims per evidence {interval_text(ratio.get('point'), ratio.get('low'), ratio.get('high'))}, "
                    f"supported {fmt(supported.get('point'))} [{fmt(supported.get('low'))}–{fmt(supported.get('high'))}], "
                    f"{ratio.get('documents', 0)} documents"
                ),
            }
        )
    ratio_path = " ".join(
        f"{'M' if i == 0 else 'L'}{p['x']:.1f},{p['y']:.1f}"
        for i, p in enumerate(p for p in points if p["y"] is not None)
    )
    share_path = " ".join(
        f"{'M' if i == 0 else 'L'}{p['x']:.1f},{p['share_y']:.1f}"
        for i, p in enumerate(p for p in points if p["share_y"] is not None)
    )
    ticks = [{"y": y_log(t), "label": f"{t:g}", "one": t == 1} for t in RATIO_TICKS]
    share_ticks = [{"y": y_share(t), "label": f"{int(t * 100)}%"} for t in (0, 0.5, 1)]
    first = snapshots[0] if snapshots else None
    last = snapshots[-1] if snapshots else None
    return {
        "width": width,
        "height": height,
        "points": points,
        "ratio_path": ratio_path,
        "share_path": share_path,
        "ticks": ticks,
        "share_ticks": share_ticks,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_h,
        "first": (getattr(first, "period", None) or first.computed_at) if first else None,
        "last": (getattr(last, "period", None) or last.computed_at) if last else None,
    }
