"""The temporary files of atomic writes (`fsutil`) that a killed process left behind.

A write goes to `.<name>.<random>.tmp` and is renamed into place; a `kill -9` between the two leaves the
temporary file. Nothing reads it (readers skip names starting with '.') and git ignores it (`.gitignore`),
but it takes space and says a write was lost, so `complaintctl check` finds every one: one untouched for
`STALE_SECONDS` is no write in progress any more, and is removed; a younger one is only reported.
"""

from __future__ import annotations

import os
from pathlib import Path

from complaintctl.base.errors import Problem
from complaintctl.base.fsutil import is_temporary
from complaintctl.base.messages import t
from complaintctl.store.directory import Store

STALE_SECONDS = 60.0  # a write in progress touches its file far more often than this


def temporary_files(store: Store) -> list[Path]:
    """Every temporary file of an atomic write in the store and its state folder (which a kill while the
    clone's tag is written leaves one in); other hidden folders, git's, left out; in path order."""
    found: list[Path] = []
    for folder, subfolders, names in os.walk(store.root):
        subfolders[:] = sorted(name for name in subfolders
                               if not name.startswith(".") or Path(folder, name) == store.state_dir)
        found.extend(Path(folder) / name for name in names if is_temporary(name))
    return sorted(found)


def leftovers(store: Store, clock: float) -> list[Problem]:
    """A warning for each temporary file; those untouched since `clock - STALE_SECONDS` (`clock`: the
    real time, as `time.time()` gives it, for it is compared with the files' times) are removed."""
    problems = []
    for path in temporary_files(store):
        shown = store.display_path(path)
        try:
            age = clock - path.stat().st_mtime
        except FileNotFoundError:  # renamed into place meanwhile: a write that finished
            continue
        if age < STALE_SECONDS:
            message = t("check.temporary_recent", seconds=STALE_SECONDS)
        else:
            try:
                path.unlink()
                message = t("check.temporary_removed")
            except FileNotFoundError:
                continue
            except OSError as error:
                message = t("check.temporary_left", problem=error.strerror or error)
        problems.append(Problem(shown, 0, "warning: " + message))
    return problems
