"""Where policies are and loading one, through the per-user cache (`complaintctl.base.cache`).

Light on purpose: a command whose policy is cached never imports the YAML parser or the checks
(`loader.py`), which only run when a policy file is new or changed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from complaintctl.base.cache import remember
from complaintctl.base.errors import NotFound

if TYPE_CHECKING:
    from complaintctl.policy.model import Policy

#: Built-in policies: the package folder (a symlink to the top-level `policies/` in a checkout).
BUILTIN_DIR = Path(__file__).parent.parent / "policies"
_BUILTIN_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_cache: dict[tuple[Path, int, int], Policy] = {}


def builtin_policies() -> list[str]:
    """Names of the shipped policies, sorted."""
    if not BUILTIN_DIR.is_dir():
        return []
    return sorted(path.stem for path in BUILTIN_DIR.glob("*.yaml"))


def resolve_policy(ref: str, *, base_dir: Path | None = None) -> Path:
    """The file a policy reference means: a built-in name, or a path relative to `base_dir`."""
    if _BUILTIN_NAME.match(ref):
        path = BUILTIN_DIR / f"{ref}.yaml"
        if path.is_file():
            return path
        if not (base_dir or Path.cwd()).joinpath(ref).is_file():
            known = ", ".join(builtin_policies()) or "none"
            raise NotFound(f"no built-in policy {ref!r} (built-in: {known})")
    path = Path(ref).expanduser()
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    if not path.is_file():
        raise NotFound(f"policy file {path} does not exist")
    return path


def load_policy(ref: str, *, base_dir: Path | None = None) -> Policy:
    """Load, validate and check a policy; cached per (path, mtime, size) for the process."""
    path = resolve_policy(ref, base_dir=base_dir)
    stat = path.stat()
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    data = path.read_bytes()
    expected = path.stem if path.parent == BUILTIN_DIR else ""
    policy = remember("policy", [data, expected], lambda: _load_file(path), modules=_MODEL_MODULES)
    policy._source = path
    _cache[key] = policy
    return policy


# The modules whose classes a cached policy is made of (and those that validate it).
_MODEL_MODULES = ("policy/model.py", "policy/schema.py", "plain.py", "worktime.py", "workcalendar.py",
                  "facts.py")


def _load_file(path: Path) -> Policy:
    from complaintctl.policy.loader import _display, load_policy_file

    return load_policy_file(path, display=_display(path))


def clear_cache() -> None:
    """Forget the policies loaded by this process (the per-user cache is keyed by content)."""
    _cache.clear()
