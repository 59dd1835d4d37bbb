"""Benchmark: `complaintctl log` costs the same in a store of 10 complaints and in one of 100,000.

    /work/venv/bin/python benchmarks/bench_log.py [--runs 15]   (or: python benchmarks/bench_log.py)

Makes two metro stores with benchmarks/make_store.py, a small one (10 complaints, fresh each time)
and a big one (100,000; `make_store.ensure_store` caches it under /tmp/complaintctl-bench, keyed by
the generator's sources, so reruns skip the minutes it takes to write), then runs the real console
script, a new process each time, exactly as a person would:

    complaintctl --store STORE --now 2026-11-23T10:00:00+08:00 log --by 王五 --channel phone ...

Two warm-up runs per store are discarded; then the timed runs alternate between the stores, so a
drift of the machine hits both alike. Each new record is deleted after its run, so the cached store
stays as generated. Reports the median, the quartiles and the extremes of the wall time per store,
and writes the `log` section of benchmarks/RESULTS.md.

Why it should hold: `log` reads the settings and the policy, builds the calendar, and lists only
the current month's folder to number the new id; it never reads the other records.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from _results import section_head, write_section  # noqa: E402
from storekit.make_store import ensure_store  # noqa: E402

BIG = 100_000
SMALL = 10
NOW = "2026-11-23T10:00:00+08:00"
LOG_ARGS = [
    "log", "--json", "--by", "王五", "--channel", "phone", "--received", "2026-11-23T09:55",
    "--subject", "闸机重复扣费", "--category", "service_quality", "--location", "人民广场站",
    "--description", "在人民广场站出站时被扣两次费。", "--name", "张三", "--phone", "13800138000",
]


def console_script() -> str:
    beside = Path(sys.executable).parent / "complaintctl"
    found = str(beside) if beside.is_file() else shutil.which("complaintctl")
    if not found:
        raise SystemExit("complaintctl is not installed beside this Python nor on PATH")
    return found


def make_store(directory: Path, count: int) -> None:
    subprocess.run([sys.executable, str(HERE / "make_store.py"), str(directory), "--count", str(count)],
                   check=True, stdout=subprocess.DEVNULL)


def big_store() -> Path:
    """The 100,000-complaint metro store, generated once per version of the generator."""
    print(f"the {BIG:,}-complaint store (generated and cached on the first run) ...", flush=True)
    return ensure_store("metro", BIG)


def count_records(store: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(store / "complaints"))


def log_once(ctl: str, store: Path) -> float:
    """Wall time of one `complaintctl log`; the record it made is removed again."""
    command = [ctl, "--store", str(store), "--now", NOW, *LOG_ARGS]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"complaintctl log failed ({done.returncode}): {done.stderr.strip()}")
    (store / json.loads(done.stdout)["path"]).unlink()
    return elapsed


def describe(times: list[float]) -> dict[str, float]:
    q1, median, q3 = statistics.quantiles(times, n=4, method="inclusive")
    return {"median": median, "q1": q1, "q3": q3, "min": min(times), "max": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per store (default: %(default)s)")
    args = parser.parse_args()
    ctl = console_script()
    big = big_store()
    with tempfile.TemporaryDirectory(prefix="complaintctl-bench-small-") as tmp:
        small = Path(tmp) / "store"
        make_store(small, SMALL)
        stores = {"small": small, "big": big}
        sizes = {name: count_records(path) for name, path in stores.items()}
        for path in stores.values():
            for _ in range(2):
                log_once(ctl, path)
        times: dict[str, list[float]] = {"small": [], "big": []}
        for _ in range(args.runs):
            for name, path in stores.items():
                times[name].append(log_once(ctl, path))
        after = {name: count_records(path) for name, path in stores.items()}
    if after != sizes:
        raise SystemExit(f"the stores changed size during the benchmark: {sizes} -> {after}")

    stats = {name: describe(values) for name, values in times.items()}
    small_s, big_s = stats["small"], stats["big"]
    difference = big_s["median"] - small_s["median"]
    noise = max(small_s["q3"] - small_s["q1"], big_s["q3"] - big_s["q1"])
    same = abs(difference) <= noise
    verdict = (f"same within noise: the medians differ by {difference * 1e3:+.1f} ms, less than the wider "
               f"interquartile range ({noise * 1e3:.1f} ms)" if same else
               f"NOT the same: the medians differ by {difference * 1e3:+.1f} ms, more than the wider "
               f"interquartile range ({noise * 1e3:.1f} ms)")
    month = big / "complaints" / NOW[:4] / NOW[5:7]
    in_month = sum(1 for _ in month.glob("*.yaml")) if month.is_dir() else 0

    def row(label: str, name: str) -> str:
        ms = {key: f"{value * 1e3:.0f}" for key, value in stats[name].items()}
        return (f"| {label} | {sizes[name]:,} | {ms['median']} ms | {ms['q1']}–{ms['q3']} ms | "
                f"{ms['min']}–{ms['max']} ms |")

    lines = [
        *section_head("log: registering a complaint in a small and a big store",
                      f"python benchmarks/bench_log.py --runs {args.runs}"),
        f"- timed: `complaintctl --store STORE --now {NOW} {' '.join(LOG_ARGS[:8])} …` "
        f"(the installed console script, a new process per run, wall time), {args.runs} runs per store "
        "after 2 warm-up runs, alternating between the stores; each new record removed after its run",
        f"- stores: metro, made by `benchmarks/make_store.py` (10 % open, 3–12 events, 2021–2026); the "
        f"big store's current month folder holds {in_month:,} records",
        "",
        "| store | complaints | median | interquartile | min–max |",
        "|---|---|---|---|---|",
        row("small", "small"),
        row("big", "big"),
        "",
        f"Result: {verdict}.",
    ]
    markdown = "\n".join(lines)
    write_section("log", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
