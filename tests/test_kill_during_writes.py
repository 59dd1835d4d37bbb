"""200 `kill -9` during writes (issue 18, "Done when"): real processes run log, assign, act, note, sweep and
import against one store, each SIGKILLed at a random moment of its work. Afterwards no record is torn
(every one parses and `check` passes on it), an imported row is in the store whole or not at all, the
temporary files a kill left are all reported (or removed) by `check`, no lock is left held (a lock is
`flock`: the kernel releases it with the dead process, and the next command takes it at once), and
every command still works, a second import bringing in exactly the rows the killed ones did not.

Each worker is forked from a process that imported the whole application first, so that every kill
lands among the worker's writes, not in Python's start-up."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import LOG_ARGS, NOW, USER

from complaintctl.base.fsutil import is_temporary
from complaintctl.records.record import Record

KILLS = 200
WORKERS = 4
LEDGER_ROWS = 20

# The processes: a server imports the whole CLI once, then forks one worker per line it reads (a seed),
# answering with the worker's pid; each worker runs commands at random until it is killed. Forking is
# what keeps 200 real processes (each started, each killed) within the test's time on a small machine.
SERVER = r"""
import os, random, signal, sys
from pathlib import Path
from complaintctl.cli import main, build_app
import complaintctl.app.operations, complaintctl.app.write, complaintctl.app.sweep
import complaintctl.ledger.importer, complaintctl.store.index
from complaintctl.store.directory import Store
build_app(None)
store, ledger, errors = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
log_args = sys.argv[4:]
opened = Store.open(store)
opened.policy, opened.calendar  # built (or read from the user's cache) once, before any worker
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the killed workers


def work(seed):
    rng = random.Random(seed)
    while True:
        ids = [p.stem for p in (store / "complaints").glob("*/*/*.yaml")]
        target = rng.choice(ids) if ids else None
        kind = rng.choice(["log", "log", "note", "note", "assign", "act", "sweep", "import", "import"])
        if kind == "log" or target is None:
            args = ["log", *log_args, "--received", "2026-11-02T10:00"]
        elif kind == "note":
            args = ["note", target, "note " + "长文本" * rng.randint(1, 400)]
        elif kind == "assign":
            args = ["assign", target, "--to", "李四", "--department", "车站运营部"]
        elif kind == "act":
            args = ["act", target, *rng.choice([["propose", "opinion=已核实"], ["finish", "measures=已整改"],
                                                ["respond", "answer=已答复", "method=电话"]])]
        elif kind == "sweep":
            args = ["sweep", "--no-mail"]
        else:
            args = ["import", ledger]
        try:
            main(["--store", str(store), *args])
        except SystemExit:
            pass


print("ready", flush=True)
for line in sys.stdin:
    seed = int(line)
    said = os.open(errors / f"{seed}.err", os.O_WRONLY | os.O_CREAT, 0o644)
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(said, 2)
        work(seed)
    os.close(said)
    print(pid, flush=True)
