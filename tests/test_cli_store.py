"""Finding the store, ids across clones, who acted and when, and the store's language."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from conftest import LOG_ARGS, NOW, USER, record_file

from complaintctl.app import operations
from complaintctl.records import ids
from complaintctl.store.directory import STATE_DIR, Store

INTAKE = {"channel": "phone", "subject": "s", "description": "d", "category": "safety",
          "complainant.name": "张三", "location": "L"}

# -- finding the store -----------------------------------------------------------------------------


def test_store_option_from_anywhere(logged: str, store: Path, tmp_path: Path, cli) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    result = cli("--store", store, "--now", NOW, "list", "--format", "ids")
    assert result.code == 0, result
    assert result.out == f"{logged}\n"


def test_store_from_the_environment(logged: str, store: Path, tmp_path: Path, cli, monkeypatch) -> None:
    os.chdir(tmp_path)
    monkeypatch.setenv("COMPLAINTCTL_STORE", str(store))
    assert cli("--now", NOW, "list", "--format", "ids").out == f"{logged}\n"
    other = tmp_path / "other"
    assert cli("init", other, "--policy", "metro", "--office", "OT").code == 0
    assert cli("--store", other, "--now", NOW, "list", "--format", "ids").out == ""  # the option wins


def test_nearest_parent_holding_the_settings(logged: str, store: Path, cli) -> None:
    os.chdir(store / "complaints" / "2026" / "11")
    assert cli("--now", NOW, "list", "--format", "ids").out == f"{logged}\n"


def test_outside_a_store_one_line_says_how_to_make_one(tmp_path: Path, cli) -> None:
    os.chdir(tmp_path)
    result = cli("--now", NOW, "list")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "not in a complaint store" in result.err and "complaintctl init" in result.err


def test_named_store_that_is_not_one(tmp_path: Path, cli, monkeypatch) -> None:
    result = cli("--store", tmp_path / "nothing", "list")
    assert result.code == 2 and "no complaint store at" in result.err
    monkeypatch.setenv("COMPLAINTCTL_STORE", str(tmp_path / "nothing"))
    result = cli("list")
    assert result.code == 2 and "no complaint store at" in result.err


# -- ids ----------------------------------------------------------------------------------------------


def _clone(store: Path, tmp_path: Path) -> Path:
    """A second clone of the store: copied, with its own per-clone state dropped (as git clone would)."""
    copy = tmp_path / "clone"
    shutil.copytree(store, copy)
    shutil.rmtree(copy / STATE_DIR, ignore_errors=True)
    return copy


def test_two_clones_never_make_the_same_id(logged: str, store: Path, tmp_path: Path, cli) -> None:
    other = _clone(store, tmp_path)
    first, second = Store.find(store, {}, tmp_path), Store.find(other, {}, tmp_path)
    assert first.clone_tag() != second.clone_tag() or pytest.skip("drew the same tag: 1 in a million")
    now = datetime.fromisoformat(NOW)
    made = {"a": [logged], "b": []}
    for _ in range(40):  # through the real allocation: lock, folder scan, write
        made["a"].append(operations.log(first, INTAKE, by=USER, now=now).record.id)
        made["b"].append(operations.log(second, INTAKE, by=USER, now=now).record.id)
    assert len(set(made["a"]) | set(made["b"])) == 81
    # 1,000 more each through the id rule itself (what allocate does, without the YAML around it)
    for store_, names in ((first, made["a"]), (second, made["b"])):
        for _ in range(1000):
            names.append(ids.make_id("MT", "261120", store_.clone_tag(), names))
    assert len(set(made["a"]) | set(made["b"])) == len(made["a"]) + len(made["b"]) == 2081
    assert all(ids.is_id(name) for name in made["a"] + made["b"])
    # merging the clones (as git would) gives a store with no duplicate ids and every record
    for path in (other / "complaints").rglob("*.yaml"):
        target = store / path.relative_to(other)
        if path.stem == logged:  # logged before the clone was made: the same file in both
            assert target.read_bytes() == path.read_bytes()
        else:
            assert not target.exists()
            shutil.copy(path, target)
    os.chdir(store)
    assert cli("--now", NOW, "check").code == 0
    assert len(cli("--now", NOW, "list", "--format", "ids").out.split()) == 81


def test_numbers_continue_after_the_highest(store: Path, cli) -> None:
    made = [cli("--now", NOW, "log", *LOG_ARGS).out.split()[1] for _ in range(3)]
    assert [name.rsplit("-", 1)[1] for name in made] == ["1", "2", "3"]
    record_file(store, made[1]).unlink()
    fourth = cli("--now", NOW, "log", *LOG_ARGS).out.split()[1]
    assert fourth.endswith("-4")


def test_unique_prefix_tail_and_tag_resolve(logged: str, store: Path, tmp_path: Path, cli) -> None:
    office, date, tag, number = logged.split("-")
    for query in (logged, logged.lower(), f"{office}-{date}", f"{tag}-{number}", tag, tag.lower(),
                  f"{date}-{tag}-{number}", f"  {logged} "):
        result = cli("--now", NOW, "show", query, "--json")
        assert result.code == 0, (query, result)
        assert json.loads(result.out)["id"] == logged


def test_tail_ambiguity_lists_the_candidates(logged: str, store: Path, cli) -> None:
    made = [logged] + [cli("--now", NOW, "log", *LOG_ARGS).out.split()[1] for _ in range(10)]
    tag = logged.split("-")[2]
    # TAG-1 names the first, not TAG-11 (whose text also starts with TAG-1)
    assert json.loads(cli("--now", NOW, "show", f"{tag}-1", "--json").out)["id"] == made[0]
    assert json.loads(cli("--now", NOW, "show", f"{tag}-11", "--json").out)["id"] == made[10]
    result = cli("--now", NOW, "show", tag)
    assert result.code == 2
    assert "matches 11 complaints" in result.err and made[0] in result.err and "…" in result.err


# -- who and when -------------------------------------------------------------------------------------


def test_by_defaults_to_complaintctl_user_and_can_be_given(logged: str, store: Path, cli,
                                                           monkeypatch) -> None:
    monkeypatch.setenv("COMPLAINTCTL_USER", "赵六")
    assert cli("--now", NOW, "note", logged, "a").code == 0
    assert cli("--now", NOW, "note", logged, "b", "--by", "钱七").code == 0
    text = record_file(store, logged).read_text(encoding="utf-8")
    assert "    by: 赵六\n    action: note\n    text: a\n" in text
    assert "    by: 钱七\n    action: note\n    text: b\n" in text


def test_by_falls_back_to_git_user_name(store: Path, cli, monkeypatch) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.delenv("COMPLAINTCTL_USER")
    subprocess.run(["git", "init", "-q", str(store)], check=True)
    subprocess.run(["git", "-C", str(store), "config", "user.name", "孙八"], check=True)
    result = cli("--now", NOW, "log", *LOG_ARGS)
    assert result.code == 0, result
    assert "    by: 孙八\n" in record_file(store, result.out.split()[1]).read_text(encoding="utf-8")


def test_by_must_be_in_the_people_list_when_there_is_one(logged: str, store: Path, cli) -> None:
    settings = store / "complaintctl.yaml"
    people = "people:\n  - name: 王五\n    roles: [centre]\n  - name: 李四\n    roles: [department]\n"
    settings.write_text(settings.read_text(encoding="utf-8") + people, encoding="utf-8")
    result = cli("--now", NOW, "note", logged, "x", "--by", "路人甲")
    assert result.code == 1 and "路人甲 is not in the store's people list" in result.err
    result = cli("--now", NOW, "assign", logged, "--to", "李四", "--department", "d", "--by", "李四")
    assert result.code == 1 and "李四 may not assign: it needs the role centre / manager" in result.err
    assert cli("--now", NOW, "assign", logged, "--to", "李四", "--department", "d").code == 0


def test_now_from_the_environment(store: Path, cli, monkeypatch) -> None:
    monkeypatch.setenv("COMPLAINTCTL_NOW", "2026-11-18T09:30")
    result = cli("log", *LOG_ARGS)
    assert result.code == 0, result
    complaint_id = result.out.split()[1]
    assert complaint_id.startswith("MT-261118-")
    text = record_file(store, complaint_id).read_text(encoding="utf-8")
    assert "received_at: 2026-11-18T09:30:00+08:00\n" in text
    assert "  - at: 2026-11-18T09:30:00+08:00\n" in text
    assert cli("--now", "2026-11-19T10:00", "note", complaint_id, "x").code == 0  # the option wins
    text = record_file(store, complaint_id).read_text(encoding="utf-8")
    assert "  - at: 2026-11-19T10:00:00+08:00\n" in text


# -- language -------------------------------------------------------------------------------------------


def test_a_chinese_store_speaks_chinese(tmp_path: Path, cli) -> None:
    root = tmp_path / "zh"
    result = cli("init", root, "--policy", "metro", "--office", "MT", "--language", "zh")
    assert result.out.startswith("已在 ")
    os.chdir(root)
    result = cli("--now", NOW, "log", *LOG_ARGS)
    assert result.out.startswith("已登记 MT-261120-")
    complaint_id = result.out.split()[1]
    assert cli("--now", NOW, "note", complaint_id, "x").out == f"{complaint_id}:已添加备注\n"
    assert cli("--now", NOW, "show", "NOPE").err == "complaintctl: 没有与 'NOPE' 匹配的投诉\n"
    result = cli("--now", NOW, "close", complaint_id)
    assert result.code == 1 and "不能对" in result.err and "已受理登记" in result.err
    assert "已检查 1 份记录,未发现问题" in cli("--now", NOW, "check").out


def test_language_follows_the_locale_when_the_store_names_none(tmp_path: Path, cli, monkeypatch) -> None:
    root = tmp_path / "plain"
    assert cli("init", root, "--policy", "metro").code == 0
    os.chdir(root)
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert cli("--now", NOW, "show", "NOPE").err == "complaintctl: 没有与 'NOPE' 匹配的投诉\n"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert cli("--now", NOW, "show", "NOPE").err == "complaintctl: no complaint matches 'NOPE'\n"
