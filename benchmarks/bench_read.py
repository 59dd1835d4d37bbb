"""Benchmark of reading and replaying every record of a store, next to reading its raw bytes (issue 8).

    /work/venv/bin/python benchmarks/bench_read.py [STORE_DIR] [--repeat N] [--sample K]

STORE_DIR defaults to the cached 100,000-complaint metro store of the sweep benchmark
(/tmp/complaintctl-bench/metro-100000-2f1c184a746b) when it is there, else 10,000 complaints made
by benchmarks/make_store.py in a temporary folder. The store is only read. Measures, on a warm page
cache after one untimed pass, each the best of N passes (default 3):

* read: open and read every record file (bytes only);
* fastread: decode and `fastread.parse_record` every record (the few it leaves to ruamel counted),
  each result dropped at once as an indexer would;
* ruamel: `yamlio.load_plain` of K records drawn at random (default 200), extrapolated to all;
* replay: `engine.replay` of every record (parsed beforehand) through the store's policy, the
  calendar warm;
* all: record by record, decode, parse (ruamel for what fastread leaves) and replay: what indexing
  from scratch costs before any digest is computed or written.

Writes the `read` section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _results import section_head, write_section  # noqa: E402

from complaintctl.core import engine  # noqa: E402
from complaintctl.records import fastread, yamlio  # noqa: E402
from complaintctl.store.directory import Store  # noqa: E402

CACHED = Path("/tmp/complaintctl-bench/metro-100000-2f1c184a746b")
GENERATED = 10_000


def best(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest of `repeat` timed runs, and the value of the last."""
    shortest, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        shortest = min(shortest, time.perf_counter() - start)
    return shortest, value


def read_all(paths: list[Path]) -> list[bytes]:
    return [path.read_bytes() for path in paths]


def parse_all(blobs: list[bytes]) -> int:
    """How many records fastread leaves to ruamel."""
    left = 0
    for blob in blobs:
        left += fastread.parse_record(blob.decode("utf-8")) is None
    return left


def parse_and_replay_all(store: Store, blobs: list[bytes]) -> int:
    policy, calendar = store.policy, store.calendar
    for blob in blobs:
        text = blob.decode("utf-8")
        doc = fastread.parse_record(text)
        if doc is None:
            doc = yamlio.load_plain(text)
        intake = {key: value for key, value in doc.items() if key != "history"}
        engine.replay(policy, calendar, intake, doc["history"])
    return len(blobs)


def replay_all(store: Store, docs: list[dict[str, Any]]) -> int:
    policy, calendar = store.policy, store.calendar
    for doc in docs:
        intake = {key: value for key, value in doc.items() if key != "history"}
        engine.replay(policy, calendar, intake, doc["history"])
    return len(docs)


def replay_time(store: Store, texts: list[str], repeat: int) -> float:
    docs = [doc if (doc := fastread.parse_record(text)) is not None else yamlio.load_plain(text)
            for text in texts]
    replay_all(store, docs)  # builds the calendar's year tables
    seconds, _ = best(repeat, lambda: replay_all(store, docs))
    return seconds


def measure(root: Path, repeat: int, sample: int, shown: str) -> str:
    store = Store.open(root)
    paths = sorted(store.record_paths())
    count = len(paths)
    blobs = read_all(paths)  # warms the page cache
    size = sum(map(len, blobs))
    read_s, blobs = best(repeat, lambda: read_all(paths))
    parse_s, left = best(repeat, lambda: parse_all(blobs))
    texts = [blob.decode("utf-8") for blob in blobs]
    chosen = random.Random(8).sample(range(count), min(sample, count))
    start = time.perf_counter()
    for i in chosen:
        yamlio.load_plain(texts[i])
    ruamel_each = (time.perf_counter() - start) / len(chosen)
    replay_s = replay_time(store, texts, repeat)
    both_s, _ = best(repeat, lambda: parse_and_replay_all(store, blobs))

    def row(step: str, seconds: float, note: str) -> str:
        return f"| {step} | {seconds:.2f} | {seconds / count * 1e6:.1f} | {note} |"

    lines = [
        *section_head("Reading and replaying every record", f"python benchmarks/bench_read.py {shown}"),
        f"- store: {count:,} records, {size / 1e6:.0f} MB; each step the best of {repeat} passes on a warm "
        "page cache",
        "",
        "| step | seconds | µs per record | |",
        "|---|---:|---:|---|",
        row("read every record file (bytes)", read_s, "the yardstick of issue 8"),
        row("decode + `fastread.parse_record`", parse_s,
            f"{left:,} left to ruamel" + (f" ({left / count:.2%})" if left else "")),
        row("`yamlio.load_plain` (ruamel), extrapolated", ruamel_each * count,
            f"{len(chosen)} records drawn at random"),
        row("`engine.replay` (calendar warm)", replay_s, store.settings.policy),
        row("decode + parse + replay, record by record", both_s,
            f"with the read: {(read_s + both_s) / read_s:.1f} × the read"),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args(argv)
    if args.store is not None:
        text = measure(args.store.resolve(), args.repeat, args.sample, str(args.store))
    elif CACHED.is_dir():
        text = measure(CACHED, args.repeat, args.sample, f"(the cached store {CACHED})")
    else:
        from storekit import make_store

        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "store"
            make_store.generate(root, GENERATED, 3, datetime.fromisoformat("2026-11-20T18:00:00+08:00"))
            text = measure(root, args.repeat, args.sample, f"(no store given: {GENERATED:,} generated)")
    print(text)
    write_section("read", text)


if __name__ == "__main__":
    main(sys.argv[1:])