"""


def _ledger(tmp_path: Path, cli) -> Path:
    """A 20-row ledger exported from another store: each row a complaint with a few events."""
    source = tmp_path / "elsewhere"
    assert cli("init", source, "--policy", "metro", "--office", "MT", "--language", "en").code == 0
    for number in range(LEDGER_ROWS):
        done = cli("--store", source, "--now", NOW, "log", *LOG_ARGS, "--received", "2026-11-03T09:00",
                   "--at", "2026-11-03T09:30")
        assert done.code == 0, done
        complaint = done.out.split()[1]
        assert cli("--store", source, "--now", NOW, "assign", complaint, "--to", "李四", "--department",
                   "车站运营部", "--at", "2026-11-03T10:00").code == 0
        for note in range(number % 4):
            assert cli("--store", source, "--now", NOW, "note", complaint, f"记录 {note}",
                       "--at", f"2026-11-04T1{note}:00").code == 0
    ledger = tmp_path / "ledger.csv"
    assert cli("--store", source, "export", "--output", ledger).code == 0
    return ledger


def test_two_hundred_kills_during_writes_leave_no_torn_record_and_nothing_unreported(
        store: Path, cli, tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, cli)
    expected = {str(row["id"]): _steps(row["history"]) for row in _exported(ledger)}
    env = {**os.environ, "COMPLAINTCTL_USER": USER,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parents[1]),
                                                       os.environ.get("PYTHONPATH")]))}
    env.pop("COMPLAINTCTL_NOW", None)  # the real clock: nothing is written in the future
    script, errors = tmp_path / "server.py", tmp_path / "errors"
    script.write_text(SERVER, encoding="utf-8")
    errors.mkdir()
    server = subprocess.Popen([sys.executable, str(script), str(store), str(ledger), str(errors), *LOG_ARGS],
                              env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdin is not None and server.stdout is not None
    assert server.stdout.readline().strip() == "ready"
    rng = random.Random(18)
    asking = threading.Lock()
    killed: list[int] = []

    def work() -> None:
        while True:
            with asking:
                if len(killed) >= KILLS:
                    return
                # most kills early in a worker's life; one in four late enough to land inside an import
                seed = len(killed)
                delay = rng.uniform(0.005, 0.3) if rng.random() < 0.75 else rng.uniform(0.3, 2.5)
                server.stdin.write(f"{seed}\n")
                server.stdin.flush()
                pid = int(server.stdout.readline())
                killed.append(pid)
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)  # the worker never exits by itself: it is alive until now

    try:
        threads = [threading.Thread(target=work) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stdin.close()
        server.wait(timeout=30)
        server.stdout.close()
    assert len(killed) == KILLS
    time.sleep(0.2)  # the last killed workers are gone (their locks with them)
    said = [path.read_text(encoding="utf-8", errors="replace") for path in errors.iterdir()]
    assert len(said) == KILLS
    assert not [text for text in said if "Traceback" in text or "hit a bug" in text]

    records = sorted((store / "complaints").glob("*/*/*.yaml"))
    assert records, "the workers wrote nothing before they were killed"
    for path in records:  # not torn: every record reads back
        Record.read(path)
    leftovers = [path for path in store.rglob("*") if is_temporary(path.name)]
    checked = cli("check")
    assert checked.code == 0, checked  # every record valid; a leftover is a warning, not a problem
    for path in leftovers:
        assert str(path.relative_to(store)) in checked.err, (path, checked.err)
    assert f"{len(records)} records checked" in checked.out

    # An imported row is whole or absent: each one's history is the exported one's, event for event.
    for source_id, history in _imported(store).items():
        steps = expected[source_id]
        assert _steps(history[:len(steps)]) == steps, (source_id, history)

    # No lock is left held (a held one would give exit 75): every kind of command runs, and the import
    # finishes the ledger.
    complaint = records[0].stem
    for args in (["note", complaint, "after the kills"], ["log", *LOG_ARGS], ["sweep", "--no-mail"],
                 ["import", str(ledger)]):
        done = cli(*args)
        assert done.code == 0, (args, done)
    assert set(_imported(store)) == set(expected)
    assert cli("check").code == 0
    listed = cli("list", "--format", "ids")
    assert listed.code == 0, listed
    assert len(listed.out.split()) == len(list((store / "complaints").glob("*/*/*.yaml")))


def _steps(history: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(event["at"], event["by"], event["action"]) for event in history]


def _exported(ledger: Path) -> list[dict[str, object]]:
    import csv
    import json

    with ledger.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    id_column, history_column = 0, len(header) - 1
    return [{"id": row[id_column], "history": json.loads(row[history_column])} for row in rows[1:]]


def _imported(store: Path) -> dict[str, list[dict[str, object]]]:
    """The exported id each imported record came from (its `source`), with its history."""
    found: dict[str, list[dict[str, object]]] = {}
    for path in (store / "complaints").glob("*/*/*.yaml"):
        record = Record.read(path)
        source = str(record.intake.get("source") or "")
        if source.startswith("id:"):
            found[source[3:].split()[0]] = record.history
    return found
