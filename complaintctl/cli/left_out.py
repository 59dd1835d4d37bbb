"""Records left out: what every command that reads many records prints when some do not load, before
it goes on with the rest (one `path:line: message` line each on stderr, then how many)."""

from __future__ import annotations

from collections.abc import Sequence

import typer

from complaintctl.base.errors import Problem
from complaintctl.base.messages import t


def report_left_out(problems: Sequence[Problem]) -> None:
    if not problems:
        return
    for problem in problems:
        typer.echo(str(problem), err=True)
    typer.echo(t("records.left_out", count=len({problem.path for problem in problems})), err=True)
