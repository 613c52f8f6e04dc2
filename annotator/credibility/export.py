"""The score table as CSV (one row per source), for the dashboard and the API."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from annotator.credibility.models import COUNT_FIELDS, DERIVED_FIELDS

COLUMNS = [
    "project_id",
    "project",
    "kind",
    "entity_id",
    "entity_name",
    "layer",
    *COUNT_FIELDS,
    "evidence_subtypes",
    *DERIVED_FIELDS,
    "computed_at",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return ";".join(f"{k}={v}" for k, v in sorted(value.items()))
    text = str(value)
    # A name like "=HYPERLINK(...)" must not run as a formula in a spreadsheet.
    return "'" + text if text.startswith(_FORMULA_START) else text


def scores_csv(rows: Iterable[dict]) -> str:
    """CSV text of score rows (dicts with the model's fields, plus project_id and project).

    An empty ratio_high means unbounded (no evidence); empty shares mean no claims.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in COLUMNS])
    return out.getvalue()


def score_row(score) -> dict:
    """A SourceScore as the dict the CSV and API use."""
    row = {field: getattr(score, field) for field in COLUMNS if hasattr(score, field)}
    row["project"] = score.project.name
    row["computed_at"] = score.computed_at.isoformat()
    return row
