from __future__ import annotations

import difflib
import time

import pytest

from complaintctl.base.errors import InvalidData, ProblemsFound
from complaintctl.records import yamlio

RECORD = """\
id: MT-261120-K7QF-1
policy: metro
office: MT
received_at: 2026-11-20T16:00:00+08:00
channel: phone
complainant:
  name: 张三
  phone: '13800138000'
subject: 闸机重复扣费
description: 在人民广场站出站时被扣两次费。
category: service_quality
severity: normal
location: 人民广场站
history:
  - at: 2026-11-20T16:04:00+08:00
    by: 王五
    action: log
  - at: 2026-11-20T16:30:00+08:00
    by: 王五
    action: assign
    to: 李四
    department: 车站运营部
"""

COMMENTED = """\
# Complaint transferred from the old system; see ticket 4411.
id: MT-261120-K7QF-1
policy: metro  # the store's default
office: MT
received_at: 2026-11-20T16:00:00+08:00
channel: phone
history:
  - at: 2026-11-20T16:04:00+08:00
    by: 王五
    action: log
  # called back twice before assigning
  - at: 2026-11-20T16:30:00+08:00
    by: 王五
    action: note
    text: |-
      第一行
      second line

# end of file: keep this comment last
"""

EVENT = {
    "at": "2026-11-21T09:00:00+08:00",
    "by": "李四",
    "action": "note",
    "text": "回访完成\nall good",
}


