"""`policy show` as text: short lists aligned, each action and clock a block of `field  value` lines.

On a terminal every line is wrapped to its width (a long condition or clause goes on under itself); off
one the same text, unwrapped and whole. Never a table wider than the screen."""

from __future__ import annotations

from typing import Any

import typer

from complaintctl.base.safetext import for_terminal
from complaintctl.cli.layout import labelled, wrap
from complaintctl.cli.render import console, on_terminal

UNWRAPPED = 1_000_000  # a width no line reaches: off a terminal nothing is wrapped


def _facts(items: list[dict[str, Any]]) -> str:
    from complaintctl.policy.facts import describe

    return " and ".join(describe(item) for item in items)


def summary(data: dict[str, Any]) -> None:
    width = console().width if on_terminal() else UNWRAPPED
    typer.echo(for_terminal(summary_text(data, width)))


def summary_text(data: dict[str, Any], width: int) -> str:
    """The policy's lists, states, actions and clocks in lines of at most `width` cells."""
    lines = wrap(f"{data['policy']} — {data['title']}", width)
    if data.get("source"):
        lines += wrap(f"source: seed {data['source']['seed']} {data['source']['title']}", width)
    lines += wrap(f"intake required: {', '.join(data['intake']['required']) or '-'}", width)
    for kind in ("categories", "severities", "channels", "risks", "roles"):
        if data[kind]:
            lines += ["", kind]
            lines += labelled([(item["code"], item["label"] + (f"  ({item['clause']})" if item.get("clause")
                                                                else "")) for item in data[kind]], width)
    lines += ["", "states"]
    rows = []
    for state in data["states"]:
        kind = "initial" if state["initial"] else "final" if state["final"] else (
            "waits on complainant" if state["waits_on_complainant"] else "")
        rows.append((state["name"], state["label"] + (f"  ({kind})" if kind else "")))
    lines += labelled(rows, width)
    lines += ["", "actions"]
    for action in data["actions"]:
        fields = ", ".join(f["name"] + ("*" if f["required"] else "") for f in action["fields"])
        requires = "; ".join((f"if {_facts(r['when'])}: " if r["when"] else "") + _facts(r["need"])
                             for r in action["requires"])
        lines += wrap(f"  {action['name']}  {action['label']}", width)
        lines += labelled([(key, value) for key, value in (
            ("from → to", f"{', '.join(action['from'])} → {action['to'] or '='}"),
            ("roles", ", ".join(action["roles"] or ["anyone"])), ("fields", fields), ("requires", requires),
            ("clause", action["clause"] or "")) if value], width, indent=4)
    lines += ["", "clocks"]
    for clock in data["clocks"]:
        variants = "; ".join(f"{_facts(v['when'])}: {v['limit']['text']}" for v in clock["limits"])
        breach = clock["on_breach"] or {}
        on_breach = ", ".join(f"{k}={v}" for k, v in breach.items() if v)
        lines += wrap(f"  {clock['name']}  {clock['label']}", width)
        lines += labelled([(key, value) for key, value in (
            ("start → stop", f"{', '.join(clock['start'])} → {', '.join(clock['stop'])}"),
            ("limit", clock["limit"]["text"]), ("variants", variants), ("applies", _facts(clock["applies"])),
            ("on breach", on_breach), ("clause", clock["clause"] or "")) if value], width, indent=4)
    return "\n".join(lines)
