"""Acceptance walk of the shipped service policy (seed 001): types A-F, the 1-hour urgent response (wall
clock, day and night), assessment, escalation to a superior, joint handling, causes at three depths,
corrective actions, the visit, closing and reopening. Driven through `complaintctl.app.operations` (and the
CLI for one walk) on a store made by `complaintctl init`. Due times computed by hand on the China calendar,
09:00-18:00 Asia/Shanghai (2026: Oct 1-7 off for 国庆, Saturday Oct 10 a make-up working day)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from walkkit import Desk

from complaintctl.base.errors import UsageError
from complaintctl.cli import main

PEOPLE = {
    "前台": ["customer_service"],
    "处理员": ["handler"],
    "处理员二": ["handler"],
    "部门": ["department"],
    "领导": ["superior"],
    "质量": ["quality"],
}


def intake(category: str = "B", severity: str | None = None, channel: str = "phone") -> dict[str, Any]:
    fields = {"channel": channel, "complainant.name": "李女士", "complainant.phone": "13900139000",
              "subject": "空调维修后仍不制冷", "description": "上门维修后第二天又坏了。",
              "category": category, "service.item": "空调维修", "service.staff": "师傅甲",
              "demands": "退还维修费", "amount": "300"}
    if severity:
        fields["severity"] = severity
    return fields


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    return Desk(tmp_path / "store", "service", PEOPLE, office="SV")


CAUSES = {"findings": "维修未更换故障部件", "direct_cause": "漏检压缩机",
          "indirect_cause": "工单流程缺少复核", "root_cause": "技师培训不足"}


# -- types --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "label"), [("A", "service attitude"), ("B", "service quality"),
                                             ("C", "fees"), ("D", "contract performance"),
                                             ("E", "after-sales service"), ("F", "other")])
def test_types_a_to_f(desk: Desk, code: str, label: str) -> None:
    view = desk.log("2026-11-24T10:00", "前台", intake(code))
    assert (view.status, view.value("category")) == ("received", code)
    assert desk.store.policy.label("category", code, "en") == label


def test_an_unknown_type_is_refused(desk: Desk) -> None:
    with pytest.raises(UsageError, match="A, B, C, D, E, F"):
        desk.log("2026-11-24T10:00", "前台", intake("G"))


# -- time limits --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("severity", "expected"), [
    # Received Wed 2026-09-30 17:00; Oct 1-7 off; Thu 8 (1), Fri 9 (2), Sat 10 make-up (3), Mon 12 (4),
    # Tue 13 (5). normal: 5 working days; major: 3; urgent: 1 plus the 1-hour response (wall clock).
    ("normal", {"resolution": "2026-10-13T18:00:00+08:00"}),
    ("major", {"resolution": "2026-10-10T18:00:00+08:00"}),
    ("urgent", {"urgent_response": "2026-09-30T18:00:00+08:00", "resolution": "2026-10-08T18:00:00+08:00"}),
])
def test_resolution_limit_by_severity_over_the_national_day_holiday(desk: Desk, severity: str,
                                                                   expected: dict[str, str]) -> None:
    desk.log("2026-09-30T17:00", "前台", intake(severity=severity))
    dues = desk.dues("2026-09-30T17:00")
    assert {name: due for name, (due, _) in dues.items()} == expected


def test_urgent_complaint_at_night_responded_within_the_hour(desk: Desk) -> None:
    # Received Sat 2026-11-21 23:30 (weekend, night): the hour is wall clock -> Sun 00:30.
    # Resolution, urgent: 1 working day after Saturday -> Mon 2026-11-23 18:00.
    view = desk.log("2026-11-21T23:30", "前台", intake("A", severity="urgent"))
    assert view.status == "received"
    assert desk.dues("2026-11-22T00:15") == {"urgent_response": ("2026-11-22T00:30:00+08:00", "running"),
                                             "resolution": ("2026-11-23T18:00:00+08:00", "running")}
    assert desk.dues("2026-11-22T00:31")["urgent_response"] == ("2026-11-22T00:30:00+08:00", "breached")
    # An urgent response must include the apology (3.2.2).
    assert "apology" in desk.refused("2026-11-22T00:10", "前台", "urgent_response", apologised="false")
    view = desk.act("2026-11-22T00:20", "前台", "urgent_response", apologised="true",
                    measure="suspend_service")
    assert view.status == "received"
    assert view.value("measure") == "suspend_service"
    assert desk.dues("2026-11-22T00:31")["urgent_response"] == ("2026-11-22T00:30:00+08:00", "met")
    # A re-assessment as urgent after the response does not start the hour again.
    view = desk.act("2026-11-22T00:40", "前台", "assess", severity="urgent", risk="high")
    assert view.status == "assessed"
    assert len(view.clocks["urgent_response"]) == 1


def test_urgency_found_at_assessment_starts_the_hour_then(desk: Desk) -> None:
    # Received Tue 2026-11-24 10:00 as normal: no urgent clock; resolution 5 working days -> Tue Dec 1.
    desk.log("2026-11-24T10:00", "前台", intake("C"))
    assert desk.dues("2026-11-24T10:00") == {"resolution": ("2026-12-01T18:00:00+08:00", "running")}
    view = desk.act("2026-11-24T14:00", "前台", "assess", severity="urgent", risk="medium",
                    risk_notes="可能引发媒体关注")
    assert view.value("severity") == "urgent"
    assert desk.dues("2026-11-24T14:00")["urgent_response"] == ("2026-11-24T15:00:00+08:00", "running")
    desk.act("2026-11-24T14:50", "处理员", "urgent_response", apologised="true", measure="refund")
    assert desk.dues("2026-11-24T14:50")["urgent_response"] == ("2026-11-24T15:00:00+08:00", "met")


def test_resolution_limit_follows_the_severity_given_at_assessment(desk: Desk) -> None:
    # Received Tue 2026-11-24 10:00 (severity defaults to normal), assessed urgent at 10:20: urgent is
    # 1 working day from receipt (5.1.3 decision) -> Wed 2026-11-25 18:00, not Tue Dec 1.
    desk.log("2026-11-24T10:00", "前台", intake("B"))
    desk.act("2026-11-24T10:20", "前台", "assess", severity="urgent", risk="high")
    assert desk.dues("2026-11-24T10:20")["resolution"] == ("2026-11-25T18:00:00+08:00", "running")


# -- the whole handling ---------------------------------------------------------------------------------


def test_full_handling_with_escalation_joint_handling_causes_and_reopen(desk: Desk) -> None:
    # Received Sat 2026-11-21 23:30, urgent: hour due Sun 00:30; resolution Mon 23 18:00.
    desk.log("2026-11-21T23:30", "前台", intake("E", severity="urgent"))
    desk.act("2026-11-22T00:20", "前台", "urgent_response", apologised="true", measure="refund")
    view = desk.act("2026-11-23T09:00", "前台", "assess", severity="urgent", risk="high")
    assert (view.status, view.value("risk")) == ("assessed", "high")

    view = desk.act("2026-11-23T09:10", "前台", "assign", to="处理员", department="售后服务部")
    assert (view.status, view.owner, view.department) == ("assigned", "处理员", "售后服务部")

    # The department cannot resolve it alone: escalated to the superior, who now owns it (3.3.1).
    view = desk.act("2026-11-23T09:30", "处理员", "escalate_to_superior", to="领导", reason="涉及退费审批")
    assert (view.status, view.owner) == ("assigned", "领导")
    assert view.value("reason") == "涉及退费审批"

    # A second department without a coordinator is refused; with one, joint handling starts (3.3.2).
    message = desk.refused("2026-11-23T09:40", "领导", "assign", to="处理员二", department="财务部")
    assert "several departments needs a coordinator" in message
    view = desk.act("2026-11-23T09:45", "领导", "assign", to="处理员二", department="财务部",
                    coordinator="领导")
    assert (view.owner, view.coordinator, view.departments) == ("处理员二", "领导", ["售后服务部", "财务部"])

    # Causes at three depths, each required (4.2).
    for missing in ("direct_cause", "indirect_cause", "root_cause"):
        fields = {name: value for name, value in CAUSES.items() if name != missing}
        message = desk.refused("2026-11-23T10:00", "处理员二", "investigate", **fields)
        assert missing in message
    view = desk.act("2026-11-23T10:30", "处理员二", "investigate", on_site="true", **CAUSES)
    assert view.status == "investigated"
    assert [view.value(name) for name in ("direct_cause", "indirect_cause", "root_cause")] == [
        "漏检压缩机", "工单流程缺少复核", "技师培训不足"]

    # A plan, one step per event, each with its owner (5.1.4).
    desk.act("2026-11-23T11:00", "处理员二", "plan", step="退还维修费", step_owner="处理员二")
    view = desk.act("2026-11-23T11:10", "领导", "plan", step="更换压缩机", step_owner="处理员",
                    due="2026-11-24 18:00")
    assert view.status == "planned" and view.cycle_counts["plan"] == 2
    view = desk.act("2026-11-23T14:00", "处理员", "implement", done="已退费并更换压缩机")
    assert view.status == "implemented"

    # Corrective action, then its evaluation (5.2.3, 5.2.4).
    assert "corrective action before evaluating" in desk.refused("2026-11-23T14:10", "质量", "evaluate",
                                                                 effective="true")
    view = desk.act("2026-11-23T14:30", "质量", "corrective_action", measure="技师复训", action_owner="领导",
                    due="2026-12-31 18:00")
    assert view.status == "implemented"
    assert view.value("due") == "2026-12-31T18:00:00+08:00"
    view = desk.act("2026-11-23T14:40", "质量", "evaluate", effective="yes", notes="待月底复查")
    assert view.value("effective") is True

    # Result told Mon 17:00, before the urgent 1 working day (Mon 23 18:00); the demand cannot be met in
    # full, so alternatives must be offered (7.2.2).
    message = desk.refused("2026-11-23T16:50", "前台", "respond", result="退费", reasons="r",
                           demand_met="false")
    assert "offer alternatives" in message
    view = desk.act("2026-11-23T17:00", "前台", "respond", result="已退费", reasons="部件故障",
                    demand_met="false", alternatives="赠送一次保养")
    assert view.status == "responded"
    assert desk.dues("2026-11-23T17:00") == {"urgent_response": ("2026-11-22T00:30:00+08:00", "met"),
                                             "resolution": ("2026-11-23T18:00:00+08:00", "met")}

    # The visit finds the customer unsatisfied: reopened, counted, a new cycle. Reopen Tue Nov 24 10:30;
    # still urgent: 1 working day -> Wed 2026-11-25 18:00.
    view = desk.act("2026-11-24T10:00", "前台", "visit", satisfaction="unsatisfied", opinion="仍有异响")
    assert (view.status, view.value("satisfaction")) == ("visited", "unsatisfied")
    view = desk.act("2026-11-24T10:30", "前台", "reopen", reason="仍有异响")
    assert (view.status, view.reopenings) == ("assigned", 1)
    assert view.cycle_counts["visit"] == 0
    assert desk.dues("2026-11-24T10:30")["resolution"] == ("2026-11-25T18:00:00+08:00", "running")
    assert len(view.clocks["resolution"]) == 2

    desk.act("2026-11-25T09:30", "处理员二", "investigate", **CAUSES)
    desk.act("2026-11-25T10:00", "处理员二", "plan", step="更换风扇", step_owner="处理员")
    desk.act("2026-11-25T14:00", "处理员", "implement", done="已更换风扇")
    view = desk.act("2026-11-25T16:00", "前台", "respond", result="已修复", reasons="风扇松动",
                    demand_met="true")
    assert desk.dues("2026-11-25T16:00")["resolution"] == ("2026-11-25T18:00:00+08:00", "met")

    # Closing needs this cycle's visit (7.2.3).
    assert "follow-up visit before closing" in desk.refused("2026-11-26T09:00", "前台", "close",
                                                           outcome="resolved")
    desk.act("2026-11-26T10:00", "前台", "visit", satisfaction="satisfied")
    view = desk.act("2026-11-26T10:30", "前台", "close", outcome="resolved", compensation="300",
                    handlers="处理员二（售后主管）")
    assert view.status == "closed" and view.final
    assert (view.reopenings, view.total_counts["visit"]) == (1, 2)
    assert "closed for good" in desk.refused("2026-11-27T09:00", "前台", "report_progress", progress="x")
    assert "it is closed and archived" in desk.refused("2026-11-27T09:00", "前台", "reopen", reason="x")


def test_urgent_walk_through_the_command_line(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    """The same clocks seen through `complaintctl --now … log/act/show --json`."""

    def cli(*args: str) -> str:
        capsys.readouterr()
        with pytest.raises(SystemExit) as done:
            main(["--store", str(desk.root), *args])
        captured = capsys.readouterr()
        assert done.value.code == 0, captured.err
        return captured.out

    out = cli("--now", "2026-11-21T23:30", "log", "--json", "--by", "前台", "--channel", "phone",
              "--category", "A", "--severity", "urgent", "--name", "李女士", "--subject", "态度差",
              "--description", "客服挂断电话。")
    data = json.loads(out)
    complaint = data["id"]
    assert {row["name"]: row["due"] for row in data["deadlines"]} == {
        "urgent_response": "2026-11-22T00:30:00+08:00", "resolution": "2026-11-23T18:00:00+08:00"}
    cli("--now", "2026-11-22T00:25", "act", complaint, "urgent_response", "apologised=是", "measure=none",
        "--by", "前台")
    cli("--now", "2026-11-23T09:00", "assign", complaint, "--to", "处理员", "--department", "客服部",
        "--by", "前台")
    shown = json.loads(cli("--now", "2026-11-23T09:00", "show", complaint, "--json"))
    assert (shown["status"], shown["owner"]) == ("assigned", "处理员")
    assert {row["name"]: row["state"] for row in shown["deadlines"]} == {"urgent_response": "met",
                                                                        "resolution": "running"}
    # 3.1: investigating needs the level and risk assessment first; show says so, from the same guard
    assert "investigate" not in shown["possible_actions"]
    assert "investigate" in [row["action"] for row in shown["blocked_actions"]]
    cli("--now", "2026-11-23T09:05", "act", complaint, "assess", "severity=urgent", "risk=high",
        "--by", "前台")
    cli("--now", "2026-11-23T09:10", "assign", complaint, "--to", "处理员", "--department", "客服部",
        "--by", "前台")
    shown = json.loads(cli("--now", "2026-11-23T09:10", "show", complaint, "--json"))
    assert "investigate" in shown["possible_actions"]
