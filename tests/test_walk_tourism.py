"""Acceptance walks of the shipped tourism policy (seed 000): the main path, the rejected plan and the
appeal loops, the confirmation and coordinator guards, the email 48-hour clock, and the complex
complaint's extension.

Every due time below is computed by hand on China's 2026 calendar, 09:00-18:00 Asia/Shanghai:
国庆 Thu Oct 1 - Wed Oct 7 are days off, Sat Oct 10 is a make-up working day, Sun Oct 11 is off.
`working_days: N` ends at 18:00 of the N-th working day after the start day (the start day never counts);
`hours` are wall-clock hours, nights and weekends included.
"""

from __future__ import annotations

import pytest
from walkkit import Walk

RECEPTION, HANDLER, HEAD, SUPERVISOR, TEAM = "小陈", "小王", "刘经理", "周总", "吴组长"
PEOPLE = {RECEPTION: ["reception"], HANDLER: ["handler"], HEAD: ["department_head"],
          SUPERVISOR: ["supervisor"], TEAM: ["complaint_team"]}
INTAKE = {"complainant__name": "李女士", "complainant__phone": "13900139000", "subject": "行程中酒店降级",
          "description": "合同约定四星酒店,实际入住三星。", "category": "in_sale",
          "reference": "TR-2026-0815"}


@pytest.fixture
def walk(tmp_path):
    return Walk.make(tmp_path, "tourism", PEOPLE, office="TR")


