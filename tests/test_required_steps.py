"""Issue 19 items 5, 7 and 8 from the command line, for the policy each rule belongs to: required steps
(service 3.1), metro's dispatch from receipt and "立即" as a short limit, manufacturing's visit range,
corrective-action approval by the roles 5.4 names, no closing after an ineffective corrective action
nor unanswered (5.2, 5.5), tourism's investigation restarting for the receiving department (四.3),
`show` marking the actions the write path would refuse and `explain` saying why a clock does not apply.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

PEOPLE = {
    "manufacturing": {"客服": ["customer_service"], "销售": ["sales"], "品管": ["qa"],
                      "品管经理": ["qa_manager"], "副总": ["deputy_gm"], "部门": ["department"]},
}


def _store(tmp_path: Path, cli, policy: str) -> Path:
    root = tmp_path / policy
    done = cli("init", root, "--policy", policy, "--language", "en")
    assert done.code == 0, done
    people = PEOPLE.get(policy)
    if people is not None:
        lines = ["people:"] + [f"  - {{name: {name}, roles: [{', '.join(roles)}]}}"
                               for name, roles in people.items()]
        settings = root / "complaintctl.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    os.chdir(root)
    return root


def _log(cli, now: str, *args: str) -> str:
    done = cli("--now", now, "log", "--name", "张三", "--phone", "13800138000", "--subject", "投诉",
               "-d", "详细经过", *args)
    assert done.code == 0, done
    return done.out.split()[1]


def _act(cli, now: str, complaint: str, action: str, *pairs: str, by: str | None = None) -> None:
    extra = ["--by", by] if by else []
    done = cli("--now", now, "act", complaint, action, *pairs, *extra)
    assert done.code == 0, done


def _refused(cli, now: str, complaint: str, action: str, *pairs: str, by: str | None = None) -> str:
    extra = ["--by", by] if by else []
    done = cli("--now", now, "act", complaint, action, *pairs, *extra)
    assert done.code != 0, done
    return done.err


def _show(cli, now: str, complaint: str) -> dict:
    done = cli("--now", now, "show", complaint, "--json")
    assert done.code == 0, done
    return json.loads(done.out)


def _clock(data: dict, name: str) -> dict:
    (row,) = [row for row in data["deadlines"] if row["name"] == name]
    return row


# -- service 3.1: a required step -------------------------------------------------------------------

def test_service_assessment_is_required_before_handling_and_closing(tmp_path: Path, cli) -> None:
    _store(tmp_path, cli, "service")
    complaint = _log(cli, "2026-11-16T10:00", "--category", "A", "--channel", "phone")
    _act(cli, "2026-11-16T10:30", complaint, "assign", "to=李四")
    # the refusal names the missing step
    err = _refused(cli, "2026-11-16T11:00", complaint, "investigate", "findings=x", "direct_cause=a",
                   "indirect_cause=b", "root_cause=c")
    assert "the level and risk assessment (assess, 3.1) comes before handling" in err
    # show: investigate is not offered as possible; it is listed with the same reason
    data = _show(cli, "2026-11-16T11:00", complaint)
    assert "investigate" not in data["possible_actions"]
    needed = "the level and risk assessment (assess, 3.1) comes before handling"
    assert {"action": "investigate", "reason": needed} in data["blocked_actions"]
    text = cli("--now", "2026-11-16T11:00", "show", complaint).out
    assert ("not now: investigate (investigate and analyse causes): the level and risk assessment "
            "(assess, 3.1) comes before handling") in text
    _act(cli, "2026-11-16T11:10", complaint, "assess", "severity=normal", "risk=low")
    _act(cli, "2026-11-16T11:20", complaint, "assign", "to=李四")
    assert "investigate" in _show(cli, "2026-11-16T11:20", complaint)["possible_actions"]
    _act(cli, "2026-11-16T11:30", complaint, "investigate", "findings=x", "direct_cause=a",
         "indirect_cause=b", "root_cause=c")


# -- metro: dispatch from receipt, "立即" as 10 minutes ----------------------------------------------

IN_PERSON = ("--category", "service_quality", "--location", "人民广场站", "--channel", "in_person",
             "--received", "2026-11-20T16:00")


def test_metro_in_person_registration_one_minute_late_is_no_breach(tmp_path: Path, cli) -> None:
    _store(tmp_path, cli, "metro")
    complaint = _log(cli, "2026-11-20T16:01", *IN_PERSON)
    row = _clock(_show(cli, "2026-11-20T16:01", complaint), "registration")
    assert (row["due"], row["state"]) == ("2026-11-20T16:10:00+08:00", "met")
    late = _log(cli, "2026-11-20T16:11", *IN_PERSON)
    assert _clock(_show(cli, "2026-11-20T16:11", late), "registration")["state"] == "breached"


def test_metro_dispatch_counts_from_receipt_for_a_letter_logged_late(tmp_path: Path, cli) -> None:
    _store(tmp_path, cli, "metro")
    # a letter received Fri 2026-11-20, typed in Tue 24: its working day (Mon 23) is already used
    complaint = _log(cli, "2026-11-24T09:00", "--category", "service_quality", "--location", "人民广场站",
                     "--channel", "letter", "--received", "2026-11-20T09:00")
    row = _clock(_show(cli, "2026-11-24T09:00", complaint), "dispatch")
    assert (row["due"], row["state"]) == ("2026-11-23T18:00:00+08:00", "breached")


# -- manufacturing ----------------------------------------------------------------------------------

def test_manufacturing_service_quality_gets_at_most_two_visits(tmp_path: Path, cli) -> None:
    _store(tmp_path, cli, "manufacturing")
    complaint = _log(cli, "2026-11-16T09:00", "--category", "service_quality", "--channel", "phone",
                     "--by", "客服")
    for now, action, pairs, by in [
            ("2026-11-16T09:30", "assign", ["to=客服"], "客服"),
            ("2026-11-16T10:00", "find_founded", ["finding=属实", "department=安装部"], "客服"),
            ("2026-11-16T10:30", "transfer", ["to=部门"], "客服"),
            ("2026-11-17T10:00", "propose_solution", ["solution=上门返修"], "部门"),
            ("2026-11-17T11:00", "agree", [], "客服"),
            ("2026-11-18T10:00", "carry_out", ["done=已返修"], "部门"),
            ("2026-11-19T10:00", "visit", ["satisfaction=satisfied"], "客服"),
            ("2026-11-20T10:00", "visit", ["satisfaction=satisfied"], "客服")]:
        _act(cli, now, complaint, action, *pairs, by=by)
    # 第六步 "服务质量投诉需要回访1-2次": a third visit is refused
    err = _refused(cli, "2026-11-23T10:00", complaint, "visit", "satisfaction=satisfied", by="客服")
    assert "a service-quality complaint gets 1 to 2 follow-up visits" in err
    _act(cli, "2026-11-23T10:10", complaint, "close", by="客服")


def test_manufacturing_corrective_action_approval_ineffective_action_and_answer(tmp_path: Path, cli) -> None:
    _store(tmp_path, cli, "manufacturing")
    complaint = _log(cli, "2026-11-16T09:00", "--category", "product_quality", "--channel", "sales",
                     "--by", "销售")
    for now, action, pairs, by in [
            ("2026-11-16T10:00", "transfer_to_qa", ["to=品管"], "销售"),
            ("2026-11-16T14:00", "find_cause", ["cause=company_fault", "analysis=焊接不良"], "品管"),
            ("2026-11-16T15:00", "qa_manager_review", [], "品管经理"),
            ("2026-11-16T16:00", "dispose", ["disposition=return", "quarantine=true"], "品管"),
            ("2026-11-17T09:30", "approve_disposition", [], "副总"),
            ("2026-11-17T14:00", "carry_out", ["done=已退货"], "部门"),
            ("2026-11-17T15:00", "capa", ["measures=改进焊接工艺", "action_owner=生产部",
                                          "due=2026-12-31 18:00"], "品管")]:
        _act(cli, now, complaint, action, *pairs, by=by)
    # 5.4: not a yes/no field any QA person sets, but the QA manager's review and the deputy GM's approval
    err = _refused(cli, "2026-11-17T16:00", complaint, "verify", "effective=true", by="品管")
    assert "approved by the QA manager and the deputy GM before its effect is verified" in err
    assert "may not review_capa" in _refused(cli, "2026-11-17T16:00", complaint, "review_capa",
                                             "capa_review=同意", by="品管")
    assert "reviews the corrective action before the deputy GM" in _refused(
        cli, "2026-11-17T16:00", complaint, "approve_capa", "capa_approval=批准", by="副总")
    _act(cli, "2026-11-17T16:10", complaint, "review_capa", "capa_review=同意", by="品管经理")
    _act(cli, "2026-11-17T16:20", complaint, "approve_capa", "capa_approval=批准", by="副总")
    _act(cli, "2026-11-18T10:00", complaint, "verify", "effective=false", by="品管")
    _act(cli, "2026-11-18T11:00", complaint, "visit", "satisfaction=satisfied", by="客服")
    # 5.5: an ineffective corrective action needs a new one before closing
    err = _refused(cli, "2026-11-18T12:00", complaint, "close", by="客服")
    assert "verified as not effective; record a new one" in err
    data = _show(cli, "2026-11-18T12:00", complaint)
    assert "close" not in data["possible_actions"]
    assert [row["action"] for row in data["blocked_actions"]] == ["close"]
    _act(cli, "2026-11-18T14:00", complaint, "capa", "measures=更换焊材供应商", "action_owner=采购部",
         "due=2026-12-31 18:00", by="品管")
    # the new action is reviewed and approved anew before it is verified
    assert "approved by the QA manager" in _refused(cli, "2026-11-18T15:00", complaint, "verify",
                                                    "effective=true", by="品管")
    _act(cli, "2026-11-18T15:10", complaint, "review_capa", "capa_review=同意", by="品管经理")
    _act(cli, "2026-11-18T15:20", complaint, "approve_capa", "capa_approval=批准", by="副总")
    _act(cli, "2026-11-19T10:00", complaint, "verify", "effective=true", by="品管")
    # 5.2: the customer is answered on the quality path too; the answer clock stops only at the answer
    assert _clock(_show(cli, "2026-11-19T10:00", complaint), "answer")["state"] == "running"
    err = _refused(cli, "2026-11-19T11:00", complaint, "close", by="客服")
    assert "answer the customer (respond) before closing" in err
    _act(cli, "2026-11-19T11:10", complaint, "respond", "answer=已退货并改进工艺", by="销售")
    assert _clock(_show(cli, "2026-11-19T11:10", complaint), "answer")["state"] == "met"
    _act(cli, "2026-11-19T11:20", complaint, "close", by="客服")
    assert _show(cli, "2026-11-19T11:20", complaint)["status"] == "closed"


# -- tourism 四.3: the receiving department's own 3 working days --------------------------------------

def test_tourism_reassignment_restarts_the_investigation_for_the_receiving_department(
        tmp_path: Path, cli) -> None:
    _store(tmp_path, cli, "tourism")
    complaint = _log(cli, "2026-11-16T09:00", "--category", "in_sale", "--channel", "phone")
    # assigned Mon 16 → investigation due Thu 19 18:00; not investigated by then: breached
    _act(cli, "2026-11-16T10:00", complaint, "assign", "to=李四", "department=客服部")
    assert _clock(_show(cli, "2026-11-20T09:00", complaint), "investigation")["state"] == "breached"
    # re-assigned Fri 20 to another department: its own 3 working days → Wed 25 18:00
    _act(cli, "2026-11-20T10:00", complaint, "assign", "to=王五", "department=地接部", "coordinator=赵六")
    row = _clock(_show(cli, "2026-11-20T10:00", complaint), "investigation")
    assert (row["due"], row["state"]) == ("2026-11-25T18:00:00+08:00", "running")
    # the first department's run keeps the state it reached
    explained = cli("--now", "2026-11-20T10:00", "explain", complaint, "investigation")
    assert explained.code == 0, explained
    assert "run 1 of 2" in explained.out and "run 2 of 2" in explained.out
    assert "due 2026-11-19T18:00:00+08:00: breached" in explained.out
    # another person of the same department keeps the running time
    _act(cli, "2026-11-20T11:00", complaint, "assign", "to=钱七", "department=地接部")
    row = _clock(_show(cli, "2026-11-20T11:00", complaint), "investigation")
    assert row["due"] == "2026-11-25T18:00:00+08:00"


# -- explain: why a clock does not apply -------------------------------------------------------------

@pytest.mark.parametrize("severity,expected", [
    ("normal", "does not apply to this complaint: it applies only when severity ∈ complex (now: normal)"),
])
def test_explain_says_why_a_clock_does_not_apply(tmp_path: Path, cli, severity: str, expected: str) -> None:
    _store(tmp_path, cli, "tourism")
    complaint = _log(cli, "2026-11-16T09:00", "--category", "in_sale", "--channel", "phone",
                     "--severity", severity)
    out = cli("--now", "2026-11-16T09:30", "explain", complaint, "extension_notice").out
    assert expected in out and "which has not happened" not in out
    # a clock whose start event has not come still says so
    out = cli("--now", "2026-11-16T09:30", "explain", complaint, "investigation").out
    assert "not started: it starts at assign or reopen, which has not happened" in out
