"""`complaintctl git install|merge-driver|resolve`, `complaintctl undo`, and what an action says of the
commit that follows it under `--commit` or `auto_commit: true` (the write path, `app.write`, makes it)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import t
from complaintctl.base.safetext import for_terminal
from complaintctl.cli.context import AppContext

if TYPE_CHECKING:
    from complaintctl.app.operations import Outcome

COMMIT = typer.Option(False, "--commit", help="Commit the change to git: one commit of just this record, "
                      "authored by the person acting (always, when the settings say auto_commit: true).")

git_app = typer.Typer(help="Working through git: the merge driver, the pre-commit hook, conflicts.",
                      no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(git_app, name="git")
    app.command("undo")(undo)


def committed(app_ctx: AppContext, outcome: Outcome, *, quiet: bool = False) -> None:
    """Say what became of the commit an action asked for (the write path made it); `quiet`: only when
    it could not be made."""
    if outcome.not_committed:
        typer.echo(t("git.not_committed", path=app_ctx.store.root), err=True)
    if outcome.commit and not quiet:
        typer.echo(t("git.committed", commit=outcome.commit))


@git_app.command("install")
def install(ctx: typer.Context) -> None:
    """Register complaintctl's merge driver for complaint records (.gitattributes and this clone's git
    config) and install the pre-commit hook that runs `complaintctl check` on staged records. Run it
    once in every clone, and again after moving or reinstalling complaintctl."""
    from complaintctl.git import repo as gitrepo

    app_ctx: AppContext = ctx.obj
    for line in gitrepo.install(app_ctx.store, sys.executable):
        typer.echo(line)


@git_app.command("merge-driver")
def merge_driver(
    base: Path = typer.Argument(..., help="git's %O: the common ancestor's version."),
    ours: Path = typer.Argument(..., help="git's %A: our version; the result is written here."),
    theirs: Path = typer.Argument(..., help="git's %B: their version."),
    name: str = typer.Argument(..., help="git's %P: the record's path in the repository."),
) -> None:
    """What git runs to merge a complaint record that both sides changed (see `git install`): the union
    of both histories; exit 1, with conflict markers around only the parts that cannot both stand."""
    from complaintctl.git import mergeserver

    code, said = mergeserver.run_driver(base, ours, theirs, name, Path.cwd())
    if said:
        typer.echo(said, err=True, nl=False)
    if code:
        raise typer.Exit(code)


@git_app.command("resolve")
def resolve(
    ctx: typer.Context,
    complaint: str = typer.Argument(..., help="The conflicted complaint's id, or a unique part of it."),
    keep: str = typer.Option(..., "--keep", help="ours (the upper part of each conflict: this clone's "
                             "side of a merge) or theirs (the lower part: what was pulled)."),
) -> None:
    """Resolve a conflicted record by keeping one side of every conflict in it; the history is put back
    in time order, the record checked, written, and staged when a merge is in progress."""
    from complaintctl.git import repo as gitrepo

    if keep not in ("ours", "theirs"):
        raise UsageError(t("git.bad_side", value=keep))
    app_ctx: AppContext = ctx.obj
    done = gitrepo.resolve(app_ctx.store, complaint, keep)
    key = "git.resolved" if done.staged else "git.resolved_unstaged"
    typer.echo(for_terminal(t(key, id=done.complaint_id, side=keep, path=done.path)))


def undo(ctx: typer.Context,
         by: str = typer.Option(None, "--by", help="Who is undoing (default: $COMPLAINTCTL_USER, git "
                                "user.name, login); only their own last commit is undone.")) -> None:
    """Undo your last complaintctl commit while nothing is built on it: it must be the last commit, made
    by complaintctl, by you, and not pushed. Anything else is refused, saying why."""
    from complaintctl.git import repo as gitrepo

    app_ctx: AppContext = ctx.obj
    done = gitrepo.undo(app_ctx.store, app_ctx.person(by))
    typer.echo(for_terminal(t("git.undone", commit=done.commit, subject=done.subject)))
