"""Shared fixtures for the CLI tests: a real store in tmp_path, a frozen clock, the CLI run in-process.

`cli(*args)` runs `complaintctl.cli.main` (which always calls sys.exit) and returns what it printed and
its exit code; `run(*args)` does the same through a real subprocess for the few tests that need one.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from complaintctl.base import messages

NOW = "2026-11-20T17:00:00+08:00"  # a Friday, in working hours
USER = "王五"

# The intake of a metro complaint, as `log` options.
LOG_ARGS = (
    "--channel", "phone", "--subject", "闸机重复扣费", "--description", "在人民广场站出站时被扣两次费。",
    "--category", "service_quality", "--name", "张三", "--phone", "13800138000", "--location", "人民广场站",
)


@dataclass(repr=False)
class Result:
    code: int
    out: str
    err: str

    def __repr__(self) -> str:  # what an assertion failure shows
        return f"exit {self.code}\n--- stdout\n{self.out}--- stderr\n{self.err}"


@pytest.fixture(scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One per-user cache for the whole run (see complaintctl.base.cache), never the developer's own."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _cache_dir: Path) -> None:
    """No store, clock, user, language, cache or git configuration leaks in from the developer's shell."""
    for name in ("COMPLAINTCTL_STORE", "COMPLAINTCTL_NOW", "COMPLAINTCTL_USER", "LANGUAGE", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COMPLAINTCTL_USER", USER)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("COMPLAINTCTL_CACHE", str(_cache_dir))
    # git as on no machine in particular: neither the system's nor the developer's configuration (a
    # global hook, signing, an identity); the git tests go further (gitkit.isolate).
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.chdir(tmp_path)
    messages.set_language("en")


@pytest.fixture
def real_clock(monkeypatch: pytest.MonkeyPatch):
    """Set the real clock the command line reads in this process: `real_clock("2026-12-10T09:00")`. A test
    whose `--now` lies after the machine's date sets it, as nothing is written later than the real clock."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from complaintctl.cli import context

    def setting(text: str) -> None:
        moment = datetime.fromisoformat(text)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(context, "system_now", lambda: moment)

    return setting


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in-process: cli('list', '--format', 'ids', stdin='...') -> Result."""
    from complaintctl.cli import main

    def invoke(*args: str, stdin: str = "") -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            main([str(a) for a in args])
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        else:  # pragma: no cover - main always exits
            raise AssertionError("complaintctl.cli.main returned without sys.exit")
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def run():
    """Run the real console script in a subprocess: run('list', cwd=..., env={...}) -> Result."""
    script = Path(sys.executable).with_name("complaintctl")

    def invoke(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
               stdin: str = "") -> Result:
        command = [str(script)] if script.exists() else [sys.executable, "-m", "complaintctl"]
        done = subprocess.run([*command, *map(str, args)], cwd=cwd, env={**os.environ, **(env or {})},
                              input=stdin, capture_output=True, text=True, timeout=60, check=False)
        return Result(done.returncode, done.stdout, done.stderr)

    return invoke


@pytest.fixture
def store(tmp_path: Path, cli) -> Path:
    """An empty metro store (office MT, English), the working directory."""
    root = tmp_path / "store"
    result = cli("init", root, "--policy", "metro", "--office", "MT", "--language", "en")
    assert result.code == 0, result
    os.chdir(root)
    return root


@pytest.fixture
def logged(store: Path, cli) -> str:
    """The id of one complaint received at 16:00 and logged at 17:00 (NOW)."""
    result = cli("--now", NOW, "log", *LOG_ARGS, "--received", "2026-11-20T16:00")
    assert result.code == 0, result
    return result.out.split()[1]


def record_file(root: Path, complaint_id: str) -> Path:
    (found,) = (root / "complaints").glob(f"*/*/{complaint_id}.yaml")
    return found


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `complaintctl.cli.main(ARGS)` in process: (exit code, stdout, stderr) as captured by capsys."""
    from complaintctl.cli import main

    try:
        main(list(args))
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0
    else:  # pragma: no cover - main always exits
        code = 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def init_store(tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str = "metro", *,
               git: bool = False, own_copy: str | None = None) -> Path:
    """`complaintctl init TMP_PATH/store --policy POLICY --language en [--git]`; with `own_copy`, the store
    gets its own copy of the shipped POLICY under that file name and uses it. Returns the store's root."""
    from complaintctl.policy.loader import BUILTIN_DIR

    root = tmp_path / "store"
    root.mkdir()
    if own_copy is not None:
        (root / own_copy).write_text((BUILTIN_DIR / f"{policy}.yaml").read_text(encoding="utf-8"),
                                     encoding="utf-8")
        policy = own_copy
    args = ["init", str(root), "--policy", policy, "--language", "en"] + (["--git"] if git else [])
    code, _, err = run_main(capsys, *args)
    assert code == 0, err
    return root


def init_with_people(root: Path, cli: Callable[..., Any], policy: str | Path,
                     people: dict[str, list[str]]) -> None:
    """An English store at `root` on `policy` whose settings list these people and roles; the current
    directory becomes the store."""
    assert cli("init", root, "--policy", policy, "--language", "en").code == 0
    os.chdir(root)
    lines = ["people:"]
    for name, roles in people.items():
        lines += [f"  - name: {name}", f"    roles: [{', '.join(roles)}]"]
    settings = root / "complaintctl.yaml"
    settings.write_text(settings.read_text("utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
