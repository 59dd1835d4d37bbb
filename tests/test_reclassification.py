"""Issue 19, "changing the facts is itself a rule": a reclassification takes effect when it is recorded.
A clock already past its due time stays breached (in `show`, the sweep and reports), and a clock the
new facts bring in counts from the event its rule names (DOMAIN.md, "A fact that changes a limit is
changed by a rule"). From the command line, for every shipped policy whose limits follow a
reclassifiable field."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

LOG = {
    "wedding": ["--name", "新人甲", "--reference", "ORD-1", "--subject", "布置不符", "-d", "花艺不对",
                "--category", "venue_decor", "--channel", "phone"],
    "service": ["--name", "客户甲", "--subject", "态度差", "-d", "前台态度差", "--category", "A",
                "--channel", "phone"],
    "tourism": ["--name", "游客甲", "--subject", "导游擅自改行程", "-d", "少去一个景点", "--category",
                "in_sale", "--channel", "phone"],
}


def _store(tmp_path: Path, cli, policy: str) -> None:
    root = tmp_path / policy
    assert cli("init", root, "--policy", policy, "--language", "en").code == 0
    os.chdir(root)


def _log(cli, policy: str, at: str, *extra: str) -> str:
    done = cli("--now", at, "log", *LOG[policy], *extra)
    assert done.code == 0, done
    return done.out.split()[1]


def _deadline(cli, complaint: str, now: str, clock: str) -> dict[str, object]:
    shown = cli("--now", now, "show", complaint, "--json")
    assert shown.code == 0, shown
    (found,) = [row for row in json.loads(shown.out)["deadlines"] if row["name"] == clock]
    return found


# Every shipped policy with a clock that reads a reclassifiable field: (clock, intake given at logging,
# when the breach is seen and the change recorded, the change that would have given a later or no limit).
CURES = {
    # wedding 三.3: a normal complaint's solution within 24 hours; found complex two days later
    "wedding": ("solution", ("--severity", "normal"), "2026-11-18T10:00", "severity=complex"),
    # service 5.1.3 (the office's limits): urgent 1 working day, normal 5; reassessed as normal
    "service": ("resolution", ("--severity", "urgent"), "2026-11-20T10:00", "severity=normal"),
    # tourism 五.1: 7 working days (Wed 25 Nov 18:00); found complex on day 8, which would give 10 (五.2)
    "tourism": ("handling", ("--severity", "normal"), "2026-11-26T10:00", "severity=complex"),
    # manufacturing 5.1.2: a quality complaint reaches QA within half a working day; re-filed as a
    # service complaint, to which the clock does not apply
    "manufacturing": ("qa_transfer", ("--category", "product_quality"), "2026-11-17T10:00",
                      "category=service_quality"),
    # metro 受理二.3: a hotline complaint registered 15 minutes after the call; re-filed as a letter,
    # which has no registration limit
    "metro": ("registration", ("--channel", "phone", "--received", "2026-11-16T10:00"), "2026-11-16T10:30",
              "channel=letter"),
}
LOG["manufacturing"] = ["--name", "客户甲", "--subject", "漏水", "-d", "新装的热水器漏水", "--category",
                        "engineering_quality", "--channel", "phone"]
LOG["metro"] = ["--name", "乘客甲", "--subject", "闸机扣费两次", "-d", "出站扣费两次", "--category",
                "service_quality", "--channel", "online", "--location", "人民广场站"]


@pytest.mark.parametrize("policy", sorted(CURES))
def test_a_reclassification_cannot_cure_a_breach(tmp_path: Path, cli, policy: str) -> None:
    """Issue 19 item 1, for every policy that has a reclassifiable field a clock reads: the change is
    recorded, and `show`, the sweep and the report all keep the breach."""
    clock, given, after, edit = CURES[policy]
    _store(tmp_path, cli, policy)
    at = "2026-11-16T10:15" if policy == "metro" else "2026-11-16T10:00"
    complaint = _log(cli, policy, at, *given)
    due = _deadline(cli, complaint, at, clock)["due"]
    assert _deadline(cli, complaint, after, clock)["state"] == "breached"
    done = cli("--now", after, "act", complaint, "edit", edit)
    assert done.code == 0, done
    field, value = edit.split("=")
    assert json.loads(cli("--now", after, "show", complaint, "--json").out)["history"][-1][field] == value
    found = _deadline(cli, complaint, after, clock)
    assert (found["state"], found["due"]) == ("breached", due)
    swept = cli("--now", after, "sweep", "--dry-run", "--json")
    if policy != "metro":  # a stopped clock is nothing the sweep escalates; it stays breached above
        recorded = {(item["id"], item["clock"]) for item in json.loads(swept.out)["recorded"]}
        assert (complaint, clock) in recorded
    report = cli("--now", after, "report", "--period", "2026-11", "--format", "json")
    assert report.code == 0, report
    figures = json.loads(report.out)["figures"]
    assert (figures[f"clock.{clock}.timed"]["value"], figures[f"clock.{clock}.on_time"]["value"]) == (1, 0)


def test_a_reclassification_before_the_due_time_moves_it(tmp_path: Path, cli) -> None:
    _store(tmp_path, cli, "wedding")
    complaint = _log(cli, "wedding", "2026-11-16T10:00")
    assert cli("--now", "2026-11-16T15:00", "act", complaint, "edit", "severity=complex").code == 0
    found = _deadline(cli, complaint, "2026-11-16T15:00", "solution")
    assert (found["state"], found["due"]) == ("running", "2026-11-19T18:00:00+08:00")  # 3 working days


def test_a_case_found_complex_later_owes_its_notice_from_receipt(tmp_path: Path, cli) -> None:
    """Tourism 五.2: the 10-working-day notice of a complex case counts from receipt, even when the
    case is found complex on day 3."""
    _store(tmp_path, cli, "tourism")
    complaint = _log(cli, "tourism", "2026-11-16T10:00")  # Monday
    shown = json.loads(cli("--now", "2026-11-18T10:00", "show", complaint, "--json").out)
    assert "extension_notice" not in {row["name"] for row in shown["deadlines"]}
    assert cli("--now", "2026-11-19T10:00", "act", complaint, "edit", "severity=complex").code == 0
    found = _deadline(cli, complaint, "2026-11-19T10:00", "extension_notice")
    assert found["state"] == "running"
    assert found["started_at"] == "2026-11-16T10:00:00+08:00"
    assert found["due"] == "2026-11-30T18:00:00+08:00"  # the 10th working day after Monday 16 Nov


# -- who may change the facts ------------------------------------------------------------------------

FRONTLINE, RECEPTION, HEAD = "小李", "前台", "刘经理"
WEDDING_PEOPLE = {FRONTLINE: ["frontline"], RECEPTION: ["reception"], HEAD: ["department_head"]}


def _people(people: dict[str, list[str]]) -> None:
    """A `people:` list in the store's settings (the current directory)."""
    lines = ["people:"]
    for name, roles in people.items():
        lines += [f"  - name: {name}", f"    roles: [{', '.join(roles)}]"]
    settings = Path("complaintctl.yaml")
    settings.write_text(settings.read_text("utf-8") + "\n".join(lines) + "\n", encoding="utf-8")


