"""Acceptance walks of the shipped metro policy (seed 003): the main path, the rejected opinion and the
new investigation loops, the guards, registration at once vs within 10 minutes, and a breach.

Every due time below is computed by hand on China's 2026 calendar, 09:00-18:00 Asia/Shanghai:
国庆 Thu Oct 1 - Wed Oct 7 are days off, Sat Oct 10 is a make-up working day, Sun Oct 11 is off.
`working_days: N` ends at 18:00 of the N-th working day after the start day (the start day never counts).
"""

from __future__ import annotations

import json

import pytest
from walkkit import Walk

CENTRE, MANAGER, POST = "王五", "赵六", "李四"
PEOPLE = {CENTRE: ["centre"], MANAGER: ["manager"], POST: ["department"]}
INTAKE = {"complainant__name": "张三", "complainant__phone": "13800138000", "subject": "闸机重复扣费",
          "description": "在人民广场站出站时被扣两次费。", "category": "service_quality",
          "location": "人民广场站"}


@pytest.fixture
def walk(tmp_path):
    return Walk.make(tmp_path, "metro", PEOPLE, office="MT")


def test_main_path_with_a_rejected_opinion_and_a_new_investigation(walk):
    # Hotline complaint received Wed 2026-09-30 17:00, the eve of 国庆, registered at 17:06.
    walk.log("2026-09-30T17:06", by=CENTRE, received="2026-09-30T17:00", channel="phone", **INTAKE)
    assert walk.status == "received"
    assert (walk.view.rejections, walk.view.reopenings) == (0, 0)
    # registration: received 17:00 + 10 minutes (wall clock) → 17:10; stopped by the log at 17:06: met.
    assert walk.due("registration") == "2026-09-30T17:10:00+08:00"
    assert walk.deadline_state("registration", "2026-09-30T17:06") == "met"
    # dispatch: received Wed Sep 30 → 1 working day after: Oct 1-7 off → Thu Oct 8 → 2026-10-08T18:00.
    assert walk.open_clocks("2026-09-30T17:06") == {"dispatch": "2026-10-08T18:00:00+08:00"}
    assert walk.deadline_state("dispatch", "2026-10-08T17:59") == "running"

    # Dispatched Thu Oct 8 10:00 → initial opinion: 3 working days after Thu 8: Fri 9, Sat 10 (make-up),
    # Mon 12 → 2026-10-12T18:00.
    walk.act("assign", "2026-10-08T10:00", by=CENTRE, to=POST, department="车站运营部")
    assert walk.status == "dispatched"
    assert (walk.view.owner, walk.view.department) == (POST, "车站运营部")
    assert walk.deadline_state("dispatch", "2026-10-08T10:00") == "met"
    assert walk.open_clocks("2026-10-08T10:00") == {"initial_opinion": "2026-10-12T18:00:00+08:00"}

    # Opinion on the make-up Saturday Oct 10 11:00 → review: 1 working day after Sat 10: Sun 11 off →
    # Mon 12 → 2026-10-12T18:00.
    walk.act("propose", "2026-10-10T11:00", by=POST, opinion="退还重复扣费", cause="equipment_failure")
    assert walk.status == "proposed"
    assert walk.deadline_state("initial_opinion", "2026-10-10T11:00") == "met"
    assert walk.open_clocks("2026-10-10T11:00") == {"review": "2026-10-12T18:00:00+08:00"}

    # Loop 1: the centre rejects the opinion Mon Oct 12 09:30 → back to the department, counted.
    # initial opinion again: 3 working days after Mon 12: Tue 13, Wed 14, Thu 15 → 2026-10-15T18:00.
    walk.act("reject", "2026-10-12T09:30", by=CENTRE, reason="未说明闸机故障原因")
    assert walk.status == "dispatched"
    assert (walk.view.rejections, walk.view.reopenings) == (1, 0)
    assert walk.deadline_state("review", "2026-10-12T09:30") == "met"
    assert walk.runs("initial_opinion") == 2
    assert walk.open_clocks("2026-10-12T09:30") == {"initial_opinion": "2026-10-15T18:00:00+08:00"}

    # New opinion Wed Oct 14 15:00 → review: 1 working day after Wed 14 → Thu 15 → 2026-10-15T18:00.
    walk.act("propose", "2026-10-14T15:00", by=POST, opinion="退款并检修闸机", cause="equipment_failure",
             at_fault_department="设备维护部")
    assert walk.status == "proposed"
    assert walk.open_clocks("2026-10-14T15:00") == {"review": "2026-10-15T18:00:00+08:00"}

    # Approved by the centre's head Thu Oct 15 10:00: no clock runs while the department handles it.
    walk.act("approve", "2026-10-15T10:00", by=MANAGER, comment="同意")
    assert walk.status == "handling"
    assert walk.deadline_state("review", "2026-10-15T10:00") == "met"
    assert walk.open_clocks("2026-10-15T10:00") == {}

    # Finished Fri Oct 16 17:00 → result report: 1 working day after Fri 16: Sat 17, Sun 18 off → Mon 19.
    walk.act("finish", "2026-10-16T17:00", by=POST, measures="已退款,闸机已检修")
    assert walk.status == "finished"
    assert walk.open_clocks("2026-10-16T17:00") == {"result_report": "2026-10-19T18:00:00+08:00"}

    # Reported Mon Oct 19 11:00 → answer: 1 working day after Mon 19 → Tue 20 → 2026-10-20T18:00.
    walk.act("report_result", "2026-10-19T11:00", by=POST, result="已退还 4 元")
    assert walk.status == "reported"
    assert walk.open_clocks("2026-10-19T11:00") == {"answer": "2026-10-20T18:00:00+08:00"}

    walk.act("respond", "2026-10-20T16:00", by=CENTRE, answer="已退款并致歉", method="phone")
    assert walk.status == "responded"
    assert walk.deadline_state("answer", "2026-10-20T16:00") == "met"
    assert walk.open_clocks("2026-10-20T16:00") == {}
    assert walk.refused("close", "2026-10-20T16:30", by=CENTRE) == (
        f"{walk.id}: a complaint is closed only after the follow-up visit")

    walk.act("visit", "2026-10-21T09:30", by=CENTRE, satisfaction="unsatisfied", notes="认为处理太慢")
    assert walk.status == "visited"
    assert walk.refused("close", "2026-10-21T09:40", by=CENTRE) == (
        f"{walk.id}: the complainant is not satisfied; reopen the complaint for a new investigation")

    # Loop 2: a new investigation Wed Oct 21 10:00, counted as a reopening.
    # initial opinion: 3 working days after Wed 21: Thu 22, Fri 23, Mon 26 → 2026-10-26T18:00.
    walk.act("reopen", "2026-10-21T10:00", by=CENTRE, reason="投诉人对处理时效不满意")
    assert walk.status == "dispatched"
    assert (walk.view.rejections, walk.view.reopenings) == (1, 1)
    assert walk.runs("initial_opinion") == 3
    assert walk.open_clocks("2026-10-21T10:00") == {"initial_opinion": "2026-10-26T18:00:00+08:00"}

    # Opinion Fri Oct 23 17:30 → review: 1 working day after Fri 23 → Mon 26 → 2026-10-26T18:00.
    walk.act("propose", "2026-10-23T17:30", by=POST, opinion="补偿乘车券", cause="management")
    assert walk.open_clocks("2026-10-23T17:30") == {"review": "2026-10-26T18:00:00+08:00"}
    walk.act("approve", "2026-10-26T09:10", by=CENTRE)
    assert walk.status == "handling"
    assert walk.open_clocks("2026-10-26T09:10") == {}
    # Finished Mon Oct 26 17:00 → result report Tue 27 18:00; reported Tue 27 09:00 → answer Wed 28 18:00.
    walk.act("finish", "2026-10-26T17:00", by=POST)
    assert walk.open_clocks("2026-10-26T17:00") == {"result_report": "2026-10-27T18:00:00+08:00"}
    walk.act("report_result", "2026-10-27T09:00", by=POST, result="已补偿乘车券")
    assert walk.open_clocks("2026-10-27T09:00") == {"answer": "2026-10-28T18:00:00+08:00"}
    walk.act("respond", "2026-10-28T10:00", by=MANAGER, answer="已补偿")
    assert walk.status == "responded"
    # The new cycle needs its own follow-up visit: the first one does not count any more.
    assert walk.refused("close", "2026-10-28T10:05", by=CENTRE) == (
        f"{walk.id}: a complaint is closed only after the follow-up visit")
    walk.act("visit", "2026-10-29T10:00", by=CENTRE, satisfaction="satisfied")
    walk.act("close", "2026-10-29T10:10", by=CENTRE, summary="投诉人满意")
    assert walk.status == "closed"
    assert (walk.view.rejections, walk.view.reopenings) == (1, 1)
    assert walk.open_clocks("2026-10-29T10:10") == {}
    assert {name: row["state"] for name, row in walk.deadlines("2026-11-30T00:00").items()} == {
        "registration": "met", "dispatch": "met", "initial_opinion": "met", "review": "met",
        "result_report": "met", "answer": "met"}
    # A closed complaint refuses further steps.
    assert walk.refused("reopen", "2026-10-30T09:00", by=CENTRE, reason="again") == (
        f"cannot reopen {walk.id}: it is closed; reopen is allowed when answered, follow-up visit made")


