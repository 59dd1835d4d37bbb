"""`complaintctl archive` and `check`: the policy's retention (service 8.2.2, at least 5 years after
closing). Nothing younger is touched; after it, the complainant's personal data is replaced through the
write path in one commit, and reports give the same figures before and after."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from reportkit import Desk

from complaintctl.policy.loader import load_policy
from complaintctl.store.directory import Store

NOW = "2026-12-04T09:00"
PERSONAL = ("张三", "13800138000", "13912345678", "zs@example.com", "微信 zhangsan88")


def _close(desk: Desk, complaint_id: str, day: str) -> None:
    desk.act(complaint_id, "assign", f"{day}T11:00", to="李四", department="车站运营部")
    desk.act(complaint_id, "propose", f"{day}T12:00", by="李四", opinion="检修并致歉,张三已接受",
             cause="equipment_failure")
    desk.act(complaint_id, "approve", f"{day}T13:00")
    desk.act(complaint_id, "finish", f"{day}T14:00", by="李四")
    desk.act(complaint_id, "report_result", f"{day}T15:00", by="李四", result="已修复,已电话告知张三")
    desk.act(complaint_id, "respond", f"{day}T16:00", answer="已答复")
    desk.act(complaint_id, "visit", f"{day}T16:30", satisfaction="satisfied")
    desk.act(complaint_id, "close", f"{day}T17:00")


def _attach(desk: Desk, complaint_id: str, tmp_path: Path) -> None:
    from walkkit import instant

    from complaintctl.app import operations

    evidence = tmp_path / "录音13800138000.txt"  # a file named by the phone number stays findable
    evidence.write_text("录音", encoding="utf-8")
    operations.attach(desk.store, complaint_id, [evidence], by="王五", now=instant("2020-11-02T10:30"),
                      at=None)


def _log(desk: Desk, received: str) -> str:
    return desk.log(received, channel="phone", category="facilities", complainant__name="张三",
                    complainant__phone="13800138000", complainant__email="zs@example.com",
                    complainant__contact="微信 zhangsan88", subject="电梯停运,张三投诉",
                    description="电梯停运两小时,请回电 13912345678 或 zs@example.com。",
                    location="人民广场站")


@pytest.fixture
def desk(tmp_path: Path, real_clock) -> tuple[Desk, dict[str, str]]:  # type: ignore[no-untyped-def]
    real_clock(NOW)
    desk = Desk.make(tmp_path, "metro")
    old = _log(desk, "2020-11-02T10:00")  # closed 2020-11-03: past its 5 years on 2025-11-03
    _attach(desk, old, tmp_path)
    _close(desk, old, "2020-11-03")
    young = _log(desk, "2021-11-02T10:00")  # closed 2022-11-04: kept until 2027-11-04
    desk.act(young, "note", "2022-11-04T09:00", text="等待")
    _close(desk, young, "2022-11-04")
    still_open = _log(desk, "2020-06-01T10:00")  # open for ever: never archived
    root = desk.store.root
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "start"],
                   cwd=root, check=True)
    return desk, {"old": old, "young": young, "open": still_open}


def _text(store: Store, complaint_id: str) -> str:
    return store.path_of(complaint_id).read_text(encoding="utf-8")


def _report(cli, root: Path) -> dict:  # type: ignore[no-untyped-def]
    result = cli("--store", root, "--now", NOW, "report", "--since", "2020-01-01", "--format", "json")
    assert result.code == 0, result
    return json.loads(result.out)


def test_every_shipped_policy_names_its_retention() -> None:
    for name in ("tourism", "wedding", "metro", "manufacturing", "service"):
        policy = load_policy(name)
        assert policy.archive is not None and policy.archive.years == 5, name


def test_check_lists_only_the_records_past_retention(cli, desk) -> None:  # type: ignore[no-untyped-def]
    desk, ids = desk
    result = cli("--store", desk.store.root, "--now", NOW, "check")
    assert result.code == 0, result
    flagged = [line for line in result.err.splitlines() if "retention" in line]
    assert len(flagged) == 1 and ids["old"] in flagged[0] and "2025-11-03" in flagged[0], result.err
    earlier = cli("--store", desk.store.root, "--now", "2025-11-03T16:00", "check")
    assert "retention" not in earlier.err  # one hour before its 5 years end


def test_archive_refuses_what_is_young_or_open(cli, desk) -> None:  # type: ignore[no-untyped-def]
    desk, ids = desk
    before = {name: _text(desk.store, cid) for name, cid in ids.items()}
    young = cli("--store", desk.store.root, "--now", NOW, "archive", ids["young"])
    assert young.code != 0 and "2027-11-04" in young.err, young
    still_open = cli("--store", desk.store.root, "--now", NOW, "archive", ids["old"], ids["open"])
    assert still_open.code != 0 and ids["open"] in still_open.err, still_open
    assert {name: _text(desk.store, cid) for name, cid in ids.items()} == before  # not even the old one


def test_dry_run_lists_and_writes_nothing(cli, desk) -> None:  # type: ignore[no-untyped-def]
    desk, ids = desk
    before = {name: _text(desk.store, cid) for name, cid in ids.items()}
    result = cli("--store", desk.store.root, "--now", NOW, "archive", "--dry-run")
    assert result.code == 0, result
    assert ids["old"] in result.out and ids["young"] not in result.out and ids["open"] not in result.out
    assert {name: _text(desk.store, cid) for name, cid in ids.items()} == before


def test_archive_replaces_personal_data_and_keeps_the_figures(cli, desk) -> None:  # type: ignore[no-untyped-def]
    desk, ids = desk
    root = desk.store.root
    before = _report(cli, root)
    young_before = _text(desk.store, ids["young"])
    result = cli("--store", root, "--now", NOW, "archive", "--commit", "--by", "王五")
    assert result.code == 0, result
    assert ids["old"] in result.out and "git" in result.out  # and says that git history still holds it
    text = _text(desk.store, ids["old"])
    files = desk.store.read(ids["old"]).history[1]["files"]
    assert (desk.store.root / files[0]["path"]).is_file()  # the evidence is left as it is, and found
    text = "".join(line for line in text.splitlines(keepends=True) if "evidence/" not in line)
    for personal in PERSONAL:
        assert personal not in text, personal
    assert desk.store.read(ids["old"]).intake["archived_at"] == "2026-12-04T09:00:00+08:00"
    for kept in ("李四", "车站运营部", "equipment_failure", "人民广场站", "电梯停运", "已修复",
                 "2020-11-03T17:00"):
        assert kept in text, kept
    assert _text(desk.store, ids["young"]) == young_before
    assert "张三" in _text(desk.store, ids["open"])
    assert _report(cli, root) == before
    log = subprocess.run(["git", "log", "--format=%s%n%b", "-1", "--stat"], cwd=root, check=True,
                         capture_output=True, text=True).stdout
    assert ids["old"] in log and ids["young"] not in log and "1 file changed" in log, log
    assert subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True,
                          check=True).stdout.strip() == ""
    check = cli("--store", root, "--now", NOW, "check")
    assert check.code == 0 and "retention" not in check.err, check
    shown = cli("--store", root, "--now", NOW, "show", ids["old"])
    assert shown.code == 0 and "张三" not in shown.out, shown
    again = cli("--store", root, "--now", NOW, "archive")
    assert again.code == 0 and ids["old"] not in again.out, again
    named = cli("--store", root, "--now", NOW, "archive", ids["old"])
    assert named.code != 0 and "2026-12-04" in named.err, named


def test_the_same_complainant_keeps_one_pseudonym(cli, desk) -> None:  # type: ignore[no-untyped-def]
    desk, ids = desk
    other = _log(desk, "2020-11-20T10:00")  # the same complainant again, within the repeat window
    _close(desk, other, "2020-11-23")
    root = desk.store.root
    before = _report(cli, root)
    assert before["figures"]["repeats"]["value"] == 1  # the two complaints of November 2020
    assert cli("--store", root, "--now", NOW, "archive").code == 0
    first = desk.store.read(ids["old"]).intake["complainant"]
    second = desk.store.read(other).intake["complainant"]
    assert first == second and first["name"].startswith("P-") and first["phone"].startswith("T-")
    assert _report(cli, root) == before
