"""Benchmark: this checkout against an earlier one, the same commands in the same run.

    git worktree add --detach /tmp/complaintctl-base REV
    python benchmarks/bench_versions.py /tmp/complaintctl-base [--policy metro] [--runs 3]

Figures of one machine on one day cannot be compared with another day's (the machines of this
workplace differ by half in speed): "no command slower than before" is only shown by running both
versions here, alternately, on the same store. Each version runs as `python -m complaintctl` with its
own tree first on PYTHONPATH, on a copy of the cached 100,000-record store of `tests/storekit` (the
cold runs on a fresh copy with no index, as a fresh clone), next to the raw read of every record file.
Writes the `versions` section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from _results import section_head, write_section  # noqa: E402
from bench_commands import NOW, RAW_READ, YEAR, measured  # noqa: E402
from storekit.make_store import ensure_store  # noqa: E402

COMMANDS = {
    "list --status open": ["list", "--status", "open"],
    "sweep --dry-run": ["sweep", "--dry-run"],
    f"report --period {YEAR}": ["report", "--period", YEAR, "--format", "json"],
}


def run(code: Path, store: Path, args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(code)}
    seconds, _ = measured([sys.executable, "-m", "complaintctl", "--store", str(store), "--now", NOW, *args],
                          env=env)
    return seconds


def fresh(source: Path, scratch: Path, name: str) -> Path:
    store = scratch / name
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(source, store, symlinks=True)
    for leftover in (store / ".complaintctl").glob("index.sqlite3*"):
        leftover.unlink()
    return store


def _commit(tree: Path) -> str:
    done = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, check=False)
    return done.stdout.strip() or "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", type=Path, help="a checkout of the earlier version")
    parser.add_argument("--policy", default="metro")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    options = parser.parse_args()
    versions = {"before": options.base.resolve(), "now": HERE.parent}
    source = ensure_store(options.policy, 100_000)
    times: dict[tuple[str, str], list[float]] = {}
    raw: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-versions-") as scratch_dir:
        scratch = Path(scratch_dir)
        for _ in range(options.runs):
            for version, code in versions.items():
                for label, args in COMMANDS.items():
                    store = fresh(source, scratch, version)
                    raw.append(measured([sys.executable, "-c", RAW_READ, str(store)])[0])
                    times.setdefault((label + " cold", version), []).append(run(code, store, args))
                    times.setdefault((label + " warm", version), []).append(run(code, store, args))
                print(version, {key[0]: round(values[-1], 2) for key, values in times.items()
                                if key[1] == version}, flush=True)
    raw_median = statistics.median(raw)
    lines = [*section_head(f"Before and after, the same run ({options.policy}, 100,000 complaints)",
                           "python benchmarks/bench_versions.py BASE " + " ".join(sys.argv[2:])),
             f"- before: `{_commit(versions['before'])}`, now: `{_commit(versions['now'])}`; medians of "
             f"{options.runs} alternating runs; raw read of every record file {raw_median:.2f} s",
             "", "| command | before | now | now / before | now / raw read |", "|---|---:|---:|---:|---:|"]
    for label in COMMANDS:
        for kind in ("warm", "cold"):
            before = statistics.median(times[(f"{label} {kind}", "before")])
            now = statistics.median(times[(f"{label} {kind}", "now")])
            lines.append(f"| `{label}` {kind} | {before:.2f} s | {now:.2f} s | {now / before:.2f} | "
                         f"{now / raw_median:.2f}× |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not options.no_write:
        write_section("versions", text)


if __name__ == "__main__":
    main()
