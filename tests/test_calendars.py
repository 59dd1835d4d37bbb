"""Deadline calendars (issue 21): the iCalendar file holds every open deadline of `list` with the due time
`show --json` gives, a vdir of them reads in todoman, and a re-run updates rather than duplicates."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from storekit.make_store import DEFAULT_NOW, generate

from complaintctl.store.directory import Store

NOW = DEFAULT_NOW


@pytest.fixture
def realistic(tmp_path: Path) -> Path:
    """Two hundred tourism complaints walked through the policy: open ones at every step, closed ones."""
    root = tmp_path / "store"
    generate(root, 200, 7, datetime.fromisoformat(NOW), "tourism")
    os.chdir(root)
    return root


def open_deadlines(cli: Any, *options: str) -> dict[str, tuple[str, str]]:
    """UID prefix (`id-clock-`) → (complaint id, due time as `show --json` gives it), for every running
    clock of every open complaint `list` finds."""
    listed = cli("--now", NOW, "list", "--status", "open", "--format", "json", *options)
    assert listed.code == 0, listed
    found = {}
    for row in json.loads(listed.out):
        shown = cli("--now", NOW, "show", row["id"], "--json")
        assert shown.code == 0, shown
        dues = {clock["name"]: clock["due"] for clock in json.loads(shown.out)["deadlines"] if clock["open"]}
        for clock in row["deadlines"]:
            if clock["open"]:
                found[f"{row['id']}-{clock['name']}-"] = (row["id"], dues[clock["name"]])
    return found


def todos(text: bytes | str) -> dict[str, Any]:
    calendar = Calendar.from_ical(text)
    return {str(todo["UID"]): todo for todo in calendar.walk("VTODO")}


def matching(uid_prefixes: dict[str, tuple[str, str]], found: dict[str, Any]) -> None:
    """Each open deadline is exactly one to-do, due when `show --json` says, titled with the complaint."""
    assert len(found) == len(uid_prefixes)
    for prefix, (complaint, due) in uid_prefixes.items():
        (uid,) = [uid for uid in found if uid.startswith(prefix)]
        todo = found[uid]
        assert uid.endswith("@complaintctl")
        assert todo.decoded("DUE") == datetime.fromisoformat(due)
        assert todo.decoded("DUE").tzinfo is not None
        assert str(todo["SUMMARY"]).startswith(complaint)
        assert complaint in str(todo["DESCRIPTION"])


def test_the_calendar_holds_every_open_deadline_with_its_due_time(realistic: Path, cli: Any) -> None:
    expected = open_deadlines(cli)
    assert len(expected) >= 10  # the store has open complaints at several steps

    written = cli("--now", NOW, "calendar", "--output", realistic / "deadlines.ics")

    assert written.code == 0 and written.out == "", written
    data = (realistic / "deadlines.ics").read_bytes()
    matching(expected, todos(data))
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded lines
    printed = cli("--now", NOW, "calendar")
    assert set(todos(printed.out)) == set(todos(data))  # the same UIDs on standard output
    for todo in todos(data).values():  # the store's language: Chinese
        assert "截止" in str(todo["DESCRIPTION"]) and "http" not in str(todo["DESCRIPTION"])


def test_person_filter_keeps_that_owners_deadlines(realistic: Path, cli: Any) -> None:
    rows = json.loads(cli("--now", NOW, "list", "--status", "open", "--format", "json").out)
    owners = sorted({row["owner"] for row in rows if row["owner"]})
    person = owners[0]
    expected = open_deadlines(cli, "--owner", person)
    result = cli("--now", NOW, "calendar", "--person", person, "--output", realistic / "mine.ics")
    assert result.code == 0, result
    found = todos((realistic / "mine.ics").read_bytes())
    matching(expected, found)
    assert len(found) < len(open_deadlines(cli))


def test_a_rerun_updates_the_vdir_and_a_met_deadline_disappears(realistic: Path, cli: Any) -> None:
    vdir = realistic.parent / "vdir"
    vdir.mkdir()
    (vdir / "my-own-task.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    people = Store.open(realistic).settings.people or []
    clerk = next(person.name for person in people if "reception" in person.roles)
    logged = cli("--now", NOW, "log", "--channel", "email", "--subject", "导游中途离团",
                 "--description", "离团", "--category", "in_sale", "--name", "张三",
                 "--received", "2026-11-20T16:00", "--by", clerk)
    assert logged.code == 0, logged
    complaint = logged.out.split()[1]
    assert cli("--now", NOW, "calendar", "--vdir", vdir).code == 0
    first = {path.name: path.stat().st_mtime_ns for path in vdir.glob("*@complaintctl.ics")}
    matching(open_deadlines(cli), {uid: todo for path in vdir.glob("*@complaintctl.ics")
                                   for uid, todo in todos(path.read_bytes()).items()})
    (reply,) = [name for name in first if name.startswith(f"{complaint}-email_reply-")]

    replied = cli("--now", NOW, "act", complaint, "acknowledge", "reply=已收到,正在调查。", "--by", clerk)
    assert replied.code == 0, replied
    again = cli("--now", NOW, "calendar", "--vdir", vdir, "--verbose")

    assert again.code == 0, again
    second = {path.name: path.stat().st_mtime_ns for path in vdir.glob("*@complaintctl.ics")}
    assert set(second) == set(first) - {reply}  # the met deadline went; the others kept their UIDs
    assert all(second[name] == first[name] for name in second)  # and were not rewritten: nothing moved
    assert (vdir / "my-own-task.ics").is_file()  # a file complaintctl did not write is left alone
    assert "删除 1 个" in again.out


def test_todoman_lists_every_deadline_of_the_vdir(realistic: Path, cli: Any, tmp_path: Path) -> None:
    todo = shutil.which("todo") or shutil.which("todo", path=str(Path(sys.executable).parent))
    if todo is None:
        pytest.skip("todoman is not installed (pip install 'complaintctl[test]')")
    vdir = tmp_path / "calendars" / "complaints"
    assert cli("--now", NOW, "calendar", "--vdir", vdir).code == 0
    config = tmp_path / "todoman.py"
    config.write_text(f'path = "{tmp_path / "calendars" / "*"}"\ndate_format = "%Y-%m-%d"\n'
                      f'time_format = "%H:%M"\ncache_path = "{tmp_path / "todoman.sqlite"}"\n',
                      encoding="utf-8")
    done = subprocess.run([todo, "--config", str(config), "--porcelain", "list"], capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**os.environ, "TODOMAN_CONFIG": str(config), "TZ": "UTC"})
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    expected = open_deadlines(cli)
    assert len(listed) == len(expected)
    seen = {(item["summary"].split()[0], item["due"]) for item in listed}
    wanted = {(complaint, int(datetime.fromisoformat(due).astimezone(UTC).timestamp()))
              for complaint, due in expected.values()}
    assert seen == wanted
    assert all(item["list"] == "complaints" and not item["completed"] for item in listed)


def test_output_and_vdir_together_is_a_usage_error(realistic: Path, cli: Any) -> None:
    result = cli("--now", NOW, "calendar", "--output", "a.ics", "--vdir", "v")
    assert result.code == 2 and "--vdir" in result.err