def added_blocks(before: str, after: str) -> list[list[str]]:
    """The diff of two texts as its change groups; each group's lines ('+x' / '-x')."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(True), after.splitlines(True))
    a, b = before.splitlines(True), after.splitlines(True)
    groups = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            groups.append([f"-{x}" for x in a[i1:i2]] + [f"+{x}" for x in b[j1:j2]])
    return groups


EVENT_BLOCK = [
    "+  - at: 2026-11-21T09:00:00+08:00\n",
    "+    by: 李四\n",
    "+    action: note\n",
    "+    text: |-\n",
    "+      回访完成\n",
    "+      all good\n",
]


# --- canonical text -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [RECORD, COMMENTED])
def test_untouched_file_round_trips_byte_for_byte(text: str) -> None:
    assert yamlio.dump(yamlio.load(text)) == text


def test_instants_and_dates_load_as_str() -> None:
    doc = yamlio.load("at: 2026-11-20T16:00:00+08:00\nday: 2026-12-31\nn: 3\nf: 1.5\nb: true\n")
    assert type(doc["at"]) is str and doc["at"] == "2026-11-20T16:00:00+08:00"
    assert type(doc["day"]) is str and doc["day"] == "2026-12-31"
    plain = yamlio.load_plain("days_off: [2026-12-31]\nshort_days: {2026-12-31: '15:00'}\n")
    assert plain == {"days_off": ["2026-12-31"], "short_days": {"2026-12-31": "15:00"}}


def test_dump_plain_dict_is_canonical() -> None:
    doc = {
        "received_at": "2026-11-20T16:00:00+08:00",
        "complainant": {"name": "张三", "phone": "13800138000"},
        "answers": [
            "yes",
            "no",
            "on",
            "1.0",
            "18:00",
            "09:00",
            "true",
            "null",
            "",
            "~",
            "0x1f",
            "plain",
        ],
        "count": 3,
        "ok": True,
        "nothing": None,
        "description": "first line\nsecond line",
        "long": "字" * 300 + " word" * 100,
        "history": [{"at": "2026-11-20T16:04:00+08:00", "by": "王五", "action": "log"}],
    }
    text = yamlio.dump(doc)
    assert text == (
        "received_at: 2026-11-20T16:00:00+08:00\n"
        "complainant:\n"
        "  name: 张三\n"
        "  phone: '13800138000'\n"
        "answers:\n"
        "  - 'yes'\n  - 'no'\n  - 'on'\n  - '1.0'\n  - '18:00'\n  - '09:00'\n"
        "  - 'true'\n  - 'null'\n  - ''\n"
        "  - '~'\n  - '0x1f'\n  - plain\n"
        "count: 3\n"
        "ok: true\n"
        "nothing:\n"
        "description: |-\n"
        "  first line\n"
        "  second line\n"
        f"long: {'字' * 300 + ' word' * 100}\n"
        "history:\n"
        "  - at: 2026-11-20T16:04:00+08:00\n"
        "    by: 王五\n"
        "    action: log\n"
    )
    assert "\\u" not in text
    assert yamlio.to_plain(yamlio.load(text)) == doc


def test_trailing_newline_gives_keep_literal() -> None:
    text = yamlio.dump({"text": "a\nb\n"})
    assert text == "text: |\n  a\n  b\n"
    assert yamlio.load(text)["text"] == "a\nb\n"


def test_plain_multiline_string_set_on_loaded_doc_becomes_literal() -> None:
    doc = yamlio.load(RECORD)
    doc["description"] = "一\n二"
    assert "description: |-\n  一\n  二\n" in yamlio.dump(doc)


# --- appending events -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [RECORD, COMMENTED])
def test_appending_an_event_adds_exactly_one_block(text: str) -> None:
    doc = yamlio.load(text)
    doc["history"].append(yamlio.new_event(EVENT))
    after = yamlio.dump(doc)
    assert added_blocks(text, after) == [EVENT_BLOCK]
    if text is COMMENTED:
        assert after.endswith("\n# end of file: keep this comment last\n")
        assert "# Complaint transferred" in after and "# the store's default" in after
        assert "  # called back twice before assigning\n" in after


def test_append_keeps_end_of_line_comment_and_indented_tail_comment() -> None:
    text = (
        "id: X\n"
        "history:\n"
        "  - at: 2026-11-20T16:04:00+08:00\n"
        "    by: 王五\n"
        "    action: log  # typed in late\n"
        "  # next: call the station\n"
    )
    doc = yamlio.load(text)
    assert yamlio.dump(doc) == text
    doc["history"].append(yamlio.new_event(EVENT))
    after = yamlio.dump(doc)
    assert added_blocks(text, after) == [EVENT_BLOCK]
    assert "    action: log  # typed in late\n" in after


def test_append_twice_after_reload() -> None:
    doc = yamlio.load(COMMENTED)
    doc["history"].append(yamlio.new_event(EVENT))
    once = yamlio.dump(doc)
    doc2 = yamlio.load(once)
    doc2["history"].append(yamlio.new_event(EVENT))
    assert added_blocks(once, yamlio.dump(doc2)) == [EVENT_BLOCK]


TAILS = {
    "plain": "history:\n  - at: 2026-11-20T16:04:00+08:00\n    by: 王五\n    action: log\n",
    "quoted": "phone: '13800138000'\n",
    "nested-mapping": "complainant:\n  name: 张三\n  contact:\n    phone: '13800138000'\n",
    "literal": "description: |-\n  第一行\n  second line\n",
    "plain-sequence": "tags:\n  - a\n  - b\n",
}


@pytest.mark.parametrize("gap", ["", "\n", "\n\n"], ids=["no-gap", "blank-line", "two-blank"])
@pytest.mark.parametrize("body", list(TAILS.values()), ids=list(TAILS))
def test_end_of_file_comment_round_trips(body: str, gap: str) -> None:
    text = "id: X\n" + body + gap + "# end\n# really the end\n"
    once = yamlio.dump(yamlio.load(text))
    assert once == text
    assert yamlio.dump(yamlio.load(once)) == text


def test_trailing_blank_line_after_plain_scalar_is_kept_once() -> None:
    assert yamlio.dump(yamlio.load("a: 1\n\n")) == "a: 1\n\n"


@pytest.mark.parametrize("gap", ["", "\n"], ids=["no-gap", "blank-line"])
@pytest.mark.parametrize(
    "last",
    ["    action: log\n", "    text: 'yes'\n", "    text: |-\n      a\n      b\n"],
    ids=["plain", "quoted", "literal"],
)
def test_append_after_end_of_file_comment_adds_one_block(last: str, gap: str) -> None:
    text = "id: X\nhistory:\n  - at: 2026-11-20T16:04:00+08:00\n    by: 王五\n" + last + gap + "# end\n"
    doc = yamlio.load(text)
    doc["history"].append(yamlio.new_event(EVENT))
    after = yamlio.dump(doc)
    assert added_blocks(text, after) == [EVENT_BLOCK]
    assert after.endswith(gap + "# end\n")
    reloaded = yamlio.load(after)
    reloaded["history"].append(yamlio.new_event(EVENT))
    assert added_blocks(after, yamlio.dump(reloaded)) == [EVENT_BLOCK]


def test_new_event_keeps_key_order() -> None:
    event = yamlio.new_event(
        {"at": "t", "by": "b", "action": "extend", "reason": "r", "clock": "c"}
    )
    assert list(event) == ["at", "by", "action", "reason", "clock"]


# --- refusals -------------------------------------------------------------------------------------


def problem(text: str) -> str:
    with pytest.raises(InvalidData) as caught:
        yamlio.load(text, "complaints/x.yaml")
    return str(caught.value)


def test_syntax_error_has_its_line() -> None:
    message = problem("id: X\nhistory:\n  - at: [unclosed\n  - b\nc: d: e\n")
    assert message.startswith("complaints/x.yaml:")
    line = int(message.split(":")[1])
    assert 3 <= line <= 5


def test_not_a_mapping() -> None:
    assert (
        problem("- a\n- b\n")
        == "complaints/x.yaml:1: expected a mapping of keys to values, found a list"
    )
    assert "found empty" in problem("")
    assert "found a str" in problem("just text\n")


def test_duplicate_key() -> None:
    assert problem("id: X\npolicy: a\npolicy: b\n") == "complaints/x.yaml:3: duplicate key 'policy'"


@pytest.mark.parametrize(
    "text",
    [
        "id: !!python/object/apply:os.system ['echo pwned']\n",
        "id: !custom x\n",
        "id: !!str 1\n",
        "--- !!map\nid: X\n",
        "id: X\nlist: !!seq [a]\n",
        "id: ! x\n",
    ],
)
def test_explicit_tags_are_refused(text: str) -> None:
    assert "explicit tags are not allowed" in problem(text)
    with pytest.raises(ProblemsFound):
        yamlio.load_plain(text, allow_anchors=True)


def test_anchors_and_aliases_are_refused() -> None:
    assert problem("a: &x 1\nb: 2\n") == "complaints/x.yaml:1: anchors (&name) are not allowed"
    with pytest.raises(ProblemsFound):
        yamlio.load_plain("a: &x 1\nb: *x\n")


BILLION_LAUGHS = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [
            f"{c}: &{c} [{','.join(['*' + p] * 9)}]"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ]
    )
    + "\n"
)


@pytest.mark.parametrize("allow_anchors", [False, True])
def test_billion_laughs_is_refused_quickly(allow_anchors: bool) -> None:
    start = time.perf_counter()
    with pytest.raises(ProblemsFound):
        yamlio.load_plain(BILLION_LAUGHS, allow_anchors=allow_anchors)
    assert time.perf_counter() - start < 0.5


def test_anchors_allowed_in_policies() -> None:
    text = (
        "base: &base {roles: [centre], warn_at: 0.8}\n"
        "clock:\n  <<: *base\n  name: reg\n"
        "also: *base\n"
    )
    plain = yamlio.load_plain(text, allow_anchors=True)
    assert plain["clock"] == {"roles": ["centre"], "warn_at": 0.8, "name": "reg"}
    assert plain["also"] == {"roles": ["centre"], "warn_at": 0.8}
    assert plain["also"] is not plain["base"]


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(ProblemsFound, match="own ancestor"):
        yamlio.load_plain("a: &a [1, *a]\n", allow_anchors=True)


def test_git_conflict_markers() -> None:
    text = "id: X\n<<<<<<< HEAD\nseverity: major\n=======\nseverity: minor\n>>>>>>> branch\n"
    with pytest.raises(ProblemsFound) as caught:
        yamlio.load(text, "r.yaml")
    assert str(caught.value) == (
        "r.yaml:2: unresolved git conflict marker\n"
        "r.yaml:4: unresolved git conflict marker\n"
        "r.yaml:6: unresolved git conflict marker"
    )


def test_too_large() -> None:
    text = "a: " + "x" * (5 * 1024 * 1024) + "\n"
    assert "larger than 5 MB" in problem(text)
    # counted in bytes: 2 million three-byte characters is about 5.7 MB
    assert "larger than 5 MB" in problem("a: " + "字" * 2_000_000 + "\n")


def test_deep_nesting_is_refused() -> None:
    assert "nested more than 100 levels deep" in problem("a: " + "[" * 500 + "]" * 500 + "\n")


def test_failed_load_leaves_no_state_behind() -> None:
    for _ in range(150):
        with pytest.raises(ProblemsFound):
            yamlio.load("a:\n  b:\n    c: &x 1\n")
    assert yamlio.load(RECORD)["id"] == "MT-261120-K7QF-1"


# --- plain values and lines -----------------------------------------------------------------------


def test_to_plain_types() -> None:
    doc = yamlio.load("a: 1.50\nb: 0x10\nc: true\nd: |-\n  x\n  y\ne: [1, {f: g}]\ng: null\n")
    plain = yamlio.to_plain(doc)
    assert plain == {"a": 1.5, "b": 16, "c": True, "d": "x\ny", "e": [1, {"f": "g"}], "g": None}
    assert [type(plain[k]) for k in "abcd"] == [float, int, bool, str]
    assert type(plain) is dict and type(plain["e"]) is list and type(plain["e"][1]) is dict


def test_line_of() -> None:
    doc = yamlio.load(RECORD)
    assert yamlio.line_of(doc, ("id",)) == 1
    assert yamlio.line_of(doc, ("complainant", "phone")) == 8
    assert yamlio.line_of(doc, ("history",)) == 14
    assert yamlio.line_of(doc, ("history", 0)) == 15
    assert yamlio.line_of(doc, ("history", 1, "department")) == 22
    assert yamlio.line_of(doc, ("history", -1)) == 18
    assert yamlio.line_of(doc, ("history", 1, "missing")) == 18
    assert yamlio.line_of(doc, ("history", 9, "at")) == 14
    assert yamlio.line_of(doc, ("nope", "x")) == 1
    doc["history"].append(yamlio.new_event(EVENT))
    assert yamlio.line_of(doc, ("history", 2, "at")) == 14
    assert yamlio.line_of(yamlio.new_event(EVENT), ("at",)) == 0


def test_load_is_fast() -> None:
    history = "".join(
        f"  - at: 2026-11-2{i % 10}T16:04:00+08:00\n    by: 王五\n    action: note\n"
        f"    text: 第{i}次回访，投诉人表示满意。\n"
        for i in range(12)
    )
    text = RECORD + history
    fastest = float("inf")
    for _ in range(20):  # the fastest round: a busy machine slows some rounds, not the code
        start = time.perf_counter()
        assert yamlio.dump(yamlio.load(text)) == text
        fastest = min(fastest, time.perf_counter() - start)
    assert fastest < 0.05


def test_control_character_has_its_line() -> None:
    assert (
        problem("id: X\nsubject: a\x07b\n") == "complaints/x.yaml:2: unacceptable character U+0007"
    )


def test_dates_and_times_are_written_as_iso_text() -> None:
    import datetime as dt

    tz = dt.timezone(dt.timedelta(hours=8))
    doc = {
        "at": dt.datetime(2026, 11, 20, 16, 0, tzinfo=tz),
        "day": dt.date(2026, 12, 31),
        "hours": [dt.time(9, 0), dt.time(18, 0, 30)],
    }
    text = yamlio.dump(doc)
    assert text == (
        "at: 2026-11-20T16:00:00+08:00\nday: 2026-12-31\nhours:\n  - '09:00'\n  - '18:00:30'\n"
    )
