"""The report reads a complaint only from its digest, and what it reads is the one derivation's answer:
the facts the digest keeps now (for a complaint whose last event is before a cutoff) and its timeline
(for the others) agree with each other and with replaying the record's history cut at the cutoff.
Stores of every policy from the test kit's generator."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
from storekit import make_store

from complaintctl.core import engine
from complaintctl.core.digest import breach_at, clock_pattern, event_facts_of
from complaintctl.core.reportrules import EventFacts, Rules, event_facts
from complaintctl.records.record import Record
from complaintctl.report import figures
from complaintctl.report.cases import GROUPINGS, case_at, group_key
from complaintctl.report.periods import choose
from complaintctl.store import index
from complaintctl.store.directory import Store
from complaintctl.worktime.arithmetic import Limit
from complaintctl.worktime.times import parse_stored_instant

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
    for digest in index.digests(generated):
        history = Record.read(generated.root / digest.path, digest.path).history
        kept = event_facts_of(digest)
        assert kept == event_facts(rules, history), digest.id
        if digest.event_facts is None:
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
        digests = index.digests(generated)
        if fold:  # as if every complaint had changed after the cutoff: read from its timeline alone
            digests = [digest._replace(report=digest.report._replace(last=float("inf")))
                       for digest in digests]
        built = figures.build(digests, period=chosen, basis="received", groupings=["category", "owner"],
                              now=NOW, calendar=generated.calendar, rules=rules, repeat_window=repeat_window)
        return {"current": _flat(built.current), "previous": _flat(built.previous)}

    assert report(fold=True) == report(fold=False)


def _flat(section: figures.Section) -> dict[str, object]:
    return {"overall": section.overall.flat(), "weekly": section.weekly,
            **{f"{name}={key}": found.flat() for name, groups in section.groups.items()
               for key, found in groups.items()}}


def test_a_complaint_at_any_cutoff_is_its_history_replayed_to_then(generated: Store) -> None:
    """For random cutoffs inside each complaint's life, the report's view (from the index, never the
    file) equals a replay of the events before the cutoff."""
    rules = Rules.of(generated.policy)
    chance = random.Random(17)
    compared = 0
    for digest in index.digests(generated):
        record = Record.read(generated.root / digest.path, digest.path)
        times = [parse_stored_instant(str(event["at"])).timestamp() for event in record.history]
        received = digest.report.received
        cutoffs = {times[0], times[-1] + 1, chance.uniform(received, times[-1] + 86_400 * 30)}
        cutoffs |= {chance.choice(times) + step for step in (-1.0, 0.0, 1.0)}
        for cutoff in sorted(cutoffs):
            case = case_at(digest, cutoff, rules, generated.calendar)
            if cutoff <= received:  # not received yet: not in the report at all
                assert case is None
                continue
            before = [event for event, at in zip(record.history, times, strict=True) if at < cutoff]
            view = engine.replay(generated.policy, generated.calendar, record.intake, before)
            assert case is not None
            expected = {
                "closed": None if view.closed_at is None else view.closed_at.timestamp(),
                "owner": view.owner, "department": view.department,
                **{name: view.value(name) for name in engine.GROUP_VALUES},
                "satisfaction": view.value("satisfaction"),
                "reopenings": view.reopenings, "rejections": view.rejections,
                "facts": EventFacts() if view.fold is None else view.fold.facts(),
                "clocks": clock_pattern([(name, any(_breached_before(run, cutoff) for run in runs))
                                         for name, runs in view.clocks.items() if runs]),
            }
            found = {
                "closed": case.closed,
                **{name: group_key(digest, case, name) for name in GROUPINGS},
                "satisfaction": case.satisfaction,
                "reopenings": case.reopenings, "rejections": case.rejections,
                "facts": EventFacts(escalated=case.escalated, costs=case.costs, corrective=case.corrective,
                                    open_dues=expected["facts"].open_dues)
                if case.eventful else EventFacts(),
                "clocks": case.clock_key,
            }
            assert found == expected, (digest.id, cutoff)
            if case.eventful:
                assert case.overdue == expected["facts"].overdue_at(cutoff)
            compared += 1
    assert compared > 400


def _breached_before(run: engine.ClockRun, cutoff: float) -> bool:
    breach = breach_at(run)
    return breach is not None and breach.timestamp() < cutoff
