"""A report as data: JSON for programs, CSV (one figure per line) for a spreadsheet's pivot table.

Both carry every figure of the period, of the previous period and the change, overall and for every
group; rates are fractions (0.875), changes of rates are differences of fractions.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from complaintctl.base.messages import current_language, t
from complaintctl.base.safetext import csv_cell
from complaintctl.report import present
from complaintctl.report.figures import Figures, Report
from complaintctl.report.present import Row
from complaintctl.worktime.times import format_instant

OVERALL = "overall"
CSV_COLUMNS = ("grouping", "group", "group_label", "figure", "figure_label", "value", "previous", "change")


def _figures(rows: list[Row]) -> dict[str, dict[str, Any]]:
    return {row.key: {"label": row.label, "value": row.current, "previous": row.previous,
                      "change": row.change} for row in rows}


def _group_rows(report: Report, grouping: str) -> list[tuple[str, str, list[Row]]]:
    current = report.current.groups.get(grouping, {})
    previous = report.previous.groups.get(grouping, {})
    return [(key, present.group_label(report, grouping, key),
             present.rows(report, current.get(key) or Figures(), previous.get(key) or Figures()))
            for key in present.group_keys(report, grouping)]


def as_data(report: Report) -> dict[str, Any]:
    tz = report.current.period.tz
    return {
        "title": present.title(report),
        "policy": report.policy,
        "language": current_language(),
        "basis": report.basis,
        "period": report.current.period.as_dict(),
        "previous_period": report.previous.period.as_dict(),
        "as_of": format_instant(report.current.cutoff, tz),
        "previous_as_of": format_instant(report.previous.cutoff, tz),
        "generated_at": format_instant(report.generated_at, tz),
        "figures": _figures(present.summary(report)),
        "groups": {grouping: [{"key": key, "label": label, "figures": _figures(rows)}
                              for key, label, rows in _group_rows(report, grouping)]
                   for grouping in report.groupings},
        "categories": [{"label": label, "received": count}
                       for label, count in present.category_counts(report)],
        "weekly": [{"week": week, "received": count} for week, count in present.weekly(report)],
    }


def render_json(report: Report) -> str:
    return json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    overall_label = t("report.section.summary")
    # The names of groups are text from the records (a location, an owner): never a formula. The
    # figures are numbers, a negative change too.
    for row in present.summary(report):
        writer.writerow([*map(csv_cell, (OVERALL, "", overall_label, row.key, row.label)), *_cells(row)])
    for grouping in report.groupings:
        for key, label, rows in _group_rows(report, grouping):
            for row in rows:
                writer.writerow([*map(csv_cell, (grouping, key, label, row.key, row.label)), *_cells(row)])
    return buffer.getvalue()


def _cells(row: Row) -> list[str]:
    return ["" if value is None else str(value) for value in (row.current, row.previous, row.change)]