def test_main_path_with_a_rejected_plan_and_an_appeal(walk):
    # Hotline complaint received and recorded Wed 2026-09-30 17:00, the eve of 国庆.
    walk.log("2026-09-30T17:00", by=RECEPTION, channel="phone", **INTAKE)
    assert walk.status == "received"
    assert (walk.view.rejections, walk.view.reopenings) == (0, 0)
    # handling: 7 working days after Wed Sep 30: Oct 1-7 off → Thu 8, Fri 9, Sat 10 (make-up), Mon 12,
    # Tue 13, Wed 14, Thu 15 → 2026-10-15T18:00. No email clock (phone), no extension notice (normal).
    assert walk.open_clocks("2026-09-30T17:00") == {"handling": "2026-10-15T18:00:00+08:00"}

    # Assigned Thu Oct 8 09:30 → investigation: 3 working days after Thu 8: Fri 9, Sat 10, Mon 12.
    walk.act("assign", "2026-10-08T09:30", by=RECEPTION, to=HANDLER, department="客服部")
    assert walk.status == "assigned"
    assert walk.open_clocks("2026-10-08T09:30") == {"investigation": "2026-10-12T18:00:00+08:00",
                                                    "handling": "2026-10-15T18:00:00+08:00"}
    # A second department without a coordinator is refused (四.2.2) ...
    assert walk.refused("assign", "2026-10-08T10:00", by=RECEPTION, to=HANDLER, department="地接部") == (
        f"{walk.id}: a complaint involving several departments needs one coordinator")
    assert walk.view.departments == ["客服部"]
    # ... and accepted with one. 四.3: the receiving department gets its own 3 working days (here the
    # same due day, as it receives it on the same day); the first department's run ends where it stood.
    walk.act("assign", "2026-10-08T10:05", by=RECEPTION, to=HANDLER, department="地接部", coordinator=HEAD)
    view = walk.view
    assert (view.status, view.owner, view.coordinator, view.departments) == (
        "assigned", HANDLER, HEAD, ["客服部", "地接部"])
    assert walk.open_clocks("2026-10-08T10:05") == {"investigation": "2026-10-12T18:00:00+08:00",
                                                    "handling": "2026-10-15T18:00:00+08:00"}
    assert walk.runs("investigation") == 2

    walk.act("investigate", "2026-10-09T16:00", by=HANDLER, report="酒店临时超售", founded="yes",
             reasonable="yes")
    assert walk.status == "investigated"
    assert walk.deadline_state("investigation", "2026-10-09T16:00") == "met"
    assert walk.open_clocks("2026-10-09T16:00") == {"handling": "2026-10-15T18:00:00+08:00"}

    walk.act("propose_plan", "2026-10-10T10:00", by=HANDLER, plan="退还差价", compensation="300")
    assert walk.status == "planned"
    # The state forbids carrying out a plan not yet approved; a handler may not approve it.
    assert walk.refused("carry_out", "2026-10-10T10:10", by=HANDLER, done="x") == (
        f"cannot carry_out {walk.id}: it is plan awaiting approval; carry_out is allowed when plan approved")
    assert walk.refused("approve_plan", "2026-10-10T10:20", by=HANDLER) == (
        f"{HANDLER} may not approve_plan: it needs the role supervisor (their roles: handler)")

    # Loop 1: the supervisor sends the plan back Mon Oct 12 09:00, counted as a rejection.
    walk.act("reject_plan", "2026-10-12T09:00", by=SUPERVISOR, reason="补偿不足")
    assert walk.status == "investigated"
    assert (walk.view.rejections, walk.view.reopenings) == (1, 0)
    assert walk.open_clocks("2026-10-12T09:00") == {"handling": "2026-10-15T18:00:00+08:00"}

    walk.act("propose_plan", "2026-10-12T15:00", by=HANDLER, plan="退还差价并赠送代金券", compensation="800")
    walk.act("approve_plan", "2026-10-13T10:00", by=SUPERVISOR, comment="同意")
    assert walk.status == "approved"
    walk.act("carry_out", "2026-10-13T14:00", by=HANDLER, done="已退款 800 元")
    assert walk.status == "approved"
    assert walk.open_clocks("2026-10-13T14:00") == {"handling": "2026-10-15T18:00:00+08:00"}

    # Answered Wed Oct 14 11:00, before the 7-working-day due (Thu Oct 15 18:00): met.
    walk.act("respond", "2026-10-14T11:00", by=HANDLER, result="退款 800 元", next_steps="改进选房")
    assert walk.status == "responded"
    assert walk.deadline_state("handling", "2026-10-14T11:00") == "met"
    assert walk.open_clocks("2026-10-14T11:00") == {}
    # Closing without the customer's confirmation is refused (四.6.1), also after she declines it.
    confirm_needed = f"{walk.id}: a complaint is closed only after the customer confirms the result"
    assert walk.refused("close", "2026-10-14T11:30", by=HANDLER) == confirm_needed
    walk.act("confirm", "2026-10-14T15:00", by=RECEPTION, confirmed="no", satisfaction="unsatisfied",
             feedback="补偿太少")
    assert walk.status == "responded"
    assert walk.refused("close", "2026-10-14T15:10", by=HANDLER) == confirm_needed

    # Loop 2: the customer appeals Thu Oct 15 09:00, counted as a reopening.
    # investigation: 3 working days after Thu 15: Fri 16, Mon 19, Tue 20 → 2026-10-20T18:00;
    # handling: 7 working days after Thu 15: Fri 16, Mon 19 … Fri 23, Mon 26 → 2026-10-26T18:00.
    walk.act("reopen", "2026-10-15T09:00", by=RECEPTION, reason="对补偿金额不满")
    assert walk.status == "assigned"
    assert (walk.view.rejections, walk.view.reopenings) == (1, 1)
    assert (walk.runs("investigation"), walk.runs("handling")) == (3, 2)
    assert walk.open_clocks("2026-10-15T09:00") == {"investigation": "2026-10-20T18:00:00+08:00",
                                                    "handling": "2026-10-26T18:00:00+08:00"}
    walk.act("investigate", "2026-10-19T10:00", by=HEAD, report="复核合同条款")
    assert walk.open_clocks("2026-10-19T10:00") == {"handling": "2026-10-26T18:00:00+08:00"}
    walk.act("propose_plan", "2026-10-19T14:00", by=HEAD, plan="全额退还酒店费用", compensation="2000")
    walk.act("approve_plan", "2026-10-20T09:30", by=SUPERVISOR)
    walk.act("respond", "2026-10-20T16:00", by=HEAD, result="全额退还酒店费用")
    assert walk.status == "responded"
    assert walk.open_clocks("2026-10-20T16:00") == {}
    assert walk.refused("close", "2026-10-20T16:10", by=HEAD) == confirm_needed
    walk.act("confirm", "2026-10-21T10:00", by=TEAM, confirmed="yes", satisfaction="satisfied")
    walk.act("close", "2026-10-21T10:05", by=HANDLER, summary="客户确认并满意")
    assert walk.status == "closed"
    assert (walk.view.rejections, walk.view.reopenings) == (1, 1)
    assert {name: row["state"] for name, row in walk.deadlines("2026-12-01T00:00").items()} == {
        "investigation": "met", "handling": "met"}
    assert walk.refused("acknowledge", "2026-10-22T09:00", by=RECEPTION, reply="x") == (
        f"{walk.id} is closed (closed for good); reopen it first if the policy allows")


