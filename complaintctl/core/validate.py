"""The one validation of a complaint record: what `check` reports of a stored record, what the write path
refuses to append, what a merge and an import ask of a history.

Pure: the policy, calendar, people and the real clock come in as `Rules`. Each rule is a small function
(`core.rules`) returning findings; nothing stops at the first. Two entry points apply them:

* `record_problems`: every event of a stored record, replayed through the policy (`check`, `import`,
  `git resolve`), and the record's intake;
* `appended_problems`: the events the write path is about to append to a history whose view it holds,
  the same rules (an event is valid in the same way whether it is being written or was written).

The rules of an event: its envelope (`at`, `by`, `action`), its time (in order, not before the complaint
was received, and never later than the real clock by more than `FUTURE_TOLERANCE`: a `--now` in the future
is for read-only views and tests), its person (listed, holding a role the step needs, where the store
lists people; the sweep's escalations are nobody's), its fields (declared, of their type, choices by
code, a note not empty), its text (valid UTF-8, no control characters but newline and tab), and the
policy's verdict (the step allowed in the state it was taken in, its conditions met; a change of a fact
a clock reads, and an extension, only by the roles and where the policy allows: `core.permits`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from complaintctl.base.errors import NotFound, Problem
from complaintctl.base.messages import current_language, t
from complaintctl.core import engine, permits
from complaintctl.core.rules import (
    WARNING,
    Finding,
    Where,
    action_field_findings,
    builtin_field_findings,
    instant_of,
    intake_findings,
    size_findings,
    text_findings,
    to_complete_findings,
)
from complaintctl.policy import facts
from complaintctl.policy.model import BUILTIN_EVENTS, Policy
from complaintctl.records.record import ENVELOPE
from complaintctl.records.yamlres import MAX_BYTES
from complaintctl.worktime.arithmetic import Calendar

FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far after the real clock an event may be dated: clones' clocks differ by a little, never more."""
NOBODYS = engine.AUTOMATIC  # events the sweep writes, under a name that need not be a person's
SETTINGS_FILE = "complaintctl.yaml"

Locate = Callable[..., int]
_BROKEN = (KeyError, ValueError, TypeError, AttributeError, NotFound)


def _nowhere(*where: str | int) -> int:
    return 0


@dataclass(frozen=True)
class Rules:
    """What validation needs beyond the record: the policy and calendar; the people and their roles
    (None: the store lists nobody, anyone may act); the real clock (None: not checked, as in a merge)."""

    policy: Policy
    calendar: Calendar
    people: Mapping[str, frozenset[str]] | None = None
    real_now: datetime | None = None
    max_bytes: int = MAX_BYTES

    @property
    def latest(self) -> datetime | None:
        """The latest instant an event may have."""
        return None if self.real_now is None else self.real_now + FUTURE_TOLERANCE


def _problems(findings: Sequence[Finding], shown: str, locate: Locate) -> list[Problem]:
    problems = []
    for where, message in findings:
        try:
            line = locate(*where) if where else 1
        except (KeyError, IndexError, TypeError, AttributeError):
            line = 0
        problems.append(Problem(shown, line, message))
    return problems


# -- whole records -------------------------------------------------------------------------------

def record_problems(rules: Rules, intake: Mapping[str, Any], history: Any, *, shown: str = "<record>",
                    locate: Locate = _nowhere, size: int | None = None) -> list[Problem]:
    """Every problem of a record: its intake, its size, every event by the rules of the write path."""
    findings: list[Finding] = list(intake_findings(rules.policy, intake))
    received = instant_of(intake.get("received_at"))
    if received is not None and rules.latest is not None and received > rules.latest:
        findings.append((("received_at",), _future_message("received_at", received, rules)))
    if size is not None:
        findings.extend(size_findings(size, rules.max_bytes, str(intake.get("id", ""))))
    findings.extend(_history_findings(rules, intake, history, received, replayable=True))
    findings.extend(to_complete_findings(intake, history))
    return _problems(findings, shown, locate)


def refusals(problems: Sequence[Problem]) -> list[Problem]:
    """The problems that refuse a write (and fail `check`): all but the warnings."""
    return [problem for problem in problems if not problem.message.startswith(WARNING)]


