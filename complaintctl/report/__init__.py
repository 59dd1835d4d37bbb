"""`complaintctl report`: the statistics every source document asks for, from the digests.

    report = make_report(store, period, basis="received", groupings=["category"], now=now)

The report never replays a record: it works from `index.digests`, which the index keeps (with the
escalations, costs and corrective actions each complaint's events record), and reads the detail
(intake and events) only of the few complaints it must see as of a past instant.
Modules: `periods` (which days), `complaintctl.core.reportrules` (what a policy's events mean to a report,
shared with the index), `cases` (one complaint as of a cutoff), `figures` (the numbers), `present`
(labels and formats) and one renderer per output format. README "Reports" defines every figure.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import t
from complaintctl.core.compiled import compiled
from complaintctl.core.reportrules import Rules
from complaintctl.report import keeping
from complaintctl.report.cases import GROUPINGS
from complaintctl.report.figures import BASES, Report, Section, build, computed_groupings, reach_of
from complaintctl.report.periods import Period
from complaintctl.store.directory import Store
from complaintctl.worktime.arithmetic import Limit as WorkLimit

if TYPE_CHECKING:
    from complaintctl.store.index import Index

__all__ = ["GROUPINGS", "BASES", "Report", "make_report", "parse_groupings", "report_reach"]


def parse_groupings(options: Sequence[str]) -> list[str]:
    """`--group-by category --group-by cause` or `--group-by category,cause`, in the order given."""
    found: list[str] = []
    for option in options:
        for name in option.split(","):
            name = name.strip()
            if not name:
                continue
            if name not in GROUPINGS:
                raise UsageError(t("field.choice", field="--group-by", value=name,
                                   allowed=", ".join(GROUPINGS)))
            if name not in found:
                found.append(name)
    return found


def make_report(store: Store, period: Period, *, basis: str, groupings: Sequence[str],
                now: datetime) -> Report:
    from complaintctl.store import index

    if basis not in BASES:
        raise UsageError(t("field.choice", field="--basis", value=basis, allowed=", ".join(BASES)))
    repeat_window = _repeat_window(store)
    rules = compiled(store.policy).rules
    # Tens of thousands of digests are a big, acyclic graph: the cycle collector would walk all of it
    # again and again while they are read and while the report allocates, for nothing (refcounting
    # frees everything here).
    collecting = gc.isenabled()
    gc.disable()
    try:
        reach = report_reach(store, period)
        return index.read_settled(store, partial(_report, period=period, basis=basis, groupings=groupings,
                                                 now=now, rules=rules, repeat_window=repeat_window),
                                  needed_from=reach)
    finally:
        if collecting:
            gc.enable()


def _repeat_window(store: Store) -> WorkLimit | None:
    window = store.policy.report.repeat_window
    return None if window is None else WorkLimit.from_mapping(window.as_mapping())


def report_reach(store: Store, period: Period) -> datetime:
    """From when on a report of `period` needs every complaint's digest: the start of the period before
    it, and a repeat window before that."""
    repeat_window = _repeat_window(store)
    return min(reach_of(each, repeat_window) for each in (period, period.previous()))


def _report(opened: Index, *, period: Period, basis: str, groupings: Sequence[str], now: datetime,
            rules: Rules, repeat_window: WorkLimit | None) -> Report:
    periods = (period, period.previous())
    computed = computed_groupings(groupings)
    # A finished period's figures are kept, with a fingerprint of the records they came from.
    known: list[Section | None] = []
    to_keep: list[tuple[str, str] | None] = []
    for each in periods:
        if not keeping.is_finished(each, now):
            known.append(None)
            to_keep.append(None)
            continue
        name, inputs = keeping.name_of(each, basis, computed), keeping.inputs_of(opened, each, repeat_window)
        found = keeping.kept(opened, name, inputs, each)
        known.append(found)
        to_keep.append(None if found is not None else (name, inputs))
    needed = [each for each, section in zip(periods, known, strict=True) if section is None]
    if needed:
        start = min(reach_of(each, repeat_window) for each in needed)
        digests = opened.digests(active_between=(start, max(each.end for each in needed)))
    else:
        digests = []
    report = build(digests, period=period, basis=basis, groupings=groupings, now=now,
                   calendar=opened.store.calendar, rules=rules, repeat_window=repeat_window, known=known)
    report.skipped = opened.skipped()
    for section, keys in zip((report.current, report.previous), to_keep, strict=True):
        if keys is not None:
            keeping.keep(opened, *keys, section)
    return report