def test_front_line_staff_may_not_reclassify_but_the_department_head_may(tmp_path: Path, cli) -> None:
    """The wedding report of issue 19: front-line staff made a normal complaint complex. Wedding 三.3's
    severity is changed only by the department head or management (policies/wedding.yaml `changes`)."""
    _store(tmp_path, cli, "wedding")
    _people(WEDDING_PEOPLE)
    complaint = _log(cli, "wedding", "2026-11-16T10:00", "--severity", "normal", "--by", RECEPTION)
    refused = cli("--now", "2026-11-16T11:00", "act", complaint, "edit", "severity=complex",
                  "--by", FRONTLINE)
    assert refused.code != 0
    assert refused.err.strip().endswith(
        "小李 may not change severity (三.3): only department head / management may (their roles: front-line "
        "staff)")
    shown = json.loads(cli("--now", "2026-11-16T11:00", "show", complaint, "--json").out)
    assert shown["severity"] == "normal" and len(shown["history"]) == 1  # nothing written
    done = cli("--now", "2026-11-16T11:00", "act", complaint, "edit", "severity=complex", "--by", HEAD)
    assert done.code == 0, done
    assert _deadline(cli, complaint, "2026-11-16T11:00", "solution")["due"] == "2026-11-19T18:00:00+08:00"
    # what the department head may do is checked again by `check`, as every stored event is
    assert cli("--now", "2026-11-16T11:00", "check").code == 0


