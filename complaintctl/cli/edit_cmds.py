"""`complaintctl edit ID`: the complaint's editable fields in $EDITOR (`app.editing.form`), recorded as one
`edit` event through the one write path with only what changed. An invalid result reopens the editor with
the error at the top and the person's own text below it; a form left unchanged records nothing; an
emptied one gives up. The form lives in the store's `.complaintctl/drafts/` while it is being edited, and
stays there (named in the error) when the same invalid text is saved twice."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import typer

from complaintctl.base.errors import ComplaintctlError, Refused, UsageError
from complaintctl.base.fsutil import atomic_write
from complaintctl.base.messages import t
from complaintctl.base.safetext import for_terminal
from complaintctl.cli.context import AppContext
from complaintctl.cli.git_cmds import COMMIT, committed

#: The error block put above the person's text, one `#` line each; taken off again before reading.
_ERROR_MARK = "# !! "


def register(app: typer.Typer) -> None:
    app.command("edit")(edit)


def _editor() -> list[str]:
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        raise UsageError(t("edit.no_editor"))
    return shlex.split(command)


def _run_editor(path: Path) -> str:
    editor = _editor()
    try:
        done = subprocess.run([*editor, str(path)], check=False)
    except OSError as error:
        raise UsageError(t("edit.editor_failed", editor=" ".join(editor), problem=error.strerror or error)
                         ) from error
    if done.returncode != 0:
        raise UsageError(t("edit.editor_failed", editor=" ".join(editor),
                           problem=f"exit {done.returncode}"))
    return path.read_text(encoding="utf-8")


def _without_error(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith(_ERROR_MARK))


def _with_error(text: str, problem: ComplaintctlError) -> str:
    block = "".join(f"{_ERROR_MARK}{line}\n" for line in t("edit.error_head", problem=problem).splitlines())
    return block + _without_error(text)


def _meaningful(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def edit(
    ctx: typer.Context,
    complaint: str = typer.Argument(..., help="The id, or a unique prefix or tail of it."),
    by: str = typer.Option(None, "--by", help="Who did it (default: $COMPLAINTCTL_USER, git user.name, "
                           "login)."),
    commit: bool = COMMIT,
) -> None:
    """Correct a complaint's intake and assignment in $EDITOR; records one edit event with what changed."""
    from complaintctl.app import editing, operations
    from complaintctl.store.projection import view_of_stored

    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    person = app_ctx.person(by)
    complaint_id = store.resolve(complaint)
    view = view_of_stored(store, store.read(complaint_id))
    original = editing.form(store, complaint_id, view)
    path = store.state_dir / "drafts" / f"edit-{complaint_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, original)
    failed_text: str | None = None
    while True:
        text = _run_editor(path)
        if _without_error(text) == original:
            path.unlink(missing_ok=True)
            typer.echo(for_terminal(t("edit.unchanged", id=complaint_id)))
            return
        if not _meaningful(text):
            path.unlink(missing_ok=True)
            typer.echo(for_terminal(t("edit.given_up", id=complaint_id)))
            return
        try:
            changed = editing.changes(store, view, editing.read_form(_without_error(text)))
            if not changed:
                path.unlink(missing_ok=True)
                typer.echo(for_terminal(t("edit.unchanged", id=complaint_id)))
                return
            outcome = operations.act(store, complaint_id, "edit", changed, by=person, now=app_ctx.now,
                                     real_now=app_ctx.real_now, commit=commit)
        except (UsageError, Refused) as problem:
            if failed_text == _without_error(text):  # saved again as it was: stop, the text stays kept
                raise UsageError(f"{problem} ({store.display_path(path)})") from problem
            failed_text = _without_error(text)
            atomic_write(path, _with_error(text, problem))
            continue
        path.unlink(missing_ok=True)
        typer.echo(for_terminal(t("edit.done", id=complaint_id, fields=", ".join(changed))))
        committed(app_ctx, outcome)
        return
