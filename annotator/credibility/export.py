"""The score table as CSV (one row per source), for the dashboard and the API."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from annotator.credibility.models import COUNT_FIELDS
from annotator.credibility.registry import METRICS

# Per metric of the registry: its point, interval and the documents behind it.
FIGURE_PARTS = ("point", "low", "high", "documents")
FIGURE_COLUMNS = [f"{m.name}_{part}" for m in METRICS for part in FIGURE_PARTS]
COLUMNS = [
    "project_id",
    "project",
    "kind",
    "entity_id",
    "entity_name",
    "layer",
    "small_sample",
    "small_sample_reason",
    *COUNT_FIELDS,
    "evidence_subtypes",
    *FIGURE_COLUMNS,
    "computed_at",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return ";".join(f"{k}={v}" for k, v in sorted(value.items()))
    text = str(value)
    # A name like "=HYPERLINK(...)" must not run as a formula in a spreadsheet.
    return "'" + text if text.startswith(_FORMULA_START) else text


def scores_csv(rows: Iterable[dict]) -> str:
    """CSV text of score rows (dicts with the model's fields, plus project_id and project).

    An empty ``*_high`` means unbounded (e.g. no evidence); an empty point means
    no figure (e.g. no claims). Small samples keep their counts and intervals.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        flat = {**row, **_flat_figures(row.get("figures") or {})}
        writer.writerow([_cell(flat.get(column)) for column in COLUMNS])
    return out.getvalue()


def _flat_figures(figures: dict) -> dict:
    return {
        f"{m.name}_{part}": (figures.get(m.name) or {}).get(part) for m in METRICS for part in FIGURE_PARTS
    }


def score_row(score) -> dict:
    """A SourceScore as the dict the CSV and API use."""
    row = {field: getattr(score, field) for field in [*COLUMNS, "figures"] if hasattr(score, field)}
    row["project"] = score.project.name
    row["computed_at"] = score.computed_at.isoformat()
    return row
