"""Readable at 80 columns (issue 20): `list`, `show`, `report`, `policy show` and `policy simulate` laid
out on a terminal of 80 and 120 columns with long Chinese text, every line within the width and nothing
a person needs cut; piped, the same commands print plain, whole text; long output goes through a pager."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOW
from rich.cells import cell_len

from complaintctl.cli import layout, pager, render

LATER = "2026-11-24T10:00:00+08:00"  # the registration clocks are long breached by then
SUBJECT = "闸机重复扣费并且站务员拒绝退款，乘客要求书面道歉和赔偿交通费用以及误工损失"
DESCRIPTION = "在人民广场站出站时被扣两次费，" * 12 + "要求尽快答复。"
NOTE = "乘客再次来电，说明已经等待很久，要求当天给出处理意见并电话回复本人。" * 3
OWNER = "欧阳明月"
DEPARTMENT = "车站运营部第一管理中心"
BOXES = re.compile("[─━│┃┏┓┗┛┡┩└┘┌┐]")


@pytest.fixture
def zh_store(tmp_path: Path, cli) -> Path:
    """A Chinese metro store with three complaints: long subjects, one assigned with a note."""
    root = tmp_path / "store"
    assert cli("init", root, "--policy", "metro", "--office", "MT", "--language", "zh").code == 0
    os.chdir(root)
    for number in range(3):
        logged = cli("--now", NOW, "log", "--channel", "phone", "--subject", f"{SUBJECT}{number}",
                     "--description", DESCRIPTION, "--category", "service_quality", "--name", "张三",
                     "--phone", "13800138000", "--location", "人民广场站", "--received", "2026-11-20T16:00")
        assert logged.code == 0, logged
    first = json.loads(cli("--now", NOW, "list", "--format", "json").out)[0]["handle"]
    assert cli("--now", NOW, "assign", first, "--to", OWNER, "--department", DEPARTMENT).code == 0
    assert cli("--now", NOW, "note", first, NOTE).code == 0
    return root


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch):
    """Make the commands lay out for a terminal of a given width (rich reads COLUMNS)."""
    def at(width: int) -> None:
        monkeypatch.setattr(render, "on_terminal", lambda: True)
        monkeypatch.setenv("COLUMNS", str(width))

    return at


def _within(text: str, width: int) -> None:
    for line in text.splitlines():
        assert cell_len(line.rstrip()) <= width, f"{cell_len(line)} > {width}: {line!r}"


def _flat(text: str) -> str:
    """The text without the line breaks and indentation a layout adds."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("width", [80, 120])
def test_list_keeps_handle_status_owner_due_and_an_overdue_word_and_shortens_the_subject(
        zh_store: Path, cli, terminal, width: int) -> None:
    rows = {row["handle"]: row for row in json.loads(cli("--now", LATER, "list", "--format", "json").out)}
    terminal(width)
    result = cli("--now", LATER, "list")
    assert result.code == 0, result
    assert "\x1b" not in result.out  # NO_COLOR: the overdue mark is a word, not a colour
    _within(result.out, width)
    header, *lines = result.out.splitlines()
    assert header.split()[:3] == ["短号", "状态", "责任人"] and "超期" in header
    assert len(lines) == 3
    for line in lines:
        row = rows[line.split()[0]]
        assert row["status_label"] in line and (row["owner"] or "") in line
        assert f"{row['next_due'][:10]} {row['next_due'][11:16]}" in line
        assert (" 是 " in line) == row["overdue"]
        subject = row["subject"]
        assert subject[:10] in line
        assert (subject in line) != line.endswith("…")
    assert any(row["overdue"] for row in rows.values())


def test_list_piped_is_plain_and_whole(zh_store: Path, cli) -> None:
    listed = json.loads(cli("--now", LATER, "list", "--format", "json").out)
    result = cli("--now", LATER, "list")
    assert "…" not in result.out and "\x1b" not in result.out and not BOXES.search(result.out)
    for row in listed:
        line = next(line for line in result.out.splitlines() if line.startswith(row["handle"]))
        for value in (row["id"], row["subject"], row["next_due"], row["status_label"]):
            assert value in line


@pytest.mark.parametrize("width", [80, 120])
def test_show_wraps_and_never_cuts(zh_store: Path, cli, terminal, width: int) -> None:
    handle = json.loads(cli("--now", LATER, "list", "--format", "json", "--owner", OWNER).out)[0]["handle"]
    terminal(width)
    result = cli("--now", LATER, "show", handle)
    assert result.code == 0, result
    _within(result.out, width)
    flat = _flat(result.out)
    for text in (DESCRIPTION, f"text={NOTE}", SUBJECT, DEPARTMENT):
        assert _flat(text) in flat, text
    assert "…" not in result.out


