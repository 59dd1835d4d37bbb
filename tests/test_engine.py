"""The engine alone: a tiny policy, histories written by hand, the derived view checked."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from complaintctl.base.errors import Refused, UsageError
from complaintctl.core import engine
from complaintctl.policy.loader import parse_policy
from complaintctl.worktime.arithmetic import Calendar

TZ = ZoneInfo("Asia/Shanghai")

POLICY = """
policy: tiny
title: {en: tiny, zh: 小}
intake: {required: [subject]}
categories:
  - {code: goods, en: goods, zh: 商品}
  - {code: works, en: works, zh: 工程}
severities:
  - {code: normal, en: normal, zh: 一般}
  - {code: complex, en: complex, zh: 复杂}
  - {code: major, en: major, zh: 重要}
channels:
  - {code: phone, en: phone, zh: 电话}
roles:
  - {code: boss, en: boss, zh: 主管}
states:
  - {name: new, en: new, zh: 新}
  - {name: open, en: open, zh: 处理中}
  - {name: waiting, en: waiting, zh: 等待, waits_on_complainant: true}
  - {name: closed, en: closed, zh: 已结, final: true}
initial: new
actions:
  - name: assign
    en: assign
    zh: 分配
    from: [new, open]
    to: open
    fields:
      to: {type: person, required: true}
      department: {type: text}
      coordinator: {type: person}
    requires:
      - when: [{fact: departments, at_least: 2}]
        need: [{fact: coordinator, set: true}]
        message: {en: several departments need a coordinator, zh: 多部门须有协调人}
  - name: ask
    en: ask the customer
    zh: 询问
    from: [open]
    to: waiting
  - name: answer
    en: customer answers
    zh: 答复
    from: [waiting]
    to: open
  - name: visit
    en: visit
    zh: 回访
    from: [open]
    fields:
      satisfaction:
        type: choice
        values:
          - {code: good, en: good, zh: 满意}
          - {code: bad, en: bad, zh: 不满意}
  - name: pay
    en: pay
    zh: 赔付
    from: [open]
    fields:
      amount: {type: money, required: true}
      kind:
        type: choice
        required: true
        values: [{code: discount, en: discount, zh: 折价}, {code: cash, en: cash, zh: 现金}]
    requires:
      - when: [{fact: event.kind, in: [discount]}]
        need: [{fact: role, in: [boss]}]
        message: {en: a discount needs the boss, zh: 折价须主管批准}
  - name: close
    en: close
    zh: 结案
    from: [open]
    to: closed
    requires:
      - when: [{fact: category, in: [works]}]
        need: [{fact: count.visit, at_least: 2}]
        message: {en: works need two visits, zh: 工程类须两次回访}
  - name: reopen
    en: reopen
    zh: 重开
    from: [closed]
    to: open
    counts_as: reopening
    restarts: true
clocks:
  - name: handle
    en: handle
    zh: 处理
    start: [received]
    stop: [close]
    limit: {working_days: 3}
    limits:
      - when: [{fact: severity, in: [complex]}]
        limit: {working_days: 10}
    pause_in: [waiting]
    extend_with: extend
    extension: {roles: [boss]}
  - name: first_call
    en: first call
    zh: 首次联系
    start: [log]
    stop: [assign]
    limit: {hours: 2}
changes:
  - {field: category, roles: [boss]}
  - {field: severity, roles: [boss]}
  - {field: channel, roles: [boss]}
