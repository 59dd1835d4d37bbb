"""The one validation of a record (`core.validate`), each rule alone: a record that breaks one rule, and
only that one, is reported for it and for nothing else; the same record without the fault is clean."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import pytest

from complaintctl.core import engine, rules, validate
from complaintctl.policy.files import load_policy
from complaintctl.policy.model import Policy
from complaintctl.worktime.arithmetic import Calendar

REAL_NOW = datetime.fromisoformat("2026-11-20T18:00:00+08:00")
PEOPLE = {"王五": frozenset({"centre"}), "李四": frozenset({"department"})}


@pytest.fixture(scope="module")
def metro() -> Policy:
    return load_policy("metro")


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return Calendar.from_settings(None, "Asia/Shanghai")


def _rules(policy: Policy, calendar: Calendar, **changes: Any) -> validate.Rules:
    given: dict[str, Any] = {"people": PEOPLE, "real_now": REAL_NOW, **changes}
    return validate.Rules(policy, calendar, **given)


INTAKE: dict[str, Any] = {
    "id": "MT-261120-K7QF-1", "policy": "metro", "office": "MT", "received_at": "2026-11-20T16:00:00+08:00",
    "channel": "phone", "complainant": {"name": "张三", "phone": "13800138000"}, "subject": "闸机重复扣费",
    "description": "出站时被扣两次费。", "category": "service_quality", "severity": "normal",
    "location": "人民广场站",
}
HISTORY: list[dict[str, Any]] = [
    {"at": "2026-11-20T16:04:00+08:00", "by": "王五", "action": "log"},
    {"at": "2026-11-20T16:30:00+08:00", "by": "王五", "action": "assign", "to": "李四",
     "department": "车站运营部"},
    {"at": "2026-11-20T16:40:00+08:00", "by": "李四", "action": "propose", "opinion": "检修",
     "cause": "staff_attitude"},
    {"at": "2026-11-20T16:50:00+08:00", "by": "王五", "action": "note", "text": "回电\n\t已联系"},
    {"at": "2026-11-20T17:00:00+08:00", "by": "sweep", "action": "escalate", "clock": "dispatch",
     "due": "2026-11-23T18:00:00+08:00", "level": "warning", "to": ["王五"]},
]


def _messages(policy: Policy, calendar: Calendar, history: list[dict[str, Any]] | None = None,
              intake: dict[str, Any] | None = None, **changes: Any) -> list[str]:
    found = validate.record_problems(_rules(policy, calendar, **changes), intake or INTAKE,
                                     HISTORY if history is None else history)
    return [problem.message for problem in found]


def _with(index: int, **fields: Any) -> list[dict[str, Any]]:
    history = copy.deepcopy(HISTORY)
    history[index].update(fields)
    return history


def test_the_sample_record_is_clean(metro: Policy, calendar: Calendar) -> None:
    assert _messages(metro, calendar) == []


# -- text ------------------------------------------------------------------------------------------

def test_control_character_is_found_with_its_field_and_code_point() -> None:
    found = list(rules.text_findings({"subject": "闸机\x1b]0;pwned\x07"}, ()))
    assert found == [(("subject",),
                      "subject: the control character U+001B is not allowed (only newline and tab)")]


def test_newline_and_tab_are_text() -> None:
    assert list(rules.text_findings({"description": "第一行\n\t第二行"}, ())) == []


def test_carriage_return_delete_and_c1_controls_are_control_characters() -> None:
    for char in ("\r", "\x7f", "\x9b"):
        ((where, message),) = rules.text_findings({"text": f"a{char}b"}, ("history", 2))
        assert where == ("history", 2, "text") and f"U+{ord(char):04X}" in message


def test_lone_surrogate_is_not_text() -> None:
    ((where, message),) = rules.text_findings(["ok", {"path": "a\udcffb"}], ("files",))
    assert where == ("files", 1, "path")
    assert message == ("files.1.path: not valid UTF-8 text (a lone surrogate U+DCFF: a byte of another "
                       "encoding?)")


def test_a_key_is_text_too() -> None:
    ((_, message),) = rules.text_findings({"bad\x00key": "x"}, ())
    assert "U+0000" in message


# -- size ------------------------------------------------------------------------------------------

def test_a_record_past_the_read_limit_is_refused_with_attach_suggested() -> None:
    assert list(rules.size_findings(5 * 1024 * 1024, 5 * 1024 * 1024, "MT-1")) == []
    ((_, message),) = rules.size_findings(5 * 1024 * 1024 + 1, 5 * 1024 * 1024, "MT-1")
    assert "past the 5 MB" in message and "complaintctl attach MT-1 FILE" in message


# -- fields ----------------------------------------------------------------------------------------

def test_choice_code_unknown(metro: Policy, calendar: Calendar) -> None:
    (message,) = _messages(metro, calendar, _with(2, cause="bogus_code"))
    assert message.startswith("cause: 'bogus_code' is not allowed; choose one of ")


def test_choice_given_by_its_label_is_not_stored_as_a_code(metro: Policy, calendar: Calendar) -> None:
    spec = metro.action("propose").fields["cause"]
    label = spec.values[0].zh if spec.values else ""
    assert [m for _, m in rules.field_findings("cause", spec, label, ())]


def test_bool_field_of_another_type() -> None:
    tourism = load_policy("tourism")
    spec = tourism.action("confirm").fields["confirmed"]
    assert list(rules.field_findings("confirmed", spec, True, ())) == []
    ((_, message),) = rules.field_findings("confirmed", spec, "maybe", ())
    assert message == "confirmed: 'maybe' is not yes/no"


def test_number_text_and_datetime_fields_of_another_type() -> None:
    fields = load_policy("manufacturing").action("capa").fields
    service = load_policy("service")
    compensation = next(spec for action in service.actions for name, spec in action.fields.items()
                        if name == "compensation")
    for spec, good, bad in ((compensation, 12.5, "12元"), (fields["measures"], "x", 5),
                            (fields["due"], "2026-11-20T16:00:00+08:00", "tomorrow")):
        assert list(rules.field_findings("f", spec, good, ())) == []
        assert len(list(rules.field_findings("f", spec, bad, ()))) == 1


def test_unknown_field_of_a_step(metro: Policy, calendar: Calendar) -> None:
    (message,) = _messages(metro, calendar, _with(2, colour="red"))
    assert message.startswith("propose: unknown field colour")


def test_required_field_missing(metro: Policy, calendar: Calendar) -> None:
    history = copy.deepcopy(HISTORY)
    del history[2]["opinion"]
    assert _messages(metro, calendar, history) == ["propose: the field opinion is required"]


def test_empty_note(metro: Policy, calendar: Calendar) -> None:
    assert _messages(metro, calendar, _with(3, text="  \n")) == ["note: the field text is required"]


def test_attach_files_not_as_the_tool_writes_them(metro: Policy) -> None:
    good = [{"path": "evidence/x/a.jpg", "size": 3, "sha256": "ab"}]
    assert list(rules.builtin_field_findings(metro, "attach", {"files": good}, ())) == []
    ((_, message),) = rules.builtin_field_findings(metro, "attach", {"files": ["a.jpg"]}, ())
    assert message.startswith("attach: files must be a list of {path, size, sha256}")


def test_escalate_fields(metro: Policy, calendar: Calendar) -> None:
    def first(**fields: Any) -> str:
        return _messages(metro, calendar, _with(4, **fields))[0]

    assert first(level="panic").startswith("level: 'panic' is not allowed")
    assert first(clock="nope").startswith("clock: 'nope' is not allowed")
    assert first(due="soon") == "due: 'soon' is not an instant with a UTC offset"
    assert first(severity="apocalyptic").startswith("severity: 'apocalyptic'")
    assert first(to={"a": 1}) == "to: {'a': 1} is not a list of names"
    assert _messages(metro, calendar, _with(4, to="王五")) == []  # one name alone is a list of it


def test_edit_names_an_intake_field_by_its_code(metro: Policy, calendar: Calendar) -> None:
    edit = {"at": "2026-11-20T17:30:00+08:00", "by": "王五", "action": "edit"}
    assert _messages(metro, calendar, [*HISTORY, {**edit, "location": "人民广场站"}]) == []
    (bad_code,) = _messages(metro, calendar, [*HISTORY, {**edit, "severity": "bogus"}])
    assert bad_code.startswith("severity: 'bogus'")
    (automatic,) = _messages(metro, calendar, [*HISTORY, {**edit, "id": "X"}])
    assert automatic.startswith("edit: unknown field id")


# -- people ----------------------------------------------------------------------------------------

def test_person_not_listed(metro: Policy, calendar: Calendar) -> None:
    assert _messages(metro, calendar, _with(3, by="路人甲")) == [
        "路人甲 is not in the store's people list (complaintctl.yaml)"]


def test_person_without_the_role_a_step_needs(metro: Policy, calendar: Calendar) -> None:
    (message,) = _messages(metro, calendar, _with(2, by="王五"))
    assert message.startswith("王五 may not propose: it needs the role department")


def test_no_people_list_lets_anyone_act_and_the_sweep_is_nobody(metro: Policy, calendar: Calendar) -> None:
    assert _messages(metro, calendar, _with(3, by="路人甲"), people=None) == []
    assert _messages(metro, calendar, _with(4, by="cron")) == []


# -- times -----------------------------------------------------------------------------------------

def test_future_event(metro: Policy, calendar: Calendar) -> None:
    soon = _with(3, at="2026-11-20T18:05:00+08:00")  # within the tolerance of the real clock
    assert _messages(metro, calendar, soon[:4]) == []
    (message,) = _messages(metro, calendar, _with(4, at="2026-11-21T18:00:00+08:00"))
    assert message.startswith("at 2026-11-21T18:00:00+08:00 is later than the real clock")
    assert _messages(metro, calendar, _with(4, at="2026-11-21T18:00:00+08:00"), real_now=None) == []


def test_future_received_at(metro: Policy, calendar: Calendar) -> None:
    late = {**INTAKE, "received_at": "2026-12-20T16:00:00+08:00"}
    history = [{**event, "at": "2026-12-20T17:00:00+08:00"} for event in HISTORY[:1]]
    assert any(m.startswith("received_at 2026-12-20T16:00:00+08:00 is later than the real clock")
               for m in _messages(metro, calendar, history, late))


def test_events_out_of_order_and_before_receipt(metro: Policy, calendar: Calendar) -> None:
    assert _messages(metro, calendar, _with(3, at="2026-11-20T16:35:00+08:00")) == [
        "event at 2026-11-20T16:35:00+08:00 is earlier than the event before it (2026-11-20T16:40:00+08:00)"]
    assert _messages(metro, calendar, _with(0, at="2026-11-20T15:00:00+08:00")) == [
        "event at 2026-11-20T15:00:00+08:00 is before the complaint was received (2026-11-20T16:00:00+08:00)"]


def test_bad_instant_and_missing_envelope(metro: Policy, calendar: Calendar) -> None:
    assert _messages(metro, calendar, _with(3, at="yesterday")) == [
        "at: 'yesterday' is not an instant with a UTC offset"]
    history = copy.deepcopy(HISTORY)
    del history[3]["by"]
    assert _messages(metro, calendar, history) == ["history: event without by"]


# -- the policy's verdict --------------------------------------------------------------------------

def test_step_not_allowed_in_its_state(metro: Policy, calendar: Calendar) -> None:
    history = [HISTORY[0], HISTORY[2]]  # an opinion before anyone was assigned
    (message,) = _messages(metro, calendar, history)
    assert message.startswith("impossible history: propose is not allowed when the complaint is")


def test_unknown_action_and_a_first_event_that_is_not_log(metro: Policy, calendar: Calendar) -> None:
    assert _messages(metro, calendar, _with(3, action="dance"))[0].startswith("metro has no action 'dance'")
    assert _messages(metro, calendar, HISTORY[1:])[0] == "the first event must be log"


def test_appended_events_are_validated_against_the_view_they_follow(metro: Policy, calendar: Calendar
                                                                   ) -> None:
    view = engine.replay(metro, calendar, INTAKE, HISTORY[:2])
    checking = _rules(metro, calendar)
    assert validate.appended_problems(checking, view, [HISTORY[2]], first=2) == []
    assert view.status == "proposed"  # the view is advanced past what was validated
    again = engine.replay(metro, calendar, INTAKE, HISTORY[:2])
    bad = {**HISTORY[3], "text": "\x07"}
    (problem,) = validate.appended_problems(checking, again, [bad], first=2)
    assert "U+0007" in problem.message


def test_history_valid_is_what_a_merge_asks(metro: Policy, calendar: Calendar) -> None:
    assert validate.history_valid(metro, calendar, INTAKE, HISTORY)
    assert not validate.history_valid(metro, calendar, INTAKE, [HISTORY[0], HISTORY[2]])
