"""fastread.parse_record against ruamel (yamlio.load_plain): the same answer, or None, never another.

Equality is strict: the same types (True is not 1, 1 is not 1.0), the same key order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from complaintctl.base.errors import ProblemsFound
from complaintctl.records import yamlio
from complaintctl.records.fastread import parse_record

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime.fromisoformat("2026-11-20T18:00:00+08:00")


def same(a: Any, b: Any) -> bool:
    """Equal, of the same types all the way down, dicts in the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def reference(text: str) -> dict[str, Any] | None:
    """What yamlio makes of the text; None when it refuses it."""
    try:
        return yamlio.load_plain(text)
    except ProblemsFound:
        return None


def check(text: str) -> dict[str, Any] | None:
    """parse_record's answer, having required that it is None or ruamel's."""
    fast = parse_record(text)
    if fast is not None:
        expected = reference(text)
        assert expected is not None, f"ruamel refuses a text fastread read:\n{text}"
        assert same(fast, expected), f"{fast!r}\n!=\n{expected!r}\nfor:\n{text}"
    return fast


# -- what the dumper writes ------------------------------------------------------------------------

TRICKY = ["13800138000", "yes", "no", "on", "off", "y", "n", "null", "Null", "~", "true", "False", "1.0",
          "1e5", ".5", "-1", "+1", "007", "0x1F", "0o7", "1_000", ".inf", ".nan", "18:00", "09:00",
          "1:2:3", "- x", "-x", "a: b", "a:b", "a:", ":a", "#x", "a #b", "a#b", "? x", "?x", "[x]", "{x}",
          "x]", "&a", "*a", "!x", "!!str x", "%x", "@x", "`x", "|", ">", "'x'", '"x"', "it's", 'say "hi"',
          "", " ", " x", "x ", "x  y", "<<", "=", "---", "...", "--- x", "2026-11-20T16:00:00+08:00",
          "2026-12-31", "2026-11-20 16:00", "中文", "张三：投诉，“引号”（括号）", "a\u3000b", "a\xa0b",
          "x\ny", "x\n", "x\n\n", "\nx", " x\ny", "x \ny", "x\n y", "a\tb", "a\rb", "a\x00b", "\ufeffx",
          "a\x85b", "a\u2028b", "\\", "\\n", "a,b", "[]", "{}", "@", "é"]
ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(
    list(" :-#'\"\n[]{},&*!|>%@`?~.0123456789ab中文，。"))
TEXT = st.sampled_from(TRICKY) | st.text(ALPHABET, max_size=12) | st.text("ab: #-'\"\n", max_size=8)
SCALAR = (TEXT | st.none() | st.booleans() | st.integers(-10**6, 10**20)
          | st.floats(allow_nan=False, allow_infinity=False))
KEY = st.sampled_from(["id", "at", "by", "action", "to", "text", "files", "notified"]) | TEXT.filter(bool)


def documents() -> st.SearchStrategy[dict[str, Any]]:
    leaf: st.SearchStrategy[Any] = SCALAR | st.lists(TEXT, max_size=3) | st.just([]) | st.just({})
    event = st.dictionaries(KEY, leaf | st.lists(st.dictionaries(KEY, SCALAR, max_size=3), max_size=2),
                            min_size=1, max_size=6)
    value = (leaf | st.dictionaries(KEY, SCALAR, max_size=4) | st.lists(event, max_size=4)
             | st.dictionaries(KEY, st.dictionaries(KEY, leaf, max_size=3), max_size=2))
    return st.dictionaries(KEY, value, min_size=1, max_size=8)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_a_dumped_document_reads_as_ruamel_reads_it(doc: dict[str, Any]) -> None:
    check(yamlio.dump(doc))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEY, SCALAR | st.dictionaries(KEY, SCALAR, max_size=3), min_size=1, max_size=6),
       st.lists(st.dictionaries(KEY, SCALAR | st.lists(TEXT, max_size=2), min_size=1, max_size=5),
                min_size=1, max_size=4))
