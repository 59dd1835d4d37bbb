"""`complaintctl explain ID [CLOCK]` and `complaintctl explain --changes` through the real CLI, in process."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import init_store, run_main

BY = ("--by", "王五")


class Store:
    """A store in tmp_path driven through the CLI."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys

    def ok(self, now: str, *args: str) -> str:
        code, out, err = run_main(self.capsys, "--store", str(self.root), "--now", now, *args)
        assert code == 0, err
        return out

    def log(self, now: str, *args: str) -> str:
        out = self.ok(now, "log", "--subject", "闸机重复扣费", "--description", "出站时被扣两次费",
                      "--name", "张三", *args, *BY)
        match = re.search(r"\b([A-Z]+-\d{6}-[0-9A-Z]{4}-\d+)\b", out)
        assert match, out
        return match.group(1)

    def act(self, now: str, complaint: str, action: str, *pairs: str) -> None:
        self.ok(now, "act", complaint, action, *pairs, *BY)

    def explain(self, now: str, *args: str) -> str:
        return self.ok(now, "explain", *args)


def make_store(tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str, *, git: bool = False,
               own_copy: str | None = None) -> Store:
    return Store(init_store(tmp_path, capsys, policy, git=git, own_copy=own_copy), capsys)


def day_lines(text: str) -> dict[str, str]:
    """The day lines of an explanation: {'2026-10-01': 'skipped: 国庆节', …}."""
    days = {}
    for line in text.splitlines():
        match = re.match(r"^\s+(\d{4}-\d\d-\d\d) \w{3}  (.*)$", line)
        if match:
            days[match.group(1)] = match.group(2)
    return days


# -- explain ID [CLOCK] ----------------------------------------------------------------------------


def test_three_working_days_over_national_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = make_store(tmp_path, capsys, "metro")
    complaint = store.log("2026-09-30T17:00", "--channel", "phone", "--category", "facilities",
                          "--location", "人民广场站", "--received", "2026-09-30T16:55")
    store.ok("2026-09-30T17:00", "assign", complaint, "--to", "李四", "--department", "车站运营部", *BY)
    out = store.explain("2026-10-09T10:00", complaint, "initial_opinion")
    assert "initial opinion (initial_opinion, 处理一.1)" in out
    assert "started 2026-09-30T17:00:00+08:00 by assign; limit 3 working days" in out
    assert day_lines(out) == {
        "2026-09-30": "start day, not counted",
        "2026-10-01": "skipped: 国庆节",
        "2026-10-02": "skipped: 国庆节",
        "2026-10-03": "skipped: 国庆节",
        "2026-10-04": "skipped: weekend",
        "2026-10-05": "skipped: 国庆节（补假）",
        "2026-10-06": "skipped: 休息日（由 2026-09-20 调休）",
        "2026-10-07": "skipped: 休息日（由 2026-10-10 调休）",
        "2026-10-08": "counted 9h: working day 1, 09:00-18:00",
        "2026-10-09": "counted 9h: working day 2, 09:00-18:00",
        "2026-10-10": "counted 9h: working day 3, 09:00-18:00 (make-up working day)",
    }
    assert "→ due 2026-10-10T18:00:00+08:00\n" in out
    assert "  due 2026-10-10T18:00:00+08:00: running" in out
    # the other clocks are left out when one is named
    assert "registration" not in out and "dispatch to department (dispatch" not in out


def test_every_clock_without_a_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = make_store(tmp_path, capsys, "metro")
    complaint = store.log("2026-09-30T17:00", "--channel", "phone", "--category", "facilities",
                          "--location", "人民广场站", "--received", "2026-09-30T16:55")
    out = store.explain("2026-10-09T10:00", complaint)
    assert out.startswith(f"{complaint}: status registered\n")
    # registration: 10 minutes of wall-clock time, met by the log at 17:00
    assert "started 2026-09-30T16:55:00+08:00 by received; limit 10 minutes" in out
    assert "  due 2026-09-30T17:05:00+08:00: met\n  stopped 2026-09-30T17:00:00+08:00 by log" in out
    # dispatch: 1 working day from receipt (处理一.1 "收到投诉信息后"), breached by now
    assert "started 2026-09-30T16:55:00+08:00 by received; limit 1 working day" in out
    assert "  due 2026-10-08T18:00:00+08:00: breached" in out
    assert "not started: it starts at assign or reject or reopen" in out


def test_unknown_clock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = make_store(tmp_path, capsys, "metro")
    complaint = store.log("2026-09-30T17:00", "--channel", "phone", "--category", "facilities",
                          "--location", "人民广场站")
    code, _, err = run_main(capsys, "--store", str(store.root), "explain", complaint, "nope")
    assert code != 0 and "metro has no clock 'nope'" in err and "initial_opinion" in err
    code, _, err = run_main(capsys, "--store", str(store.root), "explain")
    assert code != 0 and "name a complaint, or use --changes" in err


