"""Safe writes and locks (POSIX).

A write never leaves a half-written file under the real name: text goes to a temporary file beside
the target (named `.<name>.<random>.tmp`, so every reader, which skips names starting with '.',
ignores it), is flushed to disk, renamed over the target and the directory entry is flushed too.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from complaintctl.base.errors import LockTimeout

__all__ = ["FileLock", "atomic_write", "atomic_write_bytes", "copy_file_atomic"]

_CHUNK = 1024 * 1024
_POLL = 0.05  # seconds between attempts to take a lock


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, fill: Callable[[BinaryIO], None]) -> None:
    """Create `.<name>.<random>.tmp` beside `path`, let `fill` write it, then move it into place."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "xb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) so that readers see the old or the new content, whole."""
    data = text.encode("utf-8")

    def fill(out: BinaryIO) -> None:
        out.write(data)

    _write_atomic(Path(path), fill)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` (an xlsx workbook, say) as `atomic_write` does text."""

    def fill(out: BinaryIO) -> None:
        out.write(data)

    _write_atomic(Path(path), fill)


def copy_file_atomic(src: Path, dst: Path) -> tuple[int, str]:
    """Copy `src` to `dst` with an atomic rename; return (size in bytes, sha256 hex) of what was
    copied, computed while copying."""
    digest = hashlib.sha256()
    size = 0

    def fill(out: BinaryIO) -> None:
        nonlocal size
        with open(src, "rb") as source:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)

    _write_atomic(Path(dst), fill)
    return size, digest.hexdigest()


class FileLock:
    """An exclusive lock between processes: `fcntl.flock` on `path` (created, with its parent
    directories, if needed). Waits up to `timeout` seconds, then raises `LockTimeout`.

    Not re-entrant: take it once per process. The lock file is left in place (removing it would
    race with a process about to lock it).
    """

    def __init__(self, path: Path, timeout: float = 10.0, *, what: str = "") -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.what = what or str(self.path)
        self._fd: int | None = None

    def acquire(self) -> None:
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already locked by this FileLock")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise LockTimeout(
                            f"{self.what} is locked by another process; try again"
                        ) from None
                    time.sleep(min(_POLL, remaining))
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
