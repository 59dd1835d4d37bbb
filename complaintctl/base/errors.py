"""The one error hierarchy of complaintctl.

Every error a user can cause is a `ComplaintctlError`; its class says the exit code. The CLI maps them to a
one-line message in one place (`cli.main`); anything else is a bug and says so.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass


class ComplaintctlError(Exception):
    """A failure the user can act on. `str(error)` is the complete one-line message."""

    exit_code = 1


class UsageError(ComplaintctlError):
    """The command line or its input is wrong: an unknown option value, a missing field, a bad time."""

    exit_code = 2


class StoreNotFound(UsageError):
    """No store here, and none named."""


class NotFound(ComplaintctlError):
    """An id, person, policy or file that does not exist."""


class UnknownId(NotFound):
    """No complaint has the id (or part of one) given on the command line: a usage error, as an
    ambiguous one is."""

    exit_code = 2


class Ambiguous(UsageError):
    """An id prefix or tail that matches several complaints."""


class Refused(ComplaintctlError):
    """The policy forbids the action now (state, role, a missing condition)."""


class InvalidData(ComplaintctlError):
    """A record, settings file or policy that does not load or does not validate."""


class LockTimeout(ComplaintctlError):
    """Another process held the lock for longer than we wait."""

    exit_code = 75  # EX_TEMPFAIL: cron and scripts may simply try again


class EnvironmentFailure(ComplaintctlError):
    """The machine, not the data or the command: no space left, a read-only file system, no permission,
    an immutable file. Naming the path is the whole message; nothing was written half."""

    exit_code = 74  # EX_IOERR


#: The errno values that are the environment's doing, each with the catalogue key of its explanation.
ENVIRONMENT_ERRNOS = {
    errno.ENOSPC: "env.no_space",
    errno.EDQUOT: "env.no_space",
    errno.EROFS: "env.read_only",
    errno.EACCES: "env.permission",
    errno.EPERM: "env.not_permitted",
    errno.EIO: "env.io",
}
#: What SQLite says for the same causes (`sqlite3.OperationalError`), with the catalogue key of each.
SQLITE_ENVIRONMENT = {
    "attempt to write a readonly database": "env.read_only",
    "unable to open database file": "env.cannot_open",
    "disk i/o error": "env.io",
    "database or disk is full": "env.no_space",
}


def environment_key(error: BaseException) -> str | None:
    """The catalogue key explaining `error` when the environment caused it (an `OSError` with one of
    `ENVIRONMENT_ERRNOS`, or SQLite saying so), else None."""
    if isinstance(error, OSError):
        return ENVIRONMENT_ERRNOS.get(error.errno or 0)
    if type(error).__name__ == "OperationalError":  # sqlite3's, without importing sqlite3 here
        text = str(error).lower()
        return next((key for said, key in SQLITE_ENVIRONMENT.items() if said in text), None)
    return None


def environment_failure(error: BaseException, path: object = None) -> EnvironmentFailure | None:
    """`error` as the one-line `EnvironmentFailure` naming `path` (else the file the error names), or
    None when it is not the environment's doing."""
    from complaintctl.base.messages import t

    key = environment_key(error)
    if key is None:
        return None
    where = path if path is not None else getattr(error, "filename", None)
    return EnvironmentFailure(t(key, path=where if where is not None else t("env.unnamed")))


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found while checking a file: printed as `path:line: message`."""

    path: str
    line: int  # 1-based; 0 when the problem is about the whole file
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class ProblemsFound(InvalidData):
    """Loading found one or more problems; all of them are carried, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
