"""Acceptance walks of the shipped wedding policy (seed 002): the main path, the adjusted solution and the
restart loops, the tracker and satisfaction guards, 24 hours vs 3 working days for the solution, the
2-hour response, and extra costs with who bears them.

Every due time below is computed by hand on China's 2026 calendar, 09:00-18:00 Asia/Shanghai:
国庆 Thu Oct 1 - Wed Oct 7 are days off, Sat Oct 10 is a make-up working day, Sun Oct 11 is off.
`hours` are wall-clock hours, nights, weekends and holidays included; `working_days: N` ends at 18:00 of
the N-th working day after the start day (the start day never counts).
"""

from __future__ import annotations

import pytest
from walkkit import Walk

RECEPTION, FRONTLINE, HEAD, INVESTIGATOR = "小美", "小刚", "张经理", "老孙"
TRACKER, FINANCE, MANAGEMENT = "小周", "钱会计", "赵总"
PEOPLE = {RECEPTION: ["reception"], FRONTLINE: ["frontline"], HEAD: ["department_head"],
          INVESTIGATOR: ["investigator"], TRACKER: ["tracker"], FINANCE: ["finance"],
          MANAGEMENT: ["management"]}
INTAKE = {"complainant__name": "陈先生、林女士", "complainant__phone": "13700137000",
          "reference": "WD-20261004-018", "subject": "婚礼当天摄影师迟到",
          "description": "摄影师迟到一小时,错过迎亲环节。", "category": "photo_video",
          "demands": "退还摄影费用"}


@pytest.fixture
def walk(tmp_path):
    return Walk.make(tmp_path, "wedding", PEOPLE, office="WD")