def test_a_record_with_tricky_values_reads_as_ruamel_reads_it(intake: dict[str, Any],
                                                              history: list[dict[str, Any]]) -> None:
    # the shape read in bulk (intake, nested mappings, then the history last), with any values in it
    check(yamlio.dump({**intake, "history": history}))


SAFE_TEXT = st.text(st.sampled_from(list("abcxyz 中文，。-:#'\"[]{}0123456789")), min_size=1, max_size=10)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["at", "by", "action", "to", "text", "due"]),
                                SAFE_TEXT.filter(lambda s: s.strip() == s) | st.integers(0, 99),
                                min_size=1, max_size=5), max_size=6),
       st.dictionaries(st.sampled_from(["name", "phone"]), SAFE_TEXT.filter(lambda s: s.strip() == s)))
def test_a_record_of_ordinary_text_is_read(history: list[dict[str, Any]],
                                           complainant: dict[str, str]) -> None:
    # one-line strings without edge spaces, numbers: all of it is in the subset read
    doc: dict[str, Any] = {"id": "MT-1", "received_at": "2026-11-20T16:00:00+08:00"}
    if complainant:
        doc["complainant"] = complainant
    doc["history"] = history
    assert check(yamlio.dump(doc)) is not None


def test_the_shapes_of_a_record_are_read() -> None:
    doc = {
        "id": "MT-261120-K7QF-1", "policy": "metro", "received_at": "2026-11-20T16:00:00+08:00",
        "complainant": {"name": "张三", "phone": "13800138000"}, "amount": 12.5, "count": 3,
        "description": "第一行\n第二行\n", "demands": "不要换行", "service": {"item": "yes", "time": "18:00"},
        "history": [
            {"at": "2026-11-20T16:04:00+08:00", "by": "王五", "action": "log"},
            {"at": "2026-11-20T16:05:00+08:00", "by": "王五", "action": "note", "text": "a\n\nb\n\n"},
            {"at": "2026-11-20T16:06:00+08:00", "by": "王五", "action": "attach",
             "files": [{"path": "evidence/x/a.jpg", "size": 1024, "sha256": "ab" * 32}]},
            {"at": "2026-11-20T16:07:00+08:00", "by": "complaintctl", "action": "escalate",
             "clock": "dispatch", "level": "breach", "notified": ["周静", "王五"], "ok": True, "none": None},
            {"at": "2026-11-20T16:08:00+08:00", "by": "王五", "action": "close", "summary": "行一\n行二"},
        ],
    }
    text = yamlio.dump(doc)
    assert same(check(text), doc)


def test_flow_sequences_written_by_hand_are_read() -> None:
    text = "id: X\nnotified: [周静, 'yes', 王五]\nempty: []\nnone: {}\n"
    assert check(text) == {"id": "X", "notified": ["周静", "yes", "王五"], "empty": [], "none": {}}


# -- every record we have --------------------------------------------------------------------------

def records() -> list[Path]:
    found = [*(ROOT / "examples").rglob("*.yaml"), *(ROOT / "tests" / "data").rglob("*.yaml")]
    return sorted(path for path in found if "complaints" in path.parts)


def test_every_example_record_is_read() -> None:
    paths = records()
    assert len(paths) >= 14
    for path in paths:
        assert check(path.read_text(encoding="utf-8")) is not None, path


def test_every_other_yaml_file_is_read_or_left_to_ruamel() -> None:
    paths = [p for p in ROOT.rglob("*.yaml") if ".git" not in p.parts and "complaints" not in p.parts]
    assert paths
    for path in paths:
        check(path.read_text(encoding="utf-8"))


def test_a_generated_store_is_read(tmp_path: Path) -> None:
    from storekit import make_store

    paths = make_store.generate(tmp_path / "store", 300, 5, NOW)
    for path in paths:
        assert check(path.read_text(encoding="utf-8")) is not None, path


# -- texts edited by hand --------------------------------------------------------------------------

