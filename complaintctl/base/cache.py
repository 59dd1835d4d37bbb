"""A per-user cache of what is slow to build and depends only on the bytes it is built from.

Parsing and validating a policy takes a few hundred milliseconds, a store's settings some tens, the
working-day tables of a calendar year as long again: far more than a command's own work. So the built
objects are pickled, keyed by a hash of their inputs and of the code that builds them, in the user's
own cache directory (`$XDG_CACHE_HOME/complaintctl`, else `~/.cache/complaintctl`, mode 0700; or
`$COMPLAINTCTL_CACHE`). Never in the store: a pickle runs code when loaded, so it is only read from a
directory that nobody but the user can write to. Anything unreadable is built again and rewritten; a
cache that cannot be written is simply not used. `COMPLAINTCTL_CACHE=off` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from complaintctl import __version__

T = TypeVar("T")

_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is off."""
    named = os.environ.get("COMPLAINTCTL_CACHE")
    if named == "off":
        return None
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "complaintctl"


def _code_version(modules: Iterable[str]) -> str:
    """The version of the code that builds a cached object: complaintctl's, Python's, and the size and
    time of each module defining its classes (so an edited checkout never loads an old shape)."""
    parts = [__version__, sys.version]
    for module in modules:
        try:
            stat = (_PACKAGE / module).stat()
        except OSError:
            parts.append(f"{module}:?")
        else:
            parts.append(f"{module}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def remember(kind: str, inputs: Iterable[bytes | str], build: Callable[[], T], *,
             modules: Iterable[str] = ()) -> T:
    """The object `build()` returns for these inputs, from the cache when it is there."""
    folder = cache_dir()
    if folder is None:
        return build()
    digest = hashlib.sha256(_code_version(modules).encode())
    for part in inputs:
        digest.update(b"\0")
        digest.update(part.encode() if isinstance(part, str) else part)
    path = folder / f"{kind}-{digest.hexdigest()[:32]}.pickle"
    try:
        if _own(path):
            return pickle.loads(path.read_bytes())  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - missing, truncated or from other code: build it again
        pass
    value = build()
    store(path, value)
    return value


def _own(path: Path) -> bool:
    """Whether the file belongs to the user running this (only such a pickle is loaded)."""
    owner = path.stat().st_uid
    return not hasattr(os, "getuid") or owner == os.getuid()


def store(path: Path, value: object) -> None:
    """Write one cache file atomically; a failure only means no cache."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass
