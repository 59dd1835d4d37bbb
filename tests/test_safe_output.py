"""Issue 18.3: text from complaints never acts on a terminal or a spreadsheet.

The hostile text is written into the record file itself (YAML escapes), as a hand edit, an old record or a
merge could bring it: whatever the write path refuses, what is stored is shown safely.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from conftest import NOW, record_file
from hypothesis import given
from hypothesis import strategies as st

from complaintctl.base.safetext import UNSAFE, csv_cell, excel_text, for_terminal, json_for_terminal

# An OSC 8 hyperlink around a word, a window title, a red CSI colour, carriage return, backspace, bell, the
# 8-bit CSI and a right-to-left override.
HOSTILE_YAML = r'"\e]8;;https://evil.example/\aclick here\e]8;;\a \e]0;pwned\a\e[31mred\r\b\a\x9b2J\u202Eend"'
HOSTILE = ("\x1b]8;;https://evil.example/\x07click here\x1b]8;;\x07 \x1b]0;pwned\x07\x1b[31mred\r\b\x07"
           "\x9b2J\u202eend")
RAW = ("\x1b", "\x07", "\r", "\b", "\x9b", "\u202e")


def plant(root: Path, complaint_id: str, field: str, yaml_value: str) -> None:
    """Set an intake field of the record to a YAML scalar, by hand."""
    path = record_file(root, complaint_id)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    lines[index] = f"{field}: {yaml_value}\n"
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def hostile(store: Path, logged: str) -> str:
    plant(store, logged, "subject", HOSTILE_YAML)
    plant(store, logged, "location", '"=HYPERLINK(\\"https://evil.example\\")"')
    return logged


def assert_safe(text: str) -> None:
    for char in RAW:
        assert char not in text, (char, text)


def test_for_terminal_shows_every_control_character_and_keeps_the_layout_it_can() -> None:
    shown = for_terminal(HOSTILE + "\nnext\tline")
    assert_safe(shown)
    assert "\\x1b]8;;https://evil.example/\\x07click here" in shown and "\\r\\x08" in shown
    assert shown.endswith("\\u202eend\nnext\tline")
    assert for_terminal("a\nb\tc", newlines=False, tabs=False) == "a\\nb\\tc"
    assert for_terminal("闸机重复扣费 plain") == "闸机重复扣费 plain"
    assert for_terminal("\ud800") == "\\ud800"  # a lone surrogate is not text a terminal can take


@given(st.text())
def test_no_text_gets_a_control_character_through(text: str) -> None:
    """Whatever the text: nothing a terminal obeys comes out, and JSON text keeps its meaning."""
    # kept: newlines (a carriage return just before one too, a CRLF line ending) and tabs
    assert not UNSAFE.search(for_terminal(text).replace("\r\n", "").replace("\n", "").replace("\t", ""))
    assert not UNSAFE.search(for_terminal(text, newlines=False, tabs=False))
    assert json.loads(json_for_terminal(json.dumps(text, ensure_ascii=False))) == text


def test_every_character_escaped_is_one_python_calls_unprintable() -> None:
    """`for_terminal` returns printable text untouched without looking at it: that is only right if
    every character it escapes is unprintable."""
    assert all(not chr(code).isprintable() for code in range(0x110000) if UNSAFE.match(chr(code)))


def test_osc_sequences_in_a_subject_are_not_printed(hostile: str, cli) -> None:
    for command in (("show", hostile), ("list",), ("list", "--format", "csv"), ("list", "--format", "ids"),
                    ("explain", hostile)):
        result = cli("--now", NOW, *command)
        assert result.code == 0, result
        assert_safe(result.out + result.err)
    shown = cli("--now", NOW, "show", hostile).out
    assert "\\x1b]8;;https://evil.example/\\x07click here" in shown  # shown, so a reader sees it is there
    listed = cli("--now", NOW, "list").out
    assert "\\x1b]0;pwned" in listed


def test_escape_sequences_are_not_printed_on_a_terminal_either(hostile: str, cli) -> None:
    """On a terminal `show` and `list` print through rich: the same text, escaped, no markup taken."""
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for command in (("show", hostile), ("list",)):
        screen = Terminal()
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(sys, "stdout", screen)
            result = cli("--now", NOW, *command)
        assert result.code == 0, result
        assert "red" in screen.getvalue()
        assert_safe(screen.getvalue().replace("\x1b[", "CSI"))  # rich's own colours aside
        assert "\\x1b]0;pwned" in screen.getvalue()


def test_json_output_escapes_what_a_terminal_would_obey_and_keeps_the_data(hostile: str, cli) -> None:
    for command in (("show", hostile, "--json"), ("list", "--format", "json")):
        result = cli("--now", NOW, *command)
        assert result.code == 0, result
        assert_safe(result.out)
        data = json.loads(result.out)
        subject = data["intake"]["subject"] if isinstance(data, dict) else data[0]["subject"]
        assert subject == HOSTILE.replace("\r", "").strip() or subject == HOSTILE
    assert json_for_terminal('"\x9b\u2028"') == '"\\u009b\\u2028"'


def test_carriage_return_backspace_and_bell_in_a_note_are_shown_not_obeyed(logged: str, store: Path,
                                                                           cli) -> None:
    path = record_file(store, logged)
    path.write_text(path.read_text(encoding="utf-8") + "  - at: 2026-11-20T17:10:00+08:00\n    by: 王五\n"
                    "    action: note\n    text: \"ok\\rFAKE\\b\\a\"\n", encoding="utf-8")
    result = cli("--now", NOW, "show", logged)
    assert result.code == 0, result
    assert_safe(result.out)
    assert "text=ok\\rFAKE\\x08\\x07" in result.out


def test_check_lines_show_control_characters_visibly(store: Path, logged: str, cli) -> None:
    path = record_file(store, logged)
    evil = path.with_name("MT-261120-EVIL-1\x1b]0;pwned\x07.yaml")
    evil.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("--now", NOW, "check")
    assert result.code == 1, result
    assert_safe(result.out + result.err)
    assert "\\x1b]0;pwned\\x07" in result.out


def test_sweep_output_shows_control_characters_visibly(hostile: str, cli) -> None:
    result = cli("--now", "2026-11-25T10:00:00+08:00", "sweep", "--dry-run")
    assert result.code == 0, result
    assert hostile in result.out
    assert_safe(result.out + result.err)
    as_json = cli("--now", "2026-11-25T10:00:00+08:00", "sweep", "--dry-run", "--json")
    assert_safe(as_json.out)


def test_report_text_formats_on_standard_output_show_control_characters_visibly(store: Path, hostile: str,
                                                                                cli) -> None:
    plant(store, hostile, "location", '"\\e]0;pwned\\a站"')
    for output in ("markdown", "csv", "json", "html", "table"):
        result = cli("--now", NOW, "report", "--period", "2026-11", "--group-by", "location",
                     "--format", output)
        assert result.code == 0, result
        assert_safe(result.out)


def test_formula_cells_are_guarded_in_every_csv(store: Path, hostile: str, cli, tmp_path: Path) -> None:
    assert csv_cell("=1+2") == "'=1+2" and csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell(-3) == "-3"
    listed = cli("--now", NOW, "list", "--format", "csv").out
    assert ",'=HYPERLINK(" not in listed  # location is not a list column; the subject is plain text
    plant(store, hostile, "subject", '"=HYPERLINK(\\"https://evil.example\\",\\"click\\")"')
    listed = cli("--now", NOW, "list", "--format", "csv").out
    assert "'=HYPERLINK(" in listed and ",=HYPERLINK" not in listed and ',"=HYPERLINK' not in listed
    report = cli("--now", NOW, "report", "--period", "2026-11", "--group-by", "location", "--format", "csv")
    assert report.code == 0, report
    assert "'=HYPERLINK(" in report.out and ",=HYPERLINK" not in report.out
    assert ',"=HYPERLINK' not in report.out
    exported = cli("--now", NOW, "export", "--format", "csv").out
    assert "'=HYPERLINK(" in exported and ',"=HYPERLINK' not in exported and ",=HYPERLINK" not in exported


def test_xlsx_export_never_fails_on_a_control_character(store: Path, hostile: str, cli,
                                                       tmp_path: Path) -> None:
    from openpyxl import load_workbook

    plant(store, hostile, "description", '"NUL\\0 and ESC\\e and VT\\v inside"')
    target = tmp_path / "ledger.xlsx"
    result = cli("--now", NOW, "export", "--output", target)
    assert result.code == 0, result
    sheet = load_workbook(target, read_only=True).worksheets[0]
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert any("NUL\\x00 and ESC\\x1b and VT\\x0b inside" in cell for cell in cells)
    assert excel_text("tab\tand\nnewline") == "tab\tand\nnewline"  # what Excel holds is left alone


def test_a_lone_surrogate_in_a_record_does_not_stop_export_or_report(store: Path, hostile: str, cli,
                                                                     tmp_path: Path) -> None:
    plant(store, hostile, "location", '"broken \\uD800 text"')
    for command in (("export", "--output", tmp_path / "ledger.csv"),
                    ("export", "--output", tmp_path / "l.xlsx"), ("export",), ("export", "--format", "json"),
                    ("show", hostile), ("list", "--format", "json"),
                    ("report", "--period", "2026-11", "--group-by", "location", "--format", "csv"),
                    ("report", "--period", "2026-11", "--group-by", "location",
                     "--output", tmp_path / "report.md")):
        result = cli("--now", NOW, *command)
        assert result.code == 0, (command, result)
    assert "broken \\ud800 text" in (tmp_path / "ledger.csv").read_text(encoding="utf-8")


def test_a_mail_subject_with_escape_sequences_is_not_printed_by_intake(tmp_path: Path, cli) -> None:
    import mailbox
    import os

    from tests.mailkit import message

    root = tmp_path / "tourism"
    assert cli("init", root, "--policy", "tourism", "--office", "TR", "--language", "en").code == 0
    os.chdir(root)
    folder = tmp_path / "Maildir"
    mailbox.Maildir(folder, factory=None, create=True).add(
        message(message_id="<evil@example.com>", subject="导游\x1b]0;pwned\x07离团\x1b[2J",
                sender="张\x1b[31m三", body="导游中途离团两小时。"))
    result = cli("--now", NOW, "intake", "maildir", folder)
    # The write path refuses control characters in a subject (issue 18.2): the message stays for the
    # next run, and the line saying so names the character, never prints it.
    assert result.code in (0, 1), result
    assert_safe(result.out + result.err)