def test_guards_role_and_state(walk):
    walk.log("2026-11-20T16:04", by=CENTRE, received="2026-11-20T16:00", channel="phone", **INTAKE)
    # The state forbids it: nothing can be proposed before the complaint is dispatched.
    assert walk.refused("propose", "2026-11-20T16:10", by=POST, opinion="x", cause="other") == (
        f"cannot propose {walk.id}: it is registered; propose is allowed when dispatched to department")
    # A department post may not dispatch.
    assert walk.refused("assign", "2026-11-20T16:20", by=POST, to=POST, department="车站运营部") == (
        f"{POST} may not assign: it needs the role centre / manager (their roles: department)")
    walk.act("assign", "2026-11-20T16:30", by=CENTRE, to=POST, department="车站运营部")
    # The centre may not give the department's opinion.
    assert walk.refused("propose", "2026-11-20T16:40", by=CENTRE, opinion="x", cause="other") == (
        f"{CENTRE} may not propose: it needs the role department (their roles: centre)")
    walk.act("propose", "2026-11-23T10:00", by=POST, opinion="退款", cause="equipment_failure")
    # A department person approving its own opinion.
    assert walk.refused("approve", "2026-11-23T10:05", by=POST, comment="ok") == (
        f"{POST} may not approve: it needs the role centre / manager (their roles: department)")
    # Nor may it be finished before it is approved.
    assert walk.refused("finish", "2026-11-23T10:06", by=POST) == (
        f"cannot finish {walk.id}: it is opinion under review; finish is allowed when being handled")
    # Someone who is not in the people list.
    assert walk.refused("approve", "2026-11-23T10:07", by="路人") == (
        f"路人 is not in the store's people list ({walk.store.root / 'complaintctl.yaml'})")
    # The same role guard through the command line.
    code, _, err = walk.cli("act", walk.id, "approve", "--by", POST, now="2026-11-23T10:08")
    assert code == 1
    assert err.strip() == (
        f"complaintctl: {POST} may not approve: it needs the role centre / manager (their roles: department)")
    assert walk.status == "proposed"
    assert walk.view.rejections == 0