def history_valid(policy: Policy, calendar: Calendar, intake: Mapping[str, Any],
                  history: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a history stands by the policy and the rules of its events (a merge asks this of the
    union of two histories: no people or clock are known there)."""
    rules = Rules(policy, calendar)
    return not list(_history_findings(rules, intake, history, instant_of(intake.get("received_at")),
                                      replayable=True))


def _history_findings(rules: Rules, intake: Mapping[str, Any], history: Any, received: datetime | None,
                      *, replayable: bool) -> Iterator[Finding]:
    if not isinstance(history, list) or not history:
        yield ("history",), t("check.first_event")
        return
    if not isinstance(history[0], dict) or history[0].get("action") != "log":
        yield ("history", 0, "action") if isinstance(history[0], dict) else ("history", 0), \
            t("check.first_event")
        replayable = False
    bounds = _Bounds(received)
    for index, event in enumerate(history):
        for where, message, blocks in _shape_findings(rules, event, index, bounds.of(event), received):
            replayable = replayable and not blocks
            yield where, message
        if isinstance(event, dict):
            bounds.add(event)
            yield from _event_static(rules, event, ("history", index))
    if not replayable or received is None:
        return
    try:
        view = engine.replay(rules.policy, rules.calendar, dict(intake), [dict(history[0])])
    except _BROKEN as error:
        yield ("history", 0), str(error)
        return
    yield from _replay_findings(rules, view, _in_time_order(history, 1))


class _Bounds:
    """The earliest instant the next event may have. The sweep's events come after every event before
    them; a person's may come before the sweep's (a late entry: done earlier, typed in later), never
    before another person's."""

    def __init__(self, received: datetime | None) -> None:
        self.any: datetime | None = received
        self.person: datetime | None = received

    def of(self, event: Any) -> datetime | None:
        return self.any if _automatic(event) else self.person

    def add(self, event: Mapping[str, Any]) -> None:
        at = instant_of(event.get("at"))
        if at is None:
            return
        self.any = at if self.any is None or at > self.any else self.any
        if not _automatic(event):
            self.person = at if self.person is None or at > self.person else self.person


def _automatic(event: Any) -> bool:
    """Whether the sweep wrote it (a hand-edited `action` may be any value: a list is nobody's name)."""
    return isinstance(event, dict) and isinstance(event.get("action"), str) and event["action"] in NOBODYS


def _in_time_order(events: Sequence[Any], first: int) -> list[tuple[int, Mapping[str, Any]]]:
    """The events from index `first` on with their index in the file, in the order replay takes them
    (`engine.in_time_order`: by the time of the act, the entry order breaking ties)."""
    indexed = list(enumerate(events))[first:]
    if any(isinstance(event, dict) and "recorded_at" in event for _, event in indexed):
        indexed.sort(key=_moment)
    return indexed


def _moment(pair: tuple[int, Any]) -> float:
    at = instant_of(pair[1].get("at")) if isinstance(pair[1], dict) else None
    return float("-inf") if at is None else at.timestamp()


# -- events appended to a view -------------------------------------------------------------------

def appended_problems(rules: Rules, view: engine.View, events: Sequence[Mapping[str, Any]], *,
                      first: int, complaint_id: str = "",
                      history: Sequence[Mapping[str, Any]] = (),
                      intake: Mapping[str, Any] | None = None) -> list[Problem]:
    """What the write path refuses: the new `events` (the history's events from index `first` on) by
    the rules of every event. Advances `view` past the events. A late entry (dated before events the
    sweep wrote meanwhile) is checked where it happened: the record's `history` and `intake` are
    replayed with it in time order."""
    findings: list[Finding] = []
    bounds = _Bounds(view.received_at)
    bounds.any = view.last_at or view.received_at
    bounds.person = view.last_person_at or view.received_at
    late = False
    for offset, event in enumerate(events):
        findings.extend((where, message) for where, message, _ in
                        _shape_findings(rules, event, first + offset, bounds.of(event), view.received_at))
        findings.extend(_event_static(rules, event, ("history", first + offset)))
        at = instant_of(event.get("at"))
        late = late or (at is not None and bounds.any is not None and at < bounds.any)
        bounds.add(event)
    if findings:
        return _problems(findings, complaint_id, _nowhere)
    if not late or not history or intake is None:
        findings.extend(_replay_findings(rules, view, list(enumerate(events, start=first))))
        return _problems(findings, complaint_id, _nowhere)
    whole = [*history, *events]
    try:
        fresh = engine.replay(rules.policy, rules.calendar, dict(intake), [dict(whole[0])])
    except _BROKEN as error:
        return _problems([(("history", 0), str(error))], complaint_id, _nowhere)
    findings.extend(finding for finding in _replay_findings(rules, fresh, _in_time_order(whole, 1))
                    if len(finding[0]) < 2 or not isinstance(finding[0][1], int) or finding[0][1] >= first)
    view.__dict__.update(fresh.__dict__)
    return _problems(findings, complaint_id, _nowhere)


def size_problems(rules: Rules, size: int, complaint_id: str) -> list[Problem]:
    """A record's text of `size` bytes is one the readers read back."""
    return _problems(list(size_findings(size, rules.max_bytes, complaint_id)), complaint_id, _nowhere)


# -- one event -----------------------------------------------------------------------------------

def _shape_findings(rules: Rules, event: Any, index: int, before: datetime | None,
                    received: datetime | None) -> Iterator[tuple[Where, str, bool]]:
    """The envelope and the times of one event; each finding says whether replay can go on after it."""
    where: Where = ("history", index)
    if not isinstance(event, dict):
        yield where, t("check.not_event"), True
        return
    for key in ENVELOPE:
        if event.get(key) in (None, ""):
            yield where, t("check.no_envelope", name=key), True
    at = instant_of(event.get("at"))
    if event.get("at") not in (None, "") and at is None:
        yield (*where, "at"), t("check.bad_instant", field="at", value=str(event.get("at"))), True
    if at is not None:
        if before is not None and at < before and index > 0:
            yield (*where, "at"), t("check.event_order", at=event["at"], before=before.isoformat()), False
        if received is not None and at < received:
            yield (*where, "at"), t("check.event_before_received", at=event["at"],
                                    received=received.isoformat()), False
        if rules.latest is not None and at > rules.latest:
            yield (*where, "at"), _future_message("at", at, rules), False
    if "recorded_at" in event:
        recorded = instant_of(event["recorded_at"])
        if recorded is None:
            yield (*where, "recorded_at"), t("check.bad_instant", field="recorded_at",
                                             value=str(event["recorded_at"])), False
        elif rules.latest is not None and recorded > rules.latest:
            yield (*where, "recorded_at"), _future_message("recorded_at", recorded, rules), False
    action = event.get("action")
    if action not in (None, "") and action not in BUILTIN_EVENTS and not rules.policy.has_action(str(action)):
        possible = ", ".join(a.name for a in rules.policy.actions)
        yield (*where, "action"), t("action.unknown", policy=rules.policy.policy, action=action,
                                    possible=possible), True


def _future_message(field: str, at: datetime, rules: Rules) -> str:
    assert rules.real_now is not None
    return t("validate.future", field=field, value=at.isoformat(), real=rules.real_now.isoformat(),
             minutes=int(FUTURE_TOLERANCE.total_seconds() // 60))


def _event_static(rules: Rules, event: Mapping[str, Any], where: Where) -> Iterator[Finding]:
    """The rules of one event that need no replay: its fields, its text, its person."""
    action = str(event.get("action", ""))
    if action in BUILTIN_EVENTS:
        yield from builtin_field_findings(rules.policy, action, event, where)
    elif rules.policy.has_action(action):
        yield from action_field_findings(rules.policy.action(action), event, where)
    yield from text_findings(dict(event), where)
    yield from _person_findings(rules, event, where)


def _person_findings(rules: Rules, event: Mapping[str, Any], where: Where) -> Iterator[Finding]:
    """Where the store lists people, the person acting is one of them, with a role the step needs."""
    action = str(event.get("action", ""))
    if rules.people is None or action in NOBODYS or event.get("by") in (None, ""):
        return
    person = str(event["by"])
    roles = rules.people.get(person)
    if roles is None:
        yield (*where, "by"), t("action.unknown_person", person=person, path=SETTINGS_FILE)
        return
    if action not in BUILTIN_EVENTS and rules.policy.has_action(action):
        needed = rules.policy.action(action).roles
        if needed and not roles & set(needed):
            yield (*where, "by"), t("action.role", person=person, action=action, roles=" / ".join(needed),
                                    theirs=", ".join(sorted(roles)) or t("none"))


def _replay_findings(rules: Rules, view: engine.View, events: Sequence[tuple[int, Mapping[str, Any]]]
                     ) -> Iterator[Finding]:
    """The policy's verdict as the history replays (`events`: each with its index in the file, in the
    order replay takes them): each step allowed in the state it was taken in, its conditions met once
    taken. Replay stops at the first step it cannot take."""
    policy = rules.policy
    for index, event in events:
        where: Where = ("history", index)
        action = str(event.get("action", ""))
        spec = None if action in BUILTIN_EVENTS else policy.action(action)
        if spec is not None and not spec.allowed_in(view.status, policy.final_states):
            label = policy.state(view.status).text(current_language())
            yield (*where, "action"), t("check.impossible", action=action, state=label, code=view.status)
            return
        if action == "edit":
            yield from permits.change_findings(view, event, _roles_of(rules, event), where)
        elif action == "extend":
            yield from permits.extension_findings(view, rules.calendar, event, _roles_of(rules, event), where)
        try:
            engine.apply_event(view, rules.calendar, event)
        except _BROKEN as error:
            yield where, str(error)
            return
        if spec is not None and spec.requires:
            yield from _requirement_findings(rules, view, spec.name, event, where)


def _roles_of(rules: Rules, event: Mapping[str, Any]) -> frozenset[str] | None:
    """The roles of the person acting; None where the store lists nobody (anyone may act) or not them
    (`_person_findings` says so)."""
    return None if rules.people is None else rules.people.get(str(event.get("by", "")))


def _requirement_findings(rules: Rules, view: engine.View, action: str, event: Mapping[str, Any],
                          where: Where) -> Iterator[Finding]:
    """The step's conditions (`requires`), read as `engine.prepare` reads them: of the complaint once
    the step is taken, and of the step itself."""
    spec = rules.policy.action(action)
    roles = (rules.people or {}).get(str(event.get("by", "")), frozenset())
    own = {key: value for key, value in event.items() if key not in ("at", "by", "action", "recorded_at")}

    def lookup(name: str) -> Any:
        return view.fact(name, own, roles)

    for requirement in spec.requires:
        if facts.all_hold(requirement.when, lookup) and not facts.all_hold(requirement.need, lookup):
            yield where, requirement.message.text(current_language())
