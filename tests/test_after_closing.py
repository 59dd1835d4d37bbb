"""Issue 19 item 3: the actions a policy allows on a closed complaint (`after_closing`) are recorded
without reopening it, and reports count them when they happened: evaluating a corrective action (service
5.2.4), verifying one (manufacturing 5.5), a late cost (wedding 六.1), a satisfaction visit after an
urgent case is handled (service 3.2.5). From the command line; what a policy does not allow after closing
is still refused."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import init_with_people

CUSTOMER_SERVICE, HANDLER, QUALITY = "前台", "小王", "质量"


def _store(tmp_path: Path, cli, policy: str, people: dict[str, list[str]]) -> None:
    init_with_people(tmp_path / policy, cli, policy, people)


def _steps(cli, complaint: str, steps: list[tuple[str, str, str, tuple[str, ...]]]) -> None:
    for now, by, action, fields in steps:
        done = cli("--now", now, "act", complaint, action, *fields, "--by", by)
        assert done.code == 0, (action, done)


def _log(cli, now: str, by: str, *intake: str) -> str:
    done = cli("--now", now, "log", *intake, "--by", by)
    assert done.code == 0, done
    return done.out.split()[1]


def _status(cli, complaint: str, now: str) -> str:
    return str(json.loads(cli("--now", now, "show", complaint, "--json").out)["status"])


def _figures(cli, now: str, *period: str) -> dict[str, object]:
    done = cli("--now", now, "report", *period, "--format", "json")
    assert done.code == 0, done
    return {name: figure["value"] for name, figure in json.loads(done.out)["figures"].items()}


def _closed_service_complaint(tmp_path: Path, cli) -> str:
    """A service complaint with a corrective action due Fri 20 Nov, closed on Thu 5 Nov."""
    _store(tmp_path, cli, "service", {CUSTOMER_SERVICE: ["customer_service"], HANDLER: ["handler"],
                                      QUALITY: ["quality"]})
    complaint = _log(cli, "2026-11-02T10:00", CUSTOMER_SERVICE, "--name", "客户甲", "--subject", "收费不明",
                     "-d", "账单多收一项", "--category", "C", "--channel", "phone")
    _steps(cli, complaint, [
        ("2026-11-02T10:10", CUSTOMER_SERVICE, "assess", ("severity=normal", "risk=low")),
        ("2026-11-02T10:20", CUSTOMER_SERVICE, "assign", ("to=" + HANDLER,)),
        ("2026-11-03T10:00", HANDLER, "investigate", ("findings=系统配置错误", "direct_cause=配置",
                                                      "indirect_cause=复核缺失", "root_cause=流程")),
        ("2026-11-03T11:00", HANDLER, "plan", ("step=退款", "step_owner=" + HANDLER)),
        ("2026-11-03T12:00", HANDLER, "corrective_action", ("measure=增加账单复核", "action_owner=" + HANDLER,
                                                            "due=2026-11-20T18:00")),
        ("2026-11-04T10:00", HANDLER, "implement", ("done=已退款",)),
        ("2026-11-04T11:00", HANDLER, "respond", ("result=已退款", "reasons=配置错误")),
        ("2026-11-05T10:00", CUSTOMER_SERVICE, "visit", ("satisfaction=satisfied",)),
        ("2026-11-05T11:00", CUSTOMER_SERVICE, "close", ("outcome=resolved",)),
    ])
    return complaint


def test_evaluating_a_corrective_action_after_closing(tmp_path: Path, cli) -> None:
    """Service 5.2.4: the issue's report, where the corrective action showed overdue for ever."""
    complaint = _closed_service_complaint(tmp_path, cli)
    # Before the evaluation the measure is overdue (due Fri 20 Nov), as the November report says.
    november = _figures(cli, "2026-11-25T10:00", "--period", "2026-11")
    assert (november["corrective.open"], november["corrective.overdue"]) == (1, 1)
    _steps(cli, complaint, [("2026-12-01T10:00", QUALITY, "evaluate", ("effective=yes", "notes=无重复投诉"))])
    assert _status(cli, complaint, "2026-12-01T10:00") == "closed"
    # Counted when it happened: November as it stood at its end still had the measure overdue; a report
    # reaching past the evaluation has it verified and nothing overdue.
    november = _figures(cli, "2026-12-02T10:00", "--period", "2026-11")
    assert (november["corrective.open"], november["corrective.overdue"]) == (1, 1)
    since = _figures(cli, "2026-12-02T10:00", "--since", "2026-11-01", "--until", "2026-12-02")
    assert (since["corrective.verified"], since["corrective.open"], since["corrective.overdue"]) == (1, 0, 0)
    assert (since["closed"], since["reopenings"]) == (1, 0)
    listed = cli("--now", "2026-12-02T10:00", "list", "--status", "closed", "--format", "ids")
    assert listed.out.split() == [complaint]
    assert cli("--now", "2026-12-02T10:00", "check").code == 0


