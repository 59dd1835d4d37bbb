"""Issue 18's classes of problem, each in one test named after it, end to end through the command line.
(Each has narrower tests beside it: test_degrade, test_write_path, test_safe_output, test_environment_errors,
test_edges, test_fuzz, test_kill_during_writes, test_merge_under_load.)"""

from __future__ import annotations

from pathlib import Path

from conftest import NOW, record_file
from test_safe_output import HOSTILE_YAML, assert_safe, plant

REAL = "2026-11-20T18:00:00+08:00"


def test_it_never_writes_what_it_then_refuses(logged: str, store: Path, cli, real_clock,
                                              tmp_path: Path) -> None:
    """Each write that would store what a reader then refuses is refused whole, and what is stored reads
    back: check passes, export (xlsx too) and report run."""
    real_clock(REAL)
    path = record_file(store, logged)
    before = path.read_bytes()
    attempts = [
        ("--now", "2026-11-27T09:00", "note", logged, "dated a week ahead"),  # a future event
        ("--now", "2026-12-20T09:00", "sweep", "--no-mail"),  # future escalations
        ("--now", NOW, "note", logged, "bell\x07 and \x1b]0;title\x07"),  # control characters
        ("--now", NOW, "note", logged, "caf\udce9"),  # a lone surrogate
        ("--now", NOW, "note", logged, "x" * (5 * 1024 * 1024 + 1)),  # past the read limit
    ]
    for attempt in attempts:
        result = cli(*attempt)
        assert result.code != 0, (attempt[:3], result)
        assert "hit a bug" not in result.err
        assert path.read_bytes() == before, attempt[:3]
    assert cli("--now", NOW, "note", logged, "line one\n\tline two").code == 0
    assert cli("check").code == 0
    assert cli("--now", NOW, "export", "--output", tmp_path / "ledger.xlsx").code == 0
    assert cli("--now", NOW, "report", "--period", "2026-11").code == 0


def test_terminal_and_spreadsheet_injection_is_neutralised(store: Path, logged: str, cli,
                                                           tmp_path: Path) -> None:
    """Escape sequences in complaint text never reach a terminal or a pipe raw, and a cell a spreadsheet
    would run as a formula is written guarded, by every command that prints or writes it."""
    plant(store, logged, "subject", HOSTILE_YAML)
    plant(store, logged, "description", '"=HYPERLINK(\\"https://evil.example\\")"')
    for args in (("show", logged), ("list",), ("list", "--format", "csv"), ("list", "--format", "json"),
                 ("report", "--period", "2026-11"), ("report", "--period", "2026-11", "--format", "csv"),
                 ("check",)):
        result = cli("--now", NOW, *args)
        assert result.code in (0, 1), (args, result)  # check names the stored control characters
        assert_safe(result.out + result.err)
    # the ledger is data, kept exact for `import` (its text as stored); its formula cells are guarded
    exported = cli("--now", NOW, "export", "--format", "csv").out
    assert "'=HYPERLINK(" in exported and ",=HYPERLINK" not in exported and ',"=HYPERLINK' not in exported
