"""Safe writes and locks (POSIX).

A write never leaves a half-written file under the real name: text goes to a temporary file beside
the target (named `.<name>.<random>.tmp`, so every reader, which skips names starting with '.',
ignores it, and git ignores it too: `TEMP_PATTERN` is in the store's `.gitignore`), is flushed to disk,
renamed over the target and the directory entry is flushed too. A kill between the two leaves the
temporary file behind; `complaintctl check` finds it.

A write the machine refuses (no space, a read-only file system, no permission, an immutable file) is an
`EnvironmentFailure` naming the target, not an `OSError`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import secrets
import stat
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from complaintctl.base.errors import LockTimeout, environment_failure

__all__ = ["TEMP_PATTERN", "FileLock", "atomic_write", "atomic_write_bytes", "copy_file_atomic",
           "is_temporary"]

#: The names of the temporary files of atomic writes, as a .gitignore (and fnmatch) pattern.
TEMP_PATTERN = ".*.tmp"

_CHUNK = 1024 * 1024
_POLL = 0.05  # seconds between attempts to take a lock


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_temporary(name: str) -> bool:
    """Whether a file name is that of an atomic write's temporary file (`.<name>.<random>.tmp`)."""
    return name.startswith(".") and name.endswith(".tmp")


def _write_atomic(path: Path, fill: Callable[[BinaryIO], None]) -> None:
    """Create `.<name>.<random>.tmp` beside `path`, let `fill` write it, then move it into place."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "xb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        failure = environment_failure(error, path)
        if failure is not None:
            raise failure from error
        raise


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
    """Copy the regular file `src` (never through a symbolic link: its last part is not followed) to
    `dst` with an atomic rename; return (size in bytes, sha256 hex) of what was copied, computed while
    copying. An `OSError` about the source names the source."""
    digest = hashlib.sha256()
    size = 0
    # O_NONBLOCK: a FIFO put in the file's place does not hang the open; the fstat below refuses it.
    fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as source:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(src))

        def fill(out: BinaryIO) -> None:
            nonlocal size
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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as error:
            failure = environment_failure(error, self.path)
            if failure is not None:
                raise failure from error
            raise
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
