"""The report's two ways of reading a complaint agree: from the facts its digest keeps (what it does for
a complaint whose last event is before a cutoff) and by folding its events up to the cutoff onto its
intake (what it does for the others). Stores of every policy from the benchmark's generator."""

from __future__ import annotations

from datetime import datetime

import pytest
from storekit import make_store

from complaintctl.core.digest import event_facts_of
from complaintctl.core.reportrules import EventFacts, Rules, event_facts
from complaintctl.report import figures
from complaintctl.report.periods import choose
from complaintctl.store import index
from complaintctl.store.directory import Store
from complaintctl.worktime.arithmetic import Limit

POLICIES = ("manufacturing", "metro", "service", "tourism", "wedding")
NOW = datetime.fromisoformat(make_store.DEFAULT_NOW)


@pytest.fixture(scope="module", params=POLICIES)
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp(request.param) / "store"
    make_store.generate(root, 150, seed=5, now=NOW, policy=request.param)
    return Store.open(root)


def test_the_digest_keeps_what_the_events_count(generated: Store) -> None:
    rules = Rules.of(generated.policy)
    counted = 0
    for digest in index.digests(generated, detailed=True):
        kept = event_facts_of(digest)
        assert kept == event_facts(rules, digest["events"]), digest["id"]
        if digest["event_facts"] is None:
            assert kept == EventFacts()
        else:
            counted += 1
    assert counted, "the generated store records no escalation, cost or corrective action"


@pytest.mark.parametrize("period", ["2026", "2026-10", "2025"])
def test_folding_every_complaint_gives_the_same_report(generated: Store, period: str) -> None:
    window = generated.policy.report.repeat_window
    repeat_window = None if window is None else Limit.from_mapping(window.as_mapping())
    rules = Rules.of(generated.policy)
    chosen = choose(period, None, None, generated.tz, NOW)

    def report(fold: bool) -> dict[str, object]:
        digests = index.digests(generated, detailed=True)
        if fold:  # as if every complaint had changed after the cutoff: read from its events alone
            for digest in digests:
                digest["report"] = {**digest["report"], "last": float("inf")}
        built = figures.build(digests, period=chosen, basis="received", groupings=["category", "owner"],
                              now=NOW, calendar=generated.calendar, rules=rules, repeat_window=repeat_window)
        return {"current": _flat(built.current), "previous": _flat(built.previous)}

    assert report(fold=True) == report(fold=False)


def _flat(section: figures.Section) -> dict[str, object]:
    return {"overall": section.overall.flat(), "weekly": section.weekly,
            **{f"{name}={key}": found.flat() for name, groups in section.groups.items()
               for key, found in groups.items()}}
