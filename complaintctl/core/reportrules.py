"""What a report reads from a policy: which events are costs, corrective actions, checks of them,
escalations, rejections and reopenings, and how satisfaction answers score. Decided once per policy
(README "Reports"), so the per-complaint work is a few set lookups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from complaintctl.policy.model import BUILTIN_EVENTS, Policy, memo
from complaintctl.worktime.times import parse_stored_instant

#: Satisfaction answers and their score on a five-point scale (README "Reports"). The shipped policies
#: use the first, second and fifth; a code not listed here is counted in the distribution only.
SATISFACTION_SCORES: dict[str, int] = {
    "very_satisfied": 5, "satisfied": 4, "basically_satisfied": 3, "neutral": 3, "unsatisfied": 2,
    "very_unsatisfied": 1,
}  # fmt: skip
#: The answers that count as satisfied (the satisfaction rate and success).
SATISFIED: frozenset[str] = frozenset({"very_satisfied", "satisfied"})
SATISFACTION_FIELD = "satisfaction"
#: Who bore a cost when the event does not say.
NOT_RECORDED = "-"


@dataclass
class Rules:
    policy: Policy
    final_states: frozenset[str]
    # action → the state it leads to (only actions that change state)
    targets: dict[str, str] = field(default_factory=dict)
    clears: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rejections: frozenset[str] = frozenset()
    reopenings: frozenset[str] = frozenset()
    # action → its money fields; actions with a `kind` field add a cost per event (wedding record_cost),
    # the others state an amount that a later event of the same field replaces (a revised plan).
    money: dict[str, tuple[str, ...]] = field(default_factory=dict)
    itemised: frozenset[str] = frozenset()
    corrective: frozenset[str] = frozenset()
    verifying: frozenset[str] = frozenset()
    escalating: frozenset[str] = frozenset()
    # actions that matter to a report at all: the others are skipped at once
    interesting: frozenset[str] = frozenset()

    @classmethod
    def of(cls, policy: Policy) -> Rules:
        rules = cls(policy=policy, final_states=policy.final_states)
        money: dict[str, tuple[str, ...]] = {}
        itemised, corrective, verifying, escalating = set(), set(), set(), {"escalate"}
        rejections, reopenings = set(), set()
        for action in policy.actions:
            if action.to:
                rules.targets[action.name] = action.to
            if action.clears:
                rules.clears[action.name] = action.clears
            if action.counts_as == "rejection":
                rejections.add(action.name)
            elif action.counts_as == "reopening":
                reopenings.add(action.name)
            paid = tuple(name for name, spec in action.fields.items() if spec.type == "money")
            if paid:
                money[action.name] = paid
                if "kind" in action.fields:
                    itemised.add(action.name)
            # Shape, not names, so that an office's own policy is read the same way: an action naming
            # the owner of an action is a corrective action (manufacturing capa, service
            # corrective_action); one with a yes/no `effective` checks them (verify, evaluate).
            if "action_owner" in action.fields:
                corrective.add(action.name)
            if action.fields.get("effective") is not None and action.fields["effective"].type == "bool":
                verifying.add(action.name)
            if action.name.startswith("escalate"):
                escalating.add(action.name)
        rules.money = money
        rules.itemised = frozenset(itemised)
        rules.corrective = frozenset(corrective)
        rules.verifying = frozenset(verifying)
        rules.escalating = frozenset(escalating)
        rules.rejections = frozenset(rejections)
        rules.reopenings = frozenset(reopenings)
        rules.interesting = frozenset({*money, *corrective, *verifying, *escalating, *rejections,
                                       *reopenings})
        return rules

    @staticmethod
    def for_policy(policy: Policy) -> Rules:
        """The rules of a policy, decided once per policy object (the index asks for every record)."""
        return memo(policy, "report.rules", Rules.of)

    def is_policy_action(self, name: str) -> bool:
        return name not in BUILTIN_EVENTS

    def is_escalation(self, event: Mapping[str, Any]) -> bool:
        """The sweep raising a breached clock to the level above, or a person escalating by an action
        of the policy named `escalate…` (service 3.3.1 `escalate_to_superior`). A warning is not one."""
        name = event.get("action")
        if name == "escalate":  # a historical breach (found by `import`) was counted, never escalated
            return event.get("level") == "breach" and event.get("historical") is not True
        return name in self.escalating

    def money_label(self, name: str, language: str) -> str:
        """The label of a cost kind: a choice code of a `kind` or `disposition` field, or a money field."""
        for action in self.policy.actions:
            for field_name in ("kind", "disposition"):
                spec = action.fields.get(field_name)
                for value in (spec.values or ()) if spec is not None else ():
                    if value.code == name:
                        return value.text(language)
        for action in self.policy.actions:
            spec = action.fields.get(name)
            if spec is not None and spec.type == "money":
                return spec.text(language) or name
        return name

    def choice_label(self, field_name: str, code: str, language: str) -> str:
        for spec in self.policy.field_specs(field_name):
            for value in spec.values or ():
                if value.code == code:
                    return value.text(language)
        return code


@dataclass(slots=True)
class EventFacts:
    """What a report counts from a complaint's events (README "Reports"): whether it was escalated, its
    costs, the state of each corrective action, and the due times of those still open (to count the
    overdue ones at a cutoff). The engine folds them event by event (`EventFold`), so the projection
    holds them at every moment of the complaint's timeline and a report never reads the events again."""

    escalated: bool = False
    costs: list[tuple[str, str, float]] = field(default_factory=list)
    corrective: list[str] = field(default_factory=list)  # open | done | verified, one per action
    open_dues: list[float] = field(default_factory=list)  # POSIX seconds, open actions with a due time

    def overdue_at(self, cutoff: float) -> int:
        return sum(1 for due in self.open_dues if due < cutoff)

    def as_tuple(self) -> tuple[Any, ...]:
        """Plain tuples and numbers (what marshal stores); `from_tuple` reads them back."""
        return (self.escalated, tuple(self.costs), tuple(self.corrective), tuple(self.open_dues))

    @classmethod
    def from_tuple(cls, value: Sequence[Any]) -> EventFacts:
        escalated, costs, corrective, open_dues = value
        return cls(escalated=bool(escalated), costs=[tuple(cost) for cost in costs],
                   corrective=list(corrective), open_dues=list(open_dues))


