"""`complaintctl report`, `export` and `import`: statistics, the ledger out, a ledger in."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import current_language, t
from complaintctl.base.safetext import for_terminal, json_for_terminal
from complaintctl.cli.context import AppContext
from complaintctl.cli.left_out import report_left_out

REPORT_FORMATS = ("table", "markdown", "csv", "json", "html")
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".json": "json", ".html": "html",
            ".htm": "html", ".xlsx": "xlsx"}

REPORT_HELP = """The statistics of a period: counts received, closed and open at its end; on-time rate per
deadline and overall; handling time in working days (median, 90th percentile); satisfaction; success,
repeat-complaint and escalation rates; reopenings and rejected opinions; costs by kind and by who bore
them; corrective actions; each against the previous period. README "Reports" defines every figure.

A period is a month (--period 2026-11), a quarter (2026-Q3), a year (2026), or --since DAY [--until DAY].
The figures describe the complaints as they stood at the end of the period (or now, if it is not over).
"""


def register(app: typer.Typer) -> None:
    app.command("report", help=REPORT_HELP)(report)
    app.command("export")(export)
    app.command("import")(import_ledger)


def _format(given: str | None, output: str | None, allowed: tuple[str, ...], default: str) -> str:
    chosen = given
    if chosen is None and output is not None:
        chosen = SUFFIXES.get(Path(output).suffix.lower())
    chosen = chosen or default
    if chosen not in allowed:
        raise UsageError(t("field.choice", field="--format", value=chosen, allowed=", ".join(allowed)))
    return chosen


def _write(output: str, data: str | bytes, example: str) -> Path:
    from complaintctl.base.fsutil import atomic_write_bytes

    path = Path(output).expanduser()
    if path.is_dir():
        raise UsageError(t("output.is_directory", path=path, example=path / example))
    path.parent.mkdir(parents=True, exist_ok=True)
    # A lone surrogate in a record (not text: no UTF-8 file can hold it) is written as its escape.
    atomic_write_bytes(path, data if isinstance(data, bytes) else data.encode("utf-8", "backslashreplace"))
    return path


def report(
    ctx: typer.Context,
    period: str = typer.Option(None, "--period", "-p", help="2026-11, 2026-Q3 or 2026."),
    since: str = typer.Option(None, "--since", help="The first day (instead of --period)."),
    until: str = typer.Option(None, "--until", help="The day after the last (default: tomorrow)."),
    basis: str = typer.Option("received", "--basis", help="Which complaints the rates are of: those "
                              "'received' in the period, or those 'closed' in it."),
    group_by: list[str] = typer.Option(None, "--group-by", "-g", help="category, department, owner, "
                                       "channel, cause, location or severity; repeat it or separate "
                                       "with commas (default: category)."),
    output_format: str = typer.Option(None, "--format", "-f", help="table (default), markdown, csv, json "
                                      "or html (one self-contained file, printable); from --output's "
                                      "suffix when not given."),
    output: str = typer.Option(None, "--output", "-o", help="Write to this file (atomically), e.g. "
                               "reports/2026-Q3.md."),
) -> None:
    from complaintctl.report import make_report, parse_groupings
    from complaintctl.report.periods import choose

    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    now = app_ctx.now
    chosen = _format(output_format, output, REPORT_FORMATS, "table")
    if chosen == "table" and output is not None:
        raise UsageError(t("report.table_to_file", path=output))
    groupings = parse_groupings(group_by or ["category"])
    result = make_report(store, choose(period, since, until, store.tz, now), basis=basis,
                         groupings=groupings, now=now)
    report_left_out(result.skipped)
    if chosen == "table":
        from complaintctl.cli.render_report import print_report

        print_report(result)
        return
    text = _render(result, chosen)
    if output is None:
        typer.echo(_printable(text, chosen), nl=False)
        return
    # A CSV file for Excel starts with a byte-order mark, or Excel reads its Chinese as the local code page.
    path = _write(output, ("\ufeff" + text) if chosen == "csv" else text, f"report.{chosen}")
    typer.echo(t("report.written", path=path), err=True)


def _printable(text: str, chosen: str) -> str:
    """Text for standard output, where an escape sequence from a record would act on a terminal: JSON
    keeps its meaning (JSON escapes), other formats show such characters as escapes. A file written with
    --output keeps the text as stored."""
    return json_for_terminal(text) if chosen == "json" else for_terminal(text)


def _render(result: object, chosen: str) -> str:
    from complaintctl.report import render_data, render_html, render_markdown
    from complaintctl.report.figures import Report

    assert isinstance(result, Report)
    if chosen == "markdown":
        return render_markdown.render(result)
    if chosen == "html":
        return render_html.render(result)
    if chosen == "csv":
        return render_data.render_csv(result)
    return render_data.render_json(result)


def export(
    ctx: typer.Context,
    output_format: str = typer.Option(None, "--format", "-f", help="csv (default), json or xlsx; from "
                                      "--output's suffix when not given."),
    redact: bool = typer.Option(False, "--redact", help="Replace names, phone numbers and e-mail "
                                "addresses with stable pseudonyms, so the file can leave the office."),
    output: str = typer.Option(None, "--output", "-o", help="Write to this file (atomically); xlsx needs "
                               "one."),
) -> None:
    """The ledger (台账): one row per complaint, the metro ledger's columns and every field of the
    record, with its history as JSON (what `import` rebuilds it from)."""
    from complaintctl.ledger import columns as ledger
    from complaintctl.ledger import export as exporter

    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    chosen = _format(output_format, output, exporter.FORMATS, "csv")
    if chosen == "xlsx" and output is None:
        raise UsageError(t("export.needs_output"))
    redactor = ledger.Redactor.for_store(store) if redact else None
    rows, left_out = ledger.rows(store, redactor)
    report_left_out(left_out)
    language = current_language()
    data: str | bytes
    if chosen == "json":
        data = exporter.to_json(rows)
    elif chosen == "csv":
        data = exporter.to_csv(rows, store.policy, language)
    else:
        data = exporter.to_xlsx(rows, store.policy, language, store.tz)
    if output is None:
        assert isinstance(data, str)
        typer.echo(_printable(data, chosen), nl=False)
    else:
        if chosen == "csv" and isinstance(data, str):
            data = "\ufeff" + data
        path = _write(output, data, f"ledger.{chosen}")
        typer.echo(t("export.written", count=len(rows), path=path), err=True)
    if redactor is not None:
        typer.echo(t("export.redacted", path=store.display_path(store.state_dir / ledger.KEY_FILE)), err=True)


class _Progress:
    """`checking 1200/100000 rows` on one line of a terminal's stderr, rewritten a few times a second."""

    EVERY = 0.2  # seconds between updates

    def __init__(self) -> None:
        self.shown_at = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        import time

        moment = time.monotonic()
        if done != total and moment - self.shown_at < self.EVERY:
            return
        self.shown_at = moment
        line = t("import.progress", stage=t(f"import.stage.{stage}"), done=done, total=total)
        self.width = max(self.width, len(line))
        sys.stderr.write("\r" + line.ljust(self.width))
        sys.stderr.flush()

    def clear(self) -> None:
        if self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()