def test_email_is_answered_within_48_hours(walk):
    # Email received Fri 2026-11-20 16:00 → 48 wall-clock hours → Sun 2026-11-22T16:00.
    # handling: 7 working days after Fri 20: Mon 23 … Fri 27, Mon 30, Tue Dec 1 → 2026-12-01T18:00.
    walk.log("2026-11-20T16:00", by=RECEPTION, channel="email", complainant__email="li@example.com",
             **INTAKE)
    assert walk.open_clocks("2026-11-20T16:00") == {"email_reply": "2026-11-22T16:00:00+08:00",
                                                    "handling": "2026-12-01T18:00:00+08:00"}
    assert walk.deadline_state("email_reply", "2026-11-22T16:00") == "running"
    assert walk.deadline_state("email_reply", "2026-11-22T16:01") == "breached"
    # The supervisor does not answer the mail box.
    assert walk.refused("acknowledge", "2026-11-21T09:00", by=SUPERVISOR, reply="收到") == (
        f"{SUPERVISOR} may not acknowledge: it needs the role reception / handler / department_head / "
        "complaint_team (their roles: supervisor)")
    # Replied Sat Nov 21 10:00: met; the complaint stays received, the handling clock runs on.
    walk.act("acknowledge", "2026-11-21T10:00", by=RECEPTION, reply="已收到,三个工作日内联系您")
    assert walk.status == "received"
    assert walk.deadline_state("email_reply", "2026-11-23T00:00") == "met"
    assert walk.open_clocks("2026-11-21T10:00") == {"handling": "2026-12-01T18:00:00+08:00"}


def test_complex_complaint_extension(walk):
    # Complex complaint received Mon 2026-11-02 10:00.
    # extension notice: 10 working days after Mon 2: … Wed 11, Thu 12, Fri 13, Mon 16 → Nov 16 18:00; a
    # complex case's answer gives way to it (五.2): handling is due with the notice, not on day 7 (Nov 11).
    walk.log("2026-11-02T10:00", by=RECEPTION, channel="phone", severity="complex", **INTAKE)
    assert walk.open_clocks("2026-11-02T10:00") == {"handling": "2026-11-16T18:00:00+08:00",
                                                    "extension_notice": "2026-11-16T18:00:00+08:00"}
    # Assigned Mon 2 11:00 → investigation: Tue 3, Wed 4, Thu 5 → Nov 5 18:00.
    walk.act("assign", "2026-11-02T11:00", by=HEAD, to=HANDLER, department="出境游部")
    assert walk.due("investigation") == "2026-11-05T18:00:00+08:00"
    walk.act("investigate", "2026-11-04T17:00", by=HANDLER, report="需境外地接社出具证明")
    assert walk.open_clocks("2026-11-04T17:00") == {"handling": "2026-11-16T18:00:00+08:00",
                                                    "extension_notice": "2026-11-16T18:00:00+08:00"}

    # Extended Tue Nov 10 15:00 with a reason and the expected date Fri Nov 20 18:00 (五.2): the handling
    # due moves, the extension-notice clock stops (met).
    walk.act("extend", "2026-11-10T15:00", by=HEAD, clock="handling", due="2026-11-20T18:00:00+08:00",
             reason="等待境外地接社的书面说明")
    assert walk.record.history[-1] == {
        "at": "2026-11-10T15:00:00+08:00", "by": HEAD, "action": "extend", "clock": "handling",
        "due": "2026-11-20T18:00:00+08:00", "reason": "等待境外地接社的书面说明"}
    assert walk.status == "investigated"
    rows = walk.deadlines("2026-11-10T15:00")
    assert (rows["handling"]["due"], rows["handling"]["extended"], rows["handling"]["state"]) == (
        "2026-11-20T18:00:00+08:00", True, "running")
    assert (rows["extension_notice"]["state"], rows["extension_notice"]["open"]) == ("met", False)
    (extension,) = walk.view.clocks["handling"][-1].extensions
    assert (extension.reason, extension.by, extension.previous_due.isoformat()) == (
        "等待境外地接社的书面说明", HEAD, "2026-11-16T18:00:00+08:00")
    assert walk.open_clocks("2026-11-10T15:00") == {"handling": "2026-11-20T18:00:00+08:00"}
    # Past day 7 (Wed Nov 11 18:00) and the notice's due (Mon Nov 16) it is not late; past the new due it is.
    assert walk.deadline_state("handling", "2026-11-12T10:00") == "running"
    assert walk.deadline_state("handling", "2026-11-20T18:01") == "breached"

    walk.act("propose_plan", "2026-11-16T10:00", by=HANDLER, plan="退还部分团费")
    walk.act("approve_plan", "2026-11-17T10:00", by=SUPERVISOR)
    walk.act("respond", "2026-11-19T10:00", by=HANDLER, result="退还团费 1500 元")
    assert walk.status == "responded"
    assert walk.deadline_state("handling", "2026-11-19T10:00") == "met"
    assert walk.open_clocks("2026-11-19T10:00") == {}


