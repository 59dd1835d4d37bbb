"""Benchmark of the overdue sweep over a large store, next to the time just to read its files.

    /work/venv/bin/python benchmarks/bench_sweep.py STORE_DIR [--now TIME]

STORE_DIR is a store built by benchmarks/make_store.py (issue 5 asks for 100,000 complaints of which
10,000 are open). Measures, each on a warm page cache after one untimed pass:

* read: open and read every record file (bytes only);
* dry run: `sweep(dry_run=True)` with the index up to date, as cron finds it after its first run (the
  index built untimed first): the open complaints' briefs evaluated;
* first sweep: the same, recording every escalation found (writes);
* second sweep: nothing new to record, but the index takes in the records the first sweep wrote to.

Writes the `sweep` section of benchmarks/RESULTS.md. The first sweep writes into STORE_DIR: use a copy.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _results import machine, write_section  # noqa: E402

from complaintctl.app import sweep  # noqa: E402
from complaintctl.store import index  # noqa: E402
from complaintctl.store.directory import Store  # noqa: E402
from complaintctl.worktime.times import parse_instant, system_now  # noqa: E402

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def read_all(store: Store) -> int:
    total = 0
    for path in store.record_paths():
        total += len(path.read_bytes())
    return total


def main(argv: list[str]) -> None:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        raise SystemExit(2)
    store = Store.open(Path(argv[0]).resolve())
    now: datetime = system_now()
    if "--now" in argv:
        now = parse_instant(argv[argv.index("--now") + 1], store.tz, now, field="--now")
    read_all(store)  # warm the page cache
    with index.open_index(store):  # and the index
        pass
    read_s, size = timed(lambda: read_all(store))
    dry_s, dry = timed(lambda: sweep.sweep(store, now, dry_run=True))
    first_s, first = timed(lambda: sweep.sweep(store, now))
    second_s, second = timed(lambda: sweep.sweep(store, now))
    rows = [
        ("read every record file", read_s, f"{dry.scanned:,} files, {size / 1e6:.0f} MB"),
        ("sweep --dry-run", dry_s, f"{dry.open:,} open, {len(dry.recorded):,} escalations found"),
        ("first sweep (records)", first_s, f"{len(first.recorded):,} escalations written"),
        ("second sweep (nothing new)", second_s, f"{len(second.recorded)} written; it first re-derives the "
         "records the first sweep wrote to"),
    ]
    lines = ["## Sweep", "", f"`benchmarks/bench_sweep.py STORE --now {now.isoformat()}` on {machine()}; "
             f"STORE a copy of a {dry.scanned:,}-record store of `make_store.py`, its index up to date.",
             "",
             "| step | seconds | |", "|---|---:|---|"]
    lines += [f"| {name} | {seconds:.2f} | {note} |" for name, seconds, note in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    write_section("sweep", text)


if __name__ == "__main__":
    main(sys.argv[1:])
