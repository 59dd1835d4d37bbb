from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from pathlib import Path

import pytest

from complaintctl.base import fsutil
from complaintctl.base.errors import LockTimeout


def test_atomic_write_replaces_content_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "r.yaml"
    fsutil.atomic_write(target, "id: 张三\n")
    fsutil.atomic_write(target, "id: 李四\n")
    assert target.read_bytes() == "id: 李四\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]


def test_failed_replace_keeps_old_content_and_removes_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.yaml"
    target.write_text("old\n", encoding="utf-8")
    seen: list[str] = []

    def broken_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        name = Path(src).name
        seen.append(name)
        assert name.startswith(".r.yaml.") and name.endswith(".tmp")
        assert Path(src).read_text(encoding="utf-8") == "new\n"  # fully written before the rename
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        fsutil.atomic_write(target, "new\n")
    assert seen
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]


def test_failed_write_removes_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.yaml"
    target.write_text("old\n", encoding="utf-8")

    def broken_fsync(fd: int) -> None:
        raise OSError("no space left")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="no space"):
        fsutil.atomic_write(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]


def test_copy_file_atomic(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    src = tmp_path / "photo.jpg"
    src.write_bytes(data)
    dst_dir = tmp_path / "evidence"
    dst_dir.mkdir()
    size, sha = fsutil.copy_file_atomic(src, dst_dir / "photo.jpg")
    assert size == len(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert (dst_dir / "photo.jpg").read_bytes() == data
    assert [p.name for p in dst_dir.iterdir()] == ["photo.jpg"]


def test_copy_of_missing_file_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        fsutil.copy_file_atomic(tmp_path / "nope", tmp_path / "copy")
    assert list(tmp_path.iterdir()) == []


def _append_under_lock(lock_path: str, shared: str, n: int) -> None:
    with fsutil.FileLock(Path(lock_path), timeout=30, what="the store"):
        path = Path(shared)
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        time.sleep(0.02)  # widen the read-modify-write window
        path.write_text(before + f"line {n}\n", encoding="utf-8")


def test_file_lock_serialises_processes(tmp_path: Path) -> None:
    lock = tmp_path / "locks" / "deep" / "store.lock"  # parent directories are created
    shared = tmp_path / "shared.txt"
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=_append_under_lock, args=(str(lock), str(shared), n)) for n in range(8)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    lines = shared.read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(f"line {n}" for n in range(8))


def _hold_lock(lock_path: str, ready: multiprocessing.synchronize.Event, seconds: float) -> None:
    with fsutil.FileLock(Path(lock_path)):
        ready.set()
        time.sleep(seconds)


def test_lock_held_elsewhere_times_out(tmp_path: Path) -> None:
    lock = tmp_path / "store.lock"
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(lock), ready, 5.0))
    holder.start()
    try:
        assert ready.wait(10)
        start = time.monotonic()
        with pytest.raises(LockTimeout) as caught, fsutil.FileLock(lock, 0.3, what="MT-1"):
            pass
        elapsed = time.monotonic() - start
        assert 0.3 <= elapsed < 1.0
        assert str(caught.value) == "MT-1 is locked by another process; try again"
        assert caught.value.exit_code == 75
    finally:
        holder.terminate()
        holder.join(10)
    # once the holder is gone the lock is free again
    with fsutil.FileLock(lock, 1.0):
        pass


def test_lock_released_on_exception(tmp_path: Path) -> None:
    lock = tmp_path / "store.lock"
    with pytest.raises(ValueError), fsutil.FileLock(lock):
        raise ValueError("boom")
    with fsutil.FileLock(lock, 0.1):
        pass
