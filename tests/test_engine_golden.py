"""`engine.replay` against results frozen before the engine was optimised (issue #8).

tests/data/engine_golden.json.gz (gzipped JSON, a case a line) holds, for each case, the policy (a
shipped one, or a shipped one reworked so that every limit form, pauses and every kind of fact test
are exercised), the calendar settings, the intake and history as read from the record (key order
kept: it orders the derived values), and the view that replay derived from them: status, owner,
counts, values in order, every run of every clock with its due time, stop, pauses and extensions.
The inputs are in the file, so the test depends on nothing but the policies
and the working calendar.

The cases are the 15 records of examples/metro, 200 records made by benchmarks/make_store.py and
random walks through every shipped policy (built-in events included: edits that move limits,
escalations, extensions, notes). To rebuild the file after an intended change of behaviour:

    PYTHONPATH=. python tests/test_engine_golden.py
"""

from __future__ import annotations

import gzip
import json
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaintctl.core import engine
from complaintctl.policy import Fact, LimitVariant, facts, load_policy
from complaintctl.policy.model import Limit as PolicyLimit
from complaintctl.policy.model import Policy
from complaintctl.records import yamlio
from complaintctl.records.record import flatten_intake
from complaintctl.worktime.arithmetic import Calendar, Limit

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "data" / "engine_golden.json.gz"
SHIPPED = ("metro", "service", "tourism", "wedding", "manufacturing")


# -- the policies ----------------------------------------------------------------------------------

def reworked(policy: Policy, offset: int = 0) -> Policy:
    """The policy with each clock's limit in another form, pauses in some states, and limit variants
    that use every kind of fact test, so that replay meets what the shipped policies leave out."""
    forms = [{"working_hours": 4.5}, {"working_days": 1.5}, {"calendar_days": 2}, {"hours": 36},
             {"minutes": 90}, {"working_days": 0.5}, {"working_days": 2}]
    tests: list[dict[str, Any]] = [
        {"fact": "severity", "not_in": ["normal"]}, {"fact": "count.note", "at_least": 1},
        {"fact": "owner", "set": True}, {"fact": "departments", "at_least": 2},
        {"fact": "amount", "equals": 5}, {"fact": "status", "in": [s.name for s in policy.states[2:4]]},
        {"fact": "event.text", "set": False}, {"fact": "rejections", "at_most": 0},
    ]
    waiting = [s.name for s in policy.states if not s.final][1::3]
    clocks = []
    for i, clock in enumerate(policy.clocks):
        test = Fact.model_validate(tests[i % len(tests)])
        other = PolicyLimit.model_validate(forms[(i + offset + 3) % len(forms)])
        variant = LimitVariant(when=(test,), limit=other)
        clocks.append(clock.model_copy(update={
            "limit": PolicyLimit.model_validate(forms[(i + offset) % len(forms)]),
            "limits": (variant, *clock.limits),
            "pause_in": tuple(waiting[i % 2::2]),
        }))
    return policy.model_copy(update={"clocks": tuple(clocks)})


def policy_of(name: str, variant: str) -> Policy:
    policy = load_policy(name)
    return reworked(policy, SHIPPED.index(name)) if variant == "reworked" else policy


# -- what a view says ------------------------------------------------------------------------------

def _at(moment: datetime | None) -> str | None:
    return None if moment is None else f"{moment.isoformat()} {moment.tzname()}"


