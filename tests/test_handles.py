"""Handles (store/handles.py): a handle of at most 6 characters names each complaint, across clones and as
the store grows; ids and their parts are still accepted; a handle that names several says so."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from conftest import LOG_ARGS, NOW
from gitkit import clone, git, isolate, office
from storekit.make_store import generate

from complaintctl.app import operations
from complaintctl.records import ids
from complaintctl.store import handles
from complaintctl.store.directory import Store
from complaintctl.store.index import Index

INTAKE = {"channel": "phone", "subject": "闸机重复扣费", "description": "出站时被扣两次费。",
          "category": "service_quality", "complainant.name": "张三", "complainant.phone": "13800138000",
          "location": "人民广场站"}


def _log_many(root: Path, count: int, now: str) -> list[str]:
    """`count` complaints received on one day, through the write path (no commit each: the test commits)."""
    store = Store.find(root, {}, root)
    moment = datetime.fromisoformat(now)
    return [operations.log(store, INTAKE, by="王五", now=moment, real_now=moment, commit=False).record.id
            for _ in range(count)]


def test_500_complaints_of_one_day_from_two_clones_have_short_unique_handles(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    remote, first = office(tmp_path, capsys)
    second = clone(remote, tmp_path / "b", capsys)
    for place in (first, second):
        _log_many(place.root, 250, "2026-11-20T10:00:00+08:00")
        git(place.root, "add", "-A")
        git(place.root, "commit", "-q", "-m", "250 complaints")
    git(first.root, "push", "-q", "origin", "main")
    git(second.root, "pull", "-q", "--no-edit", "origin", "main")

    listed = json.loads(second.ok("list", "--format", "json", now=NOW))
    assert len(listed) == 500
    assert len({row["id"].split("-")[2] for row in listed}) == 2  # two clones' tags
    found = [row["handle"] for row in listed]
    assert all(len(handle) <= ids.HANDLE_MAX for handle in found), found
    assert len(set(found)) == 500
    for row in listed:
        shown = json.loads(second.ok("show", row["handle"], "--json", now=NOW))
        assert (shown["id"], shown["handle"]) == (row["id"], row["handle"])


def test_a_handle_is_typed_in_any_case_and_with_crockford_s_look_alikes(store: Path, cli) -> None:
    assert cli("--now", NOW, "log", *LOG_ARGS).code == 0
    (row,) = json.loads(cli("--now", NOW, "list", "--format", "json").out)
    handle = row["handle"]
    assert handle == handle.lower() and ids.HANDLE_MIN <= len(handle) <= ids.HANDLE_MAX
    look_alike = handle.upper().replace("1", "L").replace("0", "O")
    for typed in (handle, handle.upper(), look_alike):
        result = cli("--now", NOW, "show", typed, "--json")
        assert result.code == 0, result
        assert json.loads(result.out)["id"] == row["id"]
    # the id, its tail and its parts name it as before
    for typed in (row["id"], row["id"].lower(), row["id"].split("-", 2)[2]):
        assert json.loads(cli("--now", NOW, "show", typed, "--json").out)["id"] == row["id"]


def test_list_log_and_show_print_the_handle(store: Path, cli) -> None:
    logged = cli("--now", NOW, "log", *LOG_ARGS)
    (row,) = json.loads(cli("--now", NOW, "list", "--format", "json").out)
    assert f"({row['handle']})" in logged.out
    table = cli("--now", NOW, "list").out.splitlines()
    assert table[1].split()[0] == row["handle"]
    assert cli("--now", NOW, "show", row["handle"]).out.split()[:2] == [row["handle"], row["id"]]


def test_a_query_naming_several_complaints_lists_them_with_their_handles(store: Path, cli) -> None:
    for _ in range(12):
        assert cli("--now", NOW, "log", *LOG_ARGS).code == 0
    listed = json.loads(cli("--now", NOW, "list", "--format", "json").out)
    ambiguous = cli("--now", NOW, "show", "MT-2611")
    assert ambiguous.code == 2 and "12" in ambiguous.err, ambiguous
    shown = [f"{row['handle']} {row['id']}" for row in listed]
    assert sum(pair in ambiguous.err for pair in shown) == 10  # the first ten, then "…"
    assert cli("--now", NOW, "show", "zzzzzzzz").code != 0  # a handle no complaint has


def test_codes_sharing_six_characters_take_a_further_code(tmp_path: Path, cli) -> None:
    """Two ids whose codes share HANDLE_MAX characters (found by search, as a store of 100,000 has a few):
    each gets a handle of HANDLE_MAX characters from a further code, and each handle names its own."""
    root = tmp_path / "store"
    assert cli("init", root, "--policy", "metro", "--office", "MT", "--language", "en").code == 0
    seen: dict[str, str] = {}
    pair: tuple[str, str] | None = None
    for day in range(1, 29):
        for tag_number in range(32 ** 3):
            tag = "".join(ids.CROCKFORD[(tag_number >> shift) & 31] for shift in (10, 5, 0)) + "Q"
            candidate = f"MT-2611{day:02d}-{tag}-1"
            code = ids.handle_code(candidate)[:ids.HANDLE_MAX]
            if code in seen:
                pair = (seen[code], candidate)
                break
            seen[code] = candidate
        if pair is not None:
            break
    assert pair is not None
    store = Store.find(root, {}, root)
    source = operations.log(store, INTAKE, by="王五", now=datetime.fromisoformat(NOW),
                            real_now=datetime.fromisoformat(NOW), commit=False).record
    text = source.path.read_text(encoding="utf-8")
    for complaint_id in pair:
        target = store.record_path(complaint_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace(source.id, complaint_id), encoding="utf-8")
    source.path.unlink()
    listed = json.loads(cli("--store", root, "--now", NOW, "list", "--format", "json").out)
    assert {row["id"] for row in listed} == set(pair)
    for row in listed:
        assert len(row["handle"]) == ids.HANDLE_MAX
        assert row["handle"].upper() == handles._fallback(Index(store), row["id"])
        shown = cli("--store", root, "--now", NOW, "show", row["handle"], "--json")
        assert json.loads(shown.out)["id"] == row["id"], shown
    with Index(store) as index:
        assert {complaint_id: handles.shown(handle) for complaint_id, handle in
                handles._every_handle(index).items()} == {row["id"]: row["handle"] for row in listed}
    typed = ids.handle_code(pair[0])[:ids.HANDLE_MAX]
    both = cli("--store", root, "--now", NOW, "show", typed)
    assert both.code != 0 and pair[0] in both.err and pair[1] in both.err


def test_a_complaint_the_index_has_not_seen_is_found_by_its_handle(store: Path, cli) -> None:
    """A record pulled or written since the last refresh: resolution reads the folders' names too."""
    assert cli("--now", NOW, "log", *LOG_ARGS).code == 0
    (row,) = json.loads(cli("--now", NOW, "list", "--format", "json").out)
    root = Store.find(store, {}, store)
    path = root.root / row["path"]
    other_id = row["id"].rsplit("-", 1)[0] + "-9"
    root.record_path(other_id).write_text(path.read_text(encoding="utf-8").replace(row["id"], other_id),
                                          encoding="utf-8")
    handle = handles.handle_of(root, other_id)
    assert json.loads(cli("--now", NOW, "show", handle, "--json").out)["id"] == other_id
    path.unlink()  # gone since the index saw it: no longer named
    assert cli("--now", NOW, "show", row["handle"]).code != 0