MUTATIONS: list[Callable[[str], str]] = [
    lambda line: line + " # comment", lambda line: "# comment\n" + line, lambda line: line + "\n",
    lambda line: " " + line, lambda line: line[1:] if line.startswith(" ") else line,
    lambda line: "  " + line, lambda line: line + "\t", lambda line: line.replace(": ", ": &a ", 1),
    lambda line: line.replace(": ", ": *a ", 1), lambda line: line.replace(": ", ": !!str ", 1),
    lambda line: line.replace(": ", ": !custom ", 1), lambda line: line.replace(": ", ":  ", 1),
    lambda line: line.replace(": ", ":", 1), lambda line: line.replace(": ", ": >\n  ", 1),
    lambda line: line.replace(": ", ": |2\n   ", 1), lambda line: line + "\n" + line,
    lambda line: "<<<<<<< HEAD\n" + line + "\n=======\n" + line + "\n>>>>>>> b", lambda line: line + "\r",
    lambda line: "---\n" + line, lambda line: "%YAML 1.1\n---\n" + line, lambda line: line + "\n...",
    lambda line: line.replace("- ", "-   ", 1), lambda line: line.replace("- ", "", 1),
    lambda line: line.replace("'", "", 1), lambda line: line.replace("'", '"', 1),
    lambda line: line + " x: y", lambda line: line + ":", lambda line: line.replace(": ", ": [a, ", 1),
    lambda line: line.replace(": ", ": {a: b}", 1), lambda line: line.replace(": ", ": ? ", 1),
    lambda line: "? " + line.lstrip(), lambda line: line.replace(": ", ": <<", 1),
    lambda line: line.replace(": ", ": 0x1F", 1), lambda line: line.replace(": ", ": 1_000", 1),
    lambda line: line.replace(": ", ": .inf", 1), lambda line: line.replace(": ", ': "a\\qb"', 1),
    lambda line: line + "\n  continued", lambda line: line + "\n" + " " * 20 + "deeper",
    lambda line: line.replace(":", "", 1), lambda line: "\ufeff" + line, lambda line: line + "\x07",
    lambda line: "true: 1\n" + line, lambda line: "1: x\n" + line, lambda line: "null: x\n" + line,
]


def test_texts_edited_by_hand_are_read_as_ruamel_reads_them_or_left_to_it(tmp_path: Path) -> None:
    from storekit import make_store

    paths = make_store.generate(tmp_path / "store", 40, 9, NOW)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    texts += [yamlio.dump({"a": "x\ny\n", "b": ["p\nq", {"k": "m\nn", "l": ["'q'", 1]}], "c": []})]
    rng = random.Random(4)
    read = 0
    for text in texts:
        lines = text.splitlines()
        for mutate in MUTATIONS:
            i = rng.randrange(len(lines))
            edited = "\n".join([*lines[:i], mutate(lines[i]), *lines[i + 1:]]) + "\n"
            read += check(edited) is not None
    assert read  # some edits (a stray space in a value, a duplicated line...) are still read


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_random_edits_of_a_record_are_read_as_ruamel_reads_them(data: st.DataObject) -> None:
    text = yamlio.dump({"id": "X-1", "complainant": {"name": "张三", "phone": "13800138000"},
                        "description": "一\n二\n", "history": [{"at": "2026-11-20T16:04:00+08:00",
                                                                 "by": "王五", "action": "log"},
                                                                {"at": "1", "action": "x", "to": "yes"}]})
    chars = list(text)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(chars) - 1))
        new = data.draw(st.sampled_from(list(" -:#'\"\n|>&*![]{}0a中\t")))
        if data.draw(st.booleans()):
            chars[i] = new
        else:
            chars.insert(i, new)
    edited = "".join(chars)
    assume(edited.endswith("\n"))
    check(edited)


@pytest.mark.parametrize("text", ["", "\n", "a\n", "- a\n", "[a]\n", "a: 1", "a: b\n\n", "a:\n- b\n",
                                  "a:\n    b: c\n", "a:\n  b: c\n   d: e\n", "a: 'b\n  c'\n", "a: b\n  c\n",
                                  "a: |\n\n  b\n", "a: |\n    b\n  c\n", "'a': 1\n'a': 2\n", "a: 1\na: 2\n"])
def test_odd_texts_are_left_to_ruamel_or_read_alike(text: str) -> None:
    check(text)
