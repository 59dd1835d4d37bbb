"""Helpers for the git tests: a bare remote and clones in tmp_path, driven by the real git binary.

Nothing comes from the developer's git configuration: the global and system files are switched off,
and identities are given per command (`-c user.name=…`) or left unset on purpose (complaintctl's own
commits must work without one).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import run_main

from complaintctl.base.messages import set_language

TESTER = ("-c", "user.name=Tester", "-c", "user.email=tester@example.com")
PEOPLE = """people:
  - name: 王五
    roles: [centre]
    email: wangwu@example.com
  - name: 周静
    roles: [manager, centre]
  - name: 李四
    roles: [department]
"""


def isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """git as on no machine in particular: no global or system configuration, a home of its own, and no
    identity guessed from the machine (the login's name, the host's name or a mail server's
    /etc/mailname): `user.useConfigOnly` makes git find an identity only where a test gives one."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "user.useConfigOnly")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "true")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                 "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


def git(repo: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """git as a person with an identity (merges, pushes, the tests' own commits)."""
    done = subprocess.run(["git", *TESTER, "-c", "init.defaultBranch=main", "-c", "pull.rebase=false",
                           "-C", str(repo), *args], capture_output=True, text=True, timeout=120, check=False)
    if ok:
        assert done.returncode == 0, f"git {' '.join(args)}\n{done.stdout}{done.stderr}"
    return done


def out(repo: Path, *args: str) -> str:
    return git(repo, *args).stdout


class Clone:
    """One office's clone: runs complaintctl in-process on it."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys

    def __call__(self, *args: str, now: str | None = None) -> tuple[int, str, str]:
        prefix = ["--store", str(self.root)] + (["--now", now] if now else [])
        result = run_main(self.capsys, *prefix, *args)
        set_language("en")
        return result

    def ok(self, *args: str, now: str | None = None) -> str:
        code, stdout, stderr = self(*args, now=now)
        assert code == 0, f"{args}: exit {code}\n{stdout}{stderr}"
        return stdout

    def record(self, complaint_id: str) -> Path:
        (found,) = (self.root / "complaints").glob(f"*/*/{complaint_id}.yaml")
        return found

    def text(self, complaint_id: str) -> str:
        return self.record(complaint_id).read_text(encoding="utf-8")


def office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Clone]:
    """A store made with `init --git`, its people set, committed and pushed to a bare remote."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    root = tmp_path / "a"
    code, _, err = run_main(capsys, "init", str(root), "--policy", "metro", "--office", "MT",
                            "--language", "en", "--git")
    assert code == 0, err
    settings = root / "complaintctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + PEOPLE, encoding="utf-8")
    git(root, "checkout", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the store")
    git(root, "remote", "add", "origin", str(remote))
    git(root, "push", "-q", "-u", "origin", "main")
    return remote, Clone(root, capsys)


def clone(remote: Path, root: Path, capsys: pytest.CaptureFixture[str]) -> Clone:
    git(root.parent, "clone", "-q", str(remote), str(root))
    other = Clone(root, capsys)
    other.ok("git", "install")
    return other
