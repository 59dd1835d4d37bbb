"""A report as Markdown: the file an office commits (`reports/2026-Q3.md`), readable as plain text and
rendered by any git host. Charts are text: a bar per category and a sparkline of the weeks."""

from __future__ import annotations

from complaintctl.base.messages import t
from complaintctl.report import present
from complaintctl.report.figures import Report
from complaintctl.report.present import Row

BAR_WIDTH = 30


def cell(text: object) -> str:
    """Text safe in a Markdown table cell: a `|` would end the cell, a `<` could start HTML."""
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
            .replace("\r", " ").replace("\n", " "))


def _table(headers: list[str], lines: list[list[str]], left: tuple[int, ...] = (0,)) -> list[str]:
    """A pipe table; numbers (every column but those in `left`) aligned right."""
    out = ["| " + " | ".join(cell(h) for h in headers) + " |",
           "|" + "|".join("---" if i in left else "---:" for i in range(len(headers))) + "|"]
    out.extend("| " + " | ".join(cell(value) for value in line) + " |" for line in lines)
    return out


def _figure_table(rows: list[Row]) -> list[str]:
    headers = [t("report.col.figure"), t("report.col.current"), t("report.col.previous"),
               t("report.col.change")]
    return _table(headers, [[row.label, present.value_text(row.key, row.current),
                             present.value_text(row.key, row.previous),
                             present.change_text(row.key, row.change)] for row in rows])


def with_change(row: Row) -> str:
    value = present.value_text(row.key, row.current)
    if row.change is None:
        return value
    return f"{value} ({present.change_text(row.key, row.change)})"


def bar(count: int, top: int, width: int = BAR_WIDTH) -> str:
    if top <= 0 or count <= 0:
        return ""
    return "█" * max(1, round(count / top * width))


def render(report: Report) -> str:
    out = [f"# {present.title(report)}", ""]
    out.extend(f"- **{cell(label)}**: {cell(text)}" for label, text in present.header_lines(report))
    sections = present.split(present.summary(report))
    out += ["", f"## {t('report.section.summary')}", "", *_figure_table(sections["summary"])]
    if sections["clocks"]:
        out += ["", f"## {t('report.section.clocks')}", ""]
        headers = ["", t("report.figure.timed"), t("report.figure.on_time"), t("report.figure.on_time_rate"),
                   t("report.col.previous"), t("report.col.change")]
        lines = [[line.label, present.value_text("n", line.timed), present.value_text("n", line.on_time),
                  present.value_text("on_time_rate", line.rate),
                  present.value_text("on_time_rate", line.previous_rate),
                  present.change_text("on_time_rate", line.change)]
                 for line in present.clock_lines(report, sections["clocks"])]
        out += _table(headers, lines)
    for name in ("satisfaction", "costs", "corrective"):
        if sections[name]:
            out += ["", f"## {t(f'report.section.{name}')}", "", *_figure_table(sections[name])]
    categories = present.category_counts(report)
    top = max((count for _, count in categories), default=0)
    out += ["", f"## {t('report.section.categories')}", ""]
    out += _table(["", t("report.col.count"), ""], [[label, str(count), bar(count, top)]
                                                      for label, count in categories], left=(0, 2))
    weeks = present.weekly(report)
    out += ["", f"## {t('report.section.weekly')}", "",
            f"`{present.sparkline([count for _, count in weeks])}`", ""]
    out += _table([t("report.col.week"), t("report.col.count")],
                  [[week, str(count)] for week, count in weeks])
    for grouping in report.groupings:
        out += ["", f"## {t('report.section.group', grouping=present.grouping_label(grouping))}", ""]
        groups = present.group_rows(report, grouping)
        if not groups:
            out.append(t("none"))
            continue
        headers = [present.grouping_label(grouping)] + [row.label for row in groups[0][2]]
        out += _table(headers, [[label, *(with_change(row) for row in rows)] for _, label, rows in groups])
    return "\n".join(out) + "\n"
