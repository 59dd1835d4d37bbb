"""Benchmark: two clones that each swept the same open complaints pull from each other (issue 18).

    python benchmarks/bench_merge.py [--count 10000] [--policy metro] [--driver installed|command]

A store of COUNT generated complaints (a tenth of them open; the test kit's cached store) is committed,
cloned twice, and `complaintctl git install` is run in each clone. Each clone sweeps on the real clock
(one a second after the other), escalating every breached open complaint, and commits. Then each clone
fetches the other's sweep and merges it (a pull, both ways, neither a fast-forward): git runs the merge
driver once for every record both sweeps wrote. Each merge is timed, and every event of both sides is
checked to be in the merged record (an escalation both sides recorded for one breach is kept once, as
the merge deduplicates it).

`--driver command` measures git configured with the plain command (`python -m complaintctl git
merge-driver %O %A %B %P`, one Python start per record: what `git install` set up before); the default
measures what `git install` sets up now.

Writes the `merge` section of benchmarks/RESULTS.md (or `merge-command` for `--driver command`).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
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
from storekit.make_store import ensure_store  # noqa: E402

from complaintctl.git.merge import identity  # noqa: E402
from complaintctl.records.record import Record  # noqa: E402


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} in {cwd} failed ({done.returncode}):\n{done.stderr}{done.stdout}")
    return done.stdout


def complaintctl(cwd: Path, *args: str, env: dict[str, str]) -> str:
    return run(cwd, sys.executable, "-m", "complaintctl", *args, env=env)


def histories(root: Path) -> dict[str, list[dict[str, object]]]:
    return {path.stem: Record.read(path).history for path in (root / "complaints").glob("*/*/*.yaml")}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--policy", default="metro")
    parser.add_argument("--driver", choices=("installed", "command"), default="installed")
    args = parser.parse_args()
    source = ensure_store(args.policy, args.count)
    env = {**os.environ, "COMPLAINTCTL_USER": "sweep-bench", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("COMPLAINTCTL_NOW", None)
    with tempfile.TemporaryDirectory(prefix="complaintctl-bench-merge-") as temporary:
        work = Path(temporary)
        origin = work / "origin"
        shutil.copytree(source, origin, ignore=shutil.ignore_patterns(".done", ".complaintctl"))
        run(origin, "git", "init", "-q", "-b", "main", env=env)
        # no automatic gc: one running in the background after the big commit packs the objects while
        # the clones copy them
        run(origin, "git", "config", "gc.auto", "0", env=env)
        complaintctl(origin, "git", "install", env=env)
        run(origin, "git", "add", "-A", env=env)
        run(origin, "git", "commit", "-q", "-m", "store", env=env)
        clones = [work / "a", work / "b"]
        for clone in clones:
            run(work, "git", "clone", "-q", str(origin), str(clone), env=env)
            complaintctl(clone, "git", "install", env=env)
            if args.driver == "command":
                command = f"{shlex.quote(sys.executable)} -m complaintctl git merge-driver %O %A %B %P"
                run(clone, "git", "config", "merge.complaintctl.driver", command, env=env)
        swept = []
        for clone in clones:
            complaintctl(clone, "sweep", "--no-mail", "--commit", env=env)
            swept.append(histories(clone))
            time.sleep(1.1)  # the other clone's sweep a second later: its events differ in `at`
        changed = [key for key, events in swept[0].items() if events != swept[1].get(key)]
        both = [key for key in changed if len(swept[0][key]) > 1 and len(swept[1][key]) > 1]
        for clone, other in ((clones[0], clones[1]), (clones[1], clones[0])):  # each side's sweep, unmerged
            run(clone, "git", "fetch", "-q", str(other), "main:refs/remotes/other/main", env=env)
        timings = []
        for clone in clones:
            start = time.perf_counter()
            run(clone, "git", "merge", "-q", "--no-edit", "refs/remotes/other/main", env=env)
            timings.append(time.perf_counter() - start)
        lost = 0
        for clone in clones:
            merged = histories(clone)
            for key in changed:
                kept = {identity(event) for event in merged[key]}
                lost += sum(1 for side in swept for event in side[key] if identity(event) not in kept)
        same = histories(clones[0]) == histories(clones[1])
    if lost:
        raise SystemExit(f"{lost} events lost in the merge")
    name = "merge" if args.driver == "installed" else "merge-command"
    options = [f"--count {args.count}", f"--policy {args.policy}"]
    if args.driver == "command":
        options.append("--driver command")
    how = "as `git install` sets it up" if name == "merge" else "one Python start per record"
    lines = section_head(f"Merge under load ({how})", "python benchmarks/bench_merge.py " + " ".join(options))
    lines += [
        f"- store: {args.count:,} {args.policy} complaints; both clones swept on the real clock: "
        f"{len(changed):,} records changed on both sides (git runs the merge driver once for each)",
        "",
        "| pull | seconds | per record |",
        "|---|---:|---:|",
        f"| a merges b | {timings[0]:.1f} | {1000 * timings[0] / max(len(changed), 1):.0f} ms |",
        f"| b merges a | {timings[1]:.1f} | {1000 * timings[1] / max(len(changed), 1):.0f} ms |",
        "",
        f"- every event of both sides kept: yes (0 lost); both clones hold the same records after: "
        f"{'yes' if same else 'no'}",
    ]
    write_section(name, "\n".join(lines))
    print(json.dumps({"changed": len(changed), "both": len(both), "pulls": timings, "same": same}))


if __name__ == "__main__":
    main()
