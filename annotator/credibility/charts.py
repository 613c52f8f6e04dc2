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
    """Rows need entity_name, ratio, ratio_smoothed, ratio_low, ratio_high; returns drawable geometry."""
    value_width = 170
    scale = Scale(left=label_width, width=width - label_width - value_width)
    top = 30
    items = []
    for index, row in enumerate(rows):
        y = top + index * row_height + row_height / 2
        low_x, low_clipped = scale.log_x(row["ratio_low"])
        high_x, high_clipped = scale.log_x(row["ratio_high"])
        point = row["ratio_smoothed"]
        items.append(
            {
                "name": row["entity_name"],
                "y": y,
                "low_x": low_x,
                "high_x": high_x,
                "low_clipped": low_clipped,
                "high_clipped": high_clipped,
                "point_x": scale.log_x(point)[0] if point is not None else None,
                "raw_x": scale.log_x(row["ratio"])[0] if row.get("ratio") else None,
                "text": interval_text(point, row["ratio_low"], row["ratio_high"]),
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
    """Smoothed ratio with interval bars, and supported-claim share, per snapshot (oldest first)."""
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
        points.append(
            {
                "x": x_of(i),
                "y": y_log(s.ratio_smoothed) if s.ratio_smoothed is not None else None,
                "low_y": y_log(s.ratio_low),
                "high_y": y_log(s.ratio_high),
                "unbounded": s.ratio_high is None,
                "share_y": y_share(s.supported_share),
                "when": s.computed_at,
                "text": f"{s.computed_at:%Y-%m-%d %H:%M}: ratio {interval_text(s.ratio_smoothed, s.ratio_low, s.ratio_high)}, "
                f"supported {fmt(s.supported_share)}",
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
        "first": snapshots[0].computed_at if snapshots else None,
        "last": snapshots[-1].computed_at if snapshots else None,
    }
