"""Issue 6: the three-way merge of one complaint record, without git (git's part: test_git_offices)."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaintctl.git import merge
from complaintctl.policy.model import Policy
from complaintctl.records import yamlio
from complaintctl.store.directory import Store
from complaintctl.worktime.arithmetic import Calendar

HEAD = """id: MT-261120-K7QF-1
policy: metro
office: MT
received_at: 2026-11-20T16:00:00+08:00
channel: phone
complainant:
  name: 张三
subject: 闸机重复扣费
description: 出站时被扣两次费
category: service_quality
severity: normal
location: 人民广场站
history:
  - at: 2026-11-20T16:05:00+08:00
    by: 王五
    action: log
"""
ASSIGN = """  - at: 2026-11-23T10:00:00+08:00
    by: 王五
    action: assign
    to: 李四
    department: 车站运营部
"""
NOTE = """  - at: 2026-11-23T10:05:00+08:00
    by: 周静
    action: note
    text: 客户来电催办
"""
NOTE_SAME_SECOND = """  - at: 2026-11-23T10:00:00+08:00
    by: 周静
    action: note
    text: 同一秒
"""
ESCALATE = """  - at: 2026-11-24T09:0{minute}:00+08:00
    by: sweep
    action: escalate
    clock: dispatch
    due: 2026-11-23T18:00:00+08:00
    level: breach
    to:
      - 周静
"""
PROPOSE = """  - at: 2026-11-23T11:00:00+08:00
    by: 李四
    action: propose
    opinion: 退款
    cause: equipment_failure
