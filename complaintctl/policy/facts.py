"""Conditions of a policy (`when`, `need`, `applies`): small pure functions over a complaint's facts.

A fact test is a mapping such as `{fact: count.visit, at_least: 2}`: one fact name and one test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

TESTS = ("in", "not_in", "equals", "set", "at_least", "at_most")

FactLookup = Callable[[str], Any]
Predicate = Callable[[FactLookup], bool]


def is_set(value: Any) -> bool:
    """Present and not empty; `false` and 0 are values, so they count as set."""
    return value not in (None, "") and not (isinstance(value, list | tuple | set | frozenset | dict)
                                            and not value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list | tuple | set | frozenset):
        return float(len(value))
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _same(value: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(value, bool):
        return _truthy(value) == _truthy(expected)
    if isinstance(expected, int | float) and not isinstance(value, list | tuple | set | frozenset):
        try:
            return float(value) == float(expected)
        except (TypeError, ValueError):
            return False
    return str(value) == str(expected)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "y", "1", "是", "对")
    return bool(value)


def _member(value: Any, allowed: Iterable[Any]) -> bool:
    allowed_list = list(allowed)
    if isinstance(value, set | frozenset | list | tuple):
        return any(_member(item, allowed_list) for item in value)
    return any(_same(value, candidate) for candidate in allowed_list)


def as_mapping(test: Any) -> Mapping[str, Any]:
    """A policy `Fact` model or a plain mapping, as `{fact: NAME, TEST: VALUE}`."""
    if isinstance(test, Mapping):
        return test
    name, value = test.test
    return {"fact": test.fact, name: value}


def holds(test: Any, lookup: FactLookup) -> bool:
    """Whether one fact test holds."""
    test = as_mapping(test)
    value = lookup(str(test["fact"]))
    if "in" in test:
        return _member(value, test["in"])
    if "not_in" in test:
        return not _member(value, test["not_in"])
    if "equals" in test:
        return _same(value, test["equals"])
    if "set" in test:
        return is_set(value) == bool(test["set"])
    if "at_least" in test:
        return _number(value) >= float(test["at_least"])
    if "at_most" in test:
        return _number(value) <= float(test["at_most"])
    raise ValueError(f"fact test without a test: {dict(test)}")


def all_hold(tests: Iterable[Any], lookup: FactLookup) -> bool:
    return all(holds(test, lookup) for test in tests)


def compiled(test: Any) -> Predicate:
    """`holds(test, ·)` with the test read once: for conditions evaluated on every complaint replayed.

    Membership among plain strings, the usual case (`channel in [phone, online]`), is a set lookup
    when the value is a plain string too; any other value takes `holds`' own path."""
    test = as_mapping(test)
    name = "in" if "in" in test else "not_in" if "not_in" in test else None
    if name is None:
        return lambda lookup: holds(test, lookup)
    fact = str(test["fact"])
    allowed = list(test[name])
    strings = frozenset(allowed) if all(type(a) is str for a in allowed) else None
    negate = name == "not_in"

    def member(lookup: FactLookup) -> bool:
        value = lookup(fact)
        if strings is not None and type(value) is str:
            return (value in strings) != negate
        return _member(value, allowed) != negate

    return member


def all_compiled(predicates: tuple[Predicate, ...], lookup: FactLookup) -> bool:
    for predicate in predicates:  # noqa: SIM110 - a loop is cheaper than all() over a generator
        if not predicate(lookup):
            return False
    return True


def describe(test: Any) -> str:
    """`count.visit ≥ 2`: a readable form for explanations and `policy show`."""
    test = as_mapping(test)
    name = test["fact"]
    for key, symbol in (("in", "∈"), ("not_in", "∉"), ("equals", "="), ("at_least", "≥"), ("at_most", "≤")):
        if key in test:
            value = test[key]
            shown = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else value
            return f"{name} {symbol} {shown}"
    return f"{name} set" if test.get("set", True) else f"{name} not set"
