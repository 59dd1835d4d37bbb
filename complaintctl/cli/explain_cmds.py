"""`complaintctl explain`: how each deadline was reached, and what a calendar or policy change moves."""

from __future__ import annotations

import typer

from complaintctl.base.errors import UsageError
from complaintctl.base.safetext import for_terminal
from complaintctl.cli.context import AppContext


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)


def explain(
    ctx: typer.Context,
    complaint: str = typer.Argument(None, help="The id, or a unique prefix or tail of it."),
    clock: str = typer.Argument(None, help="Only this clock."),
    changes: bool = typer.Option(False, "--changes", help="Show which open complaints' deadlines move "
                                 "with the uncommitted changes to complaintctl.yaml or the policy file."),
) -> None:
    """Each clock's due time step by step: start, limit, each day counted or skipped and why."""
    from complaintctl.app import explain as explaining

    app_ctx: AppContext = ctx.obj
    store = app_ctx.store
    if changes:
        if complaint is not None:
            raise UsageError("explain --changes looks at every open complaint: name none")
        for line in explaining.deadline_changes(store, app_ctx.now):
            typer.echo(for_terminal(line))
        return
    if complaint is None:
        raise UsageError("explain: name a complaint, or use --changes")
    for line in explaining.explain_complaint(store, store.resolve(complaint), clock, app_ctx.now):
        typer.echo(for_terminal(line))
