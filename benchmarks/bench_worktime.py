"""Benchmark of the working-time arithmetic: 100,000 deadlines of mixed forms from random starts.

    /work/venv/bin/python benchmarks/bench_worktime.py   (or: python benchmarks/bench_worktime.py)

Measures the cost of loading the calendar (importing `holidays`, building the day tables) once,
then the time per deadline (`Calendar.add`) and per `working_seconds`, and writes the `worktime`
section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _results import section_head, write_section  # noqa: E402

from complaintctl.worktime.arithmetic import Calendar, Limit  # noqa: E402

N = 100_000
LIMITS = [
    Limit("minutes", 10),
    Limit("hours", 24),
    Limit("working_hours", 4),
    Limit("working_hours", 37.5),
    Limit("working_days", 0.5),
    Limit("working_days", 1),
    Limit("working_days", 1.5),
    Limit("working_days", 3),
    Limit("working_days", 7),
    Limit("working_days", 10),
    Limit("calendar_days", 30),
]


def main() -> None:
    rng = random.Random(20261120)
    lo = datetime(2025, 1, 1, tzinfo=UTC)
    span = int((datetime(2027, 1, 1, tzinfo=UTC) - lo).total_seconds())
    starts = [lo + timedelta(seconds=rng.randrange(span)) for _ in range(N)]
    limits = [rng.choice(LIMITS) for _ in range(N)]

    t0 = time.perf_counter()
    cal = Calendar()
    for year in range(2025, 2028):
        cal.day(datetime(year, 1, 1).date())
    load = time.perf_counter() - t0

    add = cal.add
    best_add = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        dues = [add(s, lim) for s, lim in zip(starts, limits, strict=True)]
        best_add = min(best_add, time.perf_counter() - t0)

    ws = cal.working_seconds
    t0 = time.perf_counter()
    for s, d in zip(starts, dues, strict=True):
        ws(s, d)
    spent_ws = time.perf_counter() - t0

    per_add = best_add / N * 1e6
    per_ws = spent_ws / N * 1e6
    lines = [
        *section_head("worktime: deadlines", "python benchmarks/bench_worktime.py"),
        f"- workload: {N:,} deadlines from random starts in 2025-2026, limits drawn from "
        + ", ".join(str(lim) for lim in LIMITS),
        "",
        "| measure | result |",
        "|---|---|",
        f"| load the China calendar (import holidays, build 2025-2027) | {load * 1e3:.1f} ms |",
        f"| `Calendar.add`, per deadline (best of 3 runs) | {per_add:.2f} µs |",
        f"| `Calendar.working_seconds`, per call | {per_ws:.2f} µs |",
        f"| target | < 10 µs per deadline: {'met' if per_add < 10 else 'NOT met'} |",
    ]
    markdown = "\n".join(lines)
    write_section("worktime", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
