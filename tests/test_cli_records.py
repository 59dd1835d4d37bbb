"""What the commands do to record files: a load and save changes no byte, an action adds exactly one block,
and what a person wrote by hand (comments) survives."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from conftest import NOW, record_file

from complaintctl.records.record import Record

HAND_WRITTEN = """\
# 2026-11-20 from the hotline; the caller was upset
id: {id}
policy: metro
office: MT
received_at: 2026-11-20T16:00:00+08:00
channel: phone
complainant:
  name: 张三
  phone: '13800138000'   # mobile, call after 18:00
subject: 闸机重复扣费
description: |
  在人民广场站出站时被扣两次费。
  已提供交易截图。
category: service_quality
severity: normal
location: 人民广场站
history:
  - at: 2026-11-20T16:04:00+08:00
    by: 王五
    action: log
  # the caller asked for a refund
  - at: 2026-11-20T16:30:00+08:00
    by: 王五
    action: assign
    to: 李四
    department: 车站运营部
"""


def only_added_block(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`, asserting that this is the diff's one and only change."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    changes = [op for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
               if op[0] != "equal"]
    assert len(changes) == 1, "".join(difflib.unified_diff(old, new))
    tag, i1, i2, j1, j2 = changes[0]
    assert tag == "insert" and i1 == i2, "".join(difflib.unified_diff(old, new))
    diff = list(difflib.unified_diff(old, new, n=0))
    assert sum(line.startswith("@@") for line in diff) == 1
    assert not [line for line in diff[2:] if line.startswith("-")]
    return new[j1:j2]


def test_load_and_save_is_byte_identical(logged: str, store: Path) -> None:
    path = record_file(store, logged)
    text = path.read_text(encoding="utf-8")
    assert Record.read(path).text() == text
    hand = HAND_WRITTEN.format(id=logged)
    path.write_text(hand, encoding="utf-8")
    assert Record.read(path).text() == hand


def test_an_action_adds_one_block(logged: str, store: Path, cli) -> None:
    path = record_file(store, logged)
    before = path.read_text(encoding="utf-8")
    result = cli("--now", NOW, "assign", logged, "--to", "李四", "--department", "车站运营部")
    assert result.code == 0, result
    added = only_added_block(before, path.read_text(encoding="utf-8"))
    assert "".join(added) == ("  - at: 2026-11-20T17:00:00+08:00\n    by: 王五\n    action: assign\n"
                              "    to: 李四\n    department: 车站运营部\n")


def test_a_multiline_note_adds_one_block(logged: str, store: Path, cli) -> None:
    path = record_file(store, logged)
    before = path.read_text(encoding="utf-8")
    assert cli("--now", NOW, "note", logged, "第一行\n第二行").code == 0
    added = only_added_block(before, path.read_text(encoding="utf-8"))
    assert "".join(added).endswith("    action: note\n    text: |-\n      第一行\n      第二行\n") or \
        "".join(added).endswith("    action: note\n    text: |\n      第一行\n      第二行\n")


def test_hand_written_comments_survive_an_action(logged: str, store: Path, cli) -> None:
    path = record_file(store, logged)
    hand = HAND_WRITTEN.format(id=logged)
    path.write_text(hand, encoding="utf-8")
    result = cli("--now", NOW, "act", logged, "propose", "opinion=退还多扣费用", "cause=equipment_failure")
    assert result.code == 0, result
    after = path.read_text(encoding="utf-8")
    added = only_added_block(hand, after)
    assert added[0] == "  - at: 2026-11-20T17:00:00+08:00\n"
    for comment in ("# 2026-11-20 from the hotline", "# mobile, call after 18:00",
                    "  # the caller asked for a refund\n"):
        assert comment in after
    assert after.endswith("    cause: equipment_failure\n")
    check = cli("--now", NOW, "check")
    assert check.code == 0, check


@pytest.mark.parametrize("gap", ["", "\n"], ids=["no-blank-line", "blank-line"])
def test_end_of_file_comment_survives_unchanged(logged: str, store: Path, cli, gap: str) -> None:
    path = record_file(store, logged)
    hand = path.read_text(encoding="utf-8") + gap + "# checked by the shift lead\n"
    path.write_text(hand, encoding="utf-8")
    assert Record.read(path).text() == hand
    assert cli("--now", NOW, "note", logged, "x").code == 0
    only_added_block(hand, path.read_text(encoding="utf-8"))


def test_backdated_action_adds_recorded_at(logged: str, store: Path, cli) -> None:
    path = record_file(store, logged)
    before = path.read_text(encoding="utf-8")
    result = cli("--now", "2026-11-21T10:00", "note", logged, "电话回访", "--at", "yesterday 17:30")
    assert result.code == 0, result
    added = only_added_block(before, path.read_text(encoding="utf-8"))
    assert "".join(added) == ("  - at: 2026-11-20T17:30:00+08:00\n    by: 王五\n    action: note\n"
                              "    text: 电话回访\n    recorded_at: 2026-11-21T10:00:00+08:00\n")


def test_at_equal_to_now_adds_no_recorded_at(logged: str, store: Path, cli) -> None:
    assert cli("--now", NOW, "note", logged, "x", "--at", "now").code == 0
    assert "recorded_at" not in record_file(store, logged).read_text(encoding="utf-8")
