"""Real processes: the console script and `python -m complaintctl`, and eight of them acting on one
complaint at once (every event lands: the complaint's lock serialises read, append and rename)."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import NOW, record_file


def test_eight_processes_note_the_same_complaint_at_once(logged: str, store: Path, run) -> None:
    env = {"COMPLAINTCTL_STORE": str(store), "COMPLAINTCTL_NOW": NOW}

    def note(number: int):
        return run("note", logged, f"note {number}", env=env)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(note, range(8)))
    assert [r.code for r in results] == [0] * 8, results
    text = record_file(store, logged).read_text(encoding="utf-8")
    assert sorted(line for line in text.splitlines() if line.startswith("    text: note ")) == [
        f"    text: note {n}" for n in range(8)]
    assert text.count("    action: note\n") == 8


def test_real_console_script_and_module(logged: str, store: Path, run) -> None:
    result = run("--now", NOW, "list", "--format", "ids", cwd=store)
    assert (result.code, result.out) == (0, f"{logged}\n"), result
    done = subprocess.run([sys.executable, "-m", "complaintctl", "--version"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and done.stdout.startswith("complaintctl ")
    # stdin is a pipe, not a terminal: no prompt, the missing fields named, exit 2
    result = run("--now", NOW, "log", "--channel", "phone", cwd=store, stdin="")
    assert result.code == 2 and "subject, description, category, location" in result.err
    assert "Traceback" not in result.err
