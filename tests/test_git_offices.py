"""Issue 6: two offices share a store through a bare remote with the real git binary, act on the same
complaints at once, push and pull both ways, and lose nothing; a true conflict is kept, reported by
`check` as file:line and resolved by `complaintctl git resolve`."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitkit import Clone, clone, git, isolate, office, out

from complaintctl.records import yamlio

FRI = "2026-11-20T{}:00+08:00"
MON = "2026-11-23T{}:00+08:00"
TUE = "2026-11-24T{}:00+08:00"
INTAKE = ("--channel", "phone", "--subject", "闸机重复扣费", "--description", "出站时被扣两次费",
          "--category", "service_quality", "--name", "张三", "--location", "人民广场站")
# Y's walk to `responded`: (action, person, fields)
TO_RESPONDED = [
    ("assign", "王五", ["to=李四", "department=车站运营部"]),
    ("propose", "李四", ["opinion=退还多扣票款", "cause=equipment_failure"]),
    ("approve", "王五", []),
    ("finish", "李四", ["measures=已退款"]),
    ("report_result", "李四", ["result=已退还多扣票款"]),
    ("respond", "王五", ["answer=已电话告知"]),
]


@pytest.fixture(autouse=True)
def _git_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def log(clone_: Clone, received: str, logged: str) -> str:
    stdout = clone_.ok("log", *INTAKE, "--received", received, "--commit", now=logged)
    return stdout.split()[1]


def history(clone_: Clone, complaint_id: str) -> list[dict[str, object]]:
    return list(yamlio.load_plain(clone_.text(complaint_id))["history"])


def actions(clone_: Clone, complaint_id: str) -> list[tuple[object, object, object]]:
    return [(e["action"], e["by"], e["at"]) for e in history(clone_, complaint_id)]


def settled(*clones: Clone) -> None:
    """Both clones at the same commit, nothing unmerged or uncommitted, no marker, check clean."""
    heads = {out(c.root, "rev-parse", "HEAD") for c in clones}
    assert len(heads) == 1
    for c in clones:
        assert out(c.root, "ls-files", "-u") == ""
        assert out(c.root, "status", "--porcelain", "--untracked-files=no") == ""
        for path in (c.root / "complaints").rglob("*.yaml"):
            assert "<<<<<<<" not in path.read_text(encoding="utf-8"), path
        assert c.ok("check").startswith(f"{len(list((c.root / 'complaints').rglob('*.yaml')))} records")


@pytest.fixture
def offices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Clone, Clone, dict[str, str]]:
    """Office A made the store and logged X (new), Y (answered) and Z (new); office B cloned it."""
    remote, a = office(tmp_path, capsys)
    made = {"X": log(a, FRI.format("16:00"), FRI.format("16:05")),
            "Y": log(a, FRI.format("09:00"), FRI.format("09:05")),
            "Z": log(a, FRI.format("10:00"), FRI.format("10:05"))}
    for minute, (action, person, fields) in enumerate(TO_RESPONDED, start=10):
        a.ok("act", made["Y"], action, *fields, "--by", person, "--commit", now=FRI.format(f"11:{minute}"))
    git(a.root, "push", "-q")
    b = clone(remote, a.root.parent / "b", capsys)
    return a, b, made


def test_two_offices_act_on_the_same_complaints_and_lose_nothing(offices) -> None:
    a, b, made = offices
    x, y, z = made["X"], made["Y"], made["Z"]
    # at the same time: A assigns X; B notes X, visits Y and sweeps (escalating X and Z)
    a.ok("assign", x, "--to", "李四", "--department", "车站运营部", "--commit", now=MON.format("10:00"))
    b.ok("note", x, "客户来电催办", "--by", "周静", "--commit", now=MON.format("10:05"))
    b.ok("act", y, "visit", "satisfaction=satisfied", "--by", "周静", "--commit", now=MON.format("10:10"))
    assert "recorded 2 escalation" in b.ok("sweep", "--commit", "--no-mail", now=TUE.format("09:00"))
    # A swept too, a little later: Z only (A had assigned X)
    assert "recorded 1 escalation" in a.ok("sweep", "--commit", "--no-mail", now=TUE.format("09:02"))

    git(a.root, "push", "-q")
    pulled = git(b.root, "pull", "-q", "--no-edit")
    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    git(b.root, "push", "-q")
    git(a.root, "pull", "-q", "--no-edit")
    settled(a, b)

    assert actions(a, x) == [
        ("log", "王五", FRI.format("16:05")), ("assign", "王五", MON.format("10:00")),
        ("note", "周静", MON.format("10:05")), ("escalate", "sweep", TUE.format("09:00"))]
    assert [e[0] for e in actions(a, y)] == ["log", *(step[0] for step in TO_RESPONDED), "visit"]
    # both clones swept Z's breach: one event, the earlier sweep's
    assert actions(a, z)[1:] == [("escalate", "sweep", TUE.format("09:00"))]
    assert a.text(x) == b.text(x)

    # and the other way round: B pushes first, A merges
    a.ok("note", y, "客户表示满意", "--commit", now=TUE.format("10:00"))
    b.ok("act", y, "visit", "satisfaction=very_satisfied", "--by", "周静", "--commit",
         now=TUE.format("10:01"))
    b.ok("assign", z, "--to", "李四", "--department", "票务部", "--by", "周静", "--commit",
         now=TUE.format("09:30"))
    a.ok("note", z, "已联系票务部", "--commit", now=TUE.format("09:40"))
    git(b.root, "push", "-q")
    git(a.root, "pull", "-q", "--no-edit")
    git(a.root, "push", "-q")
    git(b.root, "pull", "-q", "--no-edit")
    settled(a, b)
    assert [e[0] for e in actions(b, y)][-3:] == ["visit", "note", "visit"]
    assert [e[0] for e in actions(b, z)] == ["log", "escalate", "assign", "note"]


def test_two_resolutions_are_a_conflict_that_check_points_at_and_resolve_settles(offices) -> None:
    a, b, made = offices
    y = made["Y"]
    a.ok("act", y, "visit", "satisfaction=satisfied", "--commit", now=MON.format("09:30"))
    git(a.root, "push", "-q")
    git(b.root, "pull", "-q")
    a.ok("close", y, "summary=退款完成", "--commit", now=MON.format("10:00"))
    b.ok("note", y, "客户要求书面答复", "--by", "周静", "--commit", now=MON.format("10:02"))
    b.ok("close", y, "summary=书面致歉", "--by", "周静", "--commit", now=MON.format("10:05"))
    git(a.root, "push", "-q")

    pulled = git(b.root, "pull", "--no-edit", ok=False)
    assert pulled.returncode != 0
    assert "CONFLICT (complaint history)" in pulled.stderr and "both sides closed it" in pulled.stderr
    path = b.record(y)
    shown = str(path.relative_to(b.root))
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(number for number, line in enumerate(lines, start=1) if line.startswith("<<<<<<<"))
    # the markers hold only the two closing events; B's note merged cleanly above them
    region = lines[first - 1:]
    assert region[0] == "<<<<<<< ours" and region[-1] == ">>>>>>> theirs"
    assert sum(line.startswith("  - at:") for line in region) == 2
    assert "    text: 客户要求书面答复" in lines[:first]

    code, stdout, stderr = b("check")
    assert code == 1
    assert f"{shown}:{first}: unresolved merge conflict" in stdout
    assert f"complaintctl git resolve {y} --keep ours|theirs" in stdout
    # the pre-commit hook refuses to commit it as it is
    git(b.root, "add", shown)
    refused = git(b.root, "commit", "--no-edit", ok=False)
    assert refused.returncode != 0 and f"{shown}:{first}:" in refused.stderr

    assert "is written and staged" in b.ok("git", "resolve", y, "--keep", "theirs")
    git(b.root, "commit", "-q", "--no-edit")
    git(b.root, "push", "-q")
    git(a.root, "pull", "-q")
    settled(a, b)
    closes = [e for e in history(a, y) if e["action"] == "close"]
    assert [e["summary"] for e in closes] == ["退款完成"]  # theirs, as B pulled it: A's close
    assert [e[0] for e in actions(a, y)][-3:] == ["visit", "close", "note"]


def test_a_different_intake_change_on_each_side_is_a_conflict_of_that_field_only(offices) -> None:
    a, b, made = offices
    x = made["X"]
    for clone_, subject in ((a, "闸机扣费两次"), (b, "闸机重复扣款")):
        path = clone_.record(x)
        path.write_text(path.read_text(encoding="utf-8").replace("subject: 闸机重复扣费",
                                                                 f"subject: {subject}"), encoding="utf-8")
        git(clone_.root, "commit", "-q", "-am", "subject")
    git(a.root, "push", "-q")
    assert git(b.root, "pull", "--no-edit", ok=False).returncode != 0
    text = b.text(x)
    assert "<<<<<<< ours\nsubject: 闸机重复扣款\n=======\nsubject: 闸机扣费两次\n>>>>>>> theirs\n" in text
    assert text.count("<<<<<<<") == 1
    b.ok("git", "resolve", x, "--keep", "ours")
    assert "subject: 闸机重复扣款\n" in b.text(x)
    git(b.root, "commit", "-q", "--no-edit")
    assert b.ok("check").startswith("3 records checked")


def test_git_resolve_keeps_the_order_of_same_second_events_of_each_side(offices) -> None:
    """A closes and notes in the same second (a script); B closes too. B keeps A's side: A's close
    comes before A's note, as A recorded them, though the conflict region puts the close last."""
    a, b, made = offices
    y = made["Y"]
    a.ok("act", y, "visit", "satisfaction=satisfied", "--commit", now=MON.format("09:30"))
    git(a.root, "push", "-q")
    git(b.root, "pull", "-q")
    a.ok("close", y, "summary=退款完成", "--commit", now=MON.format("10:00"))
    a.ok("note", y, "已结案并回访", "--commit", now=MON.format("10:00"))
    b.ok("close", y, "summary=书面致歉", "--by", "周静", "--commit", now=MON.format("10:05"))
    git(a.root, "push", "-q")
    assert git(b.root, "pull", "--no-edit", ok=False).returncode != 0
    b.ok("git", "resolve", y, "--keep", "theirs")
    tail = [(e["action"], e["at"]) for e in history(b, y)][-2:]
    assert tail == [("close", MON.format("10:00")), ("note", MON.format("10:00"))]
