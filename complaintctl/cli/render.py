"""Terminal output. Rich only here; plain text when stdout is not a terminal or NO_COLOR is set.

Every text that came from a complaint goes through `safetext.for_terminal` before it is printed, on a
terminal and off one alike: an escape sequence in a subject is shown, never obeyed. A table cell shows a
newline or a tab as `\\n` or `\\t`, where a free-text block keeps them."""

from __future__ import annotations

import csv
import functools
import json
import sys
from datetime import datetime
from typing import Any

import typer

from complaintctl.base.messages import current_language, t
from complaintctl.base.safetext import csv_cell, for_terminal, json_for_terminal
from complaintctl.core import engine
from complaintctl.store.directory import Store
from complaintctl.worktime.times import describe_duration

# Off a terminal (cron mail, a pipe, CI) rich would assume 80 columns and cut due times; a table there is
# as wide as its content needs, up to this, unless COLUMNS says otherwise.
PIPE_WIDTH = 400


def console() -> Any:
    import os

    from rich.console import Console

    width = None
    if not sys.stdout.isatty() and not os.environ.get("COLUMNS"):
        width = PIPE_WIDTH
    return Console(highlight=False, soft_wrap=False, width=width)


def width(text: str) -> int:
    """Columns a text takes in a terminal: two for each wide (CJK) character."""
    if text.isascii():
        return len(text)
    return len(text) + sum(map(_wide, text))


@functools.cache
def _wide(char: str) -> int:
    from unicodedata import east_asian_width

    return 1 if east_asian_width(char) in "WF" else 0