def test_main_path_with_an_adjusted_solution_and_a_restart(walk):
    # A verbal complaint to front-line staff on the wedding day, Sun 2026-10-04 19:00 (国庆).
    walk.log("2026-10-04T19:00", by=FRONTLINE, channel="verbal", **INTAKE)
    assert walk.status == "received"
    assert (walk.view.rejections, walk.view.reopenings) == (0, 0)
    # gather: 19:00 + 1 h → 20:00; solution (normal): 19:00 + 24 h → Mon Oct 5 19:00 (holidays count).
    assert walk.open_clocks("2026-10-04T19:00") == {"gather": "2026-10-04T20:00:00+08:00",
                                                    "solution": "2026-10-05T19:00:00+08:00"}
    assert walk.deadline_state("gather", "2026-10-04T20:01") == "breached"

    walk.act("assign", "2026-10-04T19:10", by=FRONTLINE, to=HEAD, department="策划部")
    assert walk.status == "assigned"
    assert walk.refused("gather_staff", "2026-10-04T19:20", by=FRONTLINE, staff="摄影师") == (
        f"{FRONTLINE} may not gather_staff: it needs the role department_head (their roles: frontline)")
    walk.act("gather_staff", "2026-10-04T19:50", by=HEAD, staff="摄影师、司仪", findings="交通堵塞")
    assert walk.status == "investigating"
    assert walk.deadline_state("gather", "2026-10-04T19:50") == "met"
    assert walk.open_clocks("2026-10-04T19:50") == {"solution": "2026-10-05T19:00:00+08:00"}

    walk.act("hold_meeting", "2026-10-05T09:00", by=MANAGEMENT, departments_present="策划部、摄影部")
    walk.act("investigate", "2026-10-05T10:00", by=INVESTIGATOR, findings="摄影师未按时出发")
    assert walk.status == "investigating"
    # The state forbids giving a solution that is not decided yet.
    assert walk.refused("respond", "2026-10-05T10:30", by=RECEPTION) == (
        f"cannot respond {walk.id}: it is under investigation; respond is allowed when solution decided")

    # Decided Mon Oct 5 15:00 (before Mon 19:00: met) → response: 15:00 + 2 h → 17:00.
    walk.act("decide_solution", "2026-10-05T15:00", by=HEAD, solution="退还 50% 摄影费",
             responsible_party="摄影部", milestones="10月8日前退款")
    assert walk.status == "decided"
    assert walk.deadline_state("solution", "2026-10-05T15:00") == "met"
    assert walk.open_clocks("2026-10-05T15:00") == {"response": "2026-10-05T17:00:00+08:00"}
    assert walk.deadline_state("response", "2026-10-05T17:01") == "breached"
    walk.act("respond", "2026-10-05T16:30", by=RECEPTION, method="phone")
    assert walk.status == "negotiating"
    assert walk.deadline_state("response", "2026-10-05T16:30") == "met"
    assert walk.open_clocks("2026-10-05T16:30") == {}

    # Loop 1: the couple disagrees; the solution is adjusted Mon 18:00 → response again: 18:00 + 2 h → 20:00.
    walk.act("adjust_solution", "2026-10-05T18:00", by=HEAD, solution="全额退还摄影费并赠送相册",
             responsible_party="摄影部")
    assert walk.status == "decided"
    assert walk.runs("response") == 2
    assert walk.open_clocks("2026-10-05T18:00") == {"response": "2026-10-05T20:00:00+08:00"}
    walk.act("respond", "2026-10-05T19:00", by=HEAD, method="face_to_face")
    walk.act("agree", "2026-10-05T19:30", by=RECEPTION, opinion="同意")
    assert walk.status == "executing"
    assert walk.open_clocks("2026-10-05T19:30") == {}

    # Carrying it out needs a named tracker (四.1).
    assert walk.refused("complete", "2026-10-06T09:00", by=HEAD, done="x") == (
        f"{walk.id}: a named tracker must follow the execution")
    walk.act("appoint_tracker", "2026-10-06T10:00", by=HEAD, tracker=TRACKER)
    assert walk.view.value("tracker") == TRACKER

    # Extra costs with who bears them (六.1); front-line staff may not record them.
    walk.act("record_cost", "2026-10-06T11:00", by=FINANCE, amount="2000", kind="compensation",
             borne_by="公司", notes="摄影费全额退还")
    assert walk.refused("record_cost", "2026-10-06T11:10", by=FRONTLINE, amount="1", kind="other",
                        borne_by="x") == (
        f"{FRONTLINE} may not record_cost: it needs the role finance / department_head / management "
        "(their roles: frontline)")
    walk.act("record_cost", "2026-10-06T11:30", by=HEAD, amount="¥800", kind="redo_service",
             borne_by="摄影供应商")
    assert walk.status == "executing"
    costs = [(e["amount"], e["kind"], e["borne_by"], e["by"])
             for e in walk.record.history if e["action"] == "record_cost"]
    assert costs == [(2000, "compensation", "公司", FINANCE), (800, "redo_service", "摄影供应商", HEAD)]

    walk.act("complete", "2026-10-10T18:00", by=TRACKER, done="已退款并交付相册")
    assert walk.status == "done"
    assert walk.refused("close", "2026-10-10T18:10", by=TRACKER) == (
        f"{walk.id}: ask the couple whether they are satisfied before closing")
    walk.act("follow_up", "2026-10-11T10:00", by=TRACKER, satisfaction="unsatisfied", notes="相册质量差")
    assert walk.refused("close", "2026-10-11T10:10", by=TRACKER) == (
        f"{walk.id}: the couple is still unsatisfied; restart the process")

    # Loop 2: restarted Sun Oct 11 10:30, counted as a reopening.
    # gather: 10:30 + 1 h → 11:30; solution: 10:30 + 24 h → Mon Oct 12 10:30.
    walk.act("reopen", "2026-10-11T10:30", by=TRACKER, reason="相册印刷质量差")
    assert walk.status == "assigned"
    # the adjusted solution (loop 1) and this restart
    assert (walk.view.rejections, walk.view.reopenings) == (1, 1)
    assert walk.open_clocks("2026-10-11T10:30") == {"gather": "2026-10-11T11:30:00+08:00",
                                                    "solution": "2026-10-12T10:30:00+08:00"}
    walk.act("gather_staff", "2026-10-11T11:00", by=HEAD, staff="相册制作")
    assert walk.open_clocks("2026-10-11T11:00") == {"solution": "2026-10-12T10:30:00+08:00"}
    # Decided Mon Oct 12 09:00 → response 11:00.
    walk.act("decide_solution", "2026-10-12T09:00", by=MANAGEMENT, solution="重新制作相册",
             responsible_party="相册供应商")
    assert walk.open_clocks("2026-10-12T09:00") == {"response": "2026-10-12T11:00:00+08:00"}
    walk.act("respond", "2026-10-12T10:00", by=TRACKER, method="email")
    walk.act("agree", "2026-10-12T10:30", by=TRACKER)
    walk.act("complete", "2026-10-13T17:00", by=TRACKER, done="相册已重做")
    walk.act("follow_up", "2026-10-14T10:00", by=TRACKER, satisfaction="satisfied")
    walk.act("close", "2026-10-14T10:30", by=HEAD, case_notes="摄影师迟到;赔付与重做")
    assert walk.status == "closed"
    assert (walk.view.rejections, walk.view.reopenings) == (1, 1)
    assert walk.open_clocks("2026-10-14T10:30") == {}
    assert {name: row["state"] for name, row in walk.deadlines("2026-11-01T00:00").items()} == {
        "gather": "met", "solution": "met", "response": "met"}


