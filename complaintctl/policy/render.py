"""Views of a policy: a Mermaid state diagram, and plain data for `policy show` and --json."""

from __future__ import annotations

import re
from typing import Any

from complaintctl.policy.model import Bilingual, Fact, Label, Limit, Policy

_SAFE_ID = re.compile(r"^[A-Za-z0-9_]+$")
# Characters written as Mermaid entity codes in labels (one pass, so codes are not escaped again).
_ESCAPES = {"#": "#35;", '"': "#quot;", ":": "#58;", ";": "#59;", "<": "#lt;", ">": "#gt;",
            "{": "#123;", "}": "#125;", "%": "#37;"}  # fmt: skip
_SPECIAL = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


def mermaid_label(text: str) -> str:
    """Text made safe in a Mermaid label: one line; quotes, colons, semicolons... as entities."""
    return _SPECIAL.sub(lambda match: _ESCAPES[match.group()], " ".join(text.split()))


def mermaid_ids(policy: Policy) -> dict[str, str]:
    """State name -> Mermaid id: `s_<name>` when the name is plain ASCII, else `state<N>`."""
    return {
        state.name: f"s_{state.name}" if _SAFE_ID.match(state.name) else f"state{i}"
        for i, state in enumerate(policy.states)
    }


def mermaid(policy: Policy, language: str) -> str:
    """The workflow as a Mermaid `stateDiagram-v2`: states, an arrow per action, start, ends."""
    ids = mermaid_ids(policy)
    finals = policy.final_states
    lines = ["stateDiagram-v2"]
    for state in policy.states:
        label = mermaid_label(state.text(language) or state.name)
        lines.append(f'    state "{label}" as {ids[state.name]}')
    if policy.initial in ids:
        lines.append(f"    [*] --> {ids[policy.initial]}")
    for action in policy.actions:
        label = mermaid_label(action.text(language) or action.name)
        for state in policy.states:
            if not action.allowed_in(state.name, finals):
                continue
            target = action.target(state.name, finals)
            if target in ids:
                lines.append(f"    {ids[state.name]} --> {ids[target]} : {label}")
    for state in policy.states:
        if state.final:
            lines.append(f"    {ids[state.name]} --> [*]")
    return "\n".join(lines) + "\n"


# -- summary ---------------------------------------------------------------------------------------


def _labels(items: tuple[Label, ...], language: str) -> list[dict[str, Any]]:
    return [{"code": item.code, "label": item.text(language), "clause": item.clause} for item in items]


def _text(item: Bilingual, language: str) -> str:
    return item.text(language)


def fact_data(fact: Fact) -> dict[str, Any]:
    """A fact as it is written in YAML: {fact: NAME, TEST: VALUE}, lists as lists."""
    test, value = fact.test
    return {"fact": fact.fact, test: list(value) if isinstance(value, tuple) else value}


def limit_data(limit: Limit) -> dict[str, Any]:
    return {"unit": limit.unit, "amount": limit.amount, "text": str(limit)}


def policy_summary(policy: Policy, language: str) -> dict[str, Any]:
    """Everything `policy show` prints, as plain JSON-ready data, labels in `language`."""
    finals = policy.final_states
    states = [{"name": s.name, "label": s.text(language), "initial": s.name == policy.initial,
               "final": s.final, "waits_on_complainant": s.waits_on_complainant, "clause": s.clause}
              for s in policy.states]  # fmt: skip
    actions = []
    for action in policy.actions:
        from_states = [s.name for s in policy.states if action.allowed_in(s.name, finals)]
        actions.append({
            "name": action.name,
            "label": action.text(language),
            "clause": action.clause,
            "from": list(action.from_),
            "from_states": from_states,
            "to": action.to,
            "roles": list(action.roles) if action.roles is not None else None,
            "fields": [{"name": name, "label": spec.text(language) or name,
                        "type": spec.type, "required": spec.required, "clause": spec.clause,
                        "values": _labels(spec.values, language) if spec.values else None}
                       for name, spec in action.fields.items()],
            "requires": [{"when": [fact_data(f) for f in req.when],
                          "need": [fact_data(f) for f in req.need],
                          "message": req.message.text(language), "clause": req.clause}
                         for req in action.requires],
            "counts_as": action.counts_as,
            "restarts": action.restarts,
            "after_closing": list(action.after_closing),
        })  # fmt: skip
    clocks = []
    for clock in policy.clocks:
        breach = clock.on_breach
        clocks.append({
            "name": clock.name,
            "label": clock.text(language),
            "clause": clock.clause,
            "start": list(clock.start),
            "stop": list(clock.stop),
            "limit": limit_data(clock.limit),
            "limits": [{"when": [fact_data(f) for f in v.when], "limit": limit_data(v.limit),
                        "clause": v.clause} for v in clock.limits],
            "applies": [fact_data(f) for f in clock.applies],
            "pause_in": list(clock.pause_in),
            "warn_at": clock.warn_at,
            "on_breach": None if breach is None else {
                "escalate_to": breach.escalate_to, "raise_severity": breach.raise_severity,
                "notify": list(breach.notify)},
            "extend_with": clock.extend_with,
            "extension": None if clock.extension is None else {
                "roles": list(clock.extension.roles),
                "when": [fact_data(f) for f in clock.extension.when],
                "at_most": limit_data(clock.extension.at_most) if clock.extension.at_most else None,
                "clause": clock.extension.clause},
            "restart_on": list(clock.restart_on),
        })  # fmt: skip
    repeat = policy.report.repeat_window
    return {
        "policy": policy.policy,
        "title": _text(policy.title, language),
        "source": {"seed": policy.source.seed, "title": policy.source.title} if policy.source else None,
        "intake": {
            "required": list(policy.intake.required),
            "optional": list(policy.intake.optional),
        },
        "categories": _labels(policy.categories, language),
        "severities": _labels(policy.severities, language),
        "channels": _labels(policy.channels, language),
        "risks": _labels(policy.risks, language),
        "roles": _labels(policy.roles, language),
        "states": states,
        "initial": policy.initial,
        "actions": actions,
        "clocks": clocks,
        # who may change a fact a clock, guard or report reads, and in which states
        "changes": [{"field": change.field, "roles": list(change.roles), "from": list(change.from_),
                     "clause": change.clause} for change in policy.changes],
        "report": {"repeat_window": limit_data(repeat) if repeat else None},
        "archive": {"years": policy.archive.years} if policy.archive else None,
    }