def test_complex_complaint_not_extended_breaches_both_clocks(walk):
    # Same dates as above, nobody extends: at Mon Nov 16 18:01 the handling (Nov 11 18:00) and the
    # extension notice (Nov 16 18:00) are both breached. A normal complaint has no extension notice.
    walk.log("2026-11-02T10:00", by=RECEPTION, channel="phone", severity="complex", **INTAKE)
    states = {name: row["state"] for name, row in walk.deadlines("2026-11-16T18:01").items()}
    assert states == {"handling": "breached", "extension_notice": "breached"}
    assert walk.deadline_state("extension_notice", "2026-11-16T18:00") == "running"
    normal = Walk(walk.store)
    normal.log("2026-11-02T10:00", by=RECEPTION, channel="phone", **INTAKE)
    assert normal.open_clocks("2026-11-02T10:00") == {"handling": "2026-11-11T18:00:00+08:00"}


def _complex_assigned(walk):
    walk.log("2026-11-02T10:00", by=RECEPTION, channel="phone", severity="complex", **INTAKE)
    walk.act("assign", "2026-11-02T11:00", by=HEAD, to=HANDLER, department="出境游部")


def test_extend_refused_on_a_clock_that_may_not_be_extended(walk):
    _complex_assigned(walk)
    walk.refused("extend", "2026-11-03T10:00", by=HEAD, clock="investigation",
                 due="2026-11-30T18:00:00+08:00", reason="x")
    assert walk.due("investigation") == "2026-11-05T18:00:00+08:00"


def test_extend_needs_a_reason(walk):
    _complex_assigned(walk)
    walk.error("extend", "2026-11-03T10:00", by=HEAD, clock="handling", due="2026-11-30T18:00:00+08:00")
    assert walk.due("handling") == "2026-11-16T18:00:00+08:00"  # a complex case's: with its notice (五.2)


def test_extend_due_in_the_store_time_zone_from_the_command_line(walk):
    _complex_assigned(walk)
    code, _, err = walk.cli("act", walk.id, "extend", "clock=handling", "due=2026-11-30T18:00",
                            "reason=等待证明", "--by", HEAD, now="2026-11-03T10:00")
    assert (code, err) == (0, "")
    assert walk.due("handling") == "2026-11-30T18:00:00+08:00"


def test_an_appeal_needs_its_own_confirmation(walk):
    walk.log("2026-11-02T10:00", by=RECEPTION, channel="phone", **INTAKE)
    walk.act("assign", "2026-11-02T11:00", by=RECEPTION, to=HANDLER)
    walk.act("investigate", "2026-11-03T10:00", by=HANDLER, report="r")
    walk.act("propose_plan", "2026-11-03T11:00", by=HANDLER, plan="p")
    walk.act("approve_plan", "2026-11-03T12:00", by=SUPERVISOR)
    walk.act("respond", "2026-11-03T13:00", by=HANDLER, result="r")
    walk.act("confirm", "2026-11-03T14:00", by=RECEPTION, confirmed="yes")
    # The customer appeals afterwards (四.5.2); the appeal's new result has not been confirmed.
    walk.act("reopen", "2026-11-04T14:00", by=RECEPTION, reason="申诉")
    walk.act("investigate", "2026-11-05T10:00", by=HANDLER, report="r2")
    walk.act("propose_plan", "2026-11-05T11:00", by=HANDLER, plan="p2")
    walk.act("approve_plan", "2026-11-05T12:00", by=SUPERVISOR)
    walk.act("respond", "2026-11-05T13:00", by=HANDLER, result="r2")
    assert walk.refused("close", "2026-11-05T14:00", by=HANDLER) == (
        f"{walk.id}: a complaint is closed only after the customer confirms the result")
