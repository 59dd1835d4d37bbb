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


@pytest.mark.parametrize("policy,clock,before,after,edit", [
    # wedding 三.3: a normal complaint's solution within 24 hours; found complex two days later
    ("wedding", "solution", "normal", "2026-11-18T10:00", "severity=complex"),
    # service 5.1.3 (the office's limits): urgent 1 working day, normal 5; reassessed as normal
    ("service", "resolution", "urgent", "2026-11-20T10:00", "severity=normal"),
])
def test_a_reclassification_cannot_cure_a_breach(tmp_path: Path, cli, policy: str, clock: str, before: str,
                                                 after: str, edit: str) -> None:
    _store(tmp_path, cli, policy)
    complaint = _log(cli, policy, "2026-11-16T10:00", "--severity", before)
    due = _deadline(cli, complaint, "2026-11-16T10:05", clock)["due"]
    assert _deadline(cli, complaint, after, clock)["state"] == "breached"
    done = cli("--now", after, "act", complaint, "edit", edit)
    assert done.code == 0, done
    found = _deadline(cli, complaint, after, clock)
    assert (found["state"], found["due"]) == ("breached", due)
    swept = cli("--now", after, "sweep", "--dry-run", "--json")
    assert {(item["id"], item["clock"]) for item in json.loads(swept.out)["recorded"]} >= {(complaint, clock)}


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