"""


@pytest.fixture
def metro(store: Path) -> Store:
    return Store.open(store)


def merged(metro: Store, base: str | None, ours: str, theirs: str) -> merge.Merged:
    result = merge.merge(base, ours, theirs, lambda: (metro.policy, metro.calendar), "r.yaml")
    if not result.conflicts:  # whichever side is ours, the same file: clones that merge apart agree
        again = merge.merge(base, theirs, ours, lambda: (metro.policy, metro.calendar), "r.yaml")
        assert again.text == result.text and not again.conflicts
    return result


def events(text: str) -> list[tuple[str, str]]:
    return [(e["action"], e["at"][11:16]) for e in yamlio.load_plain(text)["history"]]


def test_one_side_only_is_taken_as_it_is(metro: Store) -> None:
    ours = HEAD + ASSIGN + "# a comment\n"
    assert merged(metro, HEAD, ours, HEAD).text == ours
    assert merged(metro, HEAD, HEAD, ours).text == ours


def test_both_sides_appended_gives_the_union_in_time_order(metro: Store) -> None:
    result = merged(metro, HEAD, HEAD + ASSIGN, HEAD + NOTE_SAME_SECOND + NOTE)
    assert not result.conflicts
    assert events(result.text) == [("log", "16:05"), ("assign", "10:00"), ("note", "10:00"),
                                   ("note", "10:05")]
    assert result.text == yamlio.dump(yamlio.load(result.text))  # canonical


def test_identical_changes_on_both_sides_are_kept_once(metro: Store) -> None:
    result = merged(metro, HEAD, HEAD + ASSIGN + NOTE, HEAD + ASSIGN)
    assert events(result.text) == [("log", "16:05"), ("assign", "10:00"), ("note", "10:05")]
    assert merged(metro, None, HEAD + NOTE, HEAD + NOTE).text == HEAD + NOTE  # added on both sides alike


def test_the_same_escalation_swept_in_both_clones_is_kept_once_the_earliest(metro: Store) -> None:
    ours = HEAD + NOTE + ESCALATE.format(minute=2)
    theirs = HEAD + ESCALATE.format(minute=0)
    result = merged(metro, HEAD, ours, theirs)
    assert events(result.text) == [("log", "16:05"), ("note", "10:05"), ("escalate", "09:00")]
    # a receipt for a notice mailed later (same key, `notified`) is another event
    receipt = ESCALATE.format(minute=5) + "    notified:\n      - 周静\n"
    assert len(events(merged(metro, HEAD, ours + receipt, theirs).text)) == 4


def test_an_event_removed_on_one_side_stays_removed(metro: Store) -> None:
    base = HEAD + ASSIGN + NOTE
    result = merged(metro, base, HEAD + ASSIGN, base + NOTE.replace("10:05", "10:09"))
    assert events(result.text) == [("log", "16:05"), ("assign", "10:00"), ("note", "10:09")]


def test_comments_in_our_copy_survive_a_merge(metro: Store) -> None:
    ours = HEAD.replace("subject: 闸机重复扣费", "subject: 闸机重复扣费  # 客户原话") + ASSIGN
    result = merge.merge(HEAD, ours, HEAD + NOTE, lambda: (metro.policy, metro.calendar))
    assert "# 客户原话" in result.text and events(result.text)[-1] == ("note", "10:05")


def test_steps_the_policy_does_not_allow_together_are_a_conflict_around_those_steps(metro: Store) -> None:
    base = HEAD + ASSIGN
    close_a = PROPOSE + "  - at: 2026-11-23T12:00:00+08:00\n    by: 王五\n    action: approve\n"
    close_b = PROPOSE + "  - at: 2026-11-23T12:01:00+08:00\n    by: 周静\n    action: reject\n" \
        "    reason: 不合理\n"
    result = merged(metro, base, base + close_a + NOTE.replace("10:05", "13:00"), base + close_b)
    # approve and reject after the same propose: the policy allows only one of them
    assert result.conflicts == ["the policy does not allow the merged history"]
    lines = result.text.splitlines()
    start = lines.index("<<<<<<< ours")
    assert lines[start - 1] == "    text: 客户来电催办"  # the note merged, above the region
    region = "\n".join(lines[start:])
    assert "action: approve" in region and "action: reject" in region
    assert "action: propose" not in region  # the same propose on both sides is no conflict
    assert "    action: propose" in lines[:start]
    for side, step in (("ours", "approve"), ("theirs", "reject")):
        kept = merge.pick(result.text, side)
        assert [a for a, _ in events(kept)] == ["log", "assign", "propose", step, "note"]
        assert merge.valid_history(metro.policy, metro.calendar, yamlio.load_plain(kept),
                                   yamlio.load_plain(kept)["history"])


def test_an_intake_field_changed_differently_is_a_conflict_of_that_field(metro: Store) -> None:
    ours = HEAD.replace("location: 人民广场站", "location: 陕西南路站")
    theirs = HEAD.replace("location: 人民广场站", "location: 徐家汇站").replace("severity: normal",
                                                                        "severity: major") + NOTE
    result = merged(metro, HEAD, ours, theirs)
    assert result.conflicts == ["intake changed differently on each side: location"]
    assert "<<<<<<< ours\nlocation: 陕西南路站\n=======\nlocation: 徐家汇站\n>>>>>>> theirs\n" in result.text
    assert "severity: major\n" in result.text and result.text.count("<<<<<<<") == 1
    kept = yamlio.load_plain(merge.pick(result.text, "theirs"))
    assert kept["location"] == "徐家汇站" and kept["severity"] == "major" and len(kept["history"]) == 2


def test_edits_of_one_field_with_different_values_conflict(metro: Store) -> None:
    edit = "  - at: 2026-11-23T10:0{m}:00+08:00\n    by: 王五\n    action: edit\n    location: {v}\n"
    result = merged(metro, HEAD, HEAD + edit.format(m=1, v="甲站"), HEAD + edit.format(m=2, v="乙站"))
    assert result.conflicts == ["edited differently: location"]
    assert merge.pick(result.text, "ours").count("action: edit") == 1


def test_two_complaints_under_one_id_keep_both_histories_apart(metro: Store) -> None:
    other = HEAD.replace("16:05", "16:06").replace("闸机重复扣费", "票价疑问")
    result = merged(metro, "", HEAD, other)
    assert "two complaints under one id" in result.conflicts
    assert yamlio.load_plain(merge.pick(result.text, "theirs"))["subject"] == "票价疑问"


def test_a_side_that_is_no_record_is_left_to_git(metro: Store) -> None:
    with pytest.raises(merge.Unmergeable):
        merge.merge(HEAD, HEAD + NOTE, HEAD + "<<<<<<< x\n", lambda: (metro.policy, metro.calendar))


def test_pick_reads_diff3_regions_too() -> None:
    text = "a: 1\n<<<<<<< ours\nb: 2\n||||||| base\nb: 0\n=======\nb: 3\n>>>>>>> theirs\nhistory: []\n"
    assert merge.pick(text, "ours") == "a: 1\nb: 2\nhistory: []\n"
    assert merge.pick(text, "theirs") == "a: 1\nb: 3\nhistory: []\n"
    assert not merge.has_markers(merge.pick(text, "ours"))


def test_inert_additions_on_one_side_merge_without_loading_the_policy() -> None:
    def no_policy() -> tuple[Policy, Calendar]:
        raise AssertionError("the policy was loaded")

    ours = HEAD + ASSIGN + PROPOSE
    theirs = HEAD + NOTE + ESCALATE.format(minute=0)
    result = merge.merge(HEAD, ours, theirs, no_policy)
    assert [a for a, _ in events(result.text)] == ["log", "assign", "note", "propose", "escalate"]


def test_git_resolve_keeps_the_order_of_same_second_events_of_each_side(metro: Store) -> None:
    """Ours closed and noted in the same second; theirs closed too. Keeping ours must give its close
    before its note, as ours had them, though the conflict region (the closes) comes after the note."""
    answer = "  - at: 2026-11-23T11:00:00+08:00\n    by: 李四\n    action: propose\n    opinion: 退款\n" \
        "    cause: equipment_failure\n"
    approve = "  - at: 2026-11-23T12:00:00+08:00\n    by: 王五\n    action: approve\n"
    note_then = "  - at: 2026-11-23T12:00:00+08:00\n    by: 王五\n    action: note\n    text: 已批准\n"
    reject = "  - at: 2026-11-23T12:01:00+08:00\n    by: 周静\n    action: reject\n    reason: 不合理\n"
    base = HEAD + ASSIGN + answer
    ours = base + approve + note_then
    result = merged(metro, base, ours, base + reject)
    assert result.conflicts
    side_history = yamlio.load_plain(ours)["history"]
    kept = merge.pick(result.text, "ours", "r.yaml", side_history)
    assert [action for action, _ in events(kept)] == ["log", "assign", "propose", "approve", "note"]
    # without ours' own history the same-second note would come first: the order git's stage 2 restores
    assert [action for action, _ in events(merge.pick(result.text, "ours"))][-2:] == ["note", "approve"]
