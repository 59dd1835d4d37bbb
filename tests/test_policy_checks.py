"""Each check alone, on a tiny broken variant of tests/data/policies/minimal.yaml.

A case replaces one unique piece of the minimal policy and expects exact `file:line: message` lines.
The check function is also run alone on the validated policy and must report the same messages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from complaintctl.base.errors import ProblemsFound
from complaintctl.policy import checks
from complaintctl.policy.checks import Issue
from complaintctl.policy.loader import parse_policy
from complaintctl.policy.model import Policy

MINIMAL = (Path(__file__).parent / "data" / "policies" / "minimal.yaml").read_text("utf-8")


def variant(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, f"not unique in minimal.yaml: {old!r}"
    return MINIMAL.replace(old, new)


def problems_of(text: str) -> list[str]:
    with pytest.raises(ProblemsFound) as caught:
        parse_policy(text, "p.yaml")
    return [str(problem) for problem in caught.value.problems]


def validated(text: str) -> Policy:
    return Policy.model_validate(YAML(typ="safe").load(text))


Check = Callable[[Policy], list[Issue]]

CASES: list[tuple[str, Check, str, str, list[str]]] = [
    # (id, check, old, new, expected problems of that check)
    ("initial", checks.check_unknown_states, "initial: received", "initial: recieved",
     ["p.yaml:21: initial state 'recieved' is not a state"]),
    ("from", checks.check_unknown_states, "    from: [assigned]\n    to: closed",
     "    from: [assigned, asigned]\n    to: closed",
     ["p.yaml:35: action 'close': unknown state 'asigned' in from"]),
    ("to", checks.check_unknown_states, "    to: assigned\n    roles", "    to: asigned\n    roles",
     ["p.yaml:27: action 'assign': unknown state 'asigned' in to"]),
    ("pause_in", checks.check_unknown_states, "    stop: [close]",
     "    stop: [close]\n    pause_in: [waiting]",
     ["p.yaml:53: clock 'handling': unknown state 'waiting' in pause_in"]),
    ("unreachable", checks.check_unreachable_states, "  - {name: closed,",
     "  - {name: limbo, en: limbo, zh: 悬置, final: true}\n  - {name: closed,",
     ["p.yaml:20: state 'limbo' cannot be reached from 'received'"]),
    ("dead end state", checks.check_dead_ends, "  - {name: closed,",
     "  - {name: trap, en: trap, zh: 陷阱}\n  - {name: closed,",
     ["p.yaml:20: state 'trap' has no way to a final state"]),
    ("no final", checks.check_dead_ends, ", final: true}", "}", ["p.yaml:17: no state is final"]),
    ("stop empty", checks.check_clock_events, "    stop: [close]", "    stop: []",
     ["p.yaml:48: clock 'handling': nothing stops it (stop is empty)"]),
    ("stop unknown", checks.check_clock_events, "    stop: [close]", "    stop: [finish]",
     ["p.yaml:52: clock 'handling': unknown event 'finish' in stop",
      "p.yaml:52: clock 'handling': nothing stops it (its stop events are unknown)"]),
    ("stop never", checks.check_clock_events, "    from: [assigned]\n    to: closed",
     "    from: [closed]\n    to: closed",
     ["p.yaml:52: clock 'handling': nothing stops it (no stop event can happen)"]),
    ("start unknown", checks.check_clock_events, "    start: [received]",
     "    start: [received, arrival]",
     ["p.yaml:51: clock 'handling': unknown event 'arrival' in start"]),
    ("fact", checks.check_conditions, "need: [{fact: result, equals: ok}]",
     "need: [{fact: colour, set: true}]", ["p.yaml:39: unknown fact 'colour'"]),
    ("count", checks.check_conditions, "need: [{fact: result, equals: ok}]",
     "need: [{fact: count.visit, at_least: 1}]",
     ["p.yaml:39: unknown action 'visit' in fact 'count.visit'"]),
    ("event field", checks.check_conditions, "need: [{fact: result, equals: ok}]",
     "need: [{fact: event.to, set: true}]",
     ["p.yaml:39: unknown event field 'to' in fact 'event.to' (not a field of action 'close')"]),
    ("role", checks.check_conditions, "need: [{fact: result, equals: ok}]",
     "need: [{fact: role, in: [centre, boss]}]", ["p.yaml:39: unknown role 'boss'"]),
    ("choice value", checks.check_conditions, "need: [{fact: result, equals: ok}]",
     "need: [{fact: result, equals: great}]", ["p.yaml:39: unknown value 'great' for 'result'"]),
    ("severity value", checks.check_conditions, "in: [major]}]\n        limit",
     "in: [critical]}]\n        limit", ["p.yaml:55: unknown value 'critical' for 'severity'"]),
    ("not a number", checks.check_conditions, "need: [{fact: result, equals: ok}]",
     "need: [{fact: subject, at_least: 2}]",
     ["p.yaml:39: at_least on 'subject', which is not a number"]),
    ("duplicate code", checks.check_duplicates, "  - {code: service, en: service, zh: 服务}",
     "  - {code: service, en: service, zh: 服务}\n  - {code: service, en: again, zh: 又}",
     ["p.yaml:10: duplicate category 'service'"]),
    ("duplicate choice", checks.check_duplicates, "{code: bad, en: bad, zh: 差}",
     "{code: ok, en: bad, zh: 差}", ["p.yaml:31: duplicate value 'ok' of field 'result'"]),
    ("duplicate state", checks.check_duplicates, "  - {name: closed,",
     "  - {name: assigned, en: again, zh: 又}\n  - {name: closed,",
     ["p.yaml:20: duplicate state 'assigned'"]),
    ("missing action", checks.check_required_actions, "  - name: reopen", "  - name: reopen_case",
     ["p.yaml:22: missing required action 'reopen'"]),
    ("builtin name", checks.check_required_actions, "  - name: reopen", "  - name: note",
     ["p.yaml:22: missing required action 'reopen'",
      "p.yaml:41: action 'note' is a built-in event name"]),
    ("action role", checks.check_roles, "    roles: [centre]", "    roles: [centre, boss]",
     ["p.yaml:28: action 'assign': unknown role 'boss'"]),
    ("escalate_to", checks.check_roles, "escalate_to: centre", "escalate_to: director",
     ["p.yaml:57: clock 'handling': escalate_to names unknown role 'director'"]),
    ("raise_severity", checks.check_roles, "raise_severity: major", "raise_severity: urgent",
     ["p.yaml:57: clock 'handling': raise_severity names unknown severity 'urgent'"]),
    ("extend_with", checks.check_extend_with, "extend_with: extend", "extend_with: prolong",
     ["p.yaml:58: clock 'handling': extend_with must be 'extend', not 'prolong'"]),
    ("label zh", checks.check_labels, "{code: centre, en: centre, zh: 中心}",
     "{code: centre, en: centre}", ["p.yaml:16: role 'centre' has no zh label"]),
    ("label en", checks.check_labels, "{name: received, en: received, zh: 已受理}",
     "{name: received, zh: 已受理}", ["p.yaml:18: state 'received' has no en label"]),
    ("action label", checks.check_labels, "    zh: 分配\n", "",
     ["p.yaml:23: action 'assign' has no zh label"]),
    ("message label", checks.check_labels, "zh: 须结果良好}", "zh: ' '}",
     ["p.yaml:40: action 'close': message of requirement 1 has no zh label"]),
    ("intake unknown", checks.check_intake, "required: [complainant.name, subject]",
     "required: [complainant.name, subjekt]", ["p.yaml:6: unknown intake field 'subjekt'"]),
    # issue 19: who may change the facts, extend a clock, act after closing (policy/permissions.py)
    ("changes missing", checks.check_changes, "  - {field: severity, roles: [centre]}\n", "",
     ["p.yaml:63: 'severity' is read by clock handling, action close, report: `changes` must name the roles "
      "that may change it"]),
    ("changes role", checks.check_changes, "{field: channel, roles: [centre]}",
     "{field: channel, roles: [centre, boss]}",
     ["p.yaml:66: changes of 'channel': unknown role 'boss'"]),
    ("changes state", checks.check_changes, "{field: channel, roles: [centre]}",
     "{field: channel, roles: [centre], from: [recieved]}",
     ["p.yaml:66: changes of 'channel': unknown state 'recieved'"]),
    ("changes field", checks.check_changes, "{field: channel, roles: [centre]}",
     "{field: received_at, roles: [centre]}",
     ["p.yaml:66: changes: 'received_at' is not an intake field a person may edit (amount, category, "
      "channel, complainant.contact, complainant.email, complainant.name, complainant.phone, demands, "
      "description, location, reference, risk, service.item, service.staff, service.time, severity, "
      "subject)",
      "p.yaml:63: 'channel' is read by report: `changes` must name the roles that may change it"]),
    ("extension missing", checks.check_extensions, "    extension: {roles: [centre]}\n", "",
     ["p.yaml:58: clock 'handling': `extension` must name the roles that may extend it"]),
    ("extension role", checks.check_extensions, "extension: {roles: [centre]}",
     "extension: {roles: [boss]}", ["p.yaml:59: clock 'handling': extension by unknown role 'boss'"]),
    ("after closing", checks.check_after_closing, "    counts_as: reopening\n",
     "    counts_as: reopening\n    after_closing: [closed, assigned]\n",
     ["p.yaml:47: action 'reopen': a reopening cannot be an action after closing",
      "p.yaml:47: action 'reopen': after_closing names 'assigned', which is not a final state"]),
    ("intake twice", checks.check_intake, "optional: [severity]", "optional: [severity, subject]",
     ["p.yaml:7: intake field 'subject' is both required and optional"]),
]  # fmt: skip


@pytest.mark.parametrize(("check", "old", "new", "expected"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])  # fmt: skip
def test_check(check: Check, old: str, new: str, expected: list[str]) -> None:
    text = variant(old, new)
    found = problems_of(text)
    for line in expected:
        assert line in found
    # the check alone, on the validated policy, reports exactly these messages
    alone = [issue.message for issue in check(validated(text))]
    assert alone == [line.split(": ", 1)[1] for line in expected]


def test_minimal_passes_every_check() -> None:
    assert checks.run_checks(validated(MINIMAL)) == []


def test_cascades_are_all_reported() -> None:
    found = problems_of(variant("    to: assigned\n    roles", "    to: asigned\n    roles"))
    assert found == [
        "p.yaml:18: state 'received' has no way to a final state",
        "p.yaml:19: state 'assigned' cannot be reached from 'received'",
        "p.yaml:20: state 'closed' cannot be reached from 'received'",
        "p.yaml:27: action 'assign': unknown state 'asigned' in to",
        "p.yaml:52: clock 'handling': nothing stops it (no stop event can happen)",
    ]


def test_star_covers_non_final_states() -> None:
    text = variant("    from: [assigned]\n    to: closed", "    from: ['*']\n    to: closed")
    policy = validated(text)
    assert checks.run_checks(policy) == []
    assert [a.name for a in policy.actions_from("received")] == ["assign", "close"]
    assert [a.name for a in policy.actions_from("closed")] == ["reopen"]


def test_builtin_events_may_stop_clocks() -> None:
    assert problems_of(variant("    stop: [close]", "    stop: [extend, log]\n    colour: x")) == [
        "p.yaml:53: clocks[0]: unknown key 'colour'"
    ]
    text = variant("    stop: [close]", "    stop: [extend, log]")
    assert checks.check_clock_events(validated(text)) == []


def test_known_facts_pass() -> None:
    need = (
        "need: [{fact: count.assign, at_least: 1}, {fact: event.summary, set: false}, "
        "{fact: departments, at_most: 2}, {fact: service.staff, set: true}, "
        "{fact: status, in: [assigned]}, {fact: role, in: [centre]}, "
        "{fact: channel, not_in: [phone]}, {fact: result, in: [ok]}, {fact: owner, set: true}]"
    )
    text = variant("need: [{fact: result, equals: ok}]", need)
    text = text.replace("    to: closed\n", "    to: closed\n    fields:\n      summary: {type: text}\n")
    assert checks.check_conditions(validated(text)) == []
