"""Whether a record is closed, read off its text without parsing or replaying it.

A fresh clone has no index, and `list --status open` or the sweep must not wait for every closed
complaint of five years to be replayed: the index keeps a closed complaint as a *pending* row (its id,
state, receipt and closing instants) and replays it when a command first needs more of it (a report, a
list of closed complaints). This module finds those facts in the canonical text: the intake's
`received_at` and `id` lines, each event's `at` and `action` lines. A state is what the last action with a
target (`to`) moved the complaint into; the closing instant is when it entered a final state, after its
last reopening, as the engine says (`engine._apply`).

Anything it is not sure of (a hand edit that is not canonical, a record still open, an action it does not
know) returns None, and the record is replayed as usual. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from complaintctl.policy.model import Policy

# In the canonical layout an event starts `  - at: ...` and its keys sit at four spaces, `action` after `at`
# and `by`; a longer text value's continuation lines sit deeper, so these anchored patterns never match
# inside a value. The text stays bytes: only the few matched pieces are decoded.
# (A literal newline rather than `^` lets the regex engine search for the literal: three times faster.)
_EVENT = re.compile(rb"\n  - at: (\S+)\n(?:    by: [^\n]*\n)?    action: (\S+)")
_RECEIVED = re.compile(rb"^received_at: (\S+)$", re.MULTILINE)
_ID = re.compile(rb"^id: (\S+)$", re.MULTILINE)


class Closed(NamedTuple):
    """A closed complaint's facts; a tuple, as the index stores them (read once per closed record)."""

    id: str
    status: str
    received: float  # POSIX seconds
    closed: float


@dataclass(frozen=True)
class Plan:
    """What the scan needs of a policy: each action's target, the reopening actions, the final states."""

    targets: dict[str, str]
    reopenings: frozenset[str]
    final_states: frozenset[str]
    # action as bytes → the final states in which it may be taken, leaving the complaint there
    after_closing: dict[bytes, frozenset[str]] = field(default_factory=dict)
    # action as bytes → (its target, whether it reopens); actions with neither are left out
    effects: dict[bytes, tuple[str | None, bool]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        effects: dict[bytes, tuple[str | None, bool]] = {
            name.encode(): (target, name in self.reopenings) for name, target in self.targets.items()}
        effects.update({name.encode(): (self.targets.get(name), True) for name in self.reopenings})
        object.__setattr__(self, "effects", effects)

    @classmethod
    def of(cls, policy: Policy) -> Plan:
        return cls(targets={action.name: action.to for action in policy.actions if action.to},
                   reopenings=frozenset(action.name for action in policy.actions
                                        if action.counts_as == "reopening"),
                   final_states=policy.final_states,
                   after_closing={action.name.encode(): frozenset(action.after_closing)
                                  for action in policy.actions if action.after_closing})


def closed_of(text: bytes, plan: Plan) -> Closed | None:
    """The closed complaint's facts, or None (open, or not sure)."""
    history = text.find(b"\nhistory:\n")
    if history < 0:
        return None
    received = _RECEIVED.search(text, 0, history + 1)
    complaint_id = _ID.search(text, 0, history + 1)
    if received is None or complaint_id is None:
        return None
    events = _EVENT.findall(text, history)
    # Every event matched, else (a key out of order, a hand edit) let the parser judge.
    if not events or text.count(b"\n  - ", history) != len(events):
        return None
    status: str | None = None
    closed_at: bytes | None = None
    effects, final_states = plan.effects, plan.final_states
    for at, action in events:
        effect = effects.get(action)
        if effect is None:
            continue
        target, reopens = effect
        if status in plan.after_closing.get(action, ()):
            continue  # taken after closing: it leaves the complaint closed
        if reopens:
            closed_at = None
        if target is not None:
            status = target
        if closed_at is None and status in final_states:
            closed_at = at
    if status is None or status not in final_states or closed_at is None:
        return None
    try:
        received_at = datetime.fromisoformat(received.group(1).decode())
        closed_on = datetime.fromisoformat(closed_at.decode())
        if received_at.tzinfo is None or closed_on.tzinfo is None:  # not an instant as a record stores it
            return None
        return Closed(complaint_id.group(1).decode(), status, received_at.timestamp(), closed_on.timestamp())
    except (ValueError, UnicodeDecodeError):
        return None
