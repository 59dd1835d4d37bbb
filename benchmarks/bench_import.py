"""Benchmark: `import` of a ledger of ROWS complaints into an empty store (issue 18: at least 1,000 rows/s).

    python benchmarks/bench_import.py [--rows 5000] [--policy metro]

The ledger is exported (`complaintctl export`, with every event's history) from the test kit's cached
store of ROWS generated complaints; then `complaintctl import` brings it into a new store with the same
settings, as a real process on the real clock. Timed: the whole command (Python's start included),
and its checking stage alone (`import --dry-run`). Writes the `import` section of
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from _results import section_head, write_section  # noqa: E402
from storekit.make_store import DEFAULT_NOW, ensure_store  # noqa: E402


def timed(cwd: Path, *args: str, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "complaintctl", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"complaintctl {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--policy", default="metro")
    args = parser.parse_args()
    source = ensure_store(args.policy, args.rows)
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    env.pop("COMPLAINTCTL_NOW", None)
    with tempfile.TemporaryDirectory(prefix="complaintctl-bench-import-") as temporary:
        work = Path(temporary)
        ledger = work / "ledger.csv"
        timed(work, "--store", str(source), "--now", DEFAULT_NOW, "export", "--output", str(ledger), env=env)
        target = work / "store"
        target.mkdir()
        shutil.copy(source / "complaintctl.yaml", target / "complaintctl.yaml")
        person = "--by", "王五"
        into = "--store", str(target), "import", *person
        checking, _ = timed(work, *into, "--dry-run", str(ledger), env=env)
        importing, said = timed(work, *into, str(ledger), env=env)
        imported = len(list((target / "complaints").glob("*/*/*.yaml")))
        again, _ = timed(work, *into, str(ledger), env=env)
    if imported != args.rows:
        raise SystemExit(f"{imported} of {args.rows} rows imported:\n{said[:2000]}")
    command = f"python benchmarks/bench_import.py --rows {args.rows} --policy {args.policy}"
    lines = section_head("Import", command)
    lines += [
        f"- ledger: {args.rows:,} {args.policy} complaints exported with their histories; imported into an "
        "empty store by `complaintctl import` (a real process, Python's start included)",
        "",
        "| run | seconds | rows/s |",
        "|---|---:|---:|",
        f"| `import --dry-run` (every row checked) | {checking:.1f} | {args.rows / checking:,.0f} |",
        f"| `import` (checked, then each row written once, whole) | {importing:.1f} | "
        f"{args.rows / importing:,.0f} |",
        f"| `import` again (every row found imported before) | {again:.1f} | {args.rows / again:,.0f} |",
    ]
    write_section("import", "\n".join(lines))
    print(f"{args.rows} rows: dry run {checking:.1f} s, import {importing:.1f} s "
          f"({args.rows / importing:,.0f} rows/s), again {again:.1f} s")


if __name__ == "__main__":
    main()
