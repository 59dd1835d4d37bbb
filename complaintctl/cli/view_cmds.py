"""The commands that read: show, list, check."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import t
from complaintctl.base.safetext import for_terminal
from complaintctl.cli.context import AppContext
from complaintctl.cli.left_out import report_left_out
from complaintctl.store import projection

FORMATS = ("table", "json", "csv", "ids")


def register(app: typer.Typer) -> None:
    app.command("show")(show)
    app.command("list")(list_complaints)
    app.command("check")(check)


def show(
    ctx: typer.Context,
    complaint: str = typer.Argument(..., help="The id, or a unique prefix or tail of it."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON for machines."),
) -> None:
    """A complaint: intake, state, owner, every deadline, the history, the actions possible now."""
    from complaintctl.app import operations
    from complaintctl.cli import render

    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    record = store.read(store.resolve(complaint))
    view = projection.view_of_stored(store, record)
    data = operations.summary(store, record, view, app_ctx.now)
    if json_output:
        render.print_json(data)
    else:
        render.complaint(store, data, view, app_ctx.now)


def list_complaints(
    ctx: typer.Context,
    status: str = typer.Option(None, "--status", help="A state name, or 'open' / 'closed'."),
    owner: str = typer.Option(None, "--owner"),
    department: str = typer.Option(None, "--department"),
    category: str = typer.Option(None, "--category"),
    channel: str = typer.Option(None, "--channel"),
    overdue: bool = typer.Option(False, "--overdue", help="Only complaints with a breached running clock."),
    due_before: str = typer.Option(None, "--due-before", help="Only those with a running clock due "
                                   "before this time."),
    since: str = typer.Option(None, "--since", help="Received at or after this time."),
    until: str = typer.Option(None, "--until", help="Received before this time."),
    text: str = typer.Option(None, "--text", "-t", help="Free text found in the subject, description, "
                             "names or history."),
    output: str = typer.Option("table", "--format", "-f", help="table, json, csv or ids."),
) -> None:
    """Complaints matching the filters, nearest deadline first."""
    from complaintctl.app import listing
    from complaintctl.cli import render
    from complaintctl.store import index
    from complaintctl.worktime.times import parse_instant

    if output not in FORMATS:
        raise UsageError(t("field.choice", field="--format", value=output, allowed=", ".join(FORMATS)))
    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    _ = store.policy  # a broken policy is reported even when there is no record yet
    now = app_ctx.now

    def instant(value: str | None, name: str) -> datetime | None:
        return parse_instant(value, store.tz, now, field=name) if value else None

    if status is not None:
        known = ["open", "closed", *(state.name for state in store.policy.states)]
        if status not in known:
            raise UsageError(t("field.choice", field="--status", value=status, allowed=", ".join(known)))
    due_limit, since_at, until_at = (instant(due_before, "--due-before"), instant(since, "--since"),
                                     instant(until, "--until"))
    filters = listing.Filters(status=status, owner=owner, department=department, category=category,
                              channel=channel, overdue=overdue, due_before=due_limit, since=since_at,
                              until=until_at, text=text)
    rows, left_out = index.read_settled(
        store, lambda opened: (listing.select(store, opened, filters, now, full=output == "json"),
                               opened.skipped()), digests=False)
    report_left_out(left_out)
    render.complaint_list(store, rows, output, now)


def check(ctx: typer.Context,
          paths: list[Path] = typer.Argument(None, help="Only these record files (e.g. the staged ones, "
                                             "from a pre-commit hook); other files are skipped.")) -> None:
    """Validate every record against the schema and its policy; each problem as path:line: message."""
    from complaintctl.store.check import check_store
    from complaintctl.store.leftovers import leftovers

    app_ctx: AppContext = ctx.obj
    problems, count = check_store(app_ctx.store, paths or None, real_now=app_ctx.real_now, now=app_ctx.now)
    if not paths:  # the whole store: the temporary files interrupted writes left, too
        problems += leftovers(app_ctx.store, app_ctx.real_now.timestamp())
    errors = [p for p in problems if not p.message.startswith("warning: ")]
    for problem in problems:
        typer.echo(for_terminal(problem), err=problem.message.startswith("warning: "))
    if errors:
        typer.echo(t("check.found", problems=len(errors), count=count), err=True)
        raise typer.Exit(1)
    typer.echo(t("check.clean", count=count))
