"""Merging two clones' versions of one complaint record: what the git merge driver does.

A record is an intake written once and an append-only history, so two clones that acted on the same
complaint almost always merge cleanly: the result is the union of both histories.

**Events are identified** by their whole mapping as canonical text (JSON, keys sorted), so an event
that reached both clones (the common base, or the same change pulled twice) is kept once. The sweep's
escalations are identified by what the sweep itself deduplicates on: (clock, due instant, level, the
people `notified`); two clones sweeping the same breach write two such events that differ only in
`at`/`by`, and the earliest is kept.

**Order.** The two histories are merged as two sorted lists: by `at`, each side's own order always
kept (a side's events at the same second stay in the order they were taken), ties between sides broken
by the canonical text. The result does not depend on which side is "ours", so two clones that merge
independently write the same file. An event of the base that one side removed stays removed.

**Intake** fields merge three-way: a field changed on one side only takes that change.

**What cannot stand** is kept as a conflict, with standard markers around only those blocks:

* an intake field changed differently on each side;
* both sides closed it (each added a different event leading to a final state);
* both sides added `edit` events giving one field different values;
* a merged history the policy does not allow (e.g. both sides took steps from the same state): then
  every policy step either side added is in the conflict, so keeping either side is a valid history;
* two different complaints under one id (their `log` events differ).

Keeping one side (`pick`) turns a conflicted file back into a record: the chosen blocks are kept, the
history re-sorted by time.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from complaintctl.base.errors import ProblemsFound
from complaintctl.base.messages import t
from complaintctl.core import validate
from complaintctl.core.compiled import compiled
from complaintctl.policy.model import BUILTIN_EVENTS, Policy
from complaintctl.records import yamlio
from complaintctl.records.fastread import parse_record
from complaintctl.records.fastwrite import render
from complaintctl.records.intake import NESTED, ORDER
from complaintctl.records.record import flatten_intake
from complaintctl.worktime.arithmetic import Calendar
from complaintctl.worktime.times import format_instant, parse_stored_instant

OURS, THEIRS = "ours", "theirs"
MARKER_SIZE = 7
_MARKER = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?: .*)?$")


# Built-in events that change nothing the policy looks at when allowing a step: no state, no clock,
# no value a condition reads (an escalation's raised severity is a value, but is never a step's
# precondition in the shipped policies, and the sweep decides it from the history it saw).
INERT = frozenset({"note", "attach", "escalate"})
Rules = Callable[[], tuple[Policy, Calendar]]


class Unmergeable(Exception):
    """A side is not a readable record: the driver falls back to git's own line merge."""


@dataclass
class Merged:
    text: str
    conflicts: list[str] = field(default_factory=list)  # why, one entry per kind of conflict


# -- identifying and ordering events ------------------------------------------------------------

def identity(event: Mapping[str, Any]) -> str:
    plain = yamlio.to_plain(event)
    if plain.get("action") == "escalate":
        try:
            due = format_instant(parse_stored_instant(plain.get("due")))
        except (TypeError, ValueError):
            due = str(plain.get("due"))
        notified = plain.get("notified") or []
        notified = sorted(str(n) for n in (notified if isinstance(notified, list) else [notified]))
        return json.dumps(["escalate", str(plain.get("clock")), due, str(plain.get("level")), notified],
                          ensure_ascii=False)
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, default=str)


def _instant(event: Mapping[str, Any]) -> datetime:
    try:
        return parse_stored_instant(event.get("at"))
    except (TypeError, ValueError) as error:
        raise Unmergeable(t("git.why_bad_time", value=event.get("at"))) from error


def _text(event: Mapping[str, Any]) -> str:
    return json.dumps(yamlio.to_plain(event), sort_keys=True, ensure_ascii=False, default=str)


def merge_histories(base: Sequence[Any], ours: Sequence[Any], theirs: Sequence[Any]) -> list[Any]:
    """The union of both histories (events as mappings), each event once, in time order.

    Two sorted lists merged by (instant, canonical text) of their heads: each side's own order is
    kept, and the result is the same whichever side is ours. An event met again (the base, a change
    both sides have, an escalation swept in both clones) is skipped, so the earliest copy stays."""
    keys_o = [identity(e) for e in ours]
    keys_t = [identity(e) for e in theirs]
    count_b, count_o, count_t = Counter(identity(e) for e in base), Counter(keys_o), Counter(keys_t)
    allowed: dict[str, int] = {}
    for key in count_o | count_t:
        # added on either side: kept once; removed from the base on one side: stays removed
        kept = count_o[key] >= count_b[key] and count_t[key] >= count_b[key]
        allowed[key] = max(count_o[key], count_t[key]) if kept else min(count_o[key], count_t[key])
    sort_o = [(_instant(e), _text(e)) for e in ours]
    sort_t = [(_instant(e), _text(e)) for e in theirs]
    emitted: Counter[str] = Counter()
    out: list[Any] = []
    i = j = 0
    while i < len(ours) or j < len(theirs):
        if j >= len(theirs) or (i < len(ours) and sort_o[i] <= sort_t[j]):
            event, key = ours[i], keys_o[i]
            i += 1
        else:
            event, key = theirs[j], keys_t[j]
            j += 1
        if emitted[key] < allowed[key]:
            out.append(event)
            emitted[key] += 1
    return out


