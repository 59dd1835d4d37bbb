"""The overdue sweep (issue 5): exact escalations under each shipped policy, idempotency, the store lock,
reopened complaints, output that fits cron, --dry-run, --json, --fail-on-overdue, --commit."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from complaintctl.app import operations, sweep
from complaintctl.base.messages import set_language
from complaintctl.store import projection
from complaintctl.store.directory import Store

TZ = ZoneInfo("Asia/Shanghai")
SCRIPT = Path(sys.executable).with_name("complaintctl")

PEOPLE: dict[str, dict[str, list[str]]] = {
    "metro": {"王五": ["centre"], "周静": ["manager", "centre"], "李四": ["department"]},
    "tourism": {"Ann": ["reception", "complaint_team"], "Bob": ["handler"], "Dora": ["department_head"],
                "Sam": ["supervisor"]},
    "wedding": {"Rita": ["reception"], "Mia": ["management"], "Hal": ["department_head"]},
    "service": {"Cara": ["customer_service"], "Sol": ["superior"], "Dan": ["department"]},
    "manufacturing": {"Cs": ["customer_service"], "Qm": ["qa_manager"], "Sa": ["sales"]},
}
INTAKE: dict[str, dict[str, Any]] = {
    "metro": {"channel": "phone", "complainant.name": "张三", "subject": "闸机重复扣费",
              "description": "出站时被扣两次费", "category": "service_quality", "location": "人民广场站"},
    "tourism": {"channel": "email", "complainant.name": "Lin", "subject": "hotel downgraded",
                "description": "booked 4 stars, got 3", "category": "in_sale"},
    "wedding": {"channel": "phone", "complainant.name": "Wu", "reference": "W-1", "subject": "late host",
                "description": "the host came an hour late", "category": "hosting"},
    "service": {"channel": "phone", "complainant.name": "Qian", "subject": "rude staff",
                "description": "shouted at", "category": "A"},
    "manufacturing": {"channel": "phone", "complainant.name": "Acme", "subject": "cracked housings",
                      "description": "batch 7 cracked", "category": "product_quality"},
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def iso(text: str) -> str:
    return at(text).isoformat()


def run_cli(*args: str) -> tuple[int, str, str]:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from complaintctl import cli

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            cli.main([str(a) for a in args])
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 0
    set_language("en")
    return code, out.getvalue(), err.getvalue()


def make_store(root: Path, policy: str, extra: str = "") -> Store:
    code, _, err = run_cli("init", root, "--policy", policy, "--office", "CC", "--language", "en")
    assert code == 0, err
    lines = ["people:"]
    for name, roles in PEOPLE[policy].items():
        lines += [f"  - name: {name}", f"    roles: [{', '.join(roles)}]",
                  f"    email: {name.lower()}@example.com" if name.isascii() else
                  f"    email: p{abs(hash(name)) % 1000}@example.com"]
    settings = root / "complaintctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\n".join(lines) + "\n" + extra,
                        encoding="utf-8")
    set_language("en")
    return Store.open(root)


def log(store: Store, received: str, by: str, logged: str | None = None, **fields: Any) -> str:
    intake = {**INTAKE[store.policy.policy], **{k.replace("__", "."): v for k, v in fields.items()}}
    when = logged or received
    outcome = operations.log(store, intake, by=by, now=at(when), at=iso(when), received=iso(received))
    return outcome.record.id


def act(store: Store, complaint: str, action: str, when: str, by: str, **fields: Any) -> None:
    operations.act(store, complaint, action, fields, by=by, now=at(when), at=iso(when))


def swept(store: Store, now: str, **options: Any) -> list[tuple[str, str, str, tuple[str, ...], str | None]]:
    """Sweep at `now`; what it recorded as (id, clock, level, to, severity), sorted."""
    result = sweep.sweep(store, at(now), **options)
    return sorted((e.id, e.clock, e.level, tuple(e.to), e.severity) for e in result.recorded)


def escalations(store: Store, complaint: str) -> list[dict[str, Any]]:
    return [e for e in store.read(complaint).history if e["action"] == "escalate"]


# -- exactly the expected escalations, under each shipped policy ----------------------------------

def test_metro_warning_then_breach_then_nothing_again(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "metro")
    a = log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")  # dispatch due Mon 18:00
    b = log(store, "2026-11-20T09:00", "王五", logged="2026-11-20T09:05")
    act(store, b, "assign", "2026-11-20T09:30", "王五", to="李四", department="车站运营部")
    # b's initial opinion: 3 working days after Fri → Wed 2026-11-25 18:00; warning at 80% → Wed 10:54

    assert swept(store, "2026-11-23T10:00") == []
    # a: 80% of the working time from receipt, Fri 16:00 → Mon 18:00 (11h), is 8h48m → Mon 15:48
    assert swept(store, "2026-11-23T15:47") == []
    assert swept(store, "2026-11-23T15:50") == [(a, "dispatch", "warning", ("周静",), None)]
    assert swept(store, "2026-11-23T16:00") == []
    assert swept(store, "2026-11-23T18:30") == [(a, "dispatch", "breach", ("周静",), None)]
    assert swept(store, "2026-11-23T18:31") == []
    assert swept(store, "2026-11-25T10:50") == []
    assert swept(store, "2026-11-25T11:00") == [(b, "initial_opinion", "warning", ("李四",), None)]
    assert swept(store, "2026-11-26T09:00") == [(b, "initial_opinion", "breach", ("王五", "周静"), "major")]
    assert swept(store, "2026-11-27T09:00") == []

    events = escalations(store, b)
    assert [(e["level"], e["due"], e["at"]) for e in events] == [
        ("warning", "2026-11-25T18:00:00+08:00", "2026-11-25T11:00:00+08:00"),
        ("breach", "2026-11-25T18:00:00+08:00", "2026-11-26T09:00:00+08:00")]
    assert events[1]["severity"] == "major" and events[1]["by"] == "sweep"
    assert projection.view_of(store, store.read(b)).value("severity") == "major"
    code, out, err = run_cli("--store", store.root, "check")
    assert code == 0, out + err


def test_a_breach_found_late_is_recorded_once_without_its_warning(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "metro")
    a = log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")
    assert swept(store, "2026-11-24T09:00") == [(a, "dispatch", "breach", ("周静",), None)]
    assert swept(store, "2026-11-24T09:00") == []
    assert swept(store, "2026-12-24T09:00") == []
    act(store, a, "assign", "2026-12-24T10:00", "王五", to="李四", department="车站运营部")
    assert swept(store, "2026-12-24T11:00") == []


def test_tourism_breach_after_an_extension_is_a_new_breach(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "tourism")
    c = log(store, "2026-11-23T10:00", "Ann")  # email: reply within 48 h; handling 7 wd → Wed 12-02 18:00
    assert swept(store, "2026-11-25T10:01") == [(c, "email_reply", "breach", ("Ann",), None)]
    act(store, c, "acknowledge", "2026-11-25T10:30", "Ann", reply="received, looking into it")
    assert swept(store, "2026-12-02T18:01") == [(c, "handling", "breach", ("Sam",), None)]
    # found complex only now: the breach stays (a reclassification takes effect when recorded), and only a
    # complex case is extended (五.2)
    act(store, c, "edit", "2026-12-03T08:59", "Sam", severity="complex")
    act(store, c, "extend", "2026-12-03T09:00", "Sam", clock="handling", due=iso("2026-12-09T18:00"),
        reason="the hotel must answer first")
    assert swept(store, "2026-12-03T10:00") == []
    assert swept(store, "2026-12-09T18:01") == [(c, "handling", "breach", ("Sam",), None)]
    assert swept(store, "2026-12-10T09:00") == []
    dues = [(e["clock"], e["due"]) for e in escalations(store, c)]
    assert dues == [("email_reply", "2026-11-25T10:00:00+08:00"), ("handling", "2026-12-02T18:00:00+08:00"),
                    ("handling", "2026-12-09T18:00:00+08:00")]


def test_wedding_hour_clocks_warn_and_breach_day_and_night(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "wedding")
    d = log(store, "2026-11-23T10:00", "Rita")  # gather 1 h (warn 10:48), solution 24 h (warn Tue 05:12)
    assert swept(store, "2026-11-23T10:47") == []
    assert swept(store, "2026-11-23T10:50") == [(d, "gather", "warning", ("Mia",), None)]
    assert swept(store, "2026-11-23T11:01") == [(d, "gather", "breach", ("Mia",), None)]
    assert swept(store, "2026-11-24T05:30") == [(d, "solution", "warning", ("Mia",), None)]
    assert swept(store, "2026-11-24T10:01") == [(d, "solution", "breach", ("Mia",), None)]
    assert swept(store, "2026-11-24T10:02") == []


def test_service_urgent_warns_at_half_and_raises_severity_only_upwards(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "service")
    e = log(store, "2026-11-23T10:00", "Cara", severity="urgent")  # urgent response 1 h, warn at 50%
    f = log(store, "2026-11-23T10:00", "Cara")  # resolution 5 wd → Mon 11-30 18:00, raises to major
    assert swept(store, "2026-11-23T10:29") == []
    assert swept(store, "2026-11-23T10:31") == [(e, "urgent_response", "warning", ("Sol",), None)]
    assert swept(store, "2026-12-01T09:00") == sorted([
        (e, "urgent_response", "breach", ("Sol",), None),
        (e, "resolution", "breach", ("Sol",), None),  # already urgent: not lowered to major
        (f, "resolution", "breach", ("Sol",), "major")])
    assert swept(store, "2026-12-01T09:00") == []


def test_manufacturing_half_day_to_qa_and_the_answer(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "manufacturing")
    g = log(store, "2026-11-23T10:00", "Sa")  # QA within 0.5 wd → 14:30; answer 5 wd → Mon 11-30 18:00
    assert swept(store, "2026-11-23T14:30") == [(g, "qa_transfer", "warning", ("Qm",), None)]
    assert swept(store, "2026-11-23T14:31") == [(g, "qa_transfer", "breach", ("Qm",), None)]
    assert swept(store, "2026-11-30T18:01") == [(g, "answer", "breach", ("Cs",), "major")]
    assert swept(store, "2026-12-30T18:01") == []


def test_reopened_long_after_brings_no_old_breaches(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "metro")
    m = log(store, "2026-09-01T10:00", "王五")
    steps = [("assign", "2026-09-10T10:00", "王五", {"to": "李四", "department": "车站运营部"}),
             ("propose", "2026-09-20T10:00", "李四", {"opinion": "退款", "cause": "equipment_failure"}),
             ("approve", "2026-09-28T10:00", "王五", {}),
             ("finish", "2026-10-12T10:00", "李四", {}),
             ("report_result", "2026-10-20T10:00", "李四", {"result": "已退款"}),
             ("respond", "2026-10-29T10:00", "王五", {"answer": "已退款"})]
    for action, when, by, fields in steps:  # every step late, nobody swept
        act(store, m, action, when, by, **fields)
    assert swept(store, "2026-11-02T10:00") == []
    act(store, m, "reopen", "2027-02-01T10:00", "王五", reason="不满意")
    assert swept(store, "2027-02-01T10:05") == []
    due = projection.view_of(store, store.read(m)).clocks["initial_opinion"][-1].due
    assert swept(store, due.replace(tzinfo=None).isoformat()) == [
        (m, "initial_opinion", "warning", ("李四",), None)]
    late = (due.replace(tzinfo=None).replace(minute=1)).isoformat()
    assert swept(store, late) == [(m, "initial_opinion", "breach", ("王五", "周静"), "major")]


def test_closed_complaints_are_not_evaluated(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "manufacturing")
    g = log(store, "2026-11-23T10:00", "Sa", category="service_quality")
    act(store, g, "note", "2026-11-23T10:10", "Sa", text="call back\n    action: close\n")
    act(store, g, "assign", "2026-11-23T10:20", "Cs", to="Sa")
    act(store, g, "find_unfounded", "2026-11-23T11:00", "Cs", finding="misread the invoice")
    result = sweep.sweep(store, at("2027-01-01T10:00"))
    assert (result.scanned, result.open, result.recorded) == (1, 0, [])


# -- the store lock: two sweeps at once ---------------------------------------------------------

def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTCTL_")}
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", **extra)
    return env


def _command() -> list[str]:
    return [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "complaintctl"]


def test_two_sweeps_started_together_record_each_breach_once(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "metro")
    ids = [log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05") for _ in range(40)]
    args = [*_command(), "--store", str(store.root), "--now", "2026-11-24T09:00", "sweep", "--json"]
    first = subprocess.Popen(args, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(args, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outs = [p.communicate(timeout=120) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), outs
    import json

    recorded = sorted(len(json.loads(out)["recorded"]) for out, _ in outs)
    assert recorded == [0, 40]
    for complaint in ids:
        assert [e["level"] for e in escalations(store, complaint)] == ["breach"]


def test_a_sweep_waits_a_bounded_time_then_exits_75(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "metro")
    log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")
    with store.store_lock("sweep"):
        code, out, err = run_cli("--store", store.root, "--now", "2026-11-24T09:00", "sweep", "--wait", "0.2")
    assert code == 75
    assert "another sweep is running" in err and "try again" in err
    code, out, _ = run_cli("--store", store.root, "--now", "2026-11-24T09:00", "sweep")
    assert code == 0 and "dispatch" in out


# -- output ---------------------------------------------------------------------------------------

def test_output_quiet_grouped_plain_and_exit_codes(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "metro")
    a = log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")
    b = log(store, "2026-11-20T09:00", "王五", logged="2026-11-20T09:05")
    act(store, b, "assign", "2026-11-20T09:30", "王五", to="李四", department="车站运营部")
    base = ("--store", store.root, "--now")
    assert run_cli(*base, "2026-11-23T10:00", "sweep") == (0, "", "")  # quiet run: nothing at all
    code, out, _ = run_cli(*base, "2026-11-23T10:00", "sweep", "--verbose")
    assert code == 0 and "nothing new" in out

    code, out, err = run_cli(*base, "2026-11-26T09:00", "sweep", "--dry-run")
    assert code == 0 and "would record 2" in out and "dry run" in out
    assert escalations(store, a) == [] and escalations(store, b) == []

    code, out, err = run_cli(*base, "2026-11-26T09:00", "sweep", "--fail-on-overdue")
    assert code == 3, out + err
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert lines[0] == "recorded 2 escalation(s) at 2026-11-26T09:00:00+08:00"
    # grouped by person: 周静 has both (manager for dispatch, centre for the opinion), 王五 one
    zhou = lines.index(next(line for line in lines if line.startswith("周静")))
    wang = lines.index(next(line for line in lines if line.startswith("王五")))
    assert lines[zhou + 1].startswith(f"  {a}  闸机重复扣费  dispatch to department [breached]: "
                                      "due 2026-11-23T18:00:00+08:00, late by 2d 15h")
    assert lines[zhou + 2].startswith(f"  {b}  闸机重复扣费  initial opinion [breached]: "
                                      "due 2026-11-25T18:00:00+08:00, late by 15h")
    assert "severity raised to major" in lines[zhou + 2]
    assert lines[wang + 1].startswith(f"  {b}  ")

    assert run_cli(*base, "2026-11-26T09:00", "sweep") == (0, "", "")  # nothing new, still overdue
    assert run_cli(*base, "2026-11-26T09:00", "sweep", "--fail-on-overdue")[0] == 3
    code, out, _ = run_cli(*base, "2026-11-26T09:00", "sweep", "--json")
    import json

    data = json.loads(out)
    assert data["recorded"] == [] and len(data["overdue"]) == 2 and data["open"] == 2


def test_json_lists_what_was_recorded(tmp_path: Path) -> None:
    import json

    store = make_store(tmp_path / "s", "metro")
    a = log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")
    code, out, _ = run_cli("--store", store.root, "--now", "2026-11-23T18:30", "sweep", "--json")
    assert code == 0
    data = json.loads(out)
    (item,) = data["recorded"]
    assert item["id"] == a and item["clock"] == "dispatch" and item["level"] == "breach"
    assert item["due"] == "2026-11-23T18:00:00+08:00" and item["late_seconds"] == 1800
    assert item["to"] == ["周静"] and data["dry_run"] is False


def test_a_sweep_writing_to_a_pipe_prints_no_escape_codes(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "metro")
    log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")
    env = {k: v for k, v in _env(TERM="xterm-256color", FORCE_COLOR="1").items() if k != "NO_COLOR"}
    done = subprocess.run([*_command(), "--store", str(store.root), "--now", "2026-11-24T09:00", "sweep"],
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "dispatch to department" in done.stdout
    assert "\x1b" not in done.stdout and "\x1b" not in done.stderr


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from complaintctl.cli import sweep_cmds

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert sweep_cmds._colour()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not sweep_cmds._colour()


def test_help_documents_the_exit_codes(tmp_path: Path) -> None:
    code, out, _ = run_cli("sweep", "--help")
    assert code == 0
    for words in ("Exit codes", "3 with --fail-on-overdue", "75", "--dry-run", "--json", "--commit"):
        assert words in " ".join(out.split()), words


def test_commit_makes_one_commit_listing_what_happened(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "metro")
    a = log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(store.root), *args], capture_output=True, text=True,
                              check=True, env=_env(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x",
                                                   GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@x")
                              ).stdout

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "store")
    os.environ.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x", GIT_COMMITTER_NAME="t",
                      GIT_COMMITTER_EMAIL="t@x")
    try:
        code, out, err = run_cli("--store", store.root, "--now", "2026-11-24T09:00", "sweep", "--commit")
    finally:
        for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
            os.environ.pop(name, None)
    assert code == 0, err
    assert "committed as" in out
    message = git("log", "-1", "--format=%B")
    assert message.startswith("sweep 2026-11-24T09:00:00+08:00: 1 breach(es), 0 warning(s)")
    assert f"- {a} dispatch breach (due 2026-11-23T18:00:00+08:00) → 周静" in message
    assert git("status", "--porcelain", "complaints") == ""
    assert git("rev-list", "--count", "HEAD").strip() == "2"
