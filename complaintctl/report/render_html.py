"""A report as one self-contained HTML file: styles and charts (inline SVG) inside it, nothing fetched
when it is opened, laid out for a 1280-pixel screen and for A4 when it is printed.

A group table has two dozen figures: it is split into tables of GROUP_FIGURES figures each, every one
led by the groups' names, so that none is wider than the page (a table wider than A4 is cut when
printed) and the names, never wrapped, are not squeezed to a character a line."""

from __future__ import annotations

from html import escape

from complaintctl.base.messages import current_language, t
from complaintctl.report import present, svg
from complaintctl.report.figures import Report
from complaintctl.report.present import Row

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB",
       "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 2em auto; max-width: 72em;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: .3em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; padding-bottom: .2em; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: .15em 1em; margin: 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; margin: .5em 0; font-size: .92em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; vertical-align: top; }
th { background: #f2f4f7; text-align: left; word-break: keep-all; }
td.name { white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td .change { color: #666; font-size: .88em; }
.spark { font-family: monospace; font-size: 1.3em; letter-spacing: .05em; }
.wide { overflow-x: auto; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  table, svg.chart { break-inside: avoid; }
  .wide { overflow: visible; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


GROUP_FIGURES = 6  # figures per group table


def _table(headers: list[str], lines: list[list[str]], numeric_from: int = 1) -> str:
    """Cells are HTML already (escaped by the caller). The first column names the row: never wrapped."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="n">{c}</td>' if i >= numeric_from
                                    else f'<td class="name">{c}</td>' if i == 0 else f"<td>{c}</td>"
                                    for i, c in enumerate(line)) + "</tr>" for line in lines)
    return f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _figures(rows: list[Row]) -> str:
    headers = [escape(t(k)) for k in ("report.col.figure", "report.col.current", "report.col.previous",
                                      "report.col.change")]
    return _table(headers, [[escape(row.label), escape(present.value_text(row.key, row.current)),
                             escape(present.value_text(row.key, row.previous)),
                             escape(present.change_text(row.key, row.change))] for row in rows])


def _with_change(row: Row) -> str:
    value = escape(present.value_text(row.key, row.current))
    if row.change is None:
        return value
    return f'{value} <span class="change">({escape(present.change_text(row.key, row.change))})</span>'


def render(report: Report) -> str:
    title = escape(present.title(report))
    parts = [f'<!DOCTYPE html>\n<html lang="{"zh-CN" if current_language() == "zh" else "en"}">',
             '<head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{title}</title><style>{STYLE}</style></head>", "<body>", f"<h1>{title}</h1>",
             '<dl class="meta">']
    parts.extend(f"<dt>{escape(label)}</dt><dd>{escape(text)}</dd>"
                 for label, text in present.header_lines(report))
    parts.append("</dl>")
    sections = present.split(present.summary(report))
    parts += [f"<h2>{escape(t('report.section.summary'))}</h2>", _figures(sections["summary"])]
    categories = present.category_counts(report)
    chart_title = t("report.section.categories")
    parts += [f"<h2>{escape(chart_title)}</h2>", svg.bar_chart(categories, chart_title)]
    weeks = present.weekly(report)
    weekly_title = t("report.section.weekly")
    parts += [f"<h2>{escape(weekly_title)}</h2>", svg.column_chart(weeks, weekly_title),
              f'<p class="spark">{escape(present.sparkline([count for _, count in weeks]))}</p>']
    if sections["clocks"]:
        headers = [escape(t(k)) for k in ("report.col.figure", "report.figure.timed", "report.figure.on_time",
                                          "report.figure.on_time_rate", "report.col.previous",
                                          "report.col.change")]
        lines = [[escape(line.label), escape(present.value_text("n", line.timed)),
                  escape(present.value_text("n", line.on_time)),
                  escape(present.value_text("on_time_rate", line.rate)),
                  escape(present.value_text("on_time_rate", line.previous_rate)),
                  escape(present.change_text("on_time_rate", line.change))]
                 for line in present.clock_lines(report, sections["clocks"])]
        parts += [f"<h2>{escape(t('report.section.clocks'))}</h2>", _table(headers, lines)]
    for name in ("satisfaction", "costs", "corrective"):
        if sections[name]:
            parts += [f"<h2>{escape(t(f'report.section.{name}'))}</h2>", _figures(sections[name])]
    for grouping in report.groupings:
        label = present.grouping_label(grouping)
        parts.append(f"<h2>{escape(t('report.section.group', grouping=label))}</h2>")
        groups = present.group_rows(report, grouping)
        if not groups:
            parts.append(f"<p>{escape(t('none'))}</p>")
            continue
        figures = [escape(row.label) for row in groups[0][2]]
        for first in range(0, len(figures), GROUP_FIGURES):
            chosen = slice(first, first + GROUP_FIGURES)
            parts.append(_table([escape(label), *figures[chosen]],
                                [[escape(name), *(_with_change(row) for row in rows[chosen])]
                                 for _, name, rows in groups]))
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