def test_a_satisfaction_visit_after_closing_leaves_it_closed(tmp_path: Path, cli) -> None:
    """Service 3.2.5: a satisfaction visit after the handling ended; `visit` moves an open complaint to
    visited, but on a closed one it is recorded and the complaint stays closed."""
    complaint = _closed_service_complaint(tmp_path, cli)
    _steps(cli, complaint, [("2026-11-10T10:00", CUSTOMER_SERVICE, "visit",
                             ("satisfaction=very_satisfied",))])
    assert _status(cli, complaint, "2026-11-10T10:00") == "closed"
    listed = cli("--now", "2026-11-10T10:00", "list", "--status", "closed", "--format", "ids")
    assert listed.out.split() == [complaint]
    # a step the policy does not allow after closing is still refused
    refused = cli("--now", "2026-11-10T11:00", "act", complaint, "corrective_action", "measure=x",
                  "action_owner=" + HANDLER, "due=2026-11-30T18:00", "--by", HANDLER)
    assert refused.code != 0
    assert "corrective_action" in refused.err


def test_verifying_a_corrective_action_after_closing(tmp_path: Path, cli) -> None:
    """Manufacturing 5.5: QA verifies the measure's effect once it has run, after the complaint closed."""
    people = {"客服": ["customer_service"], "工程部": ["department"], "品管": ["qa"],
              "品管经理": ["qa_manager"], "副总": ["deputy_gm"]}
    _store(tmp_path, cli, "manufacturing", people)
    complaint = _log(cli, "2026-11-02T10:00", "客服", "--name", "客户乙", "--subject", "安装漏水", "-d",
                     "新装管道接口漏水", "--category", "engineering_quality", "--channel", "phone")
    _steps(cli, complaint, [
        ("2026-11-02T11:00", "客服", "assign", ("to=客服",)),
        ("2026-11-03T10:00", "客服", "find_founded", ("finding=接口未紧固", "department=工程部")),
        ("2026-11-03T11:00", "客服", "transfer", ("to=工程部",)),
        ("2026-11-04T10:00", "工程部", "propose_solution", ("solution=上门返修",)),
        ("2026-11-04T11:00", "客服", "agree", ()),
        ("2026-11-05T10:00", "工程部", "carry_out", ("done=已返修",)),
        ("2026-11-05T11:00", "品管", "capa", ("measures=安装后试压", "action_owner=工程部",
                                             "due=2026-11-20T18:00")),
        # 5.4: reviewed by the QA manager and approved by the deputy GM before it is verified
        ("2026-11-05T12:00", "品管经理", "review_capa", ("capa_review=同意",)),
        ("2026-11-05T13:00", "副总", "approve_capa", ("capa_approval=批准",)),
        ("2026-11-06T10:00", "客服", "respond", ("answer=已返修，原因是接口未紧固",)),
        ("2026-11-06T11:00", "客服", "visit", ("satisfaction=satisfied",)),
        ("2026-11-09T10:00", "客服", "visit", ("satisfaction=satisfied",)),
        ("2026-11-09T11:00", "客服", "close", ()),
    ])
    assert _status(cli, complaint, "2026-11-09T11:00") == "closed"
    _steps(cli, complaint, [("2026-11-30T10:00", "品管", "verify", ("effective=yes", "notes=三周无渗漏"))])
    assert _status(cli, complaint, "2026-11-30T10:00") == "closed"
    figures = _figures(cli, "2026-12-01T10:00", "--period", "2026-11")
    assert (figures["corrective.verified"], figures["corrective.overdue"], figures["reopenings"]) == (1, 0, 0)


def test_recording_a_late_cost_after_closing(tmp_path: Path, cli) -> None:
    """Wedding 六.1: an extra cost (the florist's invoice) comes in after closing; it is recorded with who
    bears it, and counted in the report from then on."""
    people = {"前台": ["reception"], "刘经理": ["department_head"], "跟踪": ["tracker"], "财务": ["finance"]}
    _store(tmp_path, cli, "wedding", people)
    complaint = _log(cli, "2026-11-02T10:00", "前台", "--name", "新人甲", "--reference", "ORD-9",
                     "--subject", "花艺不符", "-d", "主桌花艺与方案不符", "--category", "venue_decor",
                     "--channel", "phone")
    _steps(cli, complaint, [
        ("2026-11-02T10:10", "前台", "assign", ("to=刘经理",)),
        ("2026-11-02T10:40", "刘经理", "gather_staff", ("staff=花艺师",)),
        ("2026-11-02T15:00", "刘经理", "decide_solution", ("solution=重做主桌花艺",
                                                          "responsible_party=花艺组")),
        ("2026-11-02T16:00", "刘经理", "respond", ()),
        ("2026-11-02T17:00", "前台", "agree", ()),
        ("2026-11-03T09:00", "刘经理", "appoint_tracker", ("tracker=跟踪",)),
        ("2026-11-04T10:00", "跟踪", "complete", ("done=已重做",)),
        ("2026-11-05T10:00", "跟踪", "follow_up", ("satisfaction=satisfied",)),
        ("2026-11-05T11:00", "跟踪", "close", ()),
    ])
    before = _figures(cli, "2026-11-20T10:00", "--period", "2026-11")
    assert before["costs.total"] == 0
    _steps(cli, complaint, [("2026-11-20T10:00", "财务", "record_cost",
                             ("amount=800", "kind=redo_service", "borne_by=花艺组"))])
    assert _status(cli, complaint, "2026-11-20T10:00") == "closed"
    after = _figures(cli, "2026-11-21T10:00", "--period", "2026-11")
    assert (after["costs.total"], after["costs.kind.redo_service"], after["costs.borne_by.花艺组"]) == (
        800, 800, 800)
    assert (after["closed"], after["reopenings"]) == (1, 0)  # still closed once, never reopened
