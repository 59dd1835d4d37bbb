"""Merge under load (issue 18): two clones that each swept the same open complaints pull from each other
through the merge driver `git install` sets up (a shell client handing each record to one merge server),
and every event of both sides is kept. The benchmark (benchmarks/bench_merge.py) does the same with a
thousand records and times it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from gitkit import Clone, git, isolate, out
from storekit.make_store import DEFAULT_NOW, generate

from complaintctl.git.merge import identity
from complaintctl.records.record import Record

OPEN = 60


@pytest.fixture(autouse=True)
def _git_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def _histories(root: Path) -> dict[str, list[dict[str, object]]]:
    return {path.stem: Record.read(path).history for path in (root / "complaints").glob("*/*/*.yaml")}


def test_two_clones_that_swept_the_same_open_complaints_pull_each_other_and_keep_every_event(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    origin = tmp_path / "origin"
    generate(origin, OPEN * 10, 18, datetime.fromisoformat(DEFAULT_NOW))  # a tenth of them open
    git(origin, "init", "-q", "-b", "main")
    Clone(origin, capsys).ok("git", "install")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "the store")
    clones = [Clone(tmp_path / name, capsys) for name in ("a", "b")]
    swept = []
    for clone, when in zip(clones, ("2026-12-01T09:00", "2026-12-01T09:01"), strict=True):
        git(tmp_path, "clone", "-q", str(origin), str(clone.root))
        clone.ok("git", "install")
        assert "sh " in out(clone.root, "config", "merge.complaintctl.driver")
        said = clone.ok("sweep", "--no-mail", "--commit", now=when)
        assert "记录" in said  # the generated store speaks Chinese: "recorded N escalations"
        swept.append(_histories(clone.root))
    both = [key for key in swept[0] if swept[0][key] != swept[1][key]]
    assert len(both) >= OPEN // 2  # every breached open complaint: a record both sides changed

    for clone, other in zip(clones, reversed(clones), strict=True):  # each side's sweep, unmerged
        git(clone.root, "fetch", "-q", str(other.root), "main:refs/remotes/other/main")
    for clone in clones:  # a pull each way, neither a fast-forward: the driver runs for every record
        merged = git(clone.root, "merge", "--no-edit", "refs/remotes/other/main")
        assert "CONFLICT" not in merged.stdout + merged.stderr
        assert (clone.root / ".git" / "complaintctl" / "server.pid").is_file()  # the server merged them

    after = [_histories(clone.root) for clone in clones]
    assert after[0] == after[1]  # merged apart, the same files
    for key in both:
        kept = {identity(event) for event in after[0][key]}
        for side in swept:
            assert all(identity(event) in kept for event in side[key]), key
        times = [str(event["at"]) for event in after[0][key]]
        assert times == sorted(times)
        # both sweeps recorded the same breaches: each once, the earlier sweep's
        swept_both = {identity(event) for event in swept[0][key] if event["action"] == "escalate"} & {
            identity(event) for event in swept[1][key] if event["action"] == "escalate"}
        kept_at = [str(event["at"]) for event in after[0][key] if identity(event) in swept_both]
        assert len(kept_at) == len(swept_both)
        assert all(at.startswith("2026-12-01T09:00") for at in kept_at)
    for clone in clones:
        assert clone.ok("check").startswith(f"已检查 {len(swept[0])} 份记录")
