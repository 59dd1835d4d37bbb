"""The one write path (issue 17 item 3, issue 18 items 2 and 4): every change to a record goes through
`app.write` — under the record's lock, against its latest history, validated by the one validation,
written atomically — and the tool never writes what it cannot read back. Each class of problem has a
test named after it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import LOG_ARGS, NOW, USER, record_file

from complaintctl.base.fsutil import FileLock
from complaintctl.records.record import Record
from complaintctl.store import directory

REAL = "2026-11-20T18:00:00+08:00"  # the real clock of the tests that set it: an hour after NOW


def _events(store: Path, complaint: str) -> list[dict[str, object]]:
    return Record.read(record_file(store, complaint)).history


def _append(store: Path, complaint: str, block: str) -> None:
    path = record_file(store, complaint)
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")


# -- concurrency -----------------------------------------------------------------------------------

def test_parallel_actions_queue_on_the_lock_and_none_is_refused_or_lost(store: Path, cli) -> None:
    """20 processes act on one complaint at once, on the real clock (no --now, no --at): each waits for
    the lock, is applied to the history as it is then, and lands; none is refused for an order it did
    not ask for."""
    result = cli("log", *LOG_ARGS)
    assert result.code == 0, result
    complaint = result.out.split()[1]
    env = {**os.environ, "COMPLAINTCTL_STORE": str(store), "COMPLAINTCTL_USER": USER,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parents[1]),
                                                       os.environ.get("PYTHONPATH")]))}
    env.pop("COMPLAINTCTL_NOW", None)
    command = [sys.executable, "-m", "complaintctl"]
    actions = [["assign", complaint, "--to", f"李{n}", "--department", "车站运营部"] if n % 2 else
               ["note", complaint, f"note {n}"] for n in range(20)]
    processes = [subprocess.Popen([*command, *action], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for action in actions]
    outcomes = [(process.wait(timeout=120), process.stderr.read() if process.stderr else "")
                for process in processes]
    for process in processes:
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    assert all(code in (0, 75) for code, _ in outcomes), outcomes
    assert not any("before the last event" in err for _, err in outcomes), outcomes
    applied = sum(1 for code, _ in outcomes if code == 0)
    history = _events(store, complaint)
    assert len(history) == 1 + applied  # the log, and every action that exited 0: none lost
    assert applied >= 15  # a 30 s lock is not held too long by 20 short actions, even on a busy machine
    notes = sorted(str(event["text"]) for event in history if event["action"] == "note")
    assert len(notes) == sum(1 for (code, _), action in zip(outcomes, actions, strict=True)
                             if code == 0 and action[0] == "note")
    times = [datetime.fromisoformat(str(event["at"])) for event in history]
    assert times == sorted(times)
    assert cli("check").code == 0


def test_a_lock_held_too_long_exits_75(logged: str, store: Path, cli,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(directory, "LOCK_TIMEOUT", 0.3)
    with FileLock(store / ".complaintctl" / "locks" / f"{logged}.lock"):
        result = cli("--now", NOW, "note", logged, "waiting")
    assert result.code == 75 and "locked by another process; try again" in result.err, result
    assert len(_events(store, logged)) == 1


def test_an_explicit_at_before_the_last_event_is_still_refused(logged: str, store: Path, cli) -> None:
    assert cli("--now", NOW, "note", logged, "first").code == 0
    result = cli("--now", NOW, "note", logged, "late", "--at", "2026-11-20T16:30")
    assert result.code == 2 and "--at 2026-11-20T16:30:00+08:00 is before the last event" in result.err


def test_a_now_before_the_last_event_is_refused_naming_now(logged: str, store: Path, cli) -> None:
    result = cli("--now", "2026-11-20T16:30", "note", logged, "x")
    assert result.code == 2 and "--now 2026-11-20T16:30:00+08:00 is before the last event" in result.err


# -- the real clock --------------------------------------------------------------------------------

def test_future_now_on_note_is_refused(logged: str, store: Path, cli, real_clock) -> None:
    real_clock(REAL)
    result = cli("--now", "2026-11-21T18:00", "note", logged, "from tomorrow")
    assert result.code == 2, result
    assert "--now 2026-11-21T18:00:00+08:00 is later than the real clock (2026-11-20T18:00:00+08:00)" \
        in result.err and "nothing was written" in result.err
    assert len(_events(store, logged)) == 1
    assert cli("--now", "2026-11-21T18:00", "show", logged).code == 0  # views may look ahead
    assert cli("--now", "2026-11-20T18:04", "note", logged, "clocks differ a little").code == 0


def test_future_now_sweep_writes_no_future_events(logged: str, store: Path, cli, real_clock) -> None:
    real_clock(REAL)
    before = record_file(store, logged).read_text(encoding="utf-8")
    result = cli("--now", "2026-12-20T10:00", "sweep", "--no-mail")
    assert result.code == 2 and "is later than the real clock" in result.err, result
    dry = cli("--now", "2026-12-20T10:00", "sweep", "--dry-run")
    assert dry.code == 0 and "would record" in dry.out, dry  # a preview of the future is fine
    assert record_file(store, logged).read_text(encoding="utf-8") == before
    assert cli("--now", "2026-11-20T17:59", "sweep", "--no-mail").code == 0


def test_future_event_in_a_stored_record_stops_real_time_actions_with_a_clear_line(
        logged: str, store: Path, cli) -> None:
    future = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0).isoformat()
    _append(store, logged, f"  - at: {future}\n    by: {USER}\n    action: note\n    text: ahead\n")
    result = cli("note", logged, "now")
    assert result.code == 1 and "later than the real clock" in result.err and "check" in result.err, result
    checked = cli("check")
    assert checked.code == 1 and f"at {future} is later than the real clock" in checked.out


# -- text that reads back --------------------------------------------------------------------------

def test_control_character_is_refused_at_input(logged: str, store: Path, cli) -> None:
    result = cli("--now", NOW, "note", logged, "title\x1b]0;pwned\x07")
    assert result.code == 1 and "text: the control character U+001B is not allowed" in result.err, result
    result = cli("--now", NOW, "log", *LOG_ARGS[:2], "--subject", "bell\x07", *LOG_ARGS[4:])
    assert result.code == 1 and "subject: the control character U+0007" in result.err, result
    assert len(list((store / "complaints").rglob("*.yaml"))) == 1
    assert cli("--now", NOW, "note", logged, "line one\n\tline two").code == 0


def test_lone_surrogate_is_refused_at_input(logged: str, store: Path, cli) -> None:
    result = cli("--now", NOW, "note", logged, "caf\udce9")  # a Latin-1 byte through surrogateescape
    assert result.code == 1 and "text: not valid UTF-8 text (a lone surrogate U+DCE9" in result.err, result
    assert len(_events(store, logged)) == 1


def test_record_past_the_read_limit_is_refused_suggesting_attach(logged: str, store: Path, cli) -> None:
    assert cli("--now", NOW, "note", logged, "x" * (4 * 1024 * 1024)).code == 0
    result = cli("--now", NOW, "note", logged, "y" * (1024 * 1024 + 1))
    assert result.code == 1, result
    assert "past the 5 MB a record may hold" in result.err
    assert f"complaintctl attach {logged} FILE" in result.err
    assert len(_events(store, logged)) == 2
    assert cli("--now", NOW, "show", logged).code == 0


def test_edit_names_only_intake_fields_and_stores_codes(logged: str, store: Path, cli) -> None:
    result = cli("--now", NOW, "act", logged, "edit", "colour=red")
    assert result.code == 1 and "edit: unknown field colour" in result.err, result
    assert cli("--now", NOW, "act", logged, "edit", "severity=bogus").code == 2
    assert cli("--now", NOW, "act", logged, "edit", "severity=重要").code == 0
    assert _events(store, logged)[-1]["severity"] == "major"


# -- check applies the same validation -------------------------------------------------------------

def _check_lines(cli) -> list[str]:
    result = cli("check")
    assert result.code == 1, result
    return result.out.splitlines()


def test_check_reports_a_choice_code_the_policy_does_not_have(logged: str, store: Path, cli,
                                                              real_clock) -> None:
    real_clock(REAL)
    assert cli("--now", NOW, "assign", logged, "--to", "李四", "--department", "车站运营部").code == 0
    assert cli("--now", NOW, "act", logged, "propose", "opinion=检修", "cause=staff_attitude").code == 0
    path = record_file(store, logged)
    path.write_text(path.read_text(encoding="utf-8").replace("cause: staff_attitude", "cause: bogus_code"),
                    encoding="utf-8")
    (line,) = _check_lines(cli)
    assert line.startswith(f"complaints/2026/11/{logged}.yaml:")
    assert "cause: 'bogus_code' is not allowed" in line


def test_check_reports_a_bool_that_is_not_yes_or_no(tmp_path: Path, cli, real_clock) -> None:
    real_clock(REAL)
    root = tmp_path / "tourism"
    assert cli("init", root, "--policy", "tourism", "--office", "TR", "--language", "en").code == 0
    os.chdir(root)
    result = cli("--now", NOW, "log", "--channel", "phone", "--subject", "行程变更", "--description",
                 "导游擅自改行程", "--name", "张三", "--phone", "13800138000", "--category", "in_sale")
    assert result.code == 0, result
    complaint = result.out.split()[1]
    _append(root, complaint, f"  - at: {NOW}\n    by: {USER}\n    action: confirm\n    confirmed: maybe\n")
    assert any("confirmed: 'maybe' is not yes/no" in line for line in _check_lines(cli))


def test_check_reports_a_future_event(logged: str, store: Path, cli, real_clock) -> None:
    real_clock(REAL)
    _append(store, logged, f"  - at: 2026-11-22T10:00:00+08:00\n    by: {USER}\n    action: note\n"
                           "    text: x\n")
    (line,) = _check_lines(cli)
    assert line == (f"complaints/2026/11/{logged}.yaml:18: at 2026-11-22T10:00:00+08:00 is later than the "
                    "real clock (2026-11-20T18:00:00+08:00) by more than 5 minutes; a future --now is "
                    "only for read-only views and tests")


def test_check_reports_an_empty_note(logged: str, store: Path, cli, real_clock) -> None:
    real_clock(REAL)
    _append(store, logged, f"  - at: {NOW}\n    by: {USER}\n    action: note\n    text: ''\n")
    (line,) = _check_lines(cli)
    assert line.endswith("note: the field text is required")


def test_check_reports_a_control_character(logged: str, store: Path, cli, real_clock) -> None:
    real_clock(REAL)
    _append(store, logged, f"  - at: {NOW}\n    by: {USER}\n    action: note\n    text: \"\\e[2J\"\n")
    (line,) = _check_lines(cli)
    assert line.endswith("text: the control character U+001B is not allowed (only newline and tab)")


def test_check_reports_a_lone_surrogate(logged: str, store: Path, cli, real_clock) -> None:
    real_clock(REAL)
    _append(store, logged, f"  - at: {NOW}\n    by: {USER}\n    action: note\n    text: \"caf\\uDCE9\"\n")
    (line,) = _check_lines(cli)
    assert "text: not valid UTF-8 text (a lone surrogate U+DCE9" in line


def test_check_reports_a_byte_that_is_not_utf8(logged: str, store: Path, cli) -> None:
    path = record_file(store, logged)
    path.write_bytes(path.read_bytes().replace("闸机重复扣费".encode(), "caf\xe9".encode("latin-1")))
    (line,) = _check_lines(cli)
    assert line.startswith(f"complaints/2026/11/{logged}.yaml:9: ") and "not UTF-8 text" in line


def test_check_reports_bad_escalation_fields(logged: str, store: Path, cli, real_clock) -> None:
    real_clock(REAL)
    _append(store, logged, f"  - at: {NOW}\n    by: sweep\n    action: escalate\n    clock: dispatch\n"
                           "    due: someday\n    level: panic\n")
    lines = _check_lines(cli)
    assert any("due: 'someday' is not an instant" in line for line in lines)
    assert any("level: 'panic' is not allowed" in line for line in lines)


def test_check_reports_a_person_without_the_role_where_the_store_lists_people(
        logged: str, store: Path, cli, real_clock) -> None:
    real_clock(REAL)
    settings = store / "complaintctl.yaml"
    people = f"people:\n  - name: {USER}\n    roles: [centre]\n  - name: 李四\n    roles: [department]\n"
    settings.write_text(settings.read_text(encoding="utf-8") + people, encoding="utf-8")
    _append(store, logged, f"  - at: {NOW}\n    by: 李四\n    action: assign\n    to: 李四\n"
                           "    department: 车站运营部\n")
    (line,) = _check_lines(cli)
    assert line.endswith("李四 may not assign: it needs the role centre / manager (their roles: department)")


def test_an_import_row_with_a_control_character_imports_nothing(store: Path, cli, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("received_at,channel,category,complainant.name,subject,description,location\n"
                      "2026-11-02 10:00,phone,service_quality,张三,ok,fine,人民广场站\n"
                      "2026-11-03 10:00,phone,service_quality,李雷,bell\x07,fine,人民广场站\n",
                      encoding="utf-8")
    result = cli("--now", NOW, "import", ledger)
    assert result.code == 1 and ":3: subject: the control character U+0007" in result.err, result
    assert not list((store / "complaints").rglob("*.yaml"))