def test_a_refusal_names_the_roles_in_chinese(tmp_path: Path, cli) -> None:
    root = tmp_path / "wedding"
    assert cli("init", root, "--policy", "wedding", "--language", "zh").code == 0
    os.chdir(root)
    _people(WEDDING_PEOPLE)
    complaint = _log(cli, "wedding", "2026-11-16T10:00", "--severity", "normal", "--by", RECEPTION)
    refused = cli("--now", "2026-11-16T11:00", "act", complaint, "edit", "channel=online", "--by", FRONTLINE)
    assert refused.code != 0
    assert ("小李 无权更改投诉渠道(二.2):只有投诉受理人员 / 公司管理层可以更改(其角色:一线服务人员)"
            in refused.err)


def test_completing_what_the_intake_left_out_is_no_change(tmp_path: Path, cli) -> None:
    """A severity never set is given by whoever completes the record; replacing it needs the rule."""
    _store(tmp_path, cli, "wedding")
    _people(WEDDING_PEOPLE)
    complaint = _log(cli, "wedding", "2026-11-16T10:00", "--by", RECEPTION)
    edit = ("act", complaint, "edit")
    assert cli("--now", "2026-11-16T10:30", *edit, "severity=normal", "--by", FRONTLINE).code == 0
    assert cli("--now", "2026-11-16T10:40", *edit, "severity=complex", "--by", FRONTLINE).code != 0


def test_a_change_only_in_the_states_the_policy_names(tmp_path: Path, cli) -> None:
    """`changes: [{field: severity, from: [received]}]` in an office's own policy: once assigned, no one
    may change the severity; the refusal says when one could."""
    text = (Path(__file__).parents[1] / "policies" / "wedding.yaml").read_text("utf-8")
    old = "  - {field: severity, roles: [department_head, management], from: '*', clause: 三.3}"
    assert text.count(old) == 1
    (tmp_path / "mine.yaml").write_text(
        text.replace(old, old.replace("from: '*'", "from: [received]")), encoding="utf-8")
    assert cli("init", tmp_path / "store", "--policy", tmp_path / "mine.yaml", "--language", "en").code == 0
    os.chdir(tmp_path / "store")
    _people(WEDDING_PEOPLE)
    complaint = _log(cli, "wedding", "2026-11-16T10:00", "--severity", "normal", "--by", RECEPTION)
    assigned = cli("--now", "2026-11-16T10:10", "act", complaint, "assign", "to=" + HEAD, "--by", RECEPTION)
    assert assigned.code == 0, assigned
    refused = cli("--now", "2026-11-16T10:20", "act", complaint, "edit", "severity=complex", "--by", HEAD)
    assert refused.code != 0
    assert ("severity cannot be changed while the complaint is passed to the department head (三.3); it can "
            "be changed when it is recorded") in refused.err


def test_policy_check_refuses_a_field_a_clock_reads_without_roles(tmp_path: Path, cli) -> None:
    """The reclassifiable fields come from the policy: tourism's severity is read by the handling
    clock's limits, the extension notice's `applies` and the report's groups."""
    text = (Path(__file__).parents[1] / "policies" / "tourism.yaml").read_text("utf-8")
    line = ("  - {field: severity, roles: [department_head, supervisor, complaint_team], from: '*', "
            "clause: 五.2}\n")
    assert text.count(line) == 1
    (tmp_path / "tourism.yaml").write_text(text.replace(line, ""), encoding="utf-8")
    checked = cli("policy", "check", tmp_path / "tourism.yaml")
    assert checked.code != 0
    assert ("'severity' is read by clock handling, clock extension_notice, report: `changes` must name the "
            "roles that may change it") in checked.out + checked.err
    # a category a guard reads (manufacturing 5.1.2: only a quality complaint goes to QA) likewise
    text = (Path(__file__).parents[1] / "policies" / "manufacturing.yaml").read_text("utf-8")
    start = text.index("  - {field: category,")
    (tmp_path / "manufacturing.yaml").write_text(text[:start] + text[text.index("\n", start) + 1:],
                                                 encoding="utf-8")
    checked = cli("policy", "check", tmp_path / "manufacturing.yaml")
    assert checked.code != 0
    assert ("'category' is read by clock qa_transfer, action transfer_to_qa, action visit, action close, "
            "report") in checked.out + checked.err
