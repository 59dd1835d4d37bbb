"""The commands that write: log, assign, act, note, close, reopen, attach."""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from complaintctl.base.errors import ComplaintctlError, UsageError
from complaintctl.base.messages import t
from complaintctl.cli.context import AppContext
from complaintctl.cli.git_cmds import COMMIT, committed
from complaintctl.records import intake

BY = typer.Option(None, "--by", help="Who did it (default: $COMPLAINTCTL_USER, git user.name, login).")
AT = typer.Option(None, "--at", help="When it happened, if earlier than now (e.g. 'today 09:14').")
PAIRS = typer.Argument(None, help="The action's fields as FIELD=VALUE.")


def register(app: typer.Typer) -> None:
    app.command("log")(_with_intake_options(log))
    app.command("assign")(assign)
    app.command("act")(act)
    app.command("note")(note)
    app.command("close")(close)
    app.command("reopen")(reopen)
    app.command("attach")(attach)


def _pairs(pairs: list[str] | None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for pair in pairs or ():
        name, sign, value = pair.partition("=")
        if not sign or not name.strip():
            raise UsageError(t("field.bad_pair", value=pair))
        fields[name.strip()] = value
    return fields


def _done(ctx: typer.Context, outcome: Any, action: str) -> None:
    app_ctx: AppContext = ctx.obj
    from complaintctl.base.messages import current_language

    state = app_ctx.store.policy.state(outcome.view.status).text(current_language())
    typer.echo(t("action.done", id=outcome.record.id, action=action, state=state))


def log(
    ctx: typer.Context,
    *,
    received: str = typer.Option(None, "--received", help="When the complaint was received "
                                 "(default: --at, else now)."),
    from_file: str = typer.Option(None, "--from", help="Read the intake fields as YAML or JSON from a "
                                  "file, or - for standard input."),
    from_mail: str = typer.Option(None, "--from-mail", help="Take the complaint from an e-mail message "
                                  "(an .eml file, or - for standard input); a reply becomes a note on its "
                                  "complaint. The other options fill what the message cannot give."),
    json_output: bool = typer.Option(False, "--json", help="Print the new complaint as JSON."),
    by: str = BY,
    at: str = AT,
    commit: bool = COMMIT,
    **typed: str | None,
) -> None:
    """Register a new complaint; prints its id and first deadlines."""
    from complaintctl.app import operations
    from complaintctl.cli import render
    from complaintctl.records.record import flatten_intake

    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    fields: dict[str, Any] = {}
    if from_file:
        fields.update(_read_fields(from_file))
    fields = flatten_intake(fields)
    options = {field.parameter: field.key for field in intake.TYPED}
    fields.update({options[name]: value for name, value in typed.items() if value is not None})
    if from_mail:
        _log_from_mail(app_ctx, from_mail, fields, by, json_output, commit, at, received)
        return
    missing = operations.missing_intake(store, fields)
    asked = bool(missing) and sys.stdin.isatty() and from_file != "-"
    received_at: str | None = received
    if asked:
        from complaintctl.cli import asking

        try:
            received_at = asking.ask_intake(store, fields, missing, received, app_ctx.now)
        except asking.Interrupted:
            asking.save_draft(store, fields, received, app_ctx.now)
            raise typer.Exit(130) from None
    person = app_ctx.person(by)
    try:
        outcome = operations.log(store, fields, by=person, now=app_ctx.now, at=at, received=received_at,
                                 real_now=app_ctx.real_now, commit=commit)
    except ComplaintctlError:
        if asked:  # refused at the end: what was typed is kept, the refusal follows
            from complaintctl.cli import asking

            asking.save_draft(store, fields, received_at, app_ctx.now)
        raise
    render.logged(store, outcome, app_ctx.now, as_json=json_output)
    committed(app_ctx, outcome, quiet=json_output)


def _log_from_mail(app_ctx: AppContext, source: str, fields: dict[str, Any], by: str | None,
                   json_output: bool, commit: bool, at: str | None, received: str | None) -> None:
    """`log --from-mail`: one message taken in (see `mailintake`); missing fields asked on a terminal."""
    from complaintctl.app import mailintake, write
    from complaintctl.cli import render
    from complaintctl.cli.intake_cmds import commit_if_asked

    shown = "<stdin>" if source == "-" else source
    try:
        if source == "-":
            buffer = getattr(sys.stdin, "buffer", None)  # a text-only stdin (a test's) has none
            raw = buffer.read() if buffer is not None else sys.stdin.read().encode("utf-8")
        else:
            raw = Path(source).read_bytes()
    except OSError as error:
        raise UsageError(t("mail.unreadable", source=shown, problem=error.strerror or error)) from error
    store = app_ctx.store
    ask = (lambda name: str(typer.prompt(_prompt(name), default="", show_default=False))) \
        if sys.stdin.isatty() and source != "-" else None
    channel = fields.pop("channel", None)
    person = app_ctx.person(by)
    write.require_real_time(store, app_ctx.now, app_ctx.real_now)  # a future --now writes nothing
    taken = mailintake.take_one(store, raw, by=person, now=app_ctx.now, given=fields, ask=ask,
                                channel=channel, at=at, received=received)
    if taken.kind == "logged" and taken.outcome is not None:
        render.logged(store, taken.outcome, app_ctx.now, as_json=json_output)
        if taken.missing and not json_output:
            typer.echo(t("mail.to_complete", fields=", ".join(taken.missing), id=taken.complaint_id))
    elif json_output:
        render.print_json({"id": taken.complaint_id, "taken": taken.kind})
    else:
        typer.echo(t(f"mail.one_{taken.kind}", id=taken.complaint_id))
    commit_if_asked(app_ctx, commit, person, taken, set())


def _intake_options() -> list[inspect.Parameter]:
    """`log`'s option of each intake field a person types (`records.intake`), in the record's order."""
    return [inspect.Parameter(field.parameter, inspect.Parameter.KEYWORD_ONLY, annotation=str,
                              default=typer.Option(None, *field.option, help=t(field.help)))
            for field in intake.TYPED]


def _with_intake_options(command: Callable[..., None]) -> Callable[..., None]:
    """The command as Typer reads it: its own parameters, with the intake options in place of
    `**typed`, which receives them (a new function each time: the help is in the language of now)."""
    own = inspect.signature(command, eval_str=True)
    head, *rest = own.parameters.values()
    rest = [parameter for parameter in rest if parameter.kind is not inspect.Parameter.VAR_KEYWORD]

    @functools.wraps(command)
    def with_options(*args: Any, **kwargs: Any) -> None:
        command(*args, **kwargs)

    with_options.__signature__ = own.replace(  # type: ignore[attr-defined]
        parameters=[head, *_intake_options(), *rest])
    return with_options


def _prompt(key: str) -> str:
    """What a terminal asks for a missing field: its ledger heading, in the store's language."""
    field = intake.BY_KEY.get(key)
    return t(field.heading) if field is not None else key


def _read_fields(source: str) -> dict[str, Any]:
    from complaintctl.records import yamlio

    shown = "<stdin>" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(t("intake.unreadable", source=shown, problem=getattr(error, "strerror", None)
                           or error)) from error
    try:
        data = json.loads(text)  # JSON first: a YAML flow mapping ({a: b}) is not JSON, so falls through
    except json.JSONDecodeError:
        data = yamlio.load_plain(text, shown)
    if not isinstance(data, dict):
        raise UsageError(t("intake.bad_from", source=shown))
    from complaintctl.app.operations import intake_from_document

    return intake_from_document(data, shown)


def assign(
    ctx: typer.Context,
    complaint: str = typer.Argument(..., help="The id, or a unique prefix or tail of it."),
    to: str = typer.Option(..., "--to", help="The person who will own it."),
    department: str = typer.Option(None, "--department", help="The responsible department."),
    coordinator: str = typer.Option(None, "--coordinator", help="The coordinator, when several "
                                    "departments are involved."),
    by: str = BY,
    at: str = AT,
    commit: bool = COMMIT,
) -> None:
    """Give a complaint an owner and a responsible department."""
    fields = {"to": to, "department": department, "coordinator": coordinator}
    _act(ctx, complaint, "assign", {k: v for k, v in fields.items() if v is not None}, by, at, commit)


def act(
    ctx: typer.Context,
    complaint: str = typer.Argument(..., help="The id, or a unique prefix or tail of it."),
    action: str = typer.Argument(None, help="A step of the policy; without one, the steps possible now "
                                 "and the fields each takes are listed."),
    pairs: list[str] = PAIRS,
    by: str = BY,
    at: str = AT,
    commit: bool = COMMIT,
) -> None:
    """Take any step the complaint's policy allows now, with the fields it needs (FIELD=VALUE)."""
    if action is None:
        from complaintctl.app.steps import possible_steps
        from complaintctl.cli.render_steps import possible

        app_ctx: AppContext = ctx.obj
        possible(possible_steps(app_ctx.store, complaint, app_ctx.person(by)))
        return
    _act(ctx, complaint, action, _pairs(pairs), by, at, commit)


def close(ctx: typer.Context, complaint: str = typer.Argument(..., help="The id or part of it."),
          pairs: list[str] = PAIRS, by: str = BY, at: str = AT, commit: bool = COMMIT) -> None:
    """Close a complaint (subject to the policy: confirmation, visits, ...)."""
    _act(ctx, complaint, "close", _pairs(pairs), by, at, commit)


def reopen(ctx: typer.Context, complaint: str = typer.Argument(..., help="The id or part of it."),
           pairs: list[str] = PAIRS, by: str = BY, at: str = AT, commit: bool = COMMIT) -> None:
    """Reopen a complaint the complainant is not satisfied with (an appeal, a new investigation)."""
    _act(ctx, complaint, "reopen", _pairs(pairs), by, at, commit)


def _act(ctx: typer.Context, complaint: str, action: str, fields: dict[str, Any], by: str | None,
         at: str | None, commit: bool) -> None:
    from complaintctl.app import operations

    app_ctx: AppContext = ctx.obj
    person = app_ctx.person(by)
    outcome = operations.act(app_ctx.store, complaint, action, fields, by=person, now=app_ctx.now, at=at,
                             real_now=app_ctx.real_now, commit=commit)
    _done(ctx, outcome, action)
    committed(app_ctx, outcome)


def note(ctx: typer.Context, complaint: str = typer.Argument(..., help="The id or part of it."),
         text: str = typer.Argument(..., help="The note."), by: str = BY, at: str = AT,
         commit: bool = COMMIT) -> None:
    """Add a note to a complaint's history."""
    from complaintctl.app import operations

    app_ctx: AppContext = ctx.obj
    person = app_ctx.person(by)
    outcome = operations.note(app_ctx.store, complaint, text, by=person, now=app_ctx.now, at=at,
                              real_now=app_ctx.real_now, commit=commit)
    typer.echo(t("note.done", id=outcome.record.id))
    committed(app_ctx, outcome)


def attach(ctx: typer.Context, complaint: str = typer.Argument(..., help="The id or part of it."),
           files: list[Path] = typer.Argument(..., help="Photos, recordings, letters, contracts."),
           by: str = BY, at: str = AT, commit: bool = COMMIT) -> None:
    """Copy evidence into the store beside the record, with its size and SHA-256."""
    from complaintctl.app import operations

    app_ctx: AppContext = ctx.obj
    person = app_ctx.person(by)
    outcome = operations.attach(app_ctx.store, complaint, list(files), by=person, now=app_ctx.now, at=at,
                                real_now=app_ctx.real_now, commit=commit)
    typer.echo(t("attach.done", id=outcome.record.id, count=len(files)))
    committed(app_ctx, outcome)
