"""The one error hierarchy of complaintctl.

Every error a user can cause is a `ComplaintctlError`; its class says the exit code. The CLI maps them to a
one-line message in one place (`cli.main`); anything else is a bug and says so.
"""

from __future__ import annotations

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


class Ambiguous(UsageError):
    """An id prefix or tail that matches several complaints."""


class Refused(ComplaintctlError):
    """The policy forbids the action now (state, role, a missing condition)."""


class InvalidData(ComplaintctlError):
    """A record, settings file or policy that does not load or does not validate."""


class LockTimeout(ComplaintctlError):
    """Another process held the lock for longer than we wait."""

    exit_code = 75  # EX_TEMPFAIL: cron and scripts may simply try again


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
