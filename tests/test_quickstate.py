"""quickstate: a closed complaint read off its text agrees with its replay, and an index built with
pending rows (as a fresh clone's is) answers every command as a fully derived one does."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from storekit import make_store

from complaintctl.core import engine, quickstate
from complaintctl.records import fastread
from complaintctl.store import index
from complaintctl.store.directory import Store

POLICIES = ("manufacturing", "metro", "service", "tourism", "wedding")
NOW = datetime.fromisoformat(make_store.DEFAULT_NOW)


@pytest.fixture(scope="module", params=POLICIES)
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(request.param) / "store"
    make_store.generate(root, 80, seed=11, now=NOW, policy=request.param)
    return root


def test_closed_of_agrees_with_the_replay(generated: Path) -> None:
    store = Store.open(generated)
    plan = quickstate.Plan.of(store.policy)
    seen_closed = seen_open = 0
    for path in sorted((generated / "complaints").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        plain = fastread.parse_record(text)
        assert plain is not None
        history = plain.pop("history")
        view = engine.replay(store.policy, store.calendar, plain, history)
        found = quickstate.closed_of(text.encode(), plan)
        if view.final:
            assert found is not None, path
            assert view.closed_at is not None
            assert (found.id, found.status, found.received, found.closed) == (
                plain["id"], view.status, view.received_at.timestamp(), view.closed_at.timestamp())
            seen_closed += 1
        else:
            assert found is None, path
            seen_open += 1
    assert seen_closed and seen_open


def test_not_sure_means_none() -> None:
    plan = quickstate.Plan(targets={"close": "closed", "reopen": "open"}, reopenings=frozenset({"reopen"}),
                           final_states=frozenset({"closed"}))
    head = "id: X-1\nreceived_at: 2026-01-05T09:00:00+08:00\nhistory:\n"
    closed = head + "  - at: 2026-01-06T09:00:00+08:00\n    by: 甲\n    action: close\n"
    assert quickstate.closed_of(closed.encode(), plan) is not None
    reopened = closed + "  - at: 2026-01-07T09:00:00+08:00\n    by: 甲\n    action: reopen\n"
    assert quickstate.closed_of(reopened.encode(), plan) is None
    again = reopened + "  - at: 2026-01-08T09:00:00+08:00\n    by: 甲\n    action: close\n" \
        "  - at: 2026-01-09T09:00:00+08:00\n    by: 甲\n    action: note\n"
    found = quickstate.closed_of(again.encode(), plan)
    assert found is not None
    assert found.closed == datetime.fromisoformat("2026-01-08T09:00:00+08:00").timestamp()
    quoted = closed.replace("at: 2026-01-06T09:00:00+08:00", "at: '2026-01-06T09:00:00+08:00'")
    assert quickstate.closed_of(quoted.encode(), plan) is None
    no_action = head + "  - at: 2026-01-06T09:00:00+08:00\n    by: 甲\n" + closed[len(head):]
    assert quickstate.closed_of(no_action.encode(), plan) is None
    no_offset = closed.replace("at: 2026-01-06T09:00:00+08:00", "at: 2026-01-06T09:00:00")
    assert quickstate.closed_of(no_offset.encode(), plan) is None
    action_first = closed.replace("  - at: 2026-01-06T09:00:00+08:00\n    by: 甲\n    action: close\n",
                                  "  - action: close\n    at: 2026-01-06T09:00:00+08:00\n    by: 甲\n")
    assert quickstate.closed_of(action_first.encode(), plan) is None
    assert quickstate.closed_of(closed.replace("history:", "events:").encode(), plan) is None


def test_an_index_with_pending_rows_answers_as_a_full_one(generated: Path, monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    from complaintctl.report import make_report
    from complaintctl.report.figures import reach_of
    from complaintctl.report.periods import parse_period

    store = Store.open(generated)
    period = parse_period("2026", store.tz)
    index.index_path(store).unlink(missing_ok=True)
    with index.open_index(store) as full:
        assert _pending(full) == 0
        open_rows = full.listed(["final = 0"], [])
        all_rows = full.listed([], [])
        digests = full.digests()
    expected_report = make_report(store, period, basis="received", groupings=["category", "owner"], now=NOW)

    monkeypatch.setattr(index, "PENDING_FROM", 0)
    index.index_path(store).unlink()
    with index.open_index(store) as lazy:
        pending = _pending(lazy)
        assert pending == len(all_rows) - len(open_rows)
        assert lazy.count() == len(all_rows) and lazy.count(open_only=True) == len(open_rows)
        assert lazy.listed(["final = 0"], []) == open_rows
        assert _pending(lazy) == pending
        assert lazy.listed([], []) == all_rows  # completes every pending row
        assert _pending(lazy) == 0
        assert lazy.digests() == digests
    index.index_path(store).unlink()  # as `list` and the sweep build it: the open ones' digests wait too
    with index.Index(store) as waiting:
        waiting.refresh(digests=False)
        assert _pending(waiting, 2) == len(open_rows)
        assert not _indexes(waiting) & {"records_received", "records_pending"}  # left to a report
        assert waiting.listed(["final = 0"], []) == open_rows
        assert waiting.listed([], []) == all_rows  # completes the closed ones only
        assert _pending(waiting, 1) == 0 and _pending(waiting, 2) == len(open_rows)
        assert waiting.digests() == digests
        assert _pending(waiting, 2) == 0
        assert _indexes(waiting) >= {"records_open", "records_received", "records_pending"}
    index.index_path(store).unlink()  # a report straight after a fresh clone: it completes what it needs
    derived: list[list[str]] = []
    derive_all = index.derive_all
    monkeypatch.setattr(index, "derive_all", lambda store, work, *rest: derived.append(work) or derive_all(
        store, work, *rest))
    assert make_report(store, period, basis="received", groupings=["category", "owner"],
                       now=NOW) == expected_report
    # in one pass: the build derived in full the months the report reaches; later, only older records
    reach = min(reach_of(each, None) for each in (period, period.previous()))
    first_needed = f"complaints/{reach:%Y}/{reach:%m}/"
    assert len(derived) == 2
    assert all(path < first_needed for path in derived[1])


def _indexes(opened: index.Index) -> set[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'index'"
    return {name for (name,) in opened.connection.execute(query)}


def _pending(opened: index.Index, kind: int = 1) -> int:
    query = "SELECT count(*) FROM records WHERE pending = ?"
    return int(opened.connection.execute(query, (kind,)).fetchone()[0])


def test_the_index_command_replays_every_pending_row(generated: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import run_main

    store = Store.open(generated)
    monkeypatch.setattr(index, "PENDING_FROM", 0)
    index.index_path(store).unlink(missing_ok=True)
    with index.Index(store) as lazy:
        lazy.refresh(digests=False)
        assert _pending(lazy, 1) > 0 and _pending(lazy, 2) > 0
    code, out, err = run_main(capsys, "--store", str(generated), "index")
    assert code == 0, out + err
    with index.Index(store) as opened:
        assert _pending(opened, 1) == _pending(opened, 2) == 0


def test_an_action_after_closing_leaves_it_closed() -> None:
    """A visit after closing (service 3.2.5) has a target, but on a closed complaint it leaves it closed,
    as the engine says (`after_closing`); before closing it moves the complaint on."""
    plan = quickstate.Plan(targets={"close": "closed", "visit": "visited"}, reopenings=frozenset(),
                           final_states=frozenset({"closed"}),
                           after_closing={b"visit": frozenset({"closed"})})
    head = "id: X-1\nreceived_at: 2026-01-05T09:00:00+08:00\nhistory:\n"
    visit = "  - at: 2026-01-0{day}T09:00:00+08:00\n    by: 甲\n    action: visit\n"
    close = "  - at: 2026-01-06T09:00:00+08:00\n    by: 甲\n    action: close\n"
    found = quickstate.closed_of((head + visit.format(day=5) + close + visit.format(day=7)).encode(), plan)
    assert found is not None and found.status == "closed"
    assert found.closed == datetime.fromisoformat("2026-01-06T09:00:00+08:00").timestamp()
    assert quickstate.closed_of((head + visit.format(day=5)).encode(), plan) is None
