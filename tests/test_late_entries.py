"""Issue 19 item 4, late entries: an action done earlier and typed in later (`--at`) is accepted after
the sweep's escalations recorded meanwhile; replay takes it at the time it happened; the escalation it
shows unfounded is withdrawn (in `show` and reports), never deleted. A person's own recorded actions
still bound `--at`. From the command line, on the shipped metro policy.

The file keeps the order events were entered (the late entry is appended, with `recorded_at`), so a git
diff of the record only adds lines at its end; replay orders by the time of the act.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import LOG_ARGS, record_file

from complaintctl.records import yamlio

# Received Fri 2026-11-20 16:00 by the hotline, registered at 16:04: dispatch (处理一.1) is due one
# working day after the day of receipt, Mon 2026-11-23 18:00.
RECEIVED, LOGGED = "2026-11-20T16:00:00+08:00", "2026-11-20T16:04:00+08:00"
SWEPT = "2026-11-24T09:00:00+08:00"  # the sweep finds dispatch breached and escalates it
DISPATCHED = "2026-11-23T10:00:00+08:00"  # the dispatch was made on time, Monday morning ...
TYPED = "2026-11-24T10:00:00+08:00"  # ... and typed in on Tuesday, after the sweep


@pytest.fixture
def escalated(store: Path, cli) -> str:
    done = cli("--now", LOGGED, "log", *LOG_ARGS, "--received", RECEIVED)
    assert done.code == 0, done
    complaint = done.out.split()[1]
    swept = cli("--now", SWEPT, "sweep", "--no-mail")
    assert swept.code == 0, swept
    history = yamlio.load_plain(record_file(store, complaint).read_text(encoding="utf-8"))["history"]
    assert [event["action"] for event in history] == ["log", "escalate"]
    assert history[1]["clock"] == "dispatch"
    return complaint


def _show(cli, complaint: str, now: str = TYPED) -> dict:
    shown = cli("--now", now, "show", complaint, "--json")
    assert shown.code == 0, shown
    return json.loads(shown.out)


def _dispatch(data: dict) -> dict:
    (row,) = [row for row in data["deadlines"] if row["name"] == "dispatch"]
    return row


def test_a_dispatch_made_on_time_typed_in_after_the_sweep_withdraws_its_escalation(
        store: Path, cli, escalated: str) -> None:
    assert _dispatch(_show(cli, escalated, SWEPT))["state"] == "breached"
    before = cli("--now", SWEPT, "report", "--period", "2026-11", "--format", "json")
    assert json.loads(before.out)["figures"]["escalated"]["value"] == 1
    done = cli("--now", TYPED, "act", escalated, "assign", "to=李四", "department=车站运营部",
               "--at", DISPATCHED)
    assert done.code == 0, done

    # the file: the late entry appended after the escalation, with when it was typed in
    history = yamlio.load_plain(record_file(store, escalated).read_text(encoding="utf-8"))["history"]
    assert [event["action"] for event in history] == ["log", "escalate", "assign"]
    assert (history[2]["at"], history[2]["recorded_at"]) == (DISPATCHED, TYPED)

    # replay by the time of the act: the dispatch met its due time, the escalation is withdrawn
    data = _show(cli, escalated)
    assert data["status"] == "dispatched"
    assert (_dispatch(data)["state"], data["overdue"]) == ("met", False)
    assert data["withdrawn_escalations"] == [1]
    text = cli("--now", TYPED, "show", escalated)
    assert text.code == 0, text
    (line,) = [line for line in text.out.splitlines() if "escalate" in line]
    assert "[withdrawn]" in line and "clock=dispatch" in line

    # the store still checks clean, and a report does not count the withdrawn escalation
    checked = cli("--now", TYPED, "check")
    assert checked.code == 0, checked
    report = cli("--now", TYPED, "report", "--period", "2026-11", "--format", "json")
    assert report.code == 0, report
    assert json.loads(report.out)["figures"]["escalated"]["value"] == 0

    # a later sweep has nothing to escalate again
    again = cli("--now", "2026-11-24T11:00:00+08:00", "sweep", "--no-mail", "--dry-run", "--json")
    assert again.code == 0, again
    assert escalated not in again.out


def test_an_escalation_stands_when_the_late_entry_came_too_late(store: Path, cli, escalated: str) -> None:
    # dispatched Tuesday 08:30, after the due time: entered after the sweep, the breach is real
    done = cli("--now", TYPED, "act", escalated, "assign", "to=李四", "department=车站运营部",
               "--at", "2026-11-24T08:30:00+08:00")
    assert done.code == 0, done
    data = _show(cli, escalated)
    assert _dispatch(data)["state"] == "breached"
    assert data["withdrawn_escalations"] == []


def test_a_persons_own_earlier_actions_still_bound_at(store: Path, cli, escalated: str) -> None:
    note = cli("--now", TYPED, "act", escalated, "note", "text=已电话联系乘客", "--at", "2026-11-23T11:00")
    assert note.code == 0, note
    # the dispatch at 10:00 would go before the note a person recorded at 11:00: refused, nothing written
    done = cli("--now", TYPED, "act", escalated, "assign", "to=李四", "department=车站运营部",
               "--at", DISPATCHED)
    assert done.code != 0
    assert "before the last event a person recorded (2026-11-23T11:00:00+08:00)" in done.err
    history = yamlio.load_plain(record_file(store, escalated).read_text(encoding="utf-8"))["history"]
    assert [event["action"] for event in history] == ["log", "escalate", "note"]
    # and never before the registration itself
    early = cli("--now", TYPED, "act", escalated, "note", "text=x", "--at", "2026-11-20T16:02")
    assert early.code != 0
