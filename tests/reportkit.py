"""Stores of known complaints for the report, export and import tests, built through
`complaintctl.app.operations` with explicit instants (Asia/Shanghai wall time unless an offset is given).

    desk = Desk.make(tmp_path_factory.mktemp("metro"), "metro")
    a = desk.log("2026-11-02T10:00", at="2026-11-02T10:05", channel="phone", category="facilities", ...)
    desk.act(a, "assign", "2026-11-02T11:00", to="李四", department="车站运营部")
    report = desk.report("2026-11", now="2026-12-10T09:00", groupings=["category"])
    desk.figures(report)           # {figure: value} of the period, overall
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from walkkit import instant, iso, make_store

from complaintctl.app import operations
from complaintctl.report import make_report, present
from complaintctl.report.figures import Report
from complaintctl.report.periods import choose
from complaintctl.store.directory import Store

CENTRE = "王五"


class Desk:
    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def make(cls, root: Path, policy: str, people: dict[str, list[str]] | None = None,
             office: str = "MT") -> Desk:
        return cls(make_store(root / "store", policy, people, office))

    def log(self, received: str, *, at: str | None = None, by: str = CENTRE, **fields: Any) -> str:
        """Log a complaint received at `received` (registered at `at`, default the same instant);
        nested intake fields with a double underscore: complainant__phone=..."""
        flat = {name.replace("__", "."): value for name, value in fields.items()}
        registered = at or received
        outcome = operations.log(self.store, flat, by=by, now=instant(registered), at=iso(registered),
                                 received=iso(received))
        return outcome.record.id

    def act(self, complaint_id: str, action: str, at: str, *, by: str = CENTRE, **fields: Any) -> None:
        operations.act(self.store, complaint_id, action, fields, by=by, now=instant(at), at=iso(at))

    def report(self, period: str | None = None, *, now: str, since: str | None = None,
               until: str | None = None, basis: str = "received",
               groupings: Sequence[str] = ("category",)) -> Report:
        moment = instant(now)
        return make_report(self.store, choose(period, since, until, self.store.tz, moment), basis=basis,
                           groupings=list(groupings), now=moment)


def figures(report: Report, grouping: str | None = None, group: str | None = None,
            previous: bool = False) -> dict[str, Any]:
    """The figures of the period (or the previous one), overall or of one group: {key: value}."""
    section = report.previous if previous else report.current
    found = section.overall if grouping is None else section.groups[grouping].get(str(group))
    if found is None:
        return {}
    return present.flat(report, found)


def changes(report: Report) -> dict[str, Any]:
    return {row.key: row.change for row in present.summary(report)}