def plain_table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns aligned with spaces, for pipes, files and cron mail (and fast for thousands of rows)."""
    widths = [width(header) for header in headers]
    for row in rows:
        for column, cell in enumerate(row):
            widths[column] = max(widths[column], width(cell))
    lines = []
    for row in [headers, *rows]:
        padded = [cell + " " * (widths[column] - width(cell)) for column, cell in enumerate(row)]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def print_json(data: Any) -> None:
    typer.echo(json_for_terminal(json.dumps(data, ensure_ascii=False, indent=2, default=str)))


def _left(row: dict[str, Any]) -> str:
    seconds = row["seconds_left"]
    if row["state"] in ("met", "stopped"):
        return ""
    if seconds < 0:
        return f"{t('label.late')} {describe_duration(seconds)}"
    return describe_duration(seconds)


def _state(row: dict[str, Any]) -> str:
    return t(f"clock.{row['state']}")


def logged(store: Store, outcome: Any, now: datetime, *, as_json: bool) -> None:
    from complaintctl.app import operations

    data = operations.summary(store, outcome.record, outcome.view, now)
    if as_json:
        print_json(data)
        return
    typer.echo(for_terminal(t("log.created", id=outcome.record.id)))
    for row in data["deadlines"]:
        mark = " *" if row["provisional"] else ""
        typer.echo(for_terminal(f"  {row['label']}: {row['due']}{mark} ({_state(row)})"))
    if any(row["provisional"] for row in data["deadlines"]):
        typer.echo(f"  * {t('label.provisional')}")


def _intake_rows(store: Store, intake: dict[str, Any], language: str, to_complete: list[str]
                 ) -> list[tuple[str, str]]:
    rows = []
    for key, value in intake.items():
        if key == "missing":  # what the intake could not give: shown while an edit has not supplied it
            if to_complete:
                rows.append((t("label.to_complete"), ", ".join(to_complete)))
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif key in ("category", "severity", "channel", "risk"):
            value = f"{value} ({store.policy.label(key, str(value), language)})"  # type: ignore[arg-type]
        rows.append((_cell(key), for_terminal(value)))
    return rows


def _status_line(data: dict[str, Any]) -> tuple[str, str, str, str]:
    """The status, owner, department and coordinator parts of the line under the title."""
    coordinator = f"   {t('label.coordinator')}: {data['coordinator']}" if data["coordinator"] else ""
    rest = (f"   {t('label.owner')}: {data['owner'] or '-'}   "
            f"{t('label.department')}: {data['department'] or '-'}")
    return (f"{t('label.status')}: ", _cell(data["status_label"]), _cell(rest), _cell(coordinator))


def _cell(value: object) -> str:
    """A text from the store in a line or table cell: newlines and tabs shown as escapes too."""
    return for_terminal(value, newlines=False, tabs=False)


def _title(data: dict[str, Any]) -> str:
    return _cell(f"{data['id']}  {data['intake'].get('subject', '')}")


def _history_cells(event: dict[str, Any], withdrawn: bool = False) -> list[str]:
    details = ", ".join(f"{k}={v}" for k, v in event.items() if k not in ("at", "by", "action"))
    if withdrawn:  # a late entry showed it unfounded: kept in the file, no longer standing
        details = f"[{t('label.withdrawn')}] {details}"
    return [_cell(event.get(key, "")) for key in ("at", "by", "action")] + [_cell(details)]


def _history_rows(data: dict[str, Any]) -> list[list[str]]:
    withdrawn = set(data.get("withdrawn_escalations") or ())
    return [_history_cells(event, index in withdrawn) for index, event in enumerate(data["history"])]


def _possible(view: engine.View, data: dict[str, Any], language: str) -> list[str]:
    """The actions the write path would take now; then each one it would refuse, with its reason."""
    policy = view.policy
    possible = [f"{name} ({policy.action(name).text(language)})" for name in data["possible_actions"]]
    lines = [f"{t('label.possible')}: " + (", ".join(possible) or t("none"))]
    for blocked in data.get("blocked_actions") or ():
        name, reason = blocked["action"], blocked["reason"]
        lines.append(f"{t('label.blocked')}: {name} ({policy.action(name).text(language)}): {reason}")
    return lines


def complaint(store: Store, data: dict[str, Any], view: engine.View, now: datetime) -> None:
    """`show`: rich tables on a terminal; aligned plain text (without importing rich) anywhere else."""
    if not sys.stdout.isatty():
        typer.echo(complaint_text(store, data, view))
        return
    from rich.markup import escape
    from rich.table import Table

    language = current_language()
    out = console()
    intake = data["intake"]
    # Everything a person typed is escaped: `[` in a subject or a name is text, never markup.
    out.print(f"[bold]{escape(_title(data))}[/bold]")
    status, label, rest, coordinator = _status_line(data)
    out.print(f"{status}[bold]{escape(label)}[/bold]{escape(rest)}{escape(coordinator)}")
    table = Table(title=t("label.intake"), show_header=False, box=None, title_justify="left")
    for key, value in _intake_rows(store, intake, language, data.get("to_complete") or []):
        table.add_row(escape(key), escape(value))
    out.print(table)
    if data["deadlines"]:
        deadlines = Table(title=t("label.deadlines"), title_justify="left")
        for header in ("label.clock", "label.due", "label.state", "label.left"):
            deadlines.add_column(t(header))
        for row in data["deadlines"]:
            due = row["due"] + (" *" if row["provisional"] else "")
            style = "red" if row["state"] == "breached" and row["open"] else None
            deadlines.add_row(escape(for_terminal(row["label"])), due, _state(row), _left(row), style=style)
        out.print(deadlines)
        if any(row["provisional"] for row in data["deadlines"]):
            out.print(f"* {t('label.provisional')}")
    history = Table(title=t("label.history"), title_justify="left", show_header=False, box=None)
    for row in _history_rows(data):
        history.add_row(*(escape(cell) for cell in row))
    out.print(history)
    for line in _possible(view, data, language):
        out.print(escape(line))


def complaint_text(store: Store, data: dict[str, Any], view: engine.View) -> str:
    """`show` as plain text: the same parts as on a terminal, columns aligned with spaces."""
    language = current_language()
    intake = data["intake"]
    lines = [_title(data), "".join(_status_line(data)), "", t("label.intake")]
    rows = _intake_rows(store, intake, language, data.get("to_complete") or [])
    key_width = max((width(key) for key, _ in rows), default=0)
    for key, value in rows:
        first, *more = value.split("\n") if value else [""]
        lines.append((f"  {key}{' ' * (key_width - width(key))}  {first}").rstrip())
        lines.extend((" " * (key_width + 4) + line).rstrip() for line in more)
    if data["deadlines"]:
        lines += ["", t("label.deadlines")]
        headers = [t(header) for header in ("label.clock", "label.due", "label.state", "label.left")]
        cells = [[_cell(row["label"]), row["due"] + (" *" if row["provisional"] else ""), _state(row),
                  _left(row)] for row in data["deadlines"]]
        lines += ["  " + line for line in plain_table(headers, cells).split("\n")]
        if any(row["provisional"] for row in data["deadlines"]):
            lines.append(f"* {t('label.provisional')}")
    lines += ["", t("label.history")]
    events = _history_rows(data)
    if events:
        table = plain_table(["", "", "", ""], events).split("\n")[1:]  # no header row
        lines += ["  " + line for line in table]
    lines += ["", *_possible(view, data, language)]
    return "\n".join(lines)


CSV_COLUMNS = ("id", "status", "owner", "department", "category", "channel", "received_at", "subject",
               "next_due", "overdue")


def complaint_list(store: Store, rows: list[dict[str, Any]], output: str, now: datetime) -> None:
    if output == "json":
        print_json(rows)
        return
    if output == "ids":
        for row in rows:
            typer.echo(_cell(row["id"]))
        return
    flat = [{
        "id": row["id"], "status": row["status"], "owner": row["owner"] or "",
        "department": row["department"] or "", "category": row["category"] or "",
        "channel": row["channel"] or "", "received_at": row["received_at"],
        "subject": row["subject"] or "", "next_due": row["next_due"] or "",
        "overdue": "yes" if row["overdue"] else "",
    } for row in rows]
    if output == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: csv_cell(for_terminal(value)) for key, value in line.items()} for line in flat)
        return
    # A category the policy requires and the intake lacked (an e-mail gives none): `show` names the rest.
    blank = t("label.to_complete") if "category" in store.policy.intake.required else ""
    cells = [[_cell(cell) for cell in (
        shown["id"], row["status_label"], shown["owner"], shown["category"] or blank, shown["subject"],
        shown["next_due"])] for row, shown in zip(rows, flat, strict=True)]
    if not sys.stdout.isatty():  # cron mail, a pipe, a file: aligned text, an overdue column for colour
        headers = [t(f"label.{key}") for key in ("id", "status", "owner", "category", "subject", "deadline",
                                                  "overdue")]
        yes = t("label.yes")
        marked = [[*line, yes if row["overdue"] else ""] for line, row in zip(cells, rows, strict=True)]
        typer.echo(plain_table(headers, marked))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table()
    # An id is never cut short, however narrow the terminal: it is what the next command needs.
    widest = max((len(row["id"]) for row in rows), default=0)
    table.add_column(t("label.id"), no_wrap=True, min_width=widest)
    for key in ("status", "owner", "category", "subject", "deadline"):
        table.add_column(t(f"label.{key}") if key != "deadline" else t("label.deadline"))
    for row, line in zip(rows, cells, strict=True):
        table.add_row(*(escape(str(cell)) for cell in line), style="red" if row["overdue"] else None)
    console().print(table)
