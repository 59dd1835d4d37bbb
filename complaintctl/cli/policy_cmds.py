"""`complaintctl policy list | show | check | diagram | simulate`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from complaintctl.base.messages import current_language, t
from complaintctl.base.safetext import for_terminal
from complaintctl.cli.context import AppContext

policy_app = typer.Typer(help="The policies: list, show, check, diagram, simulate.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")


def _base_dir(ctx: typer.Context) -> Path | None:
    """The store's folder when there is a store (its own policy paths are relative to it)."""
    from complaintctl.base.errors import StoreNotFound

    app_ctx: AppContext = ctx.obj
    try:
        return app_ctx.store.root
    except StoreNotFound:
        return None


def _load(ctx: typer.Context, name: str | None) -> Any:
    from complaintctl.policy.loader import load_policy

    base = _base_dir(ctx)
    if name is None:
        app_ctx: AppContext = ctx.obj
        return app_ctx.store.policy
    return load_policy(name, base_dir=base)


@policy_app.command("list")
def list_policies(ctx: typer.Context) -> None:
    """The built-in policies."""
    from complaintctl.policy.loader import builtin_policies, load_policy

    _base_dir(ctx)  # picks the store's language when there is a store
    for name in builtin_policies():
        policy = load_policy(name)
        typer.echo(f"{name:<15} {policy.title.text(current_language())}")


@policy_app.command("show")
def show(ctx: typer.Context,
         name: str = typer.Argument(None, help="A built-in name or a path (default: the store's)."),
         json_output: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The rules of a policy as readable tables."""
    from complaintctl.cli import render_policy
    from complaintctl.policy.render import policy_summary

    policy = _load(ctx, name)
    data = policy_summary(policy, current_language())
    if json_output:
        from complaintctl.cli.render import print_json

        print_json(data)
    else:
        render_policy.summary(data)


@policy_app.command("check")
def check(file: Path = typer.Argument(..., help="A policy file.")) -> None:
    """Check a policy file whole; each problem as file:line: message."""
    from complaintctl.policy.loader import load_policy_file

    policy = load_policy_file(file)
    typer.echo(f"{file}: ok ({policy.policy}: {len(policy.states)} states, {len(policy.actions)} actions, "
               f"{len(policy.clocks)} clocks)")


@policy_app.command("diagram")
def diagram(ctx: typer.Context,
            name: str = typer.Argument(None, help="A built-in name or a path (default: the store's).")
            ) -> None:
    """The state machine as Mermaid text (paste into any Mermaid viewer)."""
    from complaintctl.policy.render import mermaid

    typer.echo(mermaid(_load(ctx, name), current_language()), nl=False)


@policy_app.command("simulate")
def simulate(
    ctx: typer.Context,
    name: str = typer.Argument(None, help="A built-in name or a path (default: the store's)."),
    received: str = typer.Option(..., "--received", help="When the complaint would be received."),
    channel: str = typer.Option(None, "--channel"),
    category: str = typer.Option(None, "--category"),
    severity: str = typer.Option(None, "--severity"),
    json_output: bool = typer.Option(False, "--json", help="Print JSON: a list of {name, due}."),
) -> None:
    """Every deadline a complaint received then would get from the clocks that start at receipt."""
    from complaintctl.app.simulate import simulate_receipt
    from complaintctl.cli.render import print_json

    app_ctx: AppContext = ctx.obj
    base = _base_dir(ctx)
    store = app_ctx.store if base is not None else None
    policy = _load(ctx, name)
    rows = simulate_receipt(policy, store, received=received, channel=channel, category=category,
                            severity=severity, now_option=app_ctx.now_option)
    if json_output:
        print_json(rows)
        return
    typer.echo(simulated_table(policy, rows))
    if any(row["provisional"] for row in rows):
        typer.echo(f"* {t('label.provisional')}")


def simulated_table(policy: Any, rows: list[dict[str, Any]]) -> str:
    """Every clock of the policy under a header, aligned by terminal cells (a Chinese label is twice as
    wide as its length): those that start at receipt with their due time, the others with what starts
    them."""
    from complaintctl.cli.render import plain_table

    language = current_language()
    started = {row["name"] for row in rows}
    lines = [[row["label"], row["limit"], row["due"] + (" *" if row["provisional"] else "")] for row in rows]
    for clock in policy.clocks:
        if clock.name in started:
            continue
        starts = ", ".join(_action_text(policy, name, language) for name in clock.start)
        lines.append([clock.text(language), str(clock.limit), t("simulate.starts_with", actions=starts)])
    headers = [t("label.clock"), t("label.limit"), t("label.due")]
    return for_terminal(plain_table(headers, lines))


def _action_text(policy: Any, name: str, language: str) -> str:
    for action in policy.actions:
        if action.name == name:
            return str(action.text(language))
    return name
