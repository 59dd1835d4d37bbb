"""Issue 17: every view of a complaint comes from one derivation. The reproduction of the issue (a long
place edited after logging was counted under "(none)" by a report, and under the first place once a
later note made the report fold the events itself), and `list --format json` against `show --json`
over generated stores of every policy."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from storekit import make_store

LONG_PLACE = "人民广场站二号出入口东侧自动售票机与闸机之间的通道靠近卫生间和便利店门口的位置再往前走十米"


def _groups(report_json: str) -> dict[str, object]:
    """The report's location groups: key → figures."""
    return {group["key"]: group["figures"] for group in json.loads(report_json)["groups"]["location"]}


def test_a_long_place_edited_after_logging_is_counted_under_it_before_and_after_a_later_note(
        store: Path, cli) -> None:
    logged = cli("--now", "2026-10-05T10:00", "log", "--channel", "phone", "--subject", "闸机重复扣费",
                 "--description", "出站时被扣两次费", "--category", "service_quality", "--name", "张三",
                 "--phone", "13800138000", "--location", "人民广场站")
    assert logged.code == 0, logged
    complaint = logged.out.split()[1]
    assert cli("--now", "2026-10-06T10:00", "act", complaint, "edit", f"location={LONG_PLACE}").code == 0

    def report(now: str) -> str:
        done = cli("--now", now, "report", "--period", "2026-10", "--group-by", "location",
                   "--format", "json")
        assert done.code == 0, done
        return done.out

    before = _groups(report("2026-11-02T10:00"))
    assert list(before) == [LONG_PLACE], before
    assert cli("--now", "2026-11-20T10:00", "note", complaint, "乘客来电询问进度").code == 0
    after = _groups(report("2026-11-20T11:00"))
    assert after == before


@pytest.mark.parametrize("policy", ["manufacturing", "metro", "service", "tourism", "wedding"])
def test_list_and_show_agree_on_every_complaint(policy: str, tmp_path: Path, cli) -> None:
    """Status, owner, department and every deadline of `list --format json` are those of `show --json`,
    for every complaint of a generated store (open and closed)."""
    root = tmp_path / "store"
    make_store.generate(root, 120, seed=11, now=datetime.fromisoformat(make_store.DEFAULT_NOW), policy=policy)
    os.chdir(root)
    now = make_store.DEFAULT_NOW
    rows = []
    for status in ("open", "closed"):
        listed = cli("--now", now, "list", "--status", status, "--format", "json")
        assert listed.code == 0, listed
        rows += json.loads(listed.out)
    assert len(rows) == 120
    for row in rows:
        shown = cli("--now", now, "show", row["id"], "--json")
        assert shown.code == 0, shown
        full = json.loads(shown.out)
        for key in ("status", "status_label", "owner", "department", "coordinator", "departments", "severity",
                    "overdue", "rejections", "reopenings"):
            assert row[key] == full[key], (row["id"], key)
        assert row["deadlines"] == full["deadlines"], row["id"]