def paused_tourism(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Store, str]:
    """A store with its own copy of tourism whose handling clock runs until close and stands still
    while the customer is asked to confirm (`pause_in: [responded]`)."""
    store = make_store(tmp_path, capsys, "tourism", own_copy="my-tourism.yaml")
    path = store.root / "my-tourism.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    stop: [respond]\n    limit: {working_days: 7}\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "    stop: [close]\n    pause_in: [responded]\n"
                                      "    limit: {working_days: 7}\n"), encoding="utf-8")
    complaint = store.log("2026-09-30T17:00", "--channel", "phone", "--category", "in_sale")
    store.act("2026-10-08T10:00", complaint, "assign", "to=李四")
    store.act("2026-10-08T11:00", complaint, "investigate", "report=导游擅自改变行程")
    store.act("2026-10-08T11:30", complaint, "propose_plan", "plan=退还差价")
    store.act("2026-10-08T12:00", complaint, "approve_plan")
    store.act("2026-10-09T10:00", complaint, "respond", "result=已退还差价")
    return store, complaint


def test_a_paused_clock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, complaint = paused_tourism(tmp_path, capsys)
    out = store.explain("2026-10-09T11:00", complaint, "handling")
    assert "→ due 2026-10-15T18:00:00+08:00 by the limit alone" in out
    # left at 10:00 on Fri Oct 9: 8 h that day, 9 h on Sat Oct 10 (make-up) and Oct 12-15: 53 h
    assert ("paused since 2026-10-09T10:00:00+08:00 (waiting on the complainant): "
            "53h00 of working time left, counted again from the resume") in out
    assert "  due 2026-10-15T18:00:00+08:00: paused" in out

    # the customer appeals on Mon Oct 12 10:00: an appeal begins a new cycle, so the paused run ends and
    # a new one starts with the whole limit: 7 working days after Oct 12 → 13-16, 19-21 → Oct 21 18:00
    store.act("2026-10-12T10:00", complaint, "reopen", "reason=差价计算有误")
    out = store.explain("2026-10-12T11:00", complaint, "handling")
    assert "run 1 of 2: started 2026-09-30T17:00:00+08:00 by received" in out
    assert "run 2 of 2: started 2026-10-12T10:00:00+08:00 by reopen; limit 7 working days" in out
    assert ("paused 2026-10-09T10:00:00+08:00 → 2026-10-12T10:00:00+08:00 (waiting on the complainant)"
            in out)
    assert "  due 2026-10-21T18:00:00+08:00: running" in out


def test_an_extended_clock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = make_store(tmp_path, capsys, "tourism")
    complaint = store.log("2026-09-30T17:00", "--channel", "phone", "--category", "in_sale",
                          "--severity", "complex")
    store.act("2026-10-09T10:00", complaint, "extend", "clock=handling", "due=2026-10-30T18:00:00+08:00",
              "reason=需要向地接社取证")
    out = store.explain("2026-10-09T11:00", complaint, "handling")
    assert "handling and answer (handling, 五.1)" in out
    # a complex case's answer gives way to its 10-working-day notice (五.2), then to the extended date
    assert "started 2026-09-30T17:00:00+08:00 by received; limit 10 working days" in out
    assert day_lines(out)["2026-10-20"].startswith("counted 9h: working day 10")
    assert "→ due 2026-10-20T18:00:00+08:00 by the limit alone" in out
    assert ("extended 2026-10-09T10:00:00+08:00 by 王五: 2026-10-20T18:00:00+08:00 → "
            "2026-10-30T18:00:00+08:00 (需要向地接社取证)") in out
    assert "  due 2026-10-30T18:00:00+08:00: running" in out
    # the extension was the notice the complex complaint needed: that clock is met
    out = store.explain("2026-10-09T11:00", complaint, "extension_notice")
    assert "  due 2026-10-20T18:00:00+08:00: met\n  stopped 2026-10-09T10:00:00+08:00 by extend" in out


def test_a_fractional_limit_is_explained_day_then_hours(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    store = make_store(tmp_path, capsys, "metro", own_copy="my-metro.yaml")
    path = store.root / "my-metro.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    stop: [assign]\n    limit: {working_days: 1}\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("1}", "1.5}")), encoding="utf-8")
    complaint = store.log("2026-09-30T17:00", "--channel", "phone", "--category", "facilities",
                          "--location", "人民广场站")
    out = store.explain("2026-10-08T10:00", complaint, "dispatch")
    days = day_lines(out)
    assert days["2026-10-08"] == "counted 9h: working day 1, 09:00-18:00"
    assert days["2026-10-09"] == "counted 4h 30m: fraction 0.5 x 9h00: counted 4h30 of 09:00-18:00"
    assert "  due 2026-10-09T13:30:00+08:00: running" in out


