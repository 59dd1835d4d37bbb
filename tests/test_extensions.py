"""Issue 19 item 2: a clock is extended only where, by whom and for how long its policy allows, with the
reason and the new due time recorded. Tourism 五.2: only a complex case, by the department head or the
supervisor; a complex case's 7-day answer gives way to the 10-working-day notice and then to the extended
due time; an appeal (四.5.2) restarts the handling and, for a complex case, the notice. From the command
line, on a tourism store whose people hold the roles of seed 000."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import init_with_people

RECEPTION, HANDLER, HEAD, SUPERVISOR = "小陈", "小王", "刘经理", "周总"
PEOPLE = {RECEPTION: ["reception"], HANDLER: ["handler"], HEAD: ["department_head"],
          SUPERVISOR: ["supervisor"]}
LOG = ["--name", "游客甲", "--subject", "行程中酒店降级", "-d", "四星换成了三星", "--category", "in_sale",
       "--channel", "phone", "--by", RECEPTION]
RECEIVED = "2026-11-02T10:00"  # Monday
TOURISM = Path(__file__).parents[1] / "policies" / "tourism.yaml"


def _store(tmp_path: Path, cli, policy: str | Path = "tourism") -> None:
    init_with_people(tmp_path / "store", cli, policy, PEOPLE)


def _log(cli, severity: str) -> str:
    done = cli("--now", RECEIVED, "log", *LOG, "--severity", severity)
    assert done.code == 0, done
    return done.out.split()[1]


def _act(cli, now: str, complaint: str, *args: str) -> None:
    done = cli("--now", now, "act", complaint, *args)
    assert done.code == 0, done


def _deadlines(cli, complaint: str, now: str) -> dict[str, dict[str, object]]:
    shown = cli("--now", now, "show", complaint, "--json")
    assert shown.code == 0, shown
    return {row["name"]: row for row in json.loads(shown.out)["deadlines"]}


def _history(cli, complaint: str, now: str) -> list[dict[str, object]]:
    return list(json.loads(cli("--now", now, "show", complaint, "--json").out)["history"])


def test_a_normal_complaint_is_not_extended(tmp_path: Path, cli) -> None:
    """The issue's report: reception extended a normal complaint by two months. 五.2 extends only complex
    cases; the refusal names the condition, and nothing is written."""
    _store(tmp_path, cli)
    complaint = _log(cli, "normal")
    refused = cli("--now", "2026-11-05T10:00", "act", complaint, "extend", "clock=handling",
                  "due=2027-01-05T18:00", "reason=等地接社", "--by", HEAD)
    assert refused.code != 0
    assert "handling and answer may be extended only where severity: complex (五.2)" in refused.err
    assert len(_history(cli, complaint, "2026-11-05T10:00")) == 1


def test_only_the_roles_the_policy_names_extend(tmp_path: Path, cli) -> None:
    _store(tmp_path, cli)
    complaint = _log(cli, "complex")
    refused = cli("--now", "2026-11-05T10:00", "act", complaint, "extend", "clock=handling",
                  "due=2026-11-27T18:00", "reason=等地接社", "--by", RECEPTION)
    assert refused.code != 0
    assert ("小陈 may not extend handling and answer (五.2): only department head / supervisor (approves "
            "plans) may (their roles: complaint reception)") in refused.err


def test_a_complex_case_does_not_breach_on_day_8_and_is_extended_with_its_notice(tmp_path: Path, cli) -> None:
    _store(tmp_path, cli)
    complaint = _log(cli, "complex")
    # Day 8 (Thu 12 Nov): the 7-day answer (Wed 11 Nov) gives way to the notice, due Mon 16 Nov (五.2).
    rows = _deadlines(cli, complaint, "2026-11-12T10:00")
    assert (rows["handling"]["state"], rows["handling"]["due"]) == ("running", "2026-11-16T18:00:00+08:00")
    assert (rows["extension_notice"]["state"], rows["extension_notice"]["due"]) == (
        "running", "2026-11-16T18:00:00+08:00")
    swept = json.loads(cli("--now", "2026-11-12T10:00", "sweep", "--dry-run", "--json").out)
    assert not [item for item in swept["recorded"] if item.get("level") == "breach"]
    # The department head tells the customer why and when (the notice is the extension).
    _act(cli, "2026-11-12T10:00", complaint, "extend", "clock=handling", "due=2026-11-27T18:00",
         "reason=等待境外地接社的书面说明", "--by", HEAD)
    event = _history(cli, complaint, "2026-11-12T10:00")[-1]
    assert (event["action"], event["by"], event["due"], event["reason"]) == (
        "extend", HEAD, "2026-11-27T18:00:00+08:00", "等待境外地接社的书面说明")
    rows = _deadlines(cli, complaint, "2026-11-20T10:00")
    assert (rows["handling"]["state"], rows["handling"]["due"], rows["handling"]["extended"]) == (
        "running", "2026-11-27T18:00:00+08:00", True)
    assert rows["extension_notice"]["state"] == "met"
    assert _deadlines(cli, complaint, "2026-11-28T10:00")["handling"]["state"] == "breached"


def test_an_appeal_restarts_the_handling_and_the_notice_of_a_complex_case(tmp_path: Path, cli) -> None:
    """四.5.2: the unsatisfied customer appeals; the complaint is handled again from the investigation
    (四.3), with a new answer period and, for a complex case, a new notice within 10 working days."""
    _store(tmp_path, cli)
    complaint = _log(cli, "complex")
    _act(cli, "2026-11-02T11:00", complaint, "assign", "to=" + HANDLER, "--by", RECEPTION)
    _act(cli, "2026-11-03T10:00", complaint, "investigate", "report=属实", "--by", HANDLER)
    _act(cli, "2026-11-03T11:00", complaint, "propose_plan", "plan=退差价", "--by", HANDLER)
    _act(cli, "2026-11-03T12:00", complaint, "approve_plan", "--by", SUPERVISOR)
    _act(cli, "2026-11-03T13:00", complaint, "respond", "result=退差价", "--by", HANDLER)
    rows = _deadlines(cli, complaint, "2026-11-03T13:00")
    assert (rows["extension_notice"]["state"], rows["handling"]["state"]) == ("met", "met")
    _act(cli, "2026-11-04T09:00", complaint, "reopen", "reason=补偿不足", "--by", RECEPTION)  # Wednesday
    rows = _deadlines(cli, complaint, "2026-11-04T09:00")
    for clock, due in (("investigation", "2026-11-09T18:00:00+08:00"),      # 3 working days (四.3.1)
                       ("handling", "2026-11-18T18:00:00+08:00"),           # with the new notice (五.2)
                       ("extension_notice", "2026-11-18T18:00:00+08:00")):  # 10 working days
        assert (rows[clock]["state"], rows[clock]["started_at"], rows[clock]["due"]) == (
            "running", "2026-11-04T09:00:00+08:00", due), clock


def test_an_extension_no_longer_than_the_policy_allows(tmp_path: Path, cli) -> None:
    """An office's own policy may bound an extension (`at_most`, counted from the clock's start)."""
    text = TOURISM.read_text("utf-8")
    old = "      when: [{fact: severity, in: [complex]}]\n      clause: 五.2\n"
    assert text.count(old) == 1
    mine = tmp_path / "tourism-bounded.yaml"
    mine.write_text(text.replace(old, old + "      at_most: {working_days: 20}\n"), encoding="utf-8")
    _store(tmp_path, cli, mine)
    complaint = _log(cli, "complex")
    refused = cli("--now", "2026-11-05T10:00", "act", complaint, "extend", "clock=handling",
                  "due=2026-12-04T18:00", "reason=等地接社", "--by", HEAD)
    assert refused.code != 0
    assert ("handling and answer may be extended to 2026-11-30T18:00:00+08:00 at the latest: 20 working days "
            "from its start (五.2)") in refused.err
    _act(cli, "2026-11-05T10:00", complaint, "extend", "clock=handling", "due=2026-11-30T18:00",
         "reason=等地接社", "--by", HEAD)


def test_the_refusals_in_a_chinese_store(tmp_path: Path, cli) -> None:
    text = TOURISM.read_text("utf-8")
    old = "      when: [{fact: severity, in: [complex]}]\n      clause: 五.2\n"
    mine = tmp_path / "tourism-bounded.yaml"
    mine.write_text(text.replace(old, old + "      at_most: {working_days: 20}\n"), encoding="utf-8")
    _store(tmp_path, cli, mine)
    settings = Path("complaintctl.yaml")
    settings.write_text(settings.read_text("utf-8").replace("language: en", "language: zh"), encoding="utf-8")
    normal, complex_case = _log(cli, "normal"), _log(cli, "complex")
    refused = cli("--now", "2026-11-05T10:00", "act", normal, "extend", "clock=handling",
                  "due=2026-11-20T18:00", "reason=等地接社", "--by", HEAD)
    assert "处理完毕并反馈仅在投诉等级:复杂投诉时可以延期(五.2)" in refused.err
    refused = cli("--now", "2026-11-05T10:00", "act", complex_case, "extend", "clock=handling",
                  "due=2026-12-04T18:00", "reason=等地接社", "--by", HEAD)
    assert "处理完毕并反馈最多延至 2026-11-30T18:00:00+08:00:自起算起 20 个工作日(五.2)" in refused.err