@pytest.mark.parametrize("width", [80, 120])
def test_report_by_department_keeps_the_group_names(zh_store: Path, cli, terminal, width: int) -> None:
    terminal(width)
    result = cli("--now", LATER, "report", "--period", "2026-11", "--group-by", "department")
    assert result.code == 0, result
    _within(result.out, width)
    assert DEPARTMENT in result.out
    assert "…" not in result.out  # folded, stacked: never cut


@pytest.mark.parametrize("width", [80, 120])
def test_policy_show_is_readable_in_the_width(zh_store: Path, cli, terminal, width: int) -> None:
    piped = cli("policy", "show")
    terminal(width)
    shown = cli("policy", "show")
    assert shown.code == 0 and piped.code == 0
    _within(shown.out, width)
    assert _flat(shown.out) == _flat(piped.out)  # the same text, only wrapped
    assert not BOXES.search(piped.out) and not BOXES.search(shown.out)
    for action in ("assign", "propose", "approve", "reject", "close"):
        assert re.search(rf"^  {action}  ", piped.out, re.MULTILINE), action


def test_policy_simulate_lists_every_clock_aligned_by_cells(zh_store: Path, cli) -> None:
    from complaintctl.policy.loader import load_policy

    result = cli("--now", NOW, "policy", "simulate", "--received", "2026-11-20T10:00")
    assert result.code == 0, result
    header, *lines = result.out.splitlines()
    clocks = load_policy("metro").clocks
    assert len(lines) == len(clocks)
    assert [line.split()[0] for line in lines] == [clock.text("zh") for clock in
                                                  sorted(clocks, key=lambda clock: clock.name not in
                                                         {"registration", "dispatch"})]
    # the third column starts at the same cell in every line, header included
    starts = set()
    for line in [header, *lines]:
        third = re.search(r"\S+\s{2,}\S+(?: \S+)*\s{2,}", line)
        assert third is not None, line
        starts.add(cell_len(third.group(0)))
    assert len(starts) == 1, result.out


def test_the_html_report_splits_group_tables_and_never_wraps_group_names(zh_store: Path, cli) -> None:
    result = cli("--now", LATER, "report", "--period", "2026-11", "--group-by", "department", "--format",
                 "html")
    assert result.code == 0, result
    assert "td.name { white-space: nowrap; }" in result.out
    for table in re.findall(r"<table>.*?</table>", result.out, re.DOTALL):
        header = re.search(r"<thead><tr>(.*?)</tr></thead>", table)
        assert header is not None and header.group(1).count("<th>") <= 1 + 6
    assert f'<td class="name">{DEPARTMENT}</td>' in result.out


def test_wrap_folds_chinese_and_breaks_words_at_spaces() -> None:
    assert layout.wrap("一二三四五六", 4) == ["一二", "三四", "五六"]
    assert layout.wrap("alpha beta gamma", 11) == ["alpha beta", "gamma"]
    assert layout.wrap("x" * 10, 4) == ["xxxx", "xxxx", "xx"]
    assert layout.shorten("一二三四五六", 7) == "一二三…"
    for text in (DESCRIPTION, NOTE + " mixed English words here", "a\nb"):
        assert "".join(layout.wrap(text, 9)).replace(" ", "") == text.replace(" ", "").replace("\n", "")


# -- the pager ----------------------------------------------------------------------------------------

def test_the_pager_is_less_frx_unless_pager_says_otherwise() -> None:
    assert pager.pager_command({}) == ["less"]
    assert pager.pager_command({"PAGER": "most -s"}) == ["most", "-s"]
    assert pager.pager_command({"PAGER": ""}) is None
    assert pager.pager_command({"PAGER": "cat"}) is None


def _on_a_pty(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run complaintctl with a pseudo-terminal as its standard streams; what it wrote there."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "complaintctl", *args], stdin=slave, stdout=slave,
                               stderr=slave, env=env, cwd=cwd, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_long_output_on_a_terminal_goes_through_the_pager_and_no_pager_turns_it_off(
        zh_store: Path, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "COLUMNS": "80",
           "LINES": "3", "PAGER": f"sh -c 'echo \"$LESS\" > {paged}.less; cat > {paged}'"}
    env.pop("LESS", None)
    screen = _on_a_pty(["--now", LATER, "list"], env, zh_store)
    assert paged.is_file(), screen
    text = re.sub(r"\x1b\[[0-9;]*m", "", paged.read_text(encoding="utf-8"))  # bold: less -R shows it
    assert text.splitlines()[0].split()[:2] == ["短号", "状态"] and len(text.splitlines()) == 4
    assert all(cell_len(line) <= 80 for line in text.splitlines())
    assert Path(f"{paged}.less").read_text().strip() == "FRX"
    paged.unlink()
    screen = _on_a_pty(["--no-pager", "--now", LATER, "list"], env, zh_store)
    assert not paged.exists() and "短号" in screen
    # short output is written straight to the terminal
    screen = _on_a_pty(["--now", LATER, "list", "--owner", OWNER], {**env, "LINES": "40"}, zh_store)
    assert not paged.exists() and OWNER in screen