# -- explain --changes -------------------------------------------------------------------------------


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                          capture_output=True, text=True, check=True)
    return done.stdout


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")


def metro_in_git(tmp_path: Path, capsys: pytest.CaptureFixture[str], own_copy: str | None = None
                 ) -> tuple[Store, dict[str, str]]:
    store = make_store(tmp_path, capsys, "metro", git=True, own_copy=own_copy)
    where = ("--channel", "phone", "--category", "facilities", "--location", "人民广场站")
    ids = {}
    # received before the holiday: dispatch due Thu Oct 8 18:00, the first working day after it
    ids["before"] = store.log("2026-09-30T17:00", *where)
    # assigned at once: initial opinion due Sat Oct 10 18:00 (3 working days: Oct 8, 9, 10)
    ids["assigned"] = store.log("2026-09-30T17:00", *where)
    store.ok("2026-09-30T17:05", "assign", ids["assigned"], "--to", "李四", "--department", "车站运营部", *BY)
    # received after Oct 8: dispatch due Sat Oct 10 18:00 (make-up working day), whatever Oct 8 is
    ids["after"] = store.log("2026-10-09T10:00", *where)
    # closed: nothing of it moves any more
    closed = ids["closed"] = store.log("2026-09-30T17:00", *where)
    store.ok("2026-09-30T17:10", "assign", closed, "--to", "李四", "--department", "车站运营部", *BY)
    for at, action, *pairs in [
        ("2026-10-08T10:00", "propose", "opinion=更换闸机", "cause=equipment_failure"),
        ("2026-10-08T11:00", "approve"),
        ("2026-10-08T12:00", "finish"),
        ("2026-10-08T13:00", "report_result", "result=已退款"),
        ("2026-10-08T14:00", "respond", "answer=已退款并致歉"),
        ("2026-10-08T15:00", "visit", "satisfaction=satisfied"),
        ("2026-10-08T16:00", "close"),
    ]:
        store.act(at, closed, action, *pairs)
    git(store.root, "add", "-A")
    git(store.root, "commit", "-q", "-m", "two complaints")
    return store, ids


@needs_git
def test_changes_of_a_company_closure_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, ids = metro_in_git(tmp_path, capsys)
    assert store.explain("2026-10-09T12:00", "--changes") == "no deadline of an open complaint moves\n"
    settings = store.root / "complaintctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "calendar:\n  days_off: [2026-10-08]\n",
                        encoding="utf-8")
    out = store.explain("2026-10-09T12:00", "--changes")
    assert out.splitlines() == [
        f"{ids['before']}  dispatch: 2026-10-08T18:00:00+08:00 → 2026-10-09T18:00:00+08:00 (+1d)",
        f"{ids['assigned']}  initial_opinion: 2026-10-10T18:00:00+08:00 → 2026-10-12T18:00:00+08:00 (+2d)",
        "2 deadline(s) of open complaints move",
    ]
    # nothing was written
    assert git(store.root, "status", "--porcelain").splitlines() == [" M complaintctl.yaml"]


@needs_git
def test_changes_of_the_stores_own_policy_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, ids = metro_in_git(tmp_path, capsys, own_copy="my-metro.yaml")
    assert "policy: my-metro.yaml" in (store.root / "complaintctl.yaml").read_text(encoding="utf-8")
    path = store.root / "my-metro.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    start: [received]\n    stop: [assign]\n    limit: {working_days: 1}\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("1}", "2}")), encoding="utf-8")
    out = store.explain("2026-10-09T12:00", "--changes")
    assert out.splitlines() == [
        f"{ids['before']}  dispatch: 2026-10-08T18:00:00+08:00 → 2026-10-09T18:00:00+08:00 (+1d)",
        # Fri Oct 9 10:00 + 2 working days: Sat Oct 10 (make-up), Mon Oct 12
        f"{ids['after']}  dispatch: 2026-10-10T18:00:00+08:00 → 2026-10-12T18:00:00+08:00 (+2d)",
        "2 deadline(s) of open complaints move",
    ]


@needs_git
def test_changes_need_a_commit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = make_store(tmp_path, capsys, "metro", git=True)
    code, _, err = run_main(capsys, "--store", str(store.root), "explain", "--changes")
    assert code != 0 and "not in git, or complaintctl.yaml is not committed" in err


def test_changes_take_no_complaint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = make_store(tmp_path, capsys, "metro")
    code, _, err = run_main(capsys, "--store", str(store.root), "explain", "--changes", "CC-260930")
    assert code == 2 and "--changes looks at every open complaint" in err