@pytest.mark.parametrize(("severity", "received", "due"), [
    # normal: 24 wall-clock hours → Fri 2026-11-20 16:00 + 24 h = Sat 2026-11-21T16:00.
    ("normal", "2026-11-20T16:00", "2026-11-21T16:00:00+08:00"),
    # complex: 3 working days after Fri Nov 20: Mon 23, Tue 24, Wed 25 → 2026-11-25T18:00.
    ("complex", "2026-11-20T16:00", "2026-11-25T18:00:00+08:00"),
    # normal over 国庆: Wed Sep 30 17:00 + 24 h = Thu Oct 1 17:00, a holiday all the same.
    ("normal", "2026-09-30T17:00", "2026-10-01T17:00:00+08:00"),
    # complex over 国庆: 3 working days after Wed Sep 30: Thu Oct 8, Fri 9, Sat 10 (make-up) → Oct 10 18:00.
    ("complex", "2026-09-30T17:00", "2026-10-10T18:00:00+08:00"),
])
def test_solution_within_24_hours_or_3_working_days_when_complex(walk, severity, received, due):
    walk.log(received, by=RECEPTION, channel="phone", severity=severity, **INTAKE)
    assert walk.due("solution") == due
    assert walk.view.value("severity") == severity


def test_complex_complaint_refused_solution_restarts_with_3_working_days(walk):
    # Complex, online, Wed 2026-09-30 17:00: gather 18:00; solution Sat Oct 10 18:00 (see above).
    walk.log("2026-09-30T17:00", by=RECEPTION, channel="online", severity="complex", **INTAKE)
    assert walk.open_clocks("2026-09-30T17:00") == {"gather": "2026-09-30T18:00:00+08:00",
                                                    "solution": "2026-10-10T18:00:00+08:00"}
    walk.act("assign", "2026-09-30T17:10", by=RECEPTION, to=HEAD)
    walk.act("gather_staff", "2026-09-30T17:40", by=HEAD, staff="摄影师")
    # Decided Fri Oct 9 11:00 → response: 11:00 + 2 h → 13:00; late at 13:01.
    walk.act("decide_solution", "2026-10-09T11:00", by=HEAD, solution="退款", responsible_party="摄影部")
    assert walk.open_clocks("2026-10-09T11:00") == {"response": "2026-10-09T13:00:00+08:00"}
    assert walk.deadline_state("response", "2026-10-09T13:00") == "running"
    assert walk.deadline_state("response", "2026-10-09T13:01") == "breached"
    walk.act("respond", "2026-10-09T12:30", by=RECEPTION, method="phone")
    assert walk.status == "negotiating"
    # The couple refuses the solution outright: restart Fri Oct 9 14:00, counted.
    # gather: 15:00; solution (complex): 3 working days after Fri 9: Sat 10 (make-up), Mon 12, Tue 13.
    walk.act("reopen", "2026-10-09T14:00", by=RECEPTION, reason="不接受仅退款")
    assert walk.status == "assigned"
    assert (walk.view.rejections, walk.view.reopenings) == (0, 1)
    assert walk.open_clocks("2026-10-09T14:00") == {"gather": "2026-10-09T15:00:00+08:00",
                                                    "solution": "2026-10-13T18:00:00+08:00"}
    # Executing also allows a restart; a closed complaint does not.
    walk.act("gather_staff", "2026-10-09T14:30", by=HEAD, staff="摄影师")
    walk.act("decide_solution", "2026-10-12T10:00", by=HEAD, solution="重拍外景", responsible_party="摄影部")
    walk.act("respond", "2026-10-12T11:00", by=HEAD)
    walk.act("agree", "2026-10-12T12:00", by=HEAD)
    walk.act("reopen", "2026-10-13T09:00", by=MANAGEMENT, reason="外景地点不同意")
    assert (walk.status, walk.view.reopenings) == ("assigned", 2)
    assert walk.due("solution") == "2026-10-16T18:00:00+08:00"  # after Tue 13: Wed 14, Thu 15, Fri 16


