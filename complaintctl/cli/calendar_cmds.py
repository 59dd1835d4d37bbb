"""`complaintctl calendar`: every open deadline as iCalendar to-dos, in one file or a vdir."""

from __future__ import annotations

from pathlib import Path

import typer

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import t
from complaintctl.cli.context import AppContext

HELP = """Write every open deadline as an iCalendar to-do (RFC 5545): one per running clock, due at its
due time, titled with the complaint's id, the clock and the subject, described in the store's language.

Without --output or --vdir the calendar goes to standard output. --output FILE writes one file (atomically)
that Outlook, Thunderbird or a phone subscribes to from a shared folder; --vdir DIR writes one .ics per
deadline into a vdir, which todoman and khal read (and vdirsyncer syncs to a CalDAV server). The UIDs are
stable, so a re-run updates rather than duplicates, and a deadline met, stopped or closed disappears. Run
it from cron after the sweep; quiet unless --verbose.
"""


def register(app: typer.Typer) -> None:
    app.command("calendar", help=HELP)(calendar)


def calendar(
    ctx: typer.Context,
    person: str = typer.Option(None, "--person", "-p", help="Only the deadlines of complaints this "
                               "person owns."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the calendar to this file."),
    vdir: Path = typer.Option(None, "--vdir", help="Write one .ics per deadline into this folder, removing "
                              "those of deadlines no longer open."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Say what was written."),
) -> None:
    from complaintctl.app import calendars

    if output is not None and vdir is not None:
        raise UsageError(t("calendar.one_target"))
    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    now = app_ctx.now
    deadlines = calendars.open_deadlines(store, now, person)
    if vdir is not None:
        written, removed = calendars.write_vdir(store, vdir, deadlines, now, person)
        if verbose:
            typer.echo(t("calendar.vdir", path=vdir, count=len(deadlines), written=written, removed=removed))
    elif output is not None:
        calendars.write_file(store, output, deadlines, now, person)
        if verbose:
            typer.echo(t("calendar.wrote", count=len(deadlines), path=output))
    else:
        typer.echo(calendars.render(store, deadlines, now, person), nl=False)
