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


def on_terminal() -> bool:
    """Whether standard output is a terminal (a person reads it) rather than a pipe or a file."""
    return sys.stdout.isatty()


def console() -> Any:
    import os

    from rich.console import Console

    width = None
    if not on_terminal() and not os.environ.get("COLUMNS"):
        width = PIPE_WIDTH
    return Console(highlight=False, soft_wrap=False, width=width)


def width(text: str) -> int:
    """Columns a text takes in a terminal: two for each wide (CJK) character."""
    if text.isascii():
        return len(text)
    return len(text) + sum(map(_wide, text))


_width = width  # inside functions that take a `width` argument


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
    # The handle is what the next command is given (`assign k7m2 ...`).
    typer.echo(for_terminal(f"{t('log.created', id=outcome.record.id)}  ({data['handle']})"))
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
    return _cell(f"{data['handle']}  {data['id']}  {data['intake'].get('subject', '')}")


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
    """`show`: on a terminal, the text wrapped to its width (nothing cut: a long description or history
    value goes on over as many lines as it needs), the title in bold and a breached deadline in red;
    anywhere else the same text unwrapped, without importing rich."""
    if not on_terminal():
        typer.echo(complaint_text(store, data, view))
        return
    out = console()
    lines = complaint_text(store, data, view, width=out.width).split("\n")
    late = {_cell(row["label"]) for row in data["deadlines"] if row["state"] == "breached" and row["open"]}
    for number, line in enumerate(lines):
        style = "bold" if number == 0 else None
        if late and line.startswith("  ") and line.split("  ")[1] in late:
            style = "red"
        out.print(line, style=style, markup=False, highlight=False, soft_wrap=True)


def complaint_text(store: Store, data: dict[str, Any], view: engine.View, width: int | None = None) -> str:
    """`show` as plain text: the title, the status line, the intake, the deadlines, the history and the
    actions possible now, columns aligned with spaces; with `width`, every line wrapped to it."""
    language = current_language()
    intake = data["intake"]
    if width is not None:  # (off a terminal, `show` imports no rich: layout measures with it)
        from complaintctl.cli.layout import labelled, wrap

    def wrapped(text: str, indent: int = 0) -> list[str]:
        if width is None:
            return [" " * indent + text]
        return [" " * indent + line for line in wrap(text, width - indent)]

    lines = [*wrapped(_title(data)), *wrapped("".join(_status_line(data))), "", t("label.intake")]
    rows = _intake_rows(store, intake, language, data.get("to_complete") or [])
    if width is not None:
        lines += labelled(rows, width)
    else:
        key_width = max((_width(key) for key, _ in rows), default=0)
        for key, value in rows:
            first, *more = value.split("\n") if value else [""]
            lines.append((f"  {key}{' ' * (key_width - _width(key))}  {first}").rstrip())
            lines.extend((" " * (key_width + 4) + line).rstrip() for line in more)
    if data["deadlines"]:
        lines += ["", t("label.deadlines")]
        headers = [t(header) for header in ("label.clock", "label.due", "label.state", "label.left")]
        cells = [[_cell(row["label"]), row["due"] + (" *" if row["provisional"] else ""), _state(row),
                  _left(row)] for row in data["deadlines"]]
        table = ["  " + line for line in plain_table(headers, cells).split("\n")]
        if width is not None and max(map(_width, table)) > width:  # too narrow: one block per clock
            table = []
            for cell in cells:
                table += [*wrapped(cell[0], 2), *labelled(list(zip(headers[1:], cell[1:], strict=True)),
                                                           width, indent=4)]
        lines += table
        if any(row["provisional"] for row in data["deadlines"]):
            lines += wrapped(f"* {t('label.provisional')}")
    lines += ["", t("label.history")]
    events = _history_rows(data)
    if events:
        table = plain_table(["", "", "", ""], events).split("\n")[1:]  # no header row
        if width is None:
            lines += ["  " + line for line in table]
        else:
            lines += _history_wrapped(events, width)
    lines += ["", *(line for text in _possible(view, data, language) for line in wrapped(text))]
    return "\n".join(lines)


def _history_wrapped(events: list[list[str]], width: int) -> list[str]:
    """The history in a terminal's width: time, person and action aligned, the details wrapped under
    themselves, or on lines of their own when little room is left beside."""
    from complaintctl.cli.layout import wrap

    head = [plain_table(["", "", ""], [event[:3] for event in events]).split("\n")[1:]][0]
    start = 2 + max(map(_width, head)) + 2
    lines = []
    for line, event in zip(head, events, strict=True):
        details = event[3]
        if not details:
            lines.append(("  " + line).rstrip())
        elif width - start >= 24:
            first, *more = wrap(details, width - start)
            lines.append(("  " + line + " " * (start - 2 - _width(line)) + first).rstrip())
            lines += [" " * start + part for part in more]
        else:
            lines.append(("  " + line).rstrip())
            lines += ["      " + part for part in wrap(details, width - 6)]
    return lines


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
    if not on_terminal():  # cron mail, a pipe, a file: aligned text, whole, an overdue column for colour
        headers = [t(f"label.{key}") for key in ("handle", "id", "status", "owner", "category", "subject",
                                                  "deadline", "overdue")]
        yes = t("label.yes")
        marked = [[row["handle"], *line, yes if row["overdue"] else ""]
                  for line, row in zip(cells, rows, strict=True)]
        typer.echo(plain_table(headers, marked))
        return
    _list_on_terminal(rows, cells)


def _short_due(value: str) -> str:
    """`2026-11-23 18:00` for `2026-11-23T18:00:00+08:00`: on a terminal the store's zone goes unsaid."""
    return f"{value[:10]} {value[11:16]}" if len(value) >= 16 and value[10] == "T" else value


def _list_on_terminal(rows: list[dict[str, Any]], cells: list[list[str]]) -> None:
    """`list` in the terminal's width: the handle, status, owner, nearest due time and an overdue mark
    (a word, readable without colour) always whole; the category and the id while they fit; the
    subject shortened to what is left."""
    from complaintctl.cli.layout import Column, table_lines

    yes = t("label.yes")
    handles, ids_, statuses, owners, categories, subjects, dues = (list(column) for column in zip(
        *[[row["handle"], *line] for row, line in zip(rows, cells, strict=True)], strict=True)) if rows \
        else ([], [], [], [], [], [], [])
    columns = [
        Column(t("label.handle"), handles),
        Column(t("label.status"), statuses),
        Column(t("label.owner"), owners),
        Column(t("label.category"), categories, optional=True, rank=1),
        Column(t("label.deadline"), [_short_due(due) for due in dues]),
        Column(t("label.overdue"), [yes if row["overdue"] else "" for row in rows]),
        Column(t("label.subject"), subjects, shrinks=True),
        Column(t("label.id"), ids_, optional=True, rank=2),
    ]
    out = console()
    header, *lines = table_lines(columns, out.width)
    out.print(header, style="bold", markup=False, highlight=False)
    for row, line in zip(rows, lines, strict=True):
        out.print(line, style="red" if row["overdue"] else None, markup=False, highlight=False)