def test_the_readme_walkthrough_s_handle_is_the_handle_of_its_id() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    match = re.search(r"#   logged (\S+)  \((\w+)\)", readme)
    assert match is not None
    complaint_id, handle = match.groups()
    assert handles.shown(ids.handle_code(complaint_id)[:len(handle)]) == handle
    assert len(handle) == ids.HANDLE_MIN  # the store's only complaint then: the shortest handle
    for command in ("assign", "act", "show", "explain"):
        assert f"complaintctl {command} {handle} " in readme


def test_listing_offers_the_handles_starting_with_what_is_typed(tmp_path: Path, cli) -> None:
    """What shell completion reads (`handles.listing`): handles, ids and subjects from the index."""
    root = tmp_path / "store"
    generate(root, 120, 5, datetime.fromisoformat(NOW))  # closed and open complaints
    listed = {row["handle"]: row for row in json.loads(
        cli("--store", root, "--now", NOW, "list", "--format", "json").out)}
    store = Store.find(root, {}, root)
    offered = handles.listing(store)
    assert len(listed) == 120 and [item.handle for item in offered] == sorted(listed)
    assert all((listed[item.handle]["id"], listed[item.handle]["subject"]) == (item.id, item.subject)
               for item in offered)
    start = sorted(listed)[0][:2]
    some = handles.listing(store, start.upper())
    assert [item.handle for item in some] == [handle for handle in sorted(listed) if handle.startswith(start)]
    assert handles.listing(store, "u") == [] and len(handles.listing(store, limit=5)) == 5
    # the one pass over every code (for long lists) and the lookups per complaint agree
    with Index(store) as index:
        every = handles._every_handle(index)
        assert {handles.shown(handle): complaint_id for complaint_id, handle in every.items()} == {
            handle: row["id"] for handle, row in listed.items()}
        assert every == {complaint_id: handles._one(index, complaint_id) for complaint_id in every}
    opened = {row["handle"] for row in json.loads(
        cli("--store", root, "--now", NOW, "list", "--format", "json", "--status", "open").out)}
    assert 0 < len(opened) < 120
    assert [item.handle for item in handles.listing(store, open_only=True)] == sorted(opened)


def test_a_handle_that_spells_another_clones_tag_names_its_own_complaint(tmp_path: Path, cli) -> None:
    """A handle is random; now and then it spells the tag of another clone, which hundreds of that
    clone's ids share. Typed whole, the handle names its complaint; the tag alone named none of them."""
    root = tmp_path / "store"
    assert cli("init", root, "--policy", "metro", "--office", "MT", "--language", "en").code == 0
    own = "MT-261120-AAAA-1"
    tag = ids.handle_code(own)[:ids.HANDLE_MIN]
    others = [f"MT-261120-{tag}-{number}" for number in (1, 2, 3)]
    store = Store.find(root, {}, root)
    source = operations.log(store, INTAKE, by="王五", now=datetime.fromisoformat(NOW),
                            real_now=datetime.fromisoformat(NOW), commit=False).record
    text = source.path.read_text(encoding="utf-8")
    for complaint_id in [own, *others]:
        store.record_path(complaint_id).write_text(text.replace(source.id, complaint_id), encoding="utf-8")
    source.path.unlink()
    listed = {row["id"]: row["handle"] for row in
              json.loads(cli("--store", root, "--now", NOW, "list", "--format", "json").out)}
    assert listed[own] == tag.lower()
    shown = cli("--store", root, "--now", NOW, "show", tag.lower(), "--json")
    assert shown.code == 0 and json.loads(shown.out)["id"] == own, shown
    # as the other clone's ids name their tag (upper case, with the number) they are still found
    found = cli("--store", root, "--now", NOW, "show", f"{tag}-2", "--json")
    assert json.loads(found.out)["id"] == others[1], found
