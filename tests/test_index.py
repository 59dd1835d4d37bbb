"""The index follows the records whatever changes them, and a policy change moves derived deadlines."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from complaintctl.policy.loader import BUILTIN_DIR
from complaintctl.store import derive, index
from complaintctl.store.directory import Store
from tests.conftest import LOG_ARGS, NOW, record_file

OLD = 1_700_000_000  # 2023-11: a modification time well outside the racy window


def _age(path: Path, seconds: int = OLD) -> None:
    os.utime(path, (seconds, seconds))


def _log(cli, received: str = "2026-11-20T16:00") -> str:
    result = cli("--now", NOW, "log", *LOG_ARGS, "--received", received)
    assert result.code == 0, result
    return result.out.split()[1]


def _listed(cli, *args: str) -> list[dict]:
    result = cli("--now", NOW, "list", "--format", "json", *args)
    assert result.code == 0, result
    return json.loads(result.out)


def _refresh(root: Path) -> index.Refresh:
    with index.Index(Store.open(root)) as opened:
        return opened.refresh()


def test_an_edit_outside_the_tool_is_seen_even_with_the_same_size(store: Path, cli) -> None:
    complaint = _log(cli)
    assert cli("--now", NOW, "assign", complaint, "--to", "李四", "--department", "车站运营部").code == 0
    path = record_file(store, complaint)
    _age(path)
    assert [row["owner"] for row in _listed(cli)] == ["李四"]
    assert _refresh(store).derived == 0  # aged, so no longer racy: nothing to re-read

    text = path.read_text(encoding="utf-8")
    edited = text.replace("to: 李四", "to: 赵六")  # same length in bytes
    assert len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    _age(path, OLD + 60)  # as an editor saving a minute later would leave it
    assert [row["owner"] for row in _listed(cli)] == ["赵六"]


def test_a_file_changed_within_the_same_timestamp_tick_is_read_again(store: Path, cli) -> None:
    complaint = _log(cli)
    path = record_file(store, complaint)
    assert _refresh(store).derived == 1
    # Just written: racy, so it is derived again until its modification time is safely past.
    assert _refresh(store).derived == 1
    _age(path)
    assert _refresh(store).derived == 1
    assert _refresh(store).derived == 0


def test_deleted_and_merged_in_files(store: Path, cli, tmp_path: Path) -> None:
    first, second = _log(cli), _log(cli, "2026-11-20T16:30")
    for complaint in (first, second):
        _age(record_file(store, complaint))
    assert {row["id"] for row in _listed(cli)} == {first, second}

    record_file(store, first).unlink()
    assert {row["id"] for row in _listed(cli)} == {second}
    assert _refresh(store).removed == 0  # already dropped by the list above

    # A file arriving from elsewhere (a merge, a pull) with an old modification time.
    other = tmp_path / "other"
    assert cli("init", other, "--policy", "metro", "--office", "MT", "--language", "en").code == 0
    os.chdir(other)
    third = _log(cli, "2026-11-19T10:00")
    source = record_file(other, third)
    target = store / source.relative_to(other)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    _age(target, OLD - 1000)
    os.chdir(store)
    assert {row["id"] for row in _listed(cli)} == {second, third}


def test_a_policy_change_moves_the_derived_deadlines(store: Path, cli) -> None:
    policy = (BUILTIN_DIR / "metro.yaml").read_text(encoding="utf-8")
    (store / "policy.yaml").write_text(policy, encoding="utf-8")
    settings = store / "complaintctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("policy: metro", "policy: policy.yaml"),
                        encoding="utf-8")
    complaint = _log(cli)
    _age(record_file(store, complaint))

    def dispatch_due() -> str:
        (row,) = _listed(cli)
        return next(d["due"] for d in row["deadlines"] if d["name"] == "dispatch")

    assert dispatch_due() == "2026-11-23T18:00:00+08:00"  # 1 working day after Friday 17:00
    assert "{working_days: 1}" in policy
    (store / "policy.yaml").write_text(policy.replace("{working_days: 1}", "{working_days: 2}", 1),
                                       encoding="utf-8")
    assert dispatch_due() == "2026-11-24T18:00:00+08:00"


def test_a_damaged_index_is_rebuilt(store: Path, cli) -> None:
    complaint = _log(cli)
    assert [row["id"] for row in _listed(cli)] == [complaint]
    path = store / ".complaintctl" / index.INDEX_FILE
    for leftover in path.parent.glob(index.INDEX_FILE + "-*"):
        leftover.unlink()
    path.write_bytes(b"this is not a database" * 100)
    assert [row["id"] for row in _listed(cli)] == [complaint]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM records").fetchone() == (1,)


def test_deleting_the_index_loses_nothing_and_rebuild_says_so(store: Path, cli) -> None:
    complaint = _log(cli)
    before = _listed(cli)
    for leftover in (store / ".complaintctl").glob(index.INDEX_FILE + "*"):
        leftover.unlink()
    assert _listed(cli) == before
    result = cli("index", "--rebuild")
    assert result.code == 0 and "1 complaint(s); 1 derived" in result.out and "(rebuilt)" in result.out
    assert [row["id"] for row in _listed(cli)] == [complaint]


def test_many_records_are_derived_in_several_processes_alike(store: Path, cli,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [_log(cli, f"2026-11-{day:02d}T10:00") for day in range(2, 20)]
    serial = index.digests(Store.open(store))
    monkeypatch.setattr(derive, "PARALLEL_FROM", 1)
    with index.Index(Store.open(store)) as opened:
        assert opened.refresh(rebuild=True).derived == len(ids)
        assert opened.digests() == serial


def test_two_processes_refreshing_at_once_agree(store: Path, cli) -> None:
    for day in range(2, 12):
        _log(cli, f"2026-11-{day:02d}T10:00")
    script = Path(sys.executable).with_name("complaintctl")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "complaintctl"]
    runs = [subprocess.Popen([*command, "--store", str(store), "index", "--rebuild"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for process in runs:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    assert len(_listed(cli)) == 10
    assert _refresh(store).records == 10


def test_active_between_selects_what_a_period_needs(store: Path, cli) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    early, late = _log(cli, "2026-11-02T10:00"), _log(cli, "2026-11-19T10:00")
    tz = ZoneInfo("Asia/Shanghai")
    found = index.digests(Store.open(store), active_between=(datetime(2026, 11, 10, tzinfo=tz),
                                                             datetime(2026, 11, 15, tzinfo=tz)))
    assert [item.id for item in found] == [early]  # still open then; `late` was not yet received
    assert {item.id for item in index.digests(Store.open(store))} == {early, late}


def _owners(opened: index.Index) -> list[str]:
    return [str(item.owner) for item in opened.digests(open_only=True)]


def test_a_settled_read_runs_once_when_nothing_changed(store: Path, cli) -> None:
    complaint = _log(cli)
    assert cli("--now", NOW, "assign", complaint, "--to", "李四", "--department", "车站运营部").code == 0
    _age(record_file(store, complaint))
    _refresh(store)
    reads: list[list[str]] = []
    found = index.read_settled(Store.open(store), lambda opened: reads.append(_owners(opened)) or reads[-1])
    assert found == ["李四"] and len(reads) == 1


def test_a_settled_read_runs_again_after_an_edit_the_index_had_not_seen(store: Path, cli) -> None:
    complaint = _log(cli)
    assert cli("--now", NOW, "assign", complaint, "--to", "李四", "--department", "车站运营部").code == 0
    path = record_file(store, complaint)
    _age(path)
    _refresh(store)
    path.write_text(path.read_text(encoding="utf-8").replace("to: 李四", "to: 赵六"), encoding="utf-8")
    _age(path, OLD + 60)
    reads: list[list[str]] = []
    found = index.read_settled(Store.open(store), lambda opened: reads.append(_owners(opened)) or reads[-1])
    # the first read saw the index as it was (when a second core checked the files meanwhile)
    assert found == ["赵六"] and reads[-1] == ["赵六"] and len(reads) in (1, 2)
    if (os.cpu_count() or 1) >= 2:
        assert reads == [["李四"], ["赵六"]]
    assert _refresh(store).derived == 0  # the settled read took the edit in


def test_a_settled_read_of_a_record_mended_meanwhile_does_not_fail(store: Path, cli) -> None:
    complaint = _log(cli)
    path = record_file(store, complaint)
    good = path.read_text(encoding="utf-8")
    path.write_text("history: [\n", encoding="utf-8")
    _age(path)
    _refresh(store)  # the index knows the record as broken
    path.write_text(good, encoding="utf-8")
    _age(path, OLD + 60)
    found = index.read_settled(Store.open(store), _owners)
    assert len(found) == 1


def test_a_file_gone_between_the_scan_and_its_reading_leaves_no_row(store: Path, cli,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    kept, going = _log(cli), _log(cli, "2026-11-20T17:00")
    for complaint in (kept, going):
        _age(record_file(store, complaint))
    gone_path = record_file(store, going)
    index.index_path(Store.open(store)).unlink(missing_ok=True)
    read_with_stat = derive.read_with_stat

    def removed_first(path: str) -> tuple[bytes, int, int]:
        if path.endswith(gone_path.name):
            gone_path.unlink()  # as a pull running meanwhile would
        return read_with_stat(path)

    with monkeypatch.context() as patched, index.Index(Store.open(store)) as opened:
        patched.setattr(derive, "read_with_stat", removed_first)
        opened.refresh()
        assert opened.broken() == []
        assert [row[1] for row in opened.listed([], [])] == [kept]
    again = _refresh(store)  # its folder was left to be compared file by file: nothing to derive
    assert (again.derived, again.removed) == (0, 0)
    assert [row["id"] for row in _listed(cli)] == [kept]
