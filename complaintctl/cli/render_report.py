"""A report in a terminal: rich tables, a bar chart of the categories and a sparkline of the weeks.

Nothing is cut to fit the width: a narrow table folds its headers and cells onto more lines, and a group
table too wide for the terminal (a dozen figures) is stacked, one block of figures under each group's
name, so the group's name is never squeezed away."""

from __future__ import annotations

from typing import Any

from complaintctl.base.messages import t
from complaintctl.base.safetext import for_terminal
from complaintctl.cli.render import console
from complaintctl.report import present
from complaintctl.report.figures import Report
from complaintctl.report.present import Row

BAR_WIDTH = 40
#: The figures of a group table in a terminal, under short headings: the full set is in the other formats.
TERMINAL_GROUP_COLUMNS = ("received", "closed", "open_at_end", "on_time_rate", "handling_days_median",
                          "handling_days_p90", "satisfaction_mean", "satisfaction_rate", "success_rate",
                          "repeat_rate", "escalation_rate", "costs.total")


def _figures_table(title: str, rows: list[Row]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column(t("report.col.figure"), overflow="fold")
    for key in ("report.col.current", "report.col.previous", "report.col.change"):
        table.add_column(t(key), justify="right", overflow="fold")
    for row in rows:
        table.add_row(escape(row.label), present.value_text(row.key, row.current),
                      present.value_text(row.key, row.previous), present.change_text(row.key, row.change))
    return table


def escape(text: str) -> str:
    """Rich markup of a text from the store (a group's name may be a location someone typed): shown as
    it is, control characters visible."""
    from rich.markup import escape as escape_markup

    return escape_markup(for_terminal(text, newlines=False, tabs=False))


def print_report(report: Report) -> None:
    from rich.table import Table

    out = console()
    out.print(f"[bold]{escape(present.title(report))}[/bold]")
    for label, text in present.header_lines(report):
        out.print(f"{escape(label)}: {escape(text)}")
    sections = present.split(present.summary(report))
    out.print(_figures_table(t("report.section.summary"), sections["summary"]))
    if sections["clocks"]:
        table = Table(title=t("report.section.clocks"), title_justify="left")
        table.add_column("", overflow="fold")
        for key in ("report.figure.timed", "report.figure.on_time", "report.figure.on_time_rate",
                    "report.col.previous", "report.col.change"):
            table.add_column(t(key), justify="right", overflow="fold")
        for line in present.clock_lines(report, sections["clocks"]):
            table.add_row(escape(line.label), present.value_text("n", line.timed),
                          present.value_text("n", line.on_time),
                          present.value_text("on_time_rate", line.rate),
                          present.value_text("on_time_rate", line.previous_rate),
                          present.change_text("on_time_rate", line.change))
        out.print(table)
    for name in ("satisfaction", "costs", "corrective"):
        if sections[name]:
            out.print(_figures_table(t(f"report.section.{name}"), sections[name]))
    categories = present.category_counts(report)
    top = max((count for _, count in categories), default=0)
    chart = Table(title=t("report.section.categories"), title_justify="left", show_header=False, box=None)
    chart.add_column("")
    chart.add_column("", justify="right")
    chart.add_column("")
    for label, count in categories:
        length = 0 if top == 0 else max(1 if count else 0, round(count / top * BAR_WIDTH))
        chart.add_row(escape(label), str(count), "[blue]" + "█" * length + "[/blue]")
    out.print(chart)
    weeks = present.weekly(report)
    counts = [count for _, count in weeks]
    span = t("report.weeks_span", first=weeks[0][0], last=weeks[-1][0], most=max(counts)) if weeks else ""
    out.print(f"[bold]{escape(t('report.section.weekly'))}[/bold]  {present.sparkline(counts)}  ({span})")
    for grouping in report.groupings:
        _print_groups(out, report, grouping)


def _print_groups(out: Any, report: Report, grouping: Any) -> None:
    """One grouping's table, or, when it is wider than the terminal, each group stacked."""
    from rich.measure import Measurement
    from rich.table import Table

    label = present.grouping_label(grouping)
    groups = present.group_rows(report, grouping)
    title = t("report.section.group", grouping=label)
    table = Table(title=title, title_justify="left")
    table.add_column(escape(label), no_wrap=True)
    for key in TERMINAL_GROUP_COLUMNS:
        table.add_column(t("report.short." + key.replace(".", "_")), justify="right", no_wrap=True)
    for _, name, rows in groups:
        shown = {row.key: row for row in rows}
        table.add_row(escape(name), *(_with_change(shown[key]) for key in TERMINAL_GROUP_COLUMNS))
    if Measurement.get(out, out.options.update_width(10_000), table).maximum <= out.width:
        out.print(table)
        return
    out.print(f"[italic]{escape(title)}[/italic]")
    for _, name, rows in groups:
        shown = {row.key: row for row in rows}
        out.print(f"[bold]{escape(name)}[/bold]")
        block = Table(show_header=False, box=None, padding=(0, 1, 0, 2))
        block.add_column("", overflow="fold")
        block.add_column("", justify="right", no_wrap=True)
        block.add_column("", overflow="fold")
        for key in TERMINAL_GROUP_COLUMNS:
            row = shown[key]
            change = "" if row.change is None else present.change_text(row.key, row.change)
            block.add_row(t("report.short." + key.replace(".", "_")),
                          present.value_text(row.key, row.current),
                          f"[dim]{escape(change)}[/dim]" if change else "")
        out.print(block)


def _with_change(row: Row) -> str:
    value = present.value_text(row.key, row.current)
    if row.change is None:
        return value
    return f"{value}\n[dim]{present.change_text(row.key, row.change)}[/dim]"