"""


@pytest.fixture(scope="module")
def policy():  # type: ignore[no-untyped-def]
    return parse_policy(POLICY, "tiny.yaml")


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return Calendar()


def at(text: str) -> str:
    return datetime.fromisoformat(text).replace(tzinfo=TZ).isoformat()


def intake(**extra: str) -> dict[str, str]:
    return {"received_at": at("2026-11-20T16:00"), "channel": "phone", "subject": "x",
            "category": "goods", "severity": "normal", **extra}


def event(when: str, action: str, **fields: object) -> dict[str, object]:
    return {"at": at(when), "by": "王五", "action": action, **fields}


def test_clocks_start_at_receipt_and_at_log(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    view = engine.replay(policy, calendar, intake(), [event("2026-11-20T16:05", "log")])
    handle, first_call = view.clocks["handle"][0], view.clocks["first_call"][0]
    # Fri 16:00 + 3 working days after the start day: Mon 23, Tue 24, Wed 25 → Wed 18:00
    assert handle.due.isoformat() == "2026-11-25T18:00:00+08:00"
    assert first_call.due.isoformat() == "2026-11-20T18:05:00+08:00"
    assert view.status == "new"


def test_limit_variant_by_severity(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    view = engine.replay(policy, calendar, intake(severity="complex"), [event("2026-11-20T16:05", "log")])
    # 10 working days after Fri 20 Nov: 23-27 (5), 30 Nov-4 Dec (10) → Fri 4 Dec 18:00
    assert view.clocks["handle"][0].due.isoformat() == "2026-12-04T18:00:00+08:00"


def test_stop_event_marks_met_or_breached(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    history = [event("2026-11-20T16:05", "log"), event("2026-11-20T19:00", "assign", to="李四")]
    view = engine.replay(policy, calendar, intake(), history)
    run = view.clocks["first_call"][0]
    assert run.state(datetime(2026, 11, 30, tzinfo=TZ)) == "breached"  # 19:00 is after 18:05
    assert view.owner == "李四" and view.status == "open"


def test_pause_moves_the_due_time_by_the_working_time_waited(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    history = [event("2026-11-20T16:05", "log"), event("2026-11-20T16:30", "assign", to="李四"),
               event("2026-11-23T09:00", "ask"), event("2026-11-24T09:00", "answer")]
    view = engine.replay(policy, calendar, intake(), history)
    run = view.clocks["handle"][0]
    # Due Wed 25 18:00; paused Mon 09:00 with 27 working hours left; resumed Tue 09:00 → Thu 26 18:00.
    assert run.due.isoformat() == "2026-11-26T18:00:00+08:00"
    assert run.pauses and run.state(datetime(2026, 11, 24, 10, tzinfo=TZ)) == "running"


def test_paused_state_while_waiting(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    history = [event("2026-11-20T16:05", "log"), event("2026-11-20T16:30", "assign", to="李四"),
               event("2026-11-23T09:00", "ask")]
    view = engine.replay(policy, calendar, intake(), history)
    assert view.clocks["handle"][0].state(datetime(2026, 12, 30, tzinfo=TZ)) == "paused"


def test_extension_moves_due(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    history = [event("2026-11-20T16:05", "log"),
               event("2026-11-21T10:00", "extend", clock="handle", due=at("2026-12-10T18:00"), reason="复杂")]
    view = engine.replay(policy, calendar, intake(), history)
    run = view.clocks["handle"][0]
    assert run.due.isoformat() == "2026-12-10T18:00:00+08:00"
    assert run.extensions[0].previous_due.isoformat() == "2026-11-25T18:00:00+08:00"


def test_final_state_stops_every_clock_and_reopen_counts(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    history = [event("2026-11-20T16:05", "log"), event("2026-11-20T16:30", "assign", to="李四"),
               event("2026-11-20T17:00", "visit", satisfaction="good"), event("2026-11-20T17:30", "close"),
               event("2026-11-21T10:00", "reopen")]
    view = engine.replay(policy, calendar, intake(), history)
    assert view.clocks["handle"][0].state(datetime(2026, 12, 30, tzinfo=TZ)) == "met"
    assert view.reopenings == 1 and view.status == "open"
    assert view.cycle_counts["visit"] == 0 and view.total_counts["visit"] == 1


def base_view(policy, calendar, category: str = "goods") -> engine.View:  # type: ignore[no-untyped-def]
    history = [event("2026-11-20T16:05", "log"),
               event("2026-11-20T16:30", "assign", to="李四", department="A")]
    return engine.replay(policy, calendar, intake(category=category), history)


ANYONE = engine.Actor(name="王五", roles=frozenset(), known=False)
CLERK = engine.Actor(name="王五", roles=frozenset({"clerk"}), known=True)
BOSS = engine.Actor(name="赵六", roles=frozenset({"boss"}), known=True)


def test_second_department_needs_a_coordinator(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    view = base_view(policy, calendar)
    with pytest.raises(Refused, match="several departments need a coordinator"):
        engine.prepare(view, calendar, "X-1", "assign", {"to": "张三", "department": "B"}, ANYONE)
    fields = engine.prepare(view, calendar, "X-1", "assign",
                            {"to": "张三", "department": "B", "coordinator": "钱七"}, ANYONE)
    assert fields == {"to": "张三", "department": "B", "coordinator": "钱七"}


def test_condition_on_the_event_and_the_role(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    view = base_view(policy, calendar)
    with pytest.raises(Refused, match="a discount needs the boss"):
        engine.prepare(view, calendar, "X-1", "pay", {"amount": "200", "kind": "discount"}, CLERK)
    assert engine.prepare(view, calendar, "X-1", "pay", {"amount": "200", "kind": "cash"}, CLERK) == {
        "amount": 200, "kind": "cash"}
    assert engine.prepare(view, calendar, "X-1", "pay", {"amount": "¥1,200.50", "kind": "折价"}, BOSS) == {
        "amount": 1200.5, "kind": "discount"}


def test_count_condition(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    view = base_view(policy, calendar, category="works")
    with pytest.raises(Refused, match="works need two visits"):
        engine.prepare(view, calendar, "X-1", "close", {}, ANYONE)
    for minute in ("17:00", "17:10"):
        engine.apply_event(view, calendar, event(f"2026-11-20T{minute}", "visit"))
    assert engine.prepare(view, calendar, "X-1", "close", {}, ANYONE) == {}


def test_state_role_and_field_refusals(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    view = base_view(policy, calendar)
    with pytest.raises(Refused, match="allowed when"):
        engine.prepare(view, calendar, "X-1", "answer", {}, ANYONE)
    with pytest.raises(UsageError, match="no action 'fly'"):
        engine.prepare(view, calendar, "X-1", "fly", {}, ANYONE)
    with pytest.raises(UsageError, match="the field amount is required"):
        engine.prepare(view, calendar, "X-1", "pay", {"kind": "cash"}, ANYONE)
    with pytest.raises(UsageError, match="unknown field colour"):
        engine.prepare(view, calendar, "X-1", "pay", {"amount": 1, "kind": "cash", "colour": "red"}, ANYONE)
    with pytest.raises(UsageError, match="choose one of discount, cash"):
        engine.prepare(view, calendar, "X-1", "pay", {"amount": 1, "kind": "gift"}, ANYONE)
    with pytest.raises(UsageError, match="not a number"):
        engine.prepare(view, calendar, "X-1", "pay", {"amount": "lots", "kind": "cash"}, ANYONE)


def test_possible_actions_follow_state_and_role(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    view = base_view(policy, calendar)
    assert [a.name for a in engine.possible_actions(view)] == ["assign", "ask", "visit", "pay", "close"]


def test_escalation_raises_severity_in_the_view(policy, calendar) -> None:  # type: ignore[no-untyped-def]
    history = [event("2026-11-20T16:05", "log"),
               event("2026-11-26T09:00", "escalate", clock="handle", due=at("2026-11-25T18:00"),
                     level="breach", to="boss", severity="major")]
    view = engine.replay(policy, calendar, intake(), history)
    assert view.value("severity") == "major"
    assert view.owner is None  # an escalation's `to` is not an assignment
