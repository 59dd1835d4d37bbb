"""`index`: bring the derived cache up to date, or rebuild it from the records."""

from __future__ import annotations

import time

import typer

from complaintctl.base.messages import t
from complaintctl.cli.context import AppContext


def register(app: typer.Typer) -> None:
    app.command("index")(index)


def index(
    ctx: typer.Context,
    rebuild: bool = typer.Option(False, "--rebuild", help="Forget every digest and derive all records "
                                 "again (the index is a cache: nothing is lost)."),
) -> None:
    """Update the index of derived states and deadlines that list, sweep and report read.

    Every command updates it by itself; run this after a big `git pull` to pay the time up front, or
    with --rebuild if the index is suspected."""
    from complaintctl.store.index import Index

    app_ctx: AppContext = ctx.obj
    with Index(app_ctx.store) as opened:
        started = time.monotonic()
        done = opened.refresh(rebuild=rebuild, pending=False)
        done.derived += opened.complete()  # rows left pending by an earlier command's quick build
        done.seconds = time.monotonic() - started
        broken = opened.broken()
    typer.echo(t("index.refreshed", records=done.records, derived=done.derived, removed=done.removed,
                 seconds=f"{done.seconds:.2f}", rebuilt=t("index.rebuilt") if done.rebuilt else ""))
    if broken:
        typer.echo(t("index.broken", count=len(broken)), err=True)
        raise typer.Exit(1)
