"""`complaintctl report`: the statistics every source document asks for, from the digests.

    report = make_report(store, period, basis="received", groupings=["category"], now=now)

The report never replays a record: it works from `index.digests`, which the index keeps (with the
escalations, costs and corrective actions each complaint's events record), and reads the detail
(intake and events) only of the few complaints it must see as of a past instant.
Modules: `periods` (which days), `complaintctl.reportrules` (what a policy's events mean to a report,
shared with the index), `cases` (one complaint as of a cutoff), `figures` (the numbers), `present`
(labels and formats) and one renderer per output format. README "Reports" defines every figure.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from datetime import datetime

from complaintctl.errors import UsageError
from complaintctl.messages import t
from complaintctl.report.cases import GROUPINGS, needs_detail
from complaintctl.report.figures import BASES, Report, build, cutoff_of, lookback_start
from complaintctl.report.periods import Period
from complaintctl.reportrules import Rules
from complaintctl.store import Store
from complaintctl.worktime import Limit as WorkLimit

__all__ = ["GROUPINGS", "BASES", "Report", "make_report", "parse_groupings"]


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
    from complaintctl import index

    if basis not in BASES:
        raise UsageError(t("field.choice", field="--basis", value=basis, allowed=", ".join(BASES)))
    policy = store.policy
    window = policy.report.repeat_window
    repeat_window = None if window is None else WorkLimit.from_mapping(window.as_mapping())
    rules = Rules.of(policy)
    cutoffs = [cutoff_of(each.end, now).timestamp() for each in (period, period.previous())]
    # Tens of thousands of digests are a big, acyclic graph: the cycle collector would walk all of it
    # again and again while they are read and while the report allocates, for nothing (refcounting
    # frees everything here).
    collecting = gc.isenabled()
    gc.disable()
    try:
        digests = index.digests(store, active_between=(lookback_start(period, repeat_window), period.end),
                                detailed=lambda digest: needs_detail(digest, cutoffs))
        return build(digests, period=period, basis=basis, groupings=groupings, now=now,
                     calendar=store.calendar, rules=rules, repeat_window=repeat_window)
    finally:
        if collecting:
            gc.enable()