def test_a_solution_the_couple_disagrees_with_is_counted(walk):
    walk.log("2026-11-20T16:00", by=RECEPTION, channel="phone", **INTAKE)
    walk.act("assign", "2026-11-20T16:05", by=RECEPTION, to=HEAD)
    walk.act("gather_staff", "2026-11-20T16:30", by=HEAD, staff="摄影师")
    walk.act("decide_solution", "2026-11-20T17:00", by=HEAD, solution="退一半", responsible_party="摄影部")
    walk.act("respond", "2026-11-20T17:30", by=HEAD)
    walk.act("adjust_solution", "2026-11-20T18:00", by=HEAD, solution="全退", responsible_party="摄影部")
    assert walk.view.rejections == 1


def test_a_restart_needs_a_new_follow_up_before_closing(walk):
    walk.log("2026-11-20T16:00", by=RECEPTION, channel="phone", **INTAKE)
    walk.act("assign", "2026-11-20T16:05", by=RECEPTION, to=HEAD)
    walk.act("gather_staff", "2026-11-20T16:30", by=HEAD, staff="摄影师")
    walk.act("decide_solution", "2026-11-20T17:00", by=HEAD, solution="退一半", responsible_party="摄影部")
    walk.act("respond", "2026-11-20T17:30", by=HEAD)
    walk.act("agree", "2026-11-20T17:40", by=HEAD)
    walk.act("appoint_tracker", "2026-11-20T17:50", by=HEAD, tracker=TRACKER)
    walk.act("complete", "2026-11-21T10:00", by=TRACKER, done="已退款")
    walk.act("follow_up", "2026-11-21T11:00", by=TRACKER, satisfaction="satisfied")
    # The couple objects after all (四.1): the process restarts, a new solution is carried out ...
    walk.act("reopen", "2026-11-22T10:00", by=TRACKER, reason="底片缺失")
    walk.act("gather_staff", "2026-11-22T10:30", by=HEAD, staff="摄影师")
    walk.act("decide_solution", "2026-11-22T11:00", by=HEAD, solution="补交底片", responsible_party="摄影部")
    walk.act("respond", "2026-11-22T11:30", by=HEAD)
    walk.act("agree", "2026-11-22T12:00", by=HEAD)
    walk.act("complete", "2026-11-23T10:00", by=TRACKER, done="已补交")
    # ... and nobody has asked them about it yet.
    assert walk.refused("close", "2026-11-23T10:30", by=TRACKER) == (
        f"{walk.id}: ask the couple whether they are satisfied before closing")
