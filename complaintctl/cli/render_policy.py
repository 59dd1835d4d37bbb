"""`policy show` as tables."""

from __future__ import annotations

from typing import Any

from complaintctl.cli.render import console


def _facts(items: list[dict[str, Any]]) -> str:
    from complaintctl.policy.facts import describe

    return " and ".join(describe(item) for item in items)


def summary(data: dict[str, Any]) -> None:
    from rich.table import Table

    out = console()
    out.print(f"[bold]{data['policy']}[/bold] — {data['title']}")
    if data.get("source"):
        out.print(f"source: seed {data['source']['seed']} {data['source']['title']}")
    out.print(f"intake required: {', '.join(data['intake']['required']) or '-'}")
    for kind in ("categories", "severities", "channels", "risks", "roles"):
        if data[kind]:
            table = Table(title=kind, title_justify="left")
            for column in ("code", "label", "clause"):
                table.add_column(column)
            for item in data[kind]:
                table.add_row(item["code"], item["label"], item.get("clause") or "")
            out.print(table)
    states = Table(title="states", title_justify="left")
    for column in ("name", "label", "kind"):
        states.add_column(column)
    for state in data["states"]:
        kind = "initial" if state["initial"] else "final" if state["final"] else (
            "waits on complainant" if state["waits_on_complainant"] else "")
        states.add_row(state["name"], state["label"], kind)
    out.print(states)
    actions = Table(title="actions", title_justify="left")
    for column in ("action", "label", "from → to", "roles", "fields", "requires", "clause"):
        actions.add_column(column)
    for action in data["actions"]:
        fields = ", ".join(f["name"] + ("*" if f["required"] else "") for f in action["fields"])
        requires = "; ".join((f"if {_facts(r['when'])}: " if r["when"] else "") + _facts(r["need"])
                             for r in action["requires"])
        actions.add_row(action["name"], action["label"],
                        f"{', '.join(action['from'])} → {action['to'] or '='}",
                        ", ".join(action["roles"] or ["anyone"]), fields, requires, action["clause"] or "")
    out.print(actions)
    clocks = Table(title="clocks", title_justify="left")
    for column in ("clock", "label", "start → stop", "limit", "variants", "applies", "on breach", "clause"):
        clocks.add_column(column)
    for clock in data["clocks"]:
        variants = "; ".join(f"{_facts(v['when'])}: {v['limit']['text']}" for v in clock["limits"])
        breach = clock["on_breach"] or {}
        on_breach = ", ".join(f"{k}={v}" for k, v in breach.items() if v)
        clocks.add_row(clock["name"], clock["label"], f"{', '.join(clock['start'])} → "
                       f"{', '.join(clock['stop'])}", clock["limit"]["text"], variants,
                       _facts(clock["applies"]), on_breach, clock["clause"] or "")
    out.print(clocks)
