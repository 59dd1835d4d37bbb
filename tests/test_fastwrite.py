"""The fast record writer writes exactly what yamlio (ruamel) writes, or declines."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaintctl.base.errors import ProblemsFound
from complaintctl.records import fastread, fastwrite, yamlio, yamlres
from complaintctl.records.record import Record

_SCRATCH = tempfile.mkdtemp(prefix="fastwrite-")

# Text that exercises quoting: YAML indicators, things that resolve to other types, Chinese, spaces,
# line breaks, characters ruamel escapes.
_PIECES = ["a", "Z", "9", "0", "1.5", " ", "  ", ":", ": ", "#", " #", "-", "- ", "?", "'", '"', "!", "&",
           "*", "|", ">", "%", "@", "`", ",", "[", "]", "{", "}", "~", "=", "<<", "\n", "\n\n", "\t", "yes",
           "no", "on", "null", "true", "True", "0x1F", "0o17", "1_000", "16:00", "09:30:15", ".inf", "1e3",
           "2026-11-20", "2026-11-20T16:00:00+08:00", "13800138000", "张三", "闸机重复扣费", "，", "：",
           "\u3000", "\xa0", "ü", "é", "\u2028", "\x85", "\ufeff", "\x07", "😀", "---", "...", "\\", "/"]
_TEXT = st.lists(st.sampled_from(_PIECES), min_size=0, max_size=8).map("".join)
_SCALAR = st.one_of(_TEXT, st.integers(-10**12, 10**12), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False, width=32),
                    st.sampled_from([0.5, 1.25, -3.75, 100.0, 1e20, 1e-7]))
_NAMES = ["at", "by", "action", "to", "department", "opinion", "cause", "reason", "text", "note", "due",
          "clock", "measures", "amount", "answer", "method", "x.y", "a-b", "_p", "Key9"]
_KEY = st.one_of(st.sampled_from(_NAMES), st.sampled_from(["yes", "null", "a b", "1", "", "键", "x:"]))
_FILE = st.fixed_dictionaries({"path": _TEXT, "size": st.integers(0, 10**9), "sha256": _TEXT})
_EVENT_VALUE = st.one_of(_SCALAR, st.lists(_FILE, max_size=2), st.lists(_TEXT, max_size=3),
                         st.just({}), st.just([]), st.none())
_EVENT = st.dictionaries(_KEY, _EVENT_VALUE, min_size=1, max_size=5)
_RECORD = st.fixed_dictionaries(
    {"id": st.just("MT-261120-ZT08-1"), "policy": st.just("metro"), "office": st.just("MT"),
     "received_at": st.just("2026-11-20T16:00:00+08:00"), "channel": st.sampled_from(["phone", "yes"])},
    optional={"complainant": st.dictionaries(st.sampled_from(["name", "phone", "email", "contact"]), _TEXT,
                                             max_size=4),
              "subject": _TEXT, "description": _TEXT, "amount": _SCALAR, "demands": _TEXT,
              "history": st.lists(_EVENT, max_size=4)})


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RECORD)
def test_render_is_yamlio_dump_or_nothing(doc: dict[str, Any]) -> None:
    fast = fastwrite.render(doc)
    if fast is not None:
        assert fast == yamlio.dump(doc)
        assert fastread.parse_record(fast) in (None, yamlio.load_plain(fast))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RECORD, st.lists(_EVENT, min_size=1, max_size=2), st.booleans())
def test_a_record_read_fast_writes_what_ruamel_writes(doc: dict[str, Any], events: list[dict[str, Any]],
                                                      history_last: bool) -> None:
    history = [{"at": "2026-11-20T16:05:00+08:00", "by": "王五", "action": "log"}, *doc.get("history", [])]
    if history_last:
        doc = {key: value for key, value in doc.items() if key != "history"}
    doc = {**doc, "history": history}
    text = yamlio.dump(doc)
    path = Path(_SCRATCH) / "r.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        slow = Record.parse(text, path)
    except ProblemsFound:
        return  # ruamel cannot read back what it wrote (a key twice, a character it then refuses)
    fast = Record.read(path)
    assert fast.text() == (text if fast._doc is None else slow.text())  # (ruamel may re-dump some floats
    # and odd characters otherwise than it wrote them; it only writes after an append)
    assert (fast.id, fast.intake, fast.history) == (slow.id, slow.intake, slow.history)
    for event in events:
        fast.append(event)
        slow.append(event)
    assert fast.text() == slow.text()
    assert (fast.intake, fast.history) == (slow.intake, slow.history)


def test_appending_to_a_canonical_record_adds_only_the_event_block() -> None:
    doc = {"id": "MT-261120-ZT08-1", "policy": "metro", "office": "MT",
           "received_at": "2026-11-20T16:00:00+08:00", "channel": "phone", "subject": "闸机重复扣费",
           "history": [{"at": "2026-11-20T16:05:00+08:00", "by": "王五", "action": "log"}]}
    text = yamlio.dump(doc)
    path = Path(_SCRATCH) / "c.yaml"
    path.write_text(text, encoding="utf-8")
    record = Record.read(path)
    record.append({"at": "2026-11-20T17:00:00+08:00", "by": "李四", "action": "note", "text": "多行\n说明"})
    assert record.text() == text + "  - at: 2026-11-20T17:00:00+08:00\n    by: 李四\n    action: note\n" \
        "    text: |-\n      多行\n      说明\n"
    assert record._doc is None  # ruamel never parsed it
    # a comment, or quotes ruamel would drop, and the round-trip document decides
    for variant in (text.replace("phone\n", "phone  # by phone\n"), text.replace("MT\n", "'MT'\n")):
        path.write_text(variant, encoding="utf-8")
        record, slow = Record.read(path), Record.parse(variant, path)
        event = {"at": "2026-11-20T17:00:00+08:00", "by": "李四", "action": "note", "text": "x"}
        record.append(event)
        slow.append(event)
        assert record.text() == slow.text()


def test_common_records_are_written_fast() -> None:
    doc = {"id": "MT-261120-ZT08-1", "policy": "metro", "office": "MT",
           "received_at": "2026-11-20T16:00:00+08:00", "channel": "phone",
           "complainant": {"name": "张三", "phone": "13800138000", "email": "zs@example.com"},
           "subject": "闸机重复扣费", "description": "出站时被扣两次费。\n第二行: 说明 #1\n",
           "category": "service",
           "amount": 12.5, "severity": "normal", "demands": "it's ok", "reference": "yes",
           "location": "站台: 2 #3",
           "history": [{"at": "2026-11-20T16:10:00+08:00", "by": "王五", "action": "log"},
                       {"at": "2026-11-20T17:00:00+08:00", "by": "李四", "action": "attach",
                        "files": [{"path": "evidence/a b.jpg", "size": 10, "sha256": "0" * 64}]},
                       {"at": "2026-11-20T17:05:00+08:00", "by": "李四", "action": "note",
                        "text": "first\n  indented\n\nlast", "done": True, "count": 0, "empty": [],
                        "map": {}}]}
    fast = fastwrite.render(doc)
    assert fast is not None and fast == yamlio.dump(doc)
    assert fastread.parse_record(fast) == doc
    for doubtful in ({"a": None}, {"a": [[1]]}, {"a b": 1}, {"a": "tab\there"}, {"a": " lead\nx"},
                     {"a": "trailing \nx"}, {"a": 1e20}, {"a": ("t",)}):
        assert fastwrite.render(doubtful) is None, doubtful


def test_the_resolver_tables_are_ruamels() -> None:
    def shown(table: Any) -> dict[str, list[tuple[str, str, int]]]:
        return {first: [(tag, regexp.pattern, regexp.flags) for tag, regexp in resolvers]
                for first, resolvers in table.items()}

    assert shown(yamlres.LOAD_TABLE) == shown(yamlio._LOAD_TABLE)
    assert shown(yamlres.DUMP_TABLE) == shown(yamlio._DUMP_TABLE)
    assert yamlres.MAX_BYTES == yamlio.MAX_BYTES
    assert all(isinstance(regexp, re.Pattern) for resolvers in yamlres.DUMP_TABLE.values()
               for _tag, regexp in resolvers)