class EventFold:
    """`EventFacts` folded one event at a time, in time order (the engine calls `add` for the events of
    the actions a report counts, `rules.interesting`).

    Costs (README "Reports": costs): an event of an action with a `kind` field is one cost of that kind.
    Any other money field states an amount (a plan's compensation, a disposition's amount, the
    compensation paid at closing) that a later event with the same field replaces, so a revised plan is
    not counted twice; its kind is the event's `disposition` when it has one, else the field's name.
    A check (`verifying`) covers every corrective action recorded before it that was still open."""

    __slots__ = ("_snapshot", "corrective", "escalated", "itemised", "pending", "rules", "stated")

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.escalated = False
        self.itemised: list[tuple[str, str, float]] = []
        self.stated: dict[str, tuple[str, str, float]] = {}
        self.corrective: list[str] = []
        self.pending: list[float | None] = []
        self._snapshot: tuple[Any, ...] | None = None

    def add(self, event: Mapping[str, Any]) -> None:
        rules = self.rules
        name = event.get("action")
        if not isinstance(name, str) or name not in rules.interesting:
            return
        self._snapshot = None
        if rules.is_escalation(event):
            self.escalated = True
        fields = rules.money.get(name)
        if fields:
            borne_by = str(event.get("borne_by") or NOT_RECORDED)
            for field_name in fields:
                amount = event.get(field_name)
                if isinstance(amount, bool) or not isinstance(amount, int | float):
                    continue
                if name in rules.itemised:
                    self.itemised.append((str(event.get("kind") or field_name), borne_by, float(amount)))
                else:
                    kind = str(event.get("disposition") or field_name)
                    self.stated[field_name] = (kind, borne_by, float(amount))
        if name in rules.corrective:
            due = event.get("due")
            self.pending.append(None if due in (None, "") else _due(str(due)))
        elif name in rules.verifying and self.pending:
            state = "verified" if event.get("effective") is True else "done"
            self.corrective.extend(state for _ in self.pending)
            self.pending = []

    def __deepcopy__(self, memo: dict[int, Any]) -> EventFold:
        """A copy that shares the (read-only) rules: `engine.prepare` tries an event on a copied view."""
        copied = EventFold(self.rules)
        copied.escalated = self.escalated
        copied.itemised, copied.stated = list(self.itemised), dict(self.stated)
        copied.corrective, copied.pending = list(self.corrective), list(self.pending)
        return copied

    def snapshot(self) -> tuple[Any, ...]:
        """`facts().as_tuple()`, made again only after an event changed it (the replay asks after every
        event, for the timeline)."""
        if self._snapshot is None:
            self._snapshot = self.facts().as_tuple()
        return self._snapshot

    def facts(self) -> EventFacts:
        return EventFacts(escalated=self.escalated, costs=self.itemised + list(self.stated.values()),
                          corrective=self.corrective + ["open" for _ in self.pending],
                          open_dues=[due for due in self.pending if due is not None])


def event_facts(rules: Rules, events: Sequence[Mapping[str, Any]]) -> EventFacts:
    """The `EventFacts` of events in time order."""
    fold = EventFold(rules)
    for event in events:
        fold.add(event)
    return fold.facts()


def _due(text: str) -> float | None:
    try:
        return parse_stored_instant(text).timestamp()
    except ValueError:
        return None  # a due date written without an offset by hand: not counted as overdue
