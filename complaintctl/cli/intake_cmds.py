"""`complaintctl intake maildir DIR`: the e-mail intake cron runs; and what `log --from-mail` prints."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from complaintctl.base.errors import ComplaintctlError, InvalidData
from complaintctl.base.messages import t
from complaintctl.base.safetext import for_terminal
from complaintctl.cli.context import AppContext

if TYPE_CHECKING:
    from complaintctl.app.mailintake import Handled, Taken
    from complaintctl.store.directory import Store

intake_app = typer.Typer(help="Complaints that arrive by e-mail.", no_args_is_help=True)

MAILDIR_HELP = """Take in every new message of a Maildir (what fetchmail, getmail and most mail servers
deliver to): each becomes a complaint on the policy's e-mail channel (metro: online), or a note on the
complaint its thread answers; the message and its attachments are kept as evidence. Each message moves to
cur/ only once its record is written, so a run stopped half-way loses nothing and a re-run duplicates
nothing (a Message-ID is taken once). A message that cannot become a complaint is set aside in the
Maildir folder .complaintctl-rejected/ with a .reason file. Quiet when nothing is new (cron mails any
output).

Exit codes: 0 done (rejected messages included); 1 a message was left in new/ because the store could
not take it (named on stderr; the next run retries it); 75 another intake held the store's lock.
"""


def register(app: typer.Typer) -> None:
    app.add_typer(intake_app, name="intake")


@intake_app.command("maildir", help=MAILDIR_HELP)
def maildir(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="The Maildir (the folder holding new/, cur/ and tmp/)."),
    channel: str = typer.Option(None, "--channel", help="The channel to log on (default: the policy's "
                                "email channel, else online)."),
    by: str = typer.Option(None, "--by", help="Who registers them (default: $COMPLAINTCTL_USER, git "
                           "user.name, login); a person of the store when it lists people."),
    commit: bool = typer.Option(False, "--commit", help="Commit each message's record and evidence to git "
                                "(always, when the settings say auto_commit: true)."),
) -> None:
    from complaintctl.app import mailintake, write

    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    person = app_ctx.person(by)
    failed = False
    warned: set[str] = set()

    def report(handled: Handled) -> None:
        nonlocal failed
        if handled.taken is None:
            if handled.rejected:
                typer.echo(for_terminal(t("mail.rejected", name=handled.name,
                                          folder=f".{mailintake.REJECTED_FOLDER}", reason=handled.reason)))
            else:
                failed = True
                typer.echo(for_terminal(t("mail.failed", name=handled.name, reason=handled.reason)), err=True)
            return
        taken_line(store, handled.name, handled, handled.taken)
        try:
            commit_if_asked(app_ctx, commit, person, handled.taken, warned)
        except ComplaintctlError as error:
            failed = True
            typer.echo(f"complaintctl: {for_terminal(error)}", err=True)

    write.require_real_time(store, app_ctx.now, app_ctx.real_now)  # a future --now writes nothing
    mailintake.intake_maildir(store, folder, by=person, now=app_ctx.now, channel=channel, progress=report)
    if failed:
        raise typer.Exit(1)


def commit_if_asked(app_ctx: AppContext, wanted: bool, person: str, taken: Taken, warned: set[str]) -> None:
    """Commit what a message wrote, under --commit or `auto_commit: true`."""
    from complaintctl.app import mailintake
    from complaintctl.git import repo as gitrepo

    store = app_ctx.store
    if not (wanted or store.settings.auto_commit):
        return
    try:
        short = mailintake.commit_taken(store, taken, person)
    except gitrepo.NotARepository:
        if not warned:
            typer.echo(t("git.not_committed", path=store.root), err=True)
            warned.add("git")
        return
    except gitrepo.GitFailed as error:
        raise InvalidData(t("git.commit_failed", id=taken.complaint_id, problem=error)) from error
    if short and wanted:
        typer.echo(t("git.committed", commit=short))


def taken_line(store: Store, name: str, handled: Handled | None, taken: Taken) -> None:
    mail = handled.mail if handled is not None else None
    sender = mail.sender_address if mail is not None else ""
    if taken.kind == "logged":
        subject = mail.subject if mail is not None else ""
        typer.echo(for_terminal(t("mail.logged", name=name, id=taken.complaint_id, sender=sender,
                                  subject=subject)))
        if taken.missing:
            typer.echo(t("mail.to_complete", fields=", ".join(taken.missing), id=taken.complaint_id))
    elif taken.kind == "noted":
        typer.echo(for_terminal(t("mail.noted", name=name, id=taken.complaint_id, sender=sender)))
    elif taken.kind == "completed":
        typer.echo(for_terminal(t("mail.completed", name=name, id=taken.complaint_id)))
    else:
        typer.echo(for_terminal(t("mail.duplicate", name=name, id=taken.complaint_id)))