# -- the policy's verdict -------------------------------------------------------------------------

def valid_history(policy: Policy, calendar: Calendar, intake: Mapping[str, Any],
                  history: Sequence[Mapping[str, Any]]) -> bool:
    """True when the history stands by the one validation (`core.validate`): it replays, each policy
    step allowed in the state it was taken in, every event as the write path would write it."""
    plain = [yamlio.to_plain(event) for event in history]
    return validate.history_valid(policy, calendar, flatten_intake(yamlio.to_plain(dict(intake))), plain)


def _final(policy: Policy, event: Mapping[str, Any]) -> bool:
    return str(event.get("action")) in compiled(policy).closing


# -- the three-way merge --------------------------------------------------------------------------

def merge(base_text: str | None, ours_text: str, theirs_text: str, rules: Rules,
          path: str = "<record>") -> Merged:
    """Merge two versions of a record against their common ancestor (None or '' when there is none).

    `rules()` gives the policy and calendar; it is called only when both sides did more than add
    inert events, so the usual merge (a note here, a sweep there) never loads the policy."""
    if ours_text == theirs_text or base_text == theirs_text:
        return Merged(ours_text)
    if base_text == ours_text:
        return Merged(theirs_text)
    plain = [parse_record(ours_text), parse_record(theirs_text)]
    ours: Mapping[str, Any]
    theirs: Mapping[str, Any]
    base: Mapping[str, Any]
    if plain[0] is not None and plain[1] is not None:
        # Both sides in the canonical format: their plain data (fastread), as ruamel would load them,
        # at a tenth of the cost (a pull runs this once per record both sides changed).
        ours, theirs = plain[0], plain[1]
    else:
        try:
            ours = yamlio.load(ours_text, path)
            theirs = yamlio.load(theirs_text, path)
        except ProblemsFound as error:
            raise Unmergeable(str(error)) from error
    try:
        base_plain = parse_record(base_text) if base_text else None
        base = base_plain if base_plain is not None else (
            yamlio.load(base_text, path) if base_text and base_text.strip() else CommentedMap())
    except ProblemsFound:
        base = CommentedMap()  # a virtual base full of markers: merge as if there were none
    events = {side: list(doc.get("history") or []) for side, doc in
              (("base", base), (OURS, ours), (THEIRS, theirs))}
    for side in (OURS, THEIRS):
        if not all(isinstance(event, Mapping) for event in events[side]):
            raise Unmergeable(t("git.why_bad_history", side=side))
    intake, field_conflicts = _merge_intake(base, ours, theirs)
    merged = merge_histories(events["base"], events[OURS], events[THEIRS])
    if not field_conflicts and _plainly_compatible(events):
        return Merged(_clean_text(ours, intake, merged, ours_text, path))
    policy, calendar = rules()
    conflicted, reasons = _conflicting(policy, calendar, intake, events, merged)
    if field_conflicts:
        reasons.insert(0, t("git.why_intake", fields=", ".join(sorted(field_conflicts))))
    if not reasons:
        return Merged(_clean_text(ours, intake, merged, ours_text, path))
    return Merged(_conflict_text(intake, field_conflicts, merged, conflicted), reasons)


def _flat(doc: Mapping[str, Any]) -> dict[str, Any]:
    return flatten_intake(yamlio.to_plain({k: v for k, v in doc.items() if k != "history"}))


def _merge_intake(base: Mapping[str, Any], ours: Mapping[str, Any], theirs: Mapping[str, Any]
                  ) -> tuple[dict[str, Any], dict[str, tuple[Any, Any]]]:
    b, o, th = _flat(base), _flat(ours), _flat(theirs)
    merged: dict[str, Any] = {}
    conflicts: dict[str, tuple[Any, Any]] = {}
    for key in dict.fromkeys([*o, *th]):
        mine, other, was = o.get(key), th.get(key), b.get(key)
        if mine == other or other == was:
            value = mine
        elif mine == was:
            value = other
        else:
            conflicts[key] = (mine, other)
            value = mine
        if value is not None:
            merged[key] = value
    return merged, conflicts


