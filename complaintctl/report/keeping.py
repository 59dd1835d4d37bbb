"""A finished period's section, kept in the index with a fingerprint of what it was computed from.

A period that ended before the report's `now` is reported as it stood at its end, so its figures can
change only when a record it reads changes (a late hand edit, an import, a merge) or when anything the
whole index depends on changes (the policy, the calendar, complaintctl: the index then forgets every
kept value). The fingerprint covers the path, size and modification time of every record the section
reads: those received before the period's end and not closed before `figures.reach_of` it.
`report --period 2026` then computes only 2026 again; the figures of 2025 it compares with are read back.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from complaintctl.report.figures import Figures, Section, cutoff_of, reach_of
from complaintctl.report.periods import Period
from complaintctl.worktime.arithmetic import Limit as WorkLimit

if TYPE_CHECKING:
    from complaintctl.store.index import Index

#: Bump when the figures a section holds change shape or meaning.
FORMAT = 1
_COUNTERS = frozenset(item.name for item in fields(Figures) if item.name in (
    "clock_patterns", "satisfaction", "corrective"))


def is_finished(period: Period, now: datetime) -> bool:
    return cutoff_of(period.end, now) == period.end


def name_of(period: Period, basis: str, groupings: list[str]) -> str:
    return " ".join(["report-section", str(FORMAT), period.kind, period.first.isoformat(),
                     period.after.isoformat(), basis, ",".join(groupings)])


def inputs_of(index: Index, period: Period, repeat_window: WorkLimit | None) -> str:
    return index.fingerprint(received_before=period.end.timestamp(),
                             active_from=reach_of(period, repeat_window).timestamp())


def kept(index: Index, name: str, inputs: str, period: Period) -> Section | None:
    """The section kept under `name` when it was computed from the same inputs."""
    text = index.kept(name, inputs)
    return None if text is None else from_plain(json.loads(text), period)


def keep(index: Index, name: str, inputs: str, section: Section) -> None:
    index.keep(name, inputs, json.dumps(to_plain(section), ensure_ascii=False, separators=(",", ":")))


def to_plain(section: Section) -> dict[str, Any]:
    return {"overall": _figures_plain(section.overall),
            "groups": {name: {key: _figures_plain(found) for key, found in groups.items()}
                       for name, groups in section.groups.items()},
            "weekly": [[monday.isoformat(), count] for monday, count in section.weekly]}


def from_plain(plain: dict[str, Any], period: Period) -> Section:
    return Section(period=period, cutoff=period.end, overall=_figures(plain["overall"]),
                   groups={name: {key: _figures(found) for key, found in groups.items()}
                           for name, groups in plain["groups"].items()},
                   weekly=[(date.fromisoformat(monday), count) for monday, count in plain["weekly"]])


def _figures_plain(figures: Figures) -> dict[str, Any]:
    return {item.name: getattr(figures, item.name) for item in fields(Figures)}


def _figures(plain: dict[str, Any]) -> Figures:
    values: dict[str, Any] = {name: Counter(value) if name in _COUNTERS else value
                              for name, value in plain.items()}
    return Figures(**values)