def describe(view: engine.View) -> dict[str, Any]:
    """The view as JSON data (compared after a round trip through JSON, as the golden file is)."""
    described = {
        "status": view.status, "final": view.final, "owner": view.owner, "department": view.department,
        "coordinator": view.coordinator, "departments": view.departments,
        "values": [[key, value] for key, value in view.values.items()],
        "cycle_counts": list(view.cycle_counts.items()), "total_counts": list(view.total_counts.items()),
        "rejections": view.rejections, "reopenings": view.reopenings,
        "received_at": _at(view.received_at), "last_at": _at(view.last_at), "closed_at": _at(view.closed_at),
        "clocks": {name: [{
            "started_at": _at(run.started_at), "start_event": run.start_event,
            "limit": [run.limit.form, run.limit.amount, str(run.limit)], "due": _at(run.due),
            "stopped_at": _at(run.stopped_at), "stop_event": run.stop_event,
            "paused_since": _at(run.paused_since),
            "pauses": [[_at(a), _at(b)] for a, b in run.pauses],
            "extensions": [[_at(x.at), _at(x.previous_due), _at(x.due), x.reason, x.by]
                           for x in run.extensions],
        } for run in runs] for name, runs in view.clocks.items()},
    }
    plain: dict[str, Any] = json.loads(json.dumps(described, ensure_ascii=False))
    return plain


def replayed(case: dict[str, Any], calendars: dict[str, Calendar],
             policies: dict[tuple[str, str], Policy]) -> dict[str, Any]:
    key = (case["policy"], case["variant"])
    if key not in policies:
        policies[key] = policy_of(*key)
    calendar = calendars.setdefault(case["calendar"], Calendar.from_settings(
        json.loads(case["calendar"]), case.get("timezone", "Asia/Shanghai")))
    view = engine.replay(policies[key], calendar, case["intake"], case["history"])
    assert view.intake == flatten_intake(case["intake"])
    return describe(view)


# -- the test --------------------------------------------------------------------------------------

def _cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(gzip.decompress(GOLDEN.read_bytes()))["cases"]
    return cases


def test_replay_matches_the_frozen_views() -> None:
    calendars: dict[str, Calendar] = {}
    policies: dict[tuple[str, str], Policy] = {}
    cases = _cases()
    assert len(cases) > 400
    for case in cases:
        assert replayed(case, calendars, policies) == case["view"], case["name"]


def test_replay_twice_on_the_same_policy_object_gives_the_same_view() -> None:
    # whatever the engine caches per policy must not leak from one complaint into the next
    cases = [c for c in _cases() if c["variant"] == "reworked"][:40]
    calendars: dict[str, Calendar] = {}
    policies: dict[tuple[str, str], Policy] = {}
    for case in cases + cases[::-1]:
        assert replayed(case, calendars, policies) == case["view"], case["name"]


@pytest.mark.parametrize("name", SHIPPED)
def test_apply_event_one_at_a_time_equals_replay(name: str) -> None:
    calendars: dict[str, Calendar] = {}
    for case in [c for c in _cases() if c["policy"] == name][:6]:
        policy = policy_of(name, case["variant"])
        settings = json.loads(case["calendar"])
        calendar = calendars.setdefault(case["calendar"], Calendar.from_settings(settings))
        view = engine.replay(policy, calendar, case["intake"], [])
        for event in case["history"]:
            engine.apply_event(view, calendar, event)
        assert describe(view) == case["view"], case["name"]


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False),
                   st.sampled_from(["phone", "Phone", "1", "yes", "", " true ", "None", "2.0"]),
                   st.lists(st.sampled_from(["phone", "email", 1]), max_size=3),
                   st.frozensets(st.sampled_from(["centre", "phone"]), max_size=2))
_CANDIDATES = st.lists(st.one_of(st.sampled_from(["phone", "email", "1", "None", "true", ""]),
                                 st.booleans(), st.integers(-2, 2), st.floats(-2, 2)), max_size=4)


@settings(max_examples=400, deadline=None)
@given(kind=st.sampled_from(facts.TESTS), candidates=_CANDIDATES, value=_VALUES)
def test_a_compiled_fact_test_holds_when_the_test_holds(kind: str, candidates: list[Any], value: Any) -> None:
    expected: Any = {"in": candidates, "not_in": candidates, "equals": (candidates or [None])[0],
                     "set": bool(candidates), "at_least": len(candidates) - 1,
                     "at_most": len(candidates)}[kind]
    test = {"fact": "x", kind: expected}

    def lookup(name: str) -> Any:
        return value

    assert facts.compiled(test)(lookup) == facts.holds(test, lookup)