def import_ledger(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A .csv or .xlsx ledger (the first sheet; headings in row 1)."),
    maps: list[str] = typer.Option(None, "--map", "-m", help="COLUMN=FIELD: the field a column holds "
                                   "(e.g. 来电人=complainant.name); COLUMN= leaves it out. Repeat it."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Import the good rows of a file with bad "
                                  "ones (the bad ones are listed and left out)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and say what would be "
                                 "imported; write nothing."),
    by: str = typer.Option(None, "--by", help="Who registers the rows that do not say (default: you)."),
    encoding: str = typer.Option(None, "--encoding", help="The encoding of a CSV file that is neither "
                                 "UTF-8 nor GB18030/GBK (e.g. latin-1, big5); xlsx files need none."),
) -> None:
    """Bring an existing Excel ledger in: every row is checked first, through the policy; a file with
    bad rows imports nothing (unless --skip-bad); rows imported before are skipped."""
    from complaintctl.ledger import importer

    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    shown = _Progress() if sys.stderr.isatty() else None
    try:
        outcome = importer.import_ledger(store, file, maps=maps or (), skip_bad=skip_bad, dry_run=dry_run,
                                         by=app_ctx.person(by), now=app_ctx.now, real_now=app_ctx.real_now,
                                         encoding=encoding, progress=shown)
    finally:
        if shown is not None:
            shown.clear()
    for problem in outcome.bad:
        typer.echo(for_terminal(problem), err=True)
    for row, complaint_id, changed in outcome.already:
        if changed:
            typer.echo(t("import.changed", row=row, id=complaint_id), err=True)
    if outcome.bad and not skip_bad:
        typer.echo(t("import.bad_rows", count=len({p.line for p in outcome.bad})), err=True)
        raise typer.Exit(1)
    if dry_run:
        typer.echo(t("import.would_import", count=outcome.to_import, path=file))
    else:
        typer.echo(t("import.imported", count=len(outcome.imported), path=file))
        for row, complaint_id in outcome.imported:
            typer.echo("  " + t("import.row_imported", row=row, id=complaint_id))
        if outcome.historical:
            typer.echo(t("import.historical", count=outcome.historical))
    if outcome.already:
        typer.echo(t("import.already", count=len(outcome.already)))
    if outcome.bad:
        typer.echo(t("import.skipped_bad", count=len({p.line for p in outcome.bad})))
