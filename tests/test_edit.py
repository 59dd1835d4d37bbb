"""`edit ID` in $EDITOR (a small script here): one `edit` event with only what changed, through the one write
path; an invalid result reopens the editor with the error at the top and the person's text kept; nothing
changed, nothing recorded."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from conftest import NOW, record_file

from complaintctl.records.record import Record


def editor(tmp_path: Path, *steps: str) -> str:
    """An editor that runs the shell commands `steps[n]` on its n-th opening (the file is "$1"), and
    keeps a copy of what it was shown each time as shown-N."""
    tmp_path.mkdir(exist_ok=True)
    script = tmp_path / "editor.sh"
    count = tmp_path / "count"
    lines = ["#!/bin/sh", f'n=$(cat "{count}" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "{count}"',
             f'cp "$1" "{tmp_path}/shown-$n"', 'case $n in']
    lines += [f"  {number}) {step} ;;" for number, step in enumerate(steps, 1)]
    lines += ["esac", ""]
    script.write_text("\n".join(lines))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def history(store: Path, complaint_id: str) -> list[dict]:
    return Record.read(record_file(store, complaint_id)).history


def test_edit_records_only_what_changed(cli, logged: str, store: Path, tmp_path: Path, monkeypatch) -> None:
    change = ("sed -i 's/^location: .*/location: 陆家嘴站/; "
              "s/^category: .*/category: facilities and equipment/' \"$1\"")
    monkeypatch.setenv("EDITOR", editor(tmp_path, change))
    done = cli("--now", NOW, "edit", logged)
    assert done.code == 0, done
    last = history(store, logged)[-1]
    assert {key: value for key, value in last.items() if key not in ("at", "by")} == {
        "action": "edit", "category": "facilities", "location": "陆家嘴站"}
    shown = (tmp_path / "shown-1").read_text(encoding="utf-8")
    assert "# location" in shown and "category: service quality" in shown  # labels, in the store's language


def test_an_unchanged_form_records_nothing(cli, logged: str, store: Path, tmp_path: Path,
                                           monkeypatch) -> None:
    before = history(store, logged)
    monkeypatch.setenv("EDITOR", editor(tmp_path, "true"))
    done = cli("--now", NOW, "edit", logged)
    assert done.code == 0 and "nothing changed" in done.out
    # the text changed, no value did: a comment added, the category typed as its code
    monkeypatch.setenv("EDITOR", editor(tmp_path / "again",
                                        "sed -i 's/^category: .*/category: service_quality # same/' \"$1\""))
    done = cli("--now", NOW, "edit", logged)
    assert done.code == 0 and "nothing changed" in done.out
    assert history(store, logged) == before


def test_an_invalid_result_reopens_the_editor_with_the_error(cli, logged: str, store: Path, tmp_path: Path,
                                                            monkeypatch) -> None:
    monkeypatch.setenv("EDITOR", editor(
        tmp_path,
        "sed -i 's/^category: .*/category: weather/; s/^subject: .*/subject: 我的新标题/' \"$1\"",
        "sed -i 's/^category: .*/category: safety/' \"$1\""))
    done = cli("--now", NOW, "edit", logged)
    assert done.code == 0, done
    second = (tmp_path / "shown-2").read_text(encoding="utf-8")
    assert second.startswith("# !! ") and "weather" in second.splitlines()[0]
    assert "subject: 我的新标题" in second  # the person's own text is kept
    last = history(store, logged)[-1]
    assert last["category"] == "safety" and last["subject"] == "我的新标题"
    assert not list((store / ".complaintctl" / "drafts").glob("edit-*"))


def test_the_same_invalid_text_twice_stops_and_keeps_it(cli, logged: str, store: Path, tmp_path: Path,
                                                       monkeypatch) -> None:
    before = history(store, logged)
    bad = "sed -i 's/^category: .*/category: weather/' \"$1\""
    monkeypatch.setenv("EDITOR", editor(tmp_path, bad, "true"))
    done = cli("--now", NOW, "edit", logged)
    assert done.code != 0 and "weather" in done.err
    (kept,) = (store / ".complaintctl" / "drafts").glob(f"edit-{logged}.yaml")
    assert "category: weather" in kept.read_text(encoding="utf-8")
    assert history(store, logged) == before


def test_an_emptied_form_gives_up_and_no_editor_is_a_clear_error(cli, logged: str, store: Path,
                                                                 tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EDITOR", editor(tmp_path, ': > "$1"'))
    done = cli("--now", NOW, "edit", logged)
    assert done.code == 0 and "given up" in done.out
    monkeypatch.delenv("EDITOR")
    monkeypatch.delenv("VISUAL", raising=False)
    refused = cli("--now", NOW, "edit", logged)
    assert refused.code == 2 and "EDITOR" in refused.err
    assert os.environ.get("EDITOR") is None
