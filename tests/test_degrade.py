"""Issue 18, "degrade, never stop": one record that does not load is reported as `path:line: message` on
stderr and every other record is still listed, swept, reported and exported; the sweep exits 65 when it
left any out; a record moved into the wrong month's folder is found by its id."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import LOG_ARGS, NOW, record_file

LATER = "2026-11-27T10:00:00+08:00"  # a week on: every registered complaint's dispatch is overdue


def _log(cli, received: str) -> str:
    done = cli("--now", NOW, "log", *LOG_ARGS, "--received", received)
    assert done.code == 0, done
    return done.out.split()[1]


@pytest.fixture
def office(store: Path, cli) -> tuple[Path, list[str]]:
    """Five open complaints received on different days of November."""
    return store, [_log(cli, f"2026-11-{day:02d}T10:00") for day in (2, 3, 4, 5, 6)]


BREAKAGES = {
    "half_resolved_merge": lambda text: text.replace(
        "history:\n", "<<<<<<< ours\nhistory:\n=======\n>>>>>>> theirs\n", 1),
    "typo_by_hand": lambda text: text.replace("history:\n", "history: [\n", 1),
    "latin1_byte": lambda text: text.replace("张三", "\xe9"),
    "no_history": lambda text: text[: text.index("history:")],
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_one_bad_record_is_named_and_the_rest_go_on(office: tuple[Path, list[str]], cli,
                                                    breakage: str) -> None:
    store, ids = office
    bad = record_file(store, ids[2])
    text = bad.read_text(encoding="utf-8")
    broken = BREAKAGES[breakage](text)
    bad.write_bytes(broken.encode("latin-1", "replace") if breakage == "latin1_byte" else broken.encode())
    shown = bad.relative_to(store).as_posix()
    good = [each for each in ids if each != ids[2]]

    listed = cli("--now", LATER, "list", "--format", "ids")
    assert listed.code == 0, listed
    assert sorted(listed.out.split()) == sorted(good)
    assert shown in listed.err and "bug" not in listed.err

    swept = cli("--now", LATER, "sweep", "--dry-run", "--json")
    assert swept.code == 65, swept
    assert {item["id"] for item in json.loads(swept.out)["recorded"]} == set(good)
    assert shown in swept.err

    reported = cli("--now", LATER, "report", "--period", "2026-11", "--format", "json")
    assert reported.code == 0, reported
    assert json.loads(reported.out)["figures"]["received"]["value"] == len(good)
    assert shown in reported.err and "1" in reported.err.splitlines()[-1]

    exported = cli("--now", LATER, "export", "--format", "json")
    assert exported.code == 0, exported
    assert sorted(row["id"] for row in json.loads(exported.out)) == sorted(good)
    assert shown in exported.err

    checked = cli("check")
    assert checked.code != 0 and shown in checked.out + checked.err


def test_the_sweep_escalates_every_good_complaint_and_writes_them(office: tuple[Path, list[str]],
                                                                  cli) -> None:
    store, ids = office
    record_file(store, ids[0]).write_text("history: [\n", encoding="utf-8")
    swept = cli("--now", LATER, "sweep")
    assert swept.code == 65, swept
    for complaint in ids[1:]:
        assert "action: escalate" in record_file(store, complaint).read_text(encoding="utf-8")


def test_a_line_number_names_where_a_record_breaks(office: tuple[Path, list[str]], cli) -> None:
    store, ids = office
    bad = record_file(store, ids[1])
    text = bad.read_text(encoding="utf-8")
    bad.write_text(text.replace("channel: phone\n", "channel: [phone\n"), encoding="utf-8")
    line = text[: text.index("channel: phone")].count("\n") + 1
    listed = cli("--now", LATER, "list", "--format", "ids")
    assert listed.code == 0
    shown = bad.relative_to(store).as_posix()
    assert any(each.startswith(f"{shown}:") and each.split(":")[1].isdigit()
               and abs(int(each.split(":")[1]) - line) <= 2 for each in listed.err.splitlines()), listed.err


def test_a_record_in_the_wrong_month_folder_is_found_by_its_id(office: tuple[Path, list[str]], cli) -> None:
    store, ids = office
    moved = record_file(store, ids[0])
    elsewhere = store / "complaints" / "2026" / "09"
    elsewhere.mkdir(parents=True)
    shutil.move(moved, elsewhere / moved.name)
    assert cli("--now", LATER, "show", ids[0]).code == 0
    assert cli("--now", LATER, "note", ids[0], "放错了目录").code == 0
    swept = cli("--now", LATER, "sweep")
    assert swept.code == 0, swept
    assert "action: escalate" in (elsewhere / moved.name).read_text(encoding="utf-8")
    listed = cli("--now", LATER, "list", "--format", "ids")
    assert ids[0] in listed.out.split()