@pytest.mark.parametrize(("channel", "logged", "due", "state"), [
    # 受理二.3 in person "立即" (at once): the policy's short limit, 10 minutes like the hotline
    # (DOMAIN.md: never zero), so logging one minute late is no breach.
    ("in_person", "2026-11-20T16:00", "2026-11-20T16:10:00+08:00", "met"),
    ("in_person", "2026-11-20T16:01", "2026-11-20T16:10:00+08:00", "met"),
    ("in_person", "2026-11-20T16:11", "2026-11-20T16:10:00+08:00", "breached"),
    # hotline and online: within 10 minutes of receipt, day and night → 16:10.
    ("phone", "2026-11-20T16:09", "2026-11-20T16:10:00+08:00", "met"),
    ("phone", "2026-11-20T16:11", "2026-11-20T16:10:00+08:00", "breached"),
    ("online", "2026-11-20T16:10", "2026-11-20T16:10:00+08:00", "met"),
    # Sunday night: wall-clock minutes, the weekend does not matter → Sun 23:55 + 10 min = Mon 00:05.
    ("online", "2026-11-23T00:04", "2026-11-23T00:05:00+08:00", "met"),
])
def test_registration_in_person_at_once_vs_phone_within_10_minutes(walk, channel, logged, due, state):
    received = "2026-11-22T23:55" if logged.startswith("2026-11-23") else "2026-11-20T16:00"
    walk.log(logged, by=CENTRE, received=received, channel=channel, **INTAKE)
    assert walk.due("registration") == due
    assert walk.deadline_state("registration", logged) == state


