"""Each fact test alone."""

from __future__ import annotations

import pytest

from complaintctl.policy.facts import all_hold, describe, holds, is_set

FACTS = {"channel": "phone", "count.visit": 2, "confirmed": True, "satisfaction": None,
         "role": frozenset({"centre", "manager"}), "amount": "120.5", "departments": 0}


def lookup(name: str) -> object:
    return FACTS.get(name)


@pytest.mark.parametrize(("test", "expected"), [
    ({"fact": "channel", "in": ["phone", "online"]}, True),
    ({"fact": "channel", "in": ["letter"]}, False),
    ({"fact": "channel", "not_in": ["letter"]}, True),
    ({"fact": "role", "in": ["manager"]}, True),
    ({"fact": "role", "in": ["general_manager"]}, False),
    ({"fact": "confirmed", "equals": True}, True),
    ({"fact": "confirmed", "equals": False}, False),
    ({"fact": "satisfaction", "set": True}, False),
    ({"fact": "satisfaction", "set": False}, True),
    ({"fact": "count.visit", "at_least": 2}, True),
    ({"fact": "count.visit", "at_least": 3}, False),
    ({"fact": "count.visit", "at_most": 2}, True),
    ({"fact": "amount", "at_least": 100}, True),
    ({"fact": "departments", "at_least": 2}, False),
    ({"fact": "unknown", "set": True}, False),
])
def test_holds(test: dict[str, object], expected: bool) -> None:
    assert holds(test, lookup) is expected


def test_all_hold_needs_every_test() -> None:
    assert all_hold([], lookup)
    assert all_hold([{"fact": "channel", "in": ["phone"]}, {"fact": "confirmed", "equals": True}], lookup)
    assert not all_hold([{"fact": "channel", "in": ["phone"]}, {"fact": "count.visit", "at_least": 5}],
                        lookup)


def test_false_and_zero_count_as_set() -> None:
    assert is_set(False) and is_set(0) and not is_set("") and not is_set([]) and not is_set(None)


def test_string_booleans_compare_as_booleans() -> None:
    assert holds({"fact": "x", "equals": True}, lambda name: "yes")
    assert holds({"fact": "x", "equals": True}, lambda name: "是")
    assert not holds({"fact": "x", "equals": True}, lambda name: "no")


def test_describe() -> None:
    assert describe({"fact": "count.visit", "at_least": 2}) == "count.visit ≥ 2"
    assert describe({"fact": "channel", "in": ["phone", "online"]}) == "channel ∈ phone, online"
    assert describe({"fact": "coordinator", "set": True}) == "coordinator set"
