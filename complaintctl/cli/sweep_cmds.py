"""`complaintctl sweep`: the overdue sweep cron runs. Plain text grouped by person; quiet when quiet."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from typing import Any

import typer

from complaintctl.base.messages import current_language, t
from complaintctl.base.safetext import for_terminal, json_for_terminal
from complaintctl.cli.context import AppContext
from complaintctl.cli.left_out import report_left_out

EXIT_OVERDUE = 3
EXIT_SKIPPED = 65  # EX_DATAERR: records that do not load were left out; every other one was swept

HELP = """Escalate every clock of every open complaint that has breached or passed its warning point.

Appends one `escalate` event per (complaint, clock, due time, level), raises the severity where the
policy says so, mails each person one digest when the settings have an `smtp:` section, and prints
what is new grouped by the person it goes to. A run with nothing new prints nothing (cron mails any
output). Sweeps never overlap: a second one waits up to --wait seconds for the first.

Exit codes: 0 done; 1 failed (git failing under --commit); 2 a usage error; 3 with --fail-on-overdue,
when any running clock is overdue; 65 when records that do not load were left out (each is named on
stderr; every other complaint was swept); 75 another sweep held the store lock longer than --wait (try
again). A notice that could not be mailed is reported on stderr and
retried by the next sweep; it does not fail the sweep.
"""


def register(app: typer.Typer) -> None:
    app.command("sweep", help=HELP)(sweep)


def sweep(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be recorded; write and mail "
                                 "nothing."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON for machines (always, even when "
                                     "nothing is new)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also say so when nothing is new, and "
                                 "list the notices sent."),
    fail_on_overdue: bool = typer.Option(False, "--fail-on-overdue", help="Exit 3 when any running "
                                         "clock is overdue (for monitoring)."),
    commit: bool = typer.Option(False, "--commit", help="Commit the records the sweep wrote, as one git "
                                "commit listing what happened."),
    no_mail: bool = typer.Option(False, "--no-mail", help="Record, but send no notices (they stay "
                                 "pending for a later sweep)."),
    wait: float = typer.Option(60.0, "--wait", min=0, help="Seconds to wait for another sweep to finish "
                               "before giving up with exit 75."),
    by: str = typer.Option("sweep", "--by", help="The name written as `by` on the events."),
) -> None:
    from complaintctl.app import sweep as core
    from complaintctl.app.notify import smtp_mailer

    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    now = app_ctx.now
    language = current_language()
    labels = {clock.name: clock.text(language) for clock in store.policy.clocks}
    mailer = None
    if store.settings.smtp is not None and not no_mail and not dry_run:
        mailer = smtp_mailer(store.settings.smtp, now, store.tz, labels)
    result = core.sweep(store, now, dry_run=dry_run, mailer=mailer, lock_timeout=wait, by=by,
                        commit=commit, real_now=app_ctx.real_now)
    if json_output:
        text = json.dumps(_as_json(store, result, labels), ensure_ascii=False, indent=2)
        typer.echo(json_for_terminal(text))
    else:
        _print_text(store, result, labels, verbose)
    for notice in result.failures:
        typer.echo(for_terminal(t("sweep.notice_failed", person=notice.person, email=notice.email,
                                  error=notice.error)), err=True)
    report_left_out(result.unreadable)
    if result.commit_error is not None:  # after what was recorded: that stands
        typer.echo(f"complaintctl: {for_terminal(result.commit_error)}", err=True)
        raise typer.Exit(result.commit_error.exit_code)
    if fail_on_overdue and result.overdue:
        raise typer.Exit(EXIT_OVERDUE)
    if result.unreadable:
        raise typer.Exit(EXIT_SKIPPED)


def _as_json(store: Any, result: Any, labels: dict[str, str]) -> dict[str, Any]:
    from complaintctl.worktime.times import format_instant

    now = result.now
    return {
        "now": format_instant(now, store.tz),
        "dry_run": result.dry_run,
        "scanned": result.scanned,
        "open": result.open,
        "recorded": [item.as_dict(store, now, labels) for item in result.recorded],
        "notices_retried": [item.as_dict(store, now, labels) for item in result.pending],
        "notices": [{"person": n.person, "email": n.email, "sent": n.sent, "error": n.error,
                     "complaints": sorted({item.id for item in n.items})} for n in result.notices],
        "deferred": len(result.deferred),
        "deferred_until": None if result.resumes is None else format_instant(result.resumes, store.tz),
        "deferred_to": [{"person": person, "email": _email(store, person),
                         "complaints": sorted({item.id for item in items})}
                        for person, items in sorted(result.deferred_to(store).items())],
        "overdue": [{"id": cid, "clock": clock} for cid, clock in result.overdue],
        "skipped": result.skipped,
        "unreadable": [str(problem) for problem in result.unreadable],
        "commit": result.commit,
        "commit_error": None if result.commit_error is None else str(result.commit_error),
    }


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _print_text(store: Any, result: Any, labels: dict[str, str], verbose: bool) -> None:
    from complaintctl.app.notify import describe_item
    from complaintctl.worktime.times import format_instant

    now: datetime = result.now
    shown_now = format_instant(now, store.tz)
    colour = _colour()

    def bold(text: str) -> str:
        return typer.style(text, bold=True) if colour else text

    if not result.recorded and not (verbose and (result.notices or result.pending)):
        if verbose:
            typer.echo(t("sweep.quiet", scanned=result.scanned, open=result.open, now=shown_now))
        _trailer(store, result, verbose, shown_now)
        return
    if result.recorded:
        key = "sweep.would_record" if result.dry_run else "sweep.recorded"
        out = [t(key, count=len(result.recorded), now=shown_now)]  # one write: a sweep may list thousands
        groups: dict[str, list[Any]] = {}
        for item in result.recorded:
            for person in item.to or [t("sweep.nobody")]:
                groups.setdefault(person, []).append(item)
        waiting = _deferred_words(store, result)
        for person in sorted(groups):
            email = _email(store, person)
            head = bold(for_terminal(person)) + (f" <{for_terminal(email)}>" if email else "")
            if person in waiting:  # not mailed yet: say so where the reader looks
                head += f"  ({waiting[person]})"
            out += ["", head]
            for item in sorted(groups[person], key=lambda i: (i.level != "breach", i.due, i.id)):
                line = f"  {item.id}  {item.subject}  {describe_item(item, now, store.tz, labels)}"
                if item.severity:
                    line += f"  ({t('sweep.severity_raised', severity=item.severity)})"
                line = for_terminal(line, newlines=False, tabs=False)
                out.append(typer.style(line, fg="red") if colour and item.level == "breach" else line)
        typer.echo("\n".join(out))
    _trailer(store, result, verbose, shown_now)


def _deferred_words(store: Any, result: Any) -> dict[str, str]:
    """Person → "notice deferred until …", for the people whose notices wait for working hours."""
    from complaintctl.worktime.times import format_instant

    if result.resumes is None:
        return {}
    when = format_instant(result.resumes, store.tz)
    return {person: t("sweep.deferred_until", when=when) for person in result.deferred_to(store)}


def _trailer(store: Any, result: Any, verbose: bool, shown_now: str) -> None:
    from complaintctl.worktime.times import format_instant

    lines = []
    if result.dry_run and result.recorded:
        lines.append(t("sweep.dry_run"))
    sent = [n for n in result.notices if n.sent]
    if sent and (verbose or result.recorded or result.pending):
        lines.extend(t("sweep.notice_sent", person=n.person, email=n.email, count=len(n.items)) for n in sent)
    if result.deferred and (verbose or result.recorded):
        when = "-" if result.resumes is None else format_instant(result.resumes, store.tz)
        for person, items in sorted(result.deferred_to(store).items()):
            lines.append(t("sweep.notice_deferred_to", person=person, email=_email(store, person) or "",
                           count=len(items), when=when))
    if verbose and result.overdue:
        lines.append(t("sweep.overdue", count=len(result.overdue)))
    if result.skipped and (verbose or result.recorded):
        lines.append(t("sweep.skipped", count=len(result.skipped), now=shown_now))
    if result.commit:
        lines.append(t("sweep.committed", commit=result.commit))
    if lines:
        typer.echo("")
        for line in lines:
            typer.echo(for_terminal(line))


def _email(store: Any, name: str) -> str | None:
    person = store.settings.person(name)
    return person.email if person is not None and person.email else None