@settings(max_examples=300, deadline=None)
@given(start=st.datetimes(datetime(2020, 1, 1), datetime(2029, 12, 31)),
       offset=st.sampled_from([8, 0, -5, 9]), days=st.integers(1, 40))
def test_whole_working_days_remembered_by_day_are_those_computed(start: datetime, offset: int,
                                                                 days: int) -> None:
    # Calendar.add keeps the due instant of N whole working days by the start's local day
    from datetime import timezone

    calendar = Calendar()
    moment = start.replace(tzinfo=timezone(timedelta(hours=offset)))
    computed = calendar._working_days(moment.timestamp(), moment.astimezone(calendar.tz), float(days))[0]
    for _ in range(2):  # computed, then remembered
        due = calendar.add(moment, Limit("working_days", days))
        assert due.timestamp() == computed and due.tzinfo is calendar.tz


# -- making the cases (run this module as a script) ------------------------------------------------

PEOPLE = ("王五", "李四", "陈晨", "周静", "Alice")
DEPARTMENTS = ("车站运营部", "设备维修部", "客运服务部")


def _instant(rng: random.Random) -> datetime:
    from zoneinfo import ZoneInfo
    tz = ZoneInfo("Asia/Shanghai")
    day = datetime(2023, 1, 1, tzinfo=tz) + timedelta(days=rng.randrange(4 * 365 + 60))
    if rng.random() < 0.15:  # the days around new year and the spring festival
        day = datetime(rng.choice((2023, 2024, 2025, 2026)), rng.choice((1, 12)), rng.choice((1, 20, 28, 31)),
                       tzinfo=tz)
    minute = rng.choice((9 * 60, 18 * 60, 0, 12 * 60, 13 * 60, rng.randrange(24 * 60)))
    return day + timedelta(minutes=minute)


