"""Benchmark: the least a report on a fresh clone must do, stage by stage, against issue 8's target of
3x the raw read.

    python benchmarks/bench_cold_floor.py [--policies metro,tourism,...] [--size 100000] [--runs 3]

A report of `--period 2026` on a clone with no index must derive in full every complaint of its reach
(2025 and 2026, and a repeat window before them: `report.report_reach`), and read every other record
at least far enough to know it is closed (`quickstate`), as the index build does. This benchmark does
only that work, in stages that each add one step to the one before, over all the store's records split
among forked processes on every core (the index build's own chunks), on a store made by
`make_store.ensure_store`:

1. read: read every record file with its stat, and read off those before the reach that they are
   closed (`quickstate.closed_of`); the records it is not sure of go on to the next stages;
2. parse: and parse the records to derive (`fastread`, ruamel for what it leaves);
3. replay: and replay them through the policy (`engine.replay`);
4. digest: and compute their digests (`digest.digest_of`): what a report reads.

Nothing is written and nothing else is computed: no brief, no index row, no SQLite, no interpreter
start-up, no report. So each stage's time is a floor under a cold `complaintctl report --period 2026`.
The warm report (the report computed from a ready index, start-up included, the previous period's
figures kept) stands for the part of the cold command after its derivation, which must at least
compute the same figures: so `replay` plus the warm report is a floor for a digest however fast, and
`digest` plus the warm report estimates the least the cold command can take as the code stands.
Measured in the same run: the raw read (a bare interpreter reading every record file, as
bench_commands.py does) and the cold and warm report commands on a copy of the store. Each figure is
the median of `--runs`.

Writes the `cold-floor` section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent))

from _results import section_head, write_section  # noqa: E402
from bench_commands import COLD_TARGET, POLICIES, RAW_READ, YEAR, cli, measured  # noqa: E402
from storekit.make_store import ensure_store  # noqa: E402

from complaintctl.core import digest, engine  # noqa: E402
from complaintctl.core.quickstate import Plan, closed_of  # noqa: E402
from complaintctl.report import report_reach  # noqa: E402
from complaintctl.report.periods import parse_period  # noqa: E402
from complaintctl.store import derive, scan  # noqa: E402
from complaintctl.store.directory import Store  # noqa: E402

STAGES = ("read", "parse", "replay", "digest")

# Set before forking, as the index build does, so that every worker shares the loaded policy.
_STORE: Store | None = None
_PLAN: Plan | None = None
_FULL_FROM = ""


def _stage(work: list[str], stage: str) -> int:
    """Do `stage` and the stages before it for each record of `work`; how many were derived."""
    store, plan = _STORE, _PLAN
    assert store is not None and plan is not None
    last = STAGES.index(stage)
    derived = 0
    for relative in work:
        data, _size, _mtime = derive.read_with_stat(f"{store.root}/{relative}")
        if relative < _FULL_FROM and closed_of(data, plan) is not None:
            continue
        derived += 1
        if last < 1:
            continue
        intake, history = derive.intake_and_history(data.decode("utf-8"), relative)
        if last < 2:
            continue
        view = engine.replay(store.policy, store.calendar, intake, history)
        if last < 3:
            continue
        digest.digest_of(view, store.calendar)
    return derived


def run_stage(work: list[str], stage: str) -> tuple[float, int]:
    """Wall seconds of one stage over every record, on every core, and how many records it derived."""
    workers = min(os.cpu_count() or 1, 8)
    size = max(200, len(work) // (workers * 32))
    chunks = [work[start:start + size] for start in range(0, len(work), size)]
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        derived = sum(pool.map(_stage, chunks, [stage] * len(chunks)))
    return time.perf_counter() - started, derived


@dataclass
class PolicyResult:
    policy: str
    records: int = 0
    derived: int = 0
    full_from: str = ""
    raw: list[float] = field(default_factory=list)
    stages: dict[str, list[float]] = field(default_factory=dict)
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)

    def median(self, name: str) -> float:
        values = {"raw": self.raw, "cold": self.cold, "warm": self.warm}.get(name) or self.stages[name]
        return statistics.median(values)


def bench_policy(policy: str, size: int, runs: int) -> PolicyResult:
    global _STORE, _PLAN, _FULL_FROM
    source = ensure_store(policy, size)
    store = Store.open(source)
    _ = store.policy, store.calendar  # loaded once, before forking
    reach = report_reach(store, parse_period(YEAR, store.tz))
    _STORE, _PLAN, _FULL_FROM = store, Plan.of(store.policy), scan.folder_of(reach.astimezone(store.tz))
    work = sorted(folder + name for folder, files in scan.changes_of(store, {}, stat=False).changed.items()
                  for name, _size, _mtime in files)
    result = PolicyResult(policy, records=len(work), full_from=_FULL_FROM)
    scratch = Path(tempfile.mkdtemp(prefix=f"bench-floor-{policy}-"))
    copy = scratch / "store"
    try:
        shutil.copytree(source, copy, symlinks=True)
        report = cli(copy, "report", "--period", YEAR)
        run_stage(work, "read")  # warms the page cache and the calendar's tables
        for _ in range(runs):
            result.raw.append(measured([sys.executable, "-c", RAW_READ, str(source)])[0])
            for stage in STAGES:
                seconds, result.derived = run_stage(work, stage)
                result.stages.setdefault(stage, []).append(seconds)
            for leftover in (copy / ".complaintctl").glob("index.sqlite3*"):
                leftover.unlink()
            result.cold.append(measured(report)[0])
            result.warm.append(measured(report)[0])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


# The floors compared with the target: the measured parts each is the sum of, and what it stands for.
FLOORS = (
    (("digest",), "the `digest` stage alone"),
    (("replay", "warm"), "the `replay` stage and the warm report (no digest, nothing written)"),
    (("digest", "warm"), "the `digest` stage and the warm report (the estimate of the least the cold "
                         "command can take as the code stands)"),
)


def render(results: list[PolicyResult], runs: int, command_line: str) -> str:
    lines = [
        *section_head("The least a cold report must do, stage by stage", command_line),
        f"- each figure the median of {runs} runs; stages run in this process's forked workers on every "
        "core, with no start-up and nothing written; the report commands run on a copy of the store "
        f"(`report --period {YEAR}`, cold: its index deleted first; warm: its index up to date)",
        "",
        "| policy | records | derived in full (from) | raw read | target (3×) | read | + parse | + replay "
        "| + digest | warm report | cold report | over target: digest · replay + warm · digest + warm |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    above = [0] * len(FLOORS)
    for each in results:
        target = COLD_TARGET * each.median("raw")
        floors = [sum(map(each.median, parts)) for parts, _ in FLOORS]
        above = [count + (seconds > target) for count, seconds in zip(above, floors, strict=True)]
        reach = each.full_from.removeprefix("complaints/")
        stages = " | ".join(f"{each.median(stage):.2f} s" for stage in STAGES)
        over = " · ".join(f"{seconds / target:.2f}×" for seconds in floors)
        lines.append(f"| {each.policy} | {each.records:,} | {each.derived:,} ({reach}) | "
                     f"{each.median('raw'):.2f} s | {target:.2f} s | {stages} | "
                     f"{each.median('warm'):.2f} s | {each.median('cold'):.2f} s | {over} |")
    lines += ["", "Result, policies whose floor is above the target:"]
    lines.append(";\n".join(f"- {text}: {count} of {len(results)}"
                            for (_, text), count in zip(FLOORS, above, strict=True)) + ".")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--policies", default=",".join(POLICIES))
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    gc.disable()  # as `make_report` does before it builds the index; the workers inherit it
    results = []
    for policy in args.policies.split(","):
        print(f"{policy} ...", file=sys.stderr, flush=True)
        results.append(bench_policy(policy, args.size, args.runs))
    command_line = "python benchmarks/bench_cold_floor.py " + " ".join(sys.argv[1:])
    text = render(results, args.runs, command_line.strip())
    print(text)
    write_section("cold-floor", text)


if __name__ == "__main__":
    main()
