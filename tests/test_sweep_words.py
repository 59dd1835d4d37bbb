"""What the sweep says in cron's mail (issue 20.8): notices deferred outside working hours are reported
as deferred, with when they will go, never as mailed; the deferred digest says all the immediate one
would (the severity it raised included); `--commit` outside git still prints what was recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")

from test_sweep import act, escalations, log, make_store, run_cli  # noqa: E402
from test_sweep_mail import Inbox, metro_store, port, server  # noqa: E402, F401

from complaintctl.store.directory import Store  # noqa: E402


def opinion_overdue(store: Store) -> str:
    b = log(store, "2026-11-20T09:00", "王五", logged="2026-11-20T09:05")
    act(store, b, "assign", "2026-11-20T09:30", "王五", to="李四", department="车站运营部")
    return b  # its initial opinion is due Wed 2026-11-25 18:00 and raises the severity to major


def test_a_night_sweep_says_deferred_and_when(tmp_path: Path, port: int, server: Inbox) -> None:  # noqa: F811
    store = metro_store(tmp_path, port)
    b = opinion_overdue(store)
    code, out, err = run_cli("--store", store.root, "--now", "2026-11-25T22:00", "sweep")
    assert code == 0, err
    assert server.messages == []
    assert "notice sent" not in out and "mailed" not in out
    assert "王五 <wangwu@example.com>  (notice deferred until 2026-11-26T09:00:00+08:00)" in out, out
    assert ("notice to 王五 <wangwu@example.com> deferred until 2026-11-26T09:00:00+08:00 (1 item(s)): "
            "outside working hours") in out, out
    assert "severity raised to major" in out
    assert escalations(store, b)[-1].get("notified") is None

    code, out, err = run_cli("--store", store.root, "--now", "2026-11-26T09:01", "sweep", "--verbose")
    assert code == 0, err
    assert "notice sent to 王五 <wangwu@example.com> (1 item(s))" in out
    digest = server.by_person()["wangwu@example.com"]
    assert b in digest and "late by" in digest
    assert "severity raised to major" in digest  # as the immediate notice would have said
    receipt = escalations(store, b)[-1]
    assert receipt["notified"] == ["王五", "周静"] and "severity" not in receipt  # raised once, not again


def test_a_night_sweep_in_json(tmp_path: Path, port: int, server: Inbox) -> None:  # noqa: F811
    store = metro_store(tmp_path, port)
    b = opinion_overdue(store)
    code, out, err = run_cli("--store", store.root, "--now", "2026-11-25T22:00", "sweep", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["deferred_until"] == "2026-11-26T09:00:00+08:00"
    waiting = {entry["person"]: entry["complaints"] for entry in data["deferred_to"]}
    assert waiting == {"周静": [b], "王五": [b]}
    assert data["notices"] == []


def test_a_night_sweep_in_a_chinese_store(tmp_path: Path, port: int, server: Inbox) -> None:  # noqa: F811
    store = metro_store(tmp_path, port)
    settings = store.root / "complaintctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: en", "language: zh"),
                        encoding="utf-8")
    opinion_overdue(store)
    code, out, err = run_cli("--store", store.root, "--now", "2026-11-25T22:00", "sweep")
    assert code == 0, err
    assert "通知推迟至 2026-11-26T09:00:00+08:00 发送" in out and "非工作时间" in out, out


def test_commit_outside_git_prints_what_was_recorded_then_the_error(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", "metro")
    a = log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")
    code, out, err = run_cli("--store", store.root, "--now", "2026-11-24T09:00", "sweep", "--commit")
    assert code == 1
    assert "recorded 1 escalation(s)" in out and a in out, out
    assert "not in a git repository" in err, err
    assert len(escalations(store, a)) == 1  # recorded, and said so
    code, out, err = run_cli("--store", store.root, "--now", "2026-11-24T09:05", "sweep", "--commit")
    assert (code, out) == (0, ""), err  # nothing new: nothing to commit, no error