def _text(moment: datetime, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.05:
        from datetime import UTC
        return moment.astimezone(UTC).isoformat()  # another offset, same instant
    if style < 0.08:
        return moment.isoformat().replace("+08:00", "+0800")
    return moment.isoformat()


def _value(spec: Any, rng: random.Random) -> Any:
    kind = spec.type
    if kind == "choice":
        return rng.choice(spec.values).code
    if kind == "person":
        return rng.choice(PEOPLE)
    if kind == "bool":
        return rng.random() < 0.5
    if kind in ("number", "money"):
        return rng.choice((0, 5, 12.5, 300))
    if kind == "files":
        return [{"path": f"evidence/x/{rng.randrange(9)}.jpg", "size": 10, "sha256": "0" * 64}]
    if kind == "datetime":
        return _instant(rng).isoformat()
    return rng.choice(("已处理", "ok", "5", "同意，请尽快落实。", ""))


def _walk(policy: Policy, calendar: Calendar, rng: random.Random, number: int) -> dict[str, Any]:
    received = _instant(rng)
    intake: dict[str, Any] = {
        "id": f"X-{number}", "policy": policy.policy, "office": "X", "received_at": _text(received, rng),
        "channel": rng.choice(policy.channels).code,
        "complainant": {"name": "张三", "phone": "13800138000"}, "subject": "测试",
        "category": rng.choice(policy.categories).code, "severity": rng.choice(policy.severities).code,
    }
    if rng.random() < 0.3:
        intake["amount"] = rng.choice((5, 7))
    at = received + timedelta(minutes=rng.choice((0, 3, 12, 200)))
    history: list[dict[str, Any]] = [{"at": _text(at, rng), "by": "王五", "action": "log"}]
    for _ in range(rng.randrange(2, 24)):
        view = engine.replay(policy, calendar, intake, history)
        at += rng.choice((timedelta(minutes=rng.randrange(1, 120)), timedelta(hours=rng.randrange(1, 30)),
                          timedelta(days=rng.randrange(1, 6), minutes=rng.randrange(600)), timedelta(0)))
        event: dict[str, Any] = {"at": _text(at, rng), "by": rng.choice(PEOPLE)}
        actions = engine.possible_actions(view)
        roll = rng.random()
        if actions and roll < 0.7:
            action = rng.choice(actions)
            event["action"] = action.name
            for name, spec in action.fields.items():
                if spec.required or rng.random() < 0.6:
                    event[name] = _value(spec, rng)
        elif roll < 0.78:
            event.update(action="note", text=rng.choice(("催办", "ok")))
        elif roll < 0.86:
            event.update(action="edit")
            for key in rng.sample(("severity", "category", "channel", "amount"), rng.randint(1, 2)):
                source = {"severity": policy.severities, "category": policy.categories,
                          "channel": policy.channels}.get(key)
                event[key] = rng.choice(source).code if source else rng.choice((5, 9))
        elif roll < 0.93 and policy.clocks:
            event.update(action="escalate", clock=rng.choice(policy.clocks).name,
                         due=_text(at + timedelta(hours=rng.randrange(-40, 40)), rng),
                         level=rng.choice(("warning", "breach")), to="周静", notified=["周静", "王五"])
            if rng.random() < 0.5:
                event["severity"] = rng.choice(policy.severities).code
        elif policy.clocks:
            event.update(action="extend", clock=rng.choice(policy.clocks).name,
                         due=_text(at + timedelta(days=rng.randrange(1, 20)), rng), reason="需要更多时间")
        else:
            continue
        if rng.random() < 0.1:
            event["recorded_at"] = _text(at + timedelta(hours=2), rng)
        history.append(event)
        if view.final and rng.random() < 0.5:
            break
    return {"intake": intake, "history": history}


def _metro_store(count: int) -> list[dict[str, Any]]:
    from storekit import make_store

    with tempfile.TemporaryDirectory() as tmp:
        paths = make_store.generate(Path(tmp) / "store", count, 8, datetime.fromisoformat(
            "2026-11-20T18:00:00+08:00"))
        docs = [yamlio.load_plain(path.read_text(encoding="utf-8")) for path in paths]
    return docs


def _case(name: str, policy: str, variant: str, settings: Any, doc: dict[str, Any]) -> dict[str, Any]:
    intake = {key: value for key, value in doc.items() if key != "history"}
    return {"name": name, "policy": policy, "variant": variant,
            "calendar": json.dumps(settings, ensure_ascii=False, sort_keys=True, default=str),
            "intake": intake, "history": doc["history"]}


def make_cases() -> list[dict[str, Any]]:
    from complaintctl.store.directory import Store

    cases = []
    example = Store.open(ROOT / "examples" / "metro")
    for path in sorted((ROOT / "examples" / "metro" / "complaints").rglob("*.yaml")):
        doc = yamlio.load_plain(path.read_text(encoding="utf-8"))
        cases.append(_case(path.stem, "metro", "plain", example.settings.calendar, doc))
    for i, doc in enumerate(_metro_store(200)):
        cases.append(_case(f"store-{i}", "metro", "plain", None, doc))
    rng = random.Random(8)
    calendar = Calendar()
    for name in SHIPPED:
        for variant in ("plain", "reworked"):
            policy = policy_of(name, variant)
            for i in range(25):
                cases.append(_case(f"{name}-{variant}-{i}", name, variant, None,
                                   {**(walk := _walk(policy, calendar, rng, i))["intake"],
                                    "history": walk["history"]}))
    return cases


def main() -> None:
    cases = make_cases()
    calendars: dict[str, Calendar] = {}
    policies: dict[tuple[str, str], Policy] = {}
    for case in cases:
        case["view"] = replayed(case, calendars, policies)
    lines = [json.dumps(case, ensure_ascii=False) for case in cases]
    text = '{"cases": [\n' + ",\n".join(lines) + "\n]}\n"
    GOLDEN.write_bytes(gzip.compress(text.encode(), compresslevel=9, mtime=0))
    print(f"{len(cases)} cases written to {GOLDEN}")


if __name__ == "__main__":
    main()
