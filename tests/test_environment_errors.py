"""Issue 18.5: the machine's refusals (a full disk, a read-only store, no permission, an immutable file)
are one clear line naming the path and exit 74, never "hit a bug"; and the commands that only read work
on a store they cannot write.

Most causes are simulated (the tests run as root in CI, where permissions do not bind); where the machine
allows it, a real tmpfs, a real read-only bind mount (in a private mount namespace) and a real immutable
file are used too."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LOG_ARGS, NOW, record_file

from complaintctl.base import fsutil
from complaintctl.store import index, indexfile
from complaintctl.store.directory import Store

ROOT = Path(__file__).resolve().parents[1]
READERS = (("list",), ("list", "--status", "closed"), ("report", "--period", "2026-11"), ("check",),
           ("export",), ("sweep", "--dry-run"))


def assert_environment_failure(result, *words: str) -> None:
    assert result.code == 74, result
    assert "hit a bug" not in result.err and "Traceback" not in result.err, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("complaintctl: "), result
    for word in words:
        assert word in lines[0], result


def no_temporary_files(root: Path) -> bool:
    return not [p for p in root.rglob("*") if fsutil.is_temporary(p.name)]


def refuse_replace(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    def refused(source: object, target: object) -> None:
        raise OSError(code, os.strerror(code), str(source))

    monkeypatch.setattr(fsutil.os, "replace", refused)


def test_disk_full_is_one_line_and_exit_74(store: Path, logged: str, cli, monkeypatch) -> None:
    before = record_file(store, logged).read_text(encoding="utf-8")
    refuse_replace(monkeypatch, errno.ENOSPC)
    result = cli("--now", NOW, "note", logged, "客户来电")
    assert_environment_failure(result, "no space left", str(record_file(store, logged)))
    assert record_file(store, logged).read_text(encoding="utf-8") == before
    assert no_temporary_files(store)


@pytest.mark.parametrize(("code", "said"), [(errno.EROFS, "read-only"), (errno.EACCES, "permission denied"),
                                            (errno.EPERM, "not permitted")])
def test_read_only_permission_and_immutable_are_one_line_and_exit_74(
        store: Path, logged: str, cli, monkeypatch, code: int, said: str) -> None:
    refuse_replace(monkeypatch, code)
    assign = ("assign", logged, "--to", "李四", "--department", "站务")
    for command in (("note", logged, "x"), ("log", *LOG_ARGS), assign):
        assert_environment_failure(cli("--now", NOW, *command), said)
    assert no_temporary_files(store)


def test_a_full_disk_under_the_index_is_one_line_and_exit_74(store: Path, logged: str, cli,
                                                             monkeypatch) -> None:
    def full(*_: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(index.Index, "_write", full)
    assert_environment_failure(cli("--now", NOW, "list"), "no space left")


def test_a_lock_that_cannot_be_made_is_one_line_and_exit_74(store: Path, logged: str, cli,
                                                            monkeypatch) -> None:
    real_open = os.open

    def refused(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith(".lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fsutil.os, "open", refused)
    assert_environment_failure(cli("--now", NOW, "note", logged, "x"), "permission denied", ".lock")


def test_read_only_store_can_list(store: Path, logged: str, cli, monkeypatch, tmp_path: Path) -> None:
    """`.complaintctl/` cannot be written (simulated: SQLite says the database is read-only there): the
    index is kept in the user's cache, and every read-only command works."""
    real_open_at = indexfile.open_at

    def read_only(path: Path, connect: indexfile.Connect) -> sqlite3.Connection:
        if path.is_relative_to(store):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_open_at(path, connect)

    monkeypatch.setattr(indexfile, "open_at", read_only)
    shutil.rmtree(store / ".complaintctl", ignore_errors=True)
    for command in READERS:
        result = cli("--now", NOW, *command)
        assert result.code == 0, (command, result)
    assert logged in cli("--now", NOW, "list", "--format", "ids").out
    assert cli("--now", NOW, "show", logged).code == 0
    assert not (store / ".complaintctl" / index.INDEX_FILE).exists()
    kept = indexfile.fallback_index_path(Store.open(store), index.INDEX_FILE)
    assert kept is not None and kept.is_file() and not kept.is_relative_to(store)


def test_read_only_store_without_a_cache_keeps_the_index_in_memory(store: Path, logged: str, cli,
                                                                    monkeypatch) -> None:
    monkeypatch.setenv("COMPLAINTCTL_CACHE", "off")

    def denied(path: Path, connect: indexfile.Connect) -> sqlite3.Connection:
        raise PermissionError(errno.EACCES, "Permission denied", str(path.parent))

    monkeypatch.setattr(indexfile, "open_at", denied)
    result = cli("--now", NOW, "list", "--format", "ids")
    assert result.code == 0 and result.out.split() == [logged], result


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                          capture_output=True, check=False)
    return done.returncode == 0


needs_namespaces = pytest.mark.skipif(not _namespaces_work(),
                                      reason="needs unshare -m and mount (root, or a user namespace)")


