"""`complaintctl archive`: replace the personal data of records past the policy's retention."""

from __future__ import annotations

import typer

from complaintctl.base.messages import t
from complaintctl.base.safetext import for_terminal
from complaintctl.cli.context import AppContext
from complaintctl.cli.left_out import report_left_out

EXIT_SKIPPED = 65  # records that do not load were left out; every other one was done

HELP = """Replace the personal data of the records kept past the policy's retention.

The policy keeps every record whole for `archive: {years: N}` after the complaint closed (service
8.2.2: at least 5 years); an open complaint is kept whole for ever. After that, the complainant's name,
phone, e-mail, other contact and their mentions in the text are replaced by the pseudonyms `export
--redact` gives; codes, times, amounts, the staff and every event stay, so reports give the same
figures. Named records (IDS) that are open, too young or archived already are refused. git history
still holds the earlier text: README "Retention" says how to purge it.
"""


def register(app: typer.Typer) -> None:
    app.command("archive", help=HELP)(archive)


def archive(
    ctx: typer.Context,
    ids: list[str] = typer.Argument(None, help="Only these complaints (default: every one past its "
                                    "retention)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be archived; write nothing."),
    commit: bool = typer.Option(False, "--commit", help="Commit the records archived, as one git commit."),
    by: str = typer.Option(None, "--by", help="Who archives (default: $COMPLAINTCTL_USER, else git's "
                           "user.name)."),
) -> None:
    from complaintctl.ledger import archive as core
    from complaintctl.worktime.times import format_instant

    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    now = app_ctx.now
    person = app_ctx.person(by)
    wanted = [store.resolve(given) for given in ids or ()]
    result = core.archive(store, now, ids=wanted, dry_run=dry_run, commit=commit, by=person,
                          real_now=app_ctx.real_now)
    shown_now = format_instant(now, store.tz)
    if not result.records:
        typer.echo(t("archive.nothing", years=result.years, now=shown_now))
    else:
        lines = [t("archive.would" if dry_run else "archive.done", count=len(result.records))]
        lines += [t("archive.line", id=item.id, closed=format_instant(item.closed_at, store.tz),
                    until=format_instant(item.until, store.tz)) for item in result.records]
        if not dry_run:
            lines.append(t("archive.history_note"))
        if result.commit:
            lines.append(t("archive.committed", commit=result.commit))
        typer.echo(for_terminal("\n".join(lines)))
    if result.not_git:
        typer.echo(t("archive.not_committed", path=store.root), err=True)
    report_left_out(result.left_out)
    if result.commit_error is not None:
        typer.echo(for_terminal(t("archive.commit_failed", problem=result.commit_error)), err=True)
        raise typer.Exit(1)
    if result.left_out:
        raise typer.Exit(EXIT_SKIPPED)