def test_letters_have_no_registration_clock(walk):
    walk.log("2026-11-23T11:00", by=CENTRE, received="2026-11-20T09:00", channel="letter", **INTAKE)
    # Only dispatch runs, counted from receipt (处理一.1 "收到投诉信息后"), not from the late registration:
    # received Fri Nov 20 → 1 working day after → Mon 23 18:00.
    assert walk.open_clocks("2026-11-23T11:00") == {"dispatch": "2026-11-23T18:00:00+08:00"}
    assert "registration" not in walk.deadlines("2026-11-23T11:00")


def test_breach_when_the_due_time_passes(walk):
    # Received Fri 2026-11-20 16:00 → dispatch: 1 working day after Fri 20: Sat, Sun off → Mon 23 18:00.
    walk.log("2026-11-20T16:04", by=CENTRE, received="2026-11-20T16:00", channel="phone", **INTAKE)
    assert walk.due("dispatch") == "2026-11-23T18:00:00+08:00"
    assert walk.deadline_state("dispatch", "2026-11-23T18:00") == "running"
    row = walk.deadlines("2026-11-23T18:01")["dispatch"]
    assert (row["state"], row["open"], row["seconds_left"]) == ("breached", True, -60)
    # The command line, with --now: the complaint shows as overdue.
    code, out, err = walk.cli("show", walk.id, "--json", now="2026-11-23T18:01")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["overdue"] is True
    assert {row["name"]: row["state"] for row in shown["deadlines"]} == {
        "registration": "met", "dispatch": "breached"}
    code, out, err = walk.cli("list", "--overdue", "--format", "ids", now="2026-11-23T18:01")
    assert (code, out.split()) == (0, [walk.id])
    code, out, err = walk.cli("list", "--overdue", "--format", "ids", now="2026-11-23T17:59")
    assert (code, out.split()) == (0, [])
    # Dispatched late, Tue Nov 24 09:00: the dispatch clock stays breached; the opinion is due 3 working
    # days after Tue 24: Wed 25, Thu 26, Fri 27 → 2026-11-27T18:00.
    walk.act("assign", "2026-11-24T09:00", by=CENTRE, to=POST, department="车站运营部")
    assert walk.deadline_state("dispatch", "2026-11-24T09:00") == "breached"
    assert walk.open_clocks("2026-11-24T09:00") == {"initial_opinion": "2026-11-27T18:00:00+08:00"}