def _in_namespace(script: str, tmp_path: Path) -> dict[str, list[object]]:
    """Run `script` (sh) in a private mount namespace; it runs complaintctl commands through `$CTL` and
    each line of its output is `NAME CODE` followed by the command's stderr on the next line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CTL": f"{sys.executable} -m complaintctl",
           "COMPLAINTCTL_CACHE": str(tmp_path / "user-cache")}
    done = subprocess.run(["unshare", "-m", "sh", "-c", "mount --make-rprivate / 2>/dev/null; " + script],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


RUN_EACH = """
out='{{'
first=1
run() {{
  name=$1; shift
  err=$($CTL --now {now} "$@" 2>&1 >/dev/null); code=$?
  [ $first = 1 ] || out="$out,"; first=0
  said=$(printf %s "$err" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')
  out="$out\\"$name\\": [$code, $said]"
}}
"""


@needs_namespaces
def test_read_only_store_under_a_read_only_bind_mount(store: Path, logged: str, tmp_path: Path) -> None:
    before = record_file(store, logged).read_text(encoding="utf-8")
    shutil.rmtree(store / ".complaintctl", ignore_errors=True)  # a fresh checkout: no index yet
    script = (f"mount --bind {store} {store} && mount -o remount,ro,bind {store} {store} && cd {store} && "
              + RUN_EACH.format(now=NOW)
              + "".join(f"run {'_'.join(command)} {' '.join(command)}\n" for command in READERS)
              + f"run show show {logged}\nrun note note {logged} x\n"
              + "echo \"$out}\"\n")
    results = _in_namespace(script, tmp_path)
    for command in READERS:
        code, err = results["_".join(command)]
        assert code == 0, (command, err)
    assert results["show"][0] == 0, results["show"]
    code, err = results["note"]
    assert code == 74 and "read-only" in str(err) and "hit a bug" not in str(err), results["note"]
    assert record_file(store, logged).read_text(encoding="utf-8") == before


@needs_namespaces
def test_disk_full_on_a_real_tmpfs_is_one_line_and_loses_nothing(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (f"mount -t tmpfs -o size=2m tmpfs {disk} && cd {disk} && "
              f"$CTL init s --policy metro --office MT --language en >/dev/null && cd s && "
              + RUN_EACH.format(now=NOW)
              + "run log log " + " ".join(f"'{arg}'" for arg in LOG_ARGS) + "\n"
              + "dd if=/dev/zero of=filler bs=4k 2>/dev/null; sync\n"
              + "run note note MT x\nrun list list\n"
              + "left=$(find . -name '.*.tmp' | wc -l)\n"
              + "out=\"$out, \\\"tmp\\\": [$left, 0]\"\n"
              + "echo \"$out}\"\n")
    results = _in_namespace(script, tmp_path)
    assert results["log"][0] == 0, results["log"]
    code, err = results["note"]
    assert code == 74 and "no space left" in str(err) and "hit a bug" not in str(err), results["note"]
    assert results["list"][0] == 0, results["list"]  # a full disk does not stop reading
    assert results["tmp"][0] == 0  # no temporary file left behind


def _chattr_works(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    probe.write_text("x", encoding="utf-8")
    done = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, check=False) \
        if shutil.which("chattr") else None
    if done is None or done.returncode != 0:
        return False
    subprocess.run(["chattr", "-i", str(probe)], check=False)
    return True


def test_an_immutable_record_is_one_line_and_exit_74(store: Path, logged: str, cli, tmp_path: Path) -> None:
    if not _chattr_works(tmp_path):
        pytest.skip("chattr +i needs root and a file system that supports it")
    folder = record_file(store, logged).parent
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        result = cli("--now", NOW, "note", logged, "x")
        assert_environment_failure(result, "not permitted", str(record_file(store, logged)))
        assert cli("--now", NOW, "list", "--format", "ids").out.split() == [logged]
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_git_failing_for_a_full_disk_is_one_line_and_exit_74(monkeypatch, tmp_path: Path) -> None:
    from complaintctl.base.errors import EnvironmentFailure
    from complaintctl.git import repo

    def full(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 128, "", "fatal: unable to write new index file\n"
                                           "error: No space left on device")

    monkeypatch.setattr(repo.subprocess, "run", full)
    with pytest.raises(EnvironmentFailure, match="no space left on the device") as raised:
        repo.git(tmp_path, "commit", "-m", "x")
    assert raised.value.exit_code == 74 and str(tmp_path) in str(raised.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the permissions say")
def test_read_only_store_by_permissions(store: Path, logged: str, cli) -> None:
    shutil.rmtree(store / ".complaintctl", ignore_errors=True)
    folders = [store, *(path for path in store.rglob("*") if path.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        for command in READERS:
            assert cli("--now", NOW, *command).code == 0, command
        assert_environment_failure(cli("--now", NOW, "note", logged, "x"), "permission denied")
    finally:
        for folder in folders:
            folder.chmod(0o755)