def _new(events: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """The events each side added that the other does not have."""
    keys = {side: {identity(e) for e in events[side]} for side in events}
    return {side: [e for e in events[side] if identity(e) not in keys["base"]
                   and identity(e) not in keys[THEIRS if side == OURS else OURS]] for side in (OURS, THEIRS)}


def _plainly_compatible(events: Mapping[str, list[Any]]) -> bool:
    """One side added only inert events (no state, clock or value changes): whatever the other side
    did, the merged history takes the same policy steps in the same states, so it stands."""
    if events[OURS] and events[THEIRS] and identity(events[OURS][0]) != identity(events[THEIRS][0]):
        return False
    new = _new(events)
    return any(all(str(e.get("action")) in INERT for e in new[side]) for side in (OURS, THEIRS))


def _conflicting(policy: Policy, calendar: Calendar, intake: Mapping[str, Any],
                 events: Mapping[str, list[Any]], merged: list[Any]
                 ) -> tuple[dict[str, list[Any]], list[str]]:
    """The events each side must keep to itself, and why (none: the merged history stands)."""
    new = _new(events)
    none: dict[str, list[Any]] = {OURS: [], THEIRS: []}
    if events[OURS] and events[THEIRS] and identity(events[OURS][0]) != identity(events[THEIRS][0]):
        return {OURS: list(events[OURS]), THEIRS: list(events[THEIRS])}, [t("git.why_two_complaints")]

    def stands(chosen: Mapping[str, list[Any]]) -> bool:
        dropped = {id(e) for side in (OURS, THEIRS) for e in chosen[side]}
        common = [e for e in merged if id(e) not in dropped]
        return all(valid_history(policy, calendar, intake, _by_time([*common, *chosen[side]]))
                   for side in (OURS, THEIRS))

    candidates: dict[str, list[Any]] = {OURS: [], THEIRS: []}
    reasons: list[str] = []
    finals = {side: [e for e in new[side] if _final(policy, e)] for side in (OURS, THEIRS)}
    if finals[OURS] and finals[THEIRS]:
        reasons.append(t("git.why_closed"))
        for side in (OURS, THEIRS):
            candidates[side].extend(finals[side])
    edits = _edit_clashes(new)
    if edits[OURS]:
        reasons.append(t("git.why_edits", fields=", ".join(sorted(edits["fields"]))))
        for side in (OURS, THEIRS):
            candidates[side].extend(e for e in edits[side] if e not in candidates[side])
    if not reasons:
        if valid_history(policy, calendar, intake, merged):
            return none, []
        reasons.append(t("git.why_policy"))
    if stands(candidates) and any(candidates.values()):
        return candidates, reasons
    steps = {side: [e for e in new[side] if str(e.get("action")) not in BUILTIN_EVENTS
                    or e in candidates[side]] for side in (OURS, THEIRS)}
    if stands(steps):
        return steps, reasons
    return new, reasons


def _edit_clashes(new: Mapping[str, list[Any]]) -> dict[str, Any]:
    def edited(side: str) -> dict[str, list[tuple[Any, Any]]]:
        found: dict[str, list[tuple[Any, Any]]] = {}
        for event in new[side]:
            if event.get("action") == "edit":
                for key, value in yamlio.to_plain(event).items():
                    if key not in ("at", "by", "action", "recorded_at"):
                        found.setdefault(key, []).append((value, event))
        return found

    mine, other = edited(OURS), edited(THEIRS)
    clash = {key for key in mine.keys() & other.keys()
             if {json.dumps(v, sort_keys=True, default=str) for v, _ in mine[key]}
             != {json.dumps(v, sort_keys=True, default=str) for v, _ in other[key]}}
    return {"fields": clash,
            OURS: [e for key in sorted(clash) for _, e in mine[key]],
            THEIRS: [e for key in sorted(clash) for _, e in other[key]]}


def _by_time(history: Sequence[Any], side_order: Sequence[Any] = ()) -> list[Any]:
    """A stable sort by instant: events at the same second keep their order; and, given the history of
    the side kept (`side_order`), its events at one second are in the order that side had them (the
    conflict region puts a side's conflicting events after the merged ones, which may share a second)."""
    try:
        ordered = sorted(history, key=_instant)
    except Unmergeable:
        return list(history)
    if not side_order:
        return ordered
    rank: dict[str, int] = {}
    for position, event in enumerate(side_order):
        if isinstance(event, Mapping):
            rank.setdefault(identity(event), position)
    result: list[Any] = []
    for _, same_second in groupby(ordered, key=_instant):
        group = list(same_second)
        slots = [index for index, event in enumerate(group) if identity(event) in rank]
        in_side_order = sorted((group[index] for index in slots), key=lambda event: rank[identity(event)])
        for index, event in zip(slots, in_side_order, strict=True):
            group[index] = event
        result.extend(group)
    return result


# -- writing the result ---------------------------------------------------------------------------

def _ordered(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Flat intake fields nested again, in the canonical key order; keys the format does not know
    (check reports them) are kept, after the known ones, rather than lost in a merge."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        top, dot, sub = key.partition(".")
        if value is None:
            continue
        if dot and top in NESTED:
            nested.setdefault(top, {})[sub] = value
        else:
            nested[key] = value
    order = {key: index for index, key in enumerate(ORDER)}
    result: dict[str, Any] = {}
    for key in sorted(nested, key=lambda k: order.get(k, len(order))):
        value = nested[key]
        if key in NESTED and isinstance(value, dict):
            subs = NESTED[key]
            value = {sub: value[sub] for sub in [*(s for s in subs if s in value),
                                                 *(s for s in value if s not in subs)]}
        result[key] = value
    return result


def _clean_text(ours: Mapping[str, Any], intake: Mapping[str, Any], merged: list[Any], ours_text: str,
                path: str) -> str:
    """Ours, with the merged intake and history: comments a person wrote in our copy survive. Ours as
    plain data (both sides canonical, so neither has a comment): written by the canonical writer, which
    writes what `yamlio.dump` would, when what it writes reads back as the same data."""
    if not isinstance(ours, CommentedMap):
        data = {**ours} if _flat(ours) == dict(intake) else _ordered(intake)
        data["history"] = [yamlio.to_plain(event) for event in merged]
        text = render(data)
        if text is not None and parse_record(text) == data:
            return text
        ours = yamlio.load(ours_text, path)
    doc = ours if _flat(ours) == dict(intake) else CommentedMap(_ordered(intake))
    doc["history"] = CommentedSeq(merged)
    return yamlio.dump(doc)


def _block(key: str, value: Any) -> str:
    return yamlio.dump({key: value}) if value is not None else ""


def _event_block(event: Any) -> str:
    text = yamlio.dump({"history": [yamlio.to_plain(event)]})
    return text.split("\n", 1)[1]


def _region(mine: str, other: str) -> str:
    return (f"{'<' * MARKER_SIZE} {OURS}\n{mine}{'=' * MARKER_SIZE}\n{other}"
            f"{'>' * MARKER_SIZE} {THEIRS}\n")


def _conflict_text(intake: Mapping[str, Any], field_conflicts: Mapping[str, tuple[Any, Any]],
                   merged: list[Any], conflicted: Mapping[str, list[Any]]) -> str:
    mine_flat, other_flat = dict(intake), dict(intake)
    for key, (mine, other) in field_conflicts.items():
        for flat, value in ((mine_flat, mine), (other_flat, other)):
            if value is None:
                flat.pop(key, None)
            else:
                flat[key] = value
    mine_doc, other_doc = _ordered(mine_flat), _ordered(other_flat)
    parts: list[str] = []
    for key in dict.fromkeys([*mine_doc, *other_doc]):
        mine, other = _block(key, mine_doc.get(key)), _block(key, other_doc.get(key))
        parts.append(mine if mine == other else _region(mine, other))
    dropped = {id(e) for side in (OURS, THEIRS) for e in conflicted[side]}
    parts.append("history:\n")
    parts.extend(_event_block(e) for e in merged if id(e) not in dropped)
    if conflicted[OURS] or conflicted[THEIRS]:
        parts.append(_region("".join(_event_block(e) for e in conflicted[OURS]),
                             "".join(_event_block(e) for e in conflicted[THEIRS])))
    return "".join(parts)


# -- resolving: keep one side ---------------------------------------------------------------------

def has_markers(text: str) -> bool:
    return any(_MARKER.match(line) for line in text.splitlines())


def pick(text: str, side: str, path: str = "<record>", side_history: Sequence[Any] = ()) -> str:
    """The record with `side`'s part of every conflict region kept, its history in time order (events
    at the same second in the order `side_history`, that side's own history where git still has it,
    gives them)."""
    kept: list[str] = []
    state = "both"
    for line in text.splitlines(keepends=True):
        match = _MARKER.match(line.rstrip("\n"))
        kind = match.group(1)[0] if match else ""
        if kind == "<" and state == "both":
            state = OURS
        elif kind == "|" and state == OURS:
            state = "base"
        elif kind == "=" and state in (OURS, "base"):
            state = THEIRS
        elif kind == ">" and state == THEIRS:
            state = "both"
        elif state in ("both", side):
            kept.append(line)
    doc = yamlio.load("".join(kept), path)
    history = doc.get("history")
    if isinstance(history, list):
        doc["history"] = CommentedSeq(_by_time(history, side_history))
    return yamlio.dump(doc)

