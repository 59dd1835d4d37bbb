"""Issue 18.6: the edges where data was lost or trusted silently: import, `log --from`, attach, temporary
files, ids, receipt times, `--output` (the git edges are in test_git_commands and test_merge)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import LOG_ARGS, NOW, record_file

from complaintctl.base.fsutil import TEMP_PATTERN
from complaintctl.store.directory import GITIGNORE, Store
from complaintctl.store.leftovers import STALE_SECONDS

ROOT = Path(__file__).resolve().parents[1]
HEADER = "received_at,channel,category,subject,description,complainant.name,location\n"
ROW = "2026-11-02 09:00,phone,service_quality,{subject},出站时被扣两次费,{name},人民广场站\n"


def _ledger(tmp_path: Path, *rows: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "ledger.csv"
    path.write_bytes((HEADER + "".join(rows)).encode(encoding))
    return path


# -- import ----------------------------------------------------------------------------------------

def test_import_row_with_more_cells_than_the_header_is_a_row_error(store: Path, cli, tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, ROW.format(subject="闸机", name="王芳"),
                     ROW.format(subject="闸机", name="赵强").rstrip("\n") + ",多出来的,也多\n",
                     # empty cells beyond the header are nothing
                     ROW.format(subject="闸机", name="钱多").rstrip("\n") + ",,\n")
    result = cli("--now", NOW, "import", ledger)
    assert result.code == 1, result
    assert f"{ledger}:3: the row has cells beyond the header's columns (column 8, 9" in result.err
    assert f"{ledger}:4:" not in result.err and f"{ledger}:2:" not in result.err
    assert list(Store.open(store).all_ids()) == []  # a file with a bad row imports nothing


def test_import_reads_a_gbk_csv_as_excel_saves_it(store: Path, cli, tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, ROW.format(subject="闸机重复扣费", name="王芳"), encoding="gbk")
    result = cli("--now", NOW, "import", ledger)
    assert result.code == 0, result
    (complaint_id,) = Store.open(store).all_ids()
    assert Store.open(store).read(complaint_id).intake["subject"] == "闸机重复扣费"


def test_import_of_a_latin1_csv_needs_encoding_never_mojibake(store: Path, cli, tmp_path: Path) -> None:
    row = "2026-11-02 09:00,phone,service_quality,Müller's café order,zweimal abgebucht,Jürgen Größe,Hbf\n"
    ledger = _ledger(tmp_path, row, encoding="latin-1")
    refused = cli("--now", NOW, "import", ledger)
    assert refused.code == 2, refused
    assert "not UTF-8, nor Chinese text in GB18030/GBK; name its encoding with --encoding" in refused.err
    assert list(Store.open(store).all_ids()) == []
    done = cli("--now", NOW, "import", ledger, "--encoding", "latin-1")
    assert done.code == 0, done
    (complaint_id,) = Store.open(store).all_ids()
    record = Store.open(store).read(complaint_id)
    assert record.intake["subject"] == "Müller's café order"
    assert record.intake["complainant"]["name"] == "Jürgen Größe"
    wrong = cli("--now", NOW, "import", _ledger(tmp_path, ROW.format(subject="闸机", name="王芳")),
                "--encoding", "ascii")
    assert wrong.code == 2 and "not in ascii" in wrong.err, wrong
    assert cli("--now", NOW, "import", ledger, "--encoding", "klingon").code == 2


def test_a_latin1_text_that_also_decodes_as_gb18030_is_not_taken_for_chinese() -> None:
    from complaintctl.base.errors import UsageError
    from complaintctl.ledger.sheet import decode

    data = "Müller,Jürgen,Österreich".encode("latin-1")
    data.decode("gb18030")  # it does decode: into rare characters, the mojibake the check refuses
    with pytest.raises(UsageError, match="--encoding"):
        decode(Path("ledger.csv"), data)
    rare_name = "投诉人,张喆,闸机重复扣费,出站时被扣两次费,人民广场站"  # 喆 is GBK, not GB2312
    assert decode(Path("ledger.csv"), rare_name.encode("gbk")) == rare_name


def test_import_shows_progress_on_a_terminal_only(store: Path, cli, tmp_path: Path, monkeypatch) -> None:
    rows = [ROW.format(subject=f"闸机 {n}", name=f"乘客{n}") for n in range(3)]
    quiet = cli("--now", NOW, "import", _ledger(tmp_path, *rows), "--dry-run")
    assert "\r" not in quiet.err and "checking" not in quiet.err

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(sys, "stderr", screen)
        result = cli("--now", NOW, "import", _ledger(tmp_path, *rows))
    assert result.code == 0, result
    shown = screen.getvalue()
    assert "\rchecking 3/3 rows" in shown and "\rimporting 3/3 rows" in shown
    assert shown.endswith("\r")  # the line is cleared at the end


# -- log --from --------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["id", "history", "source"])
def test_log_from_refuses_reserved_keys(store: Path, cli, tmp_path: Path, key: str) -> None:
    form = tmp_path / "form.json"
    form.write_text('{"channel": "phone", "subject": "闸机", "category": "service_quality", '
                    '"location": "人民广场站", "complainant": {"name": "张三"}, '
                    f'"{key}": "x"}}', encoding="utf-8")
    result = cli("--now", NOW, "log", "--from", form)
    assert result.code == 2, result
    assert f"{form}: {key} is set by complaintctl, not by the document" in result.err
    assert list(Store.open(store).all_ids()) == []


@pytest.mark.parametrize(("yaml", "field"), [("subject: {a: 1}\n", "subject"),
                                              ("subject: [a, b]\n", "subject"),
                                              ("complainant: {name: [张三, 李四]}\n", "complainant.name")])
def test_log_from_refuses_nested_values(store: Path, cli, tmp_path: Path, yaml: str, field: str) -> None:
    form = tmp_path / "form.yaml"
    form.write_text("channel: phone\ncategory: service_quality\nlocation: 人民广场站\n" + yaml,
                    encoding="utf-8")
    result = cli("--now", NOW, "log", "--from", form)
    assert result.code == 2, result
    assert f"{field} must be a single value" in result.err
    assert list(Store.open(store).all_ids()) == []


def test_log_from_refuses_unknown_keys_and_takes_good_ones(store: Path, cli, tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    good = ("channel: phone\ncategory: service_quality\nlocation: 人民广场站\nsubject: 闸机\n"
            "description: 扣两次\ncomplainant:\n  name: 张三\n  phone: '13800138000'\n")
    form.write_text(good + "colour: red\n", encoding="utf-8")
    result = cli("--now", NOW, "log", "--from", form)
    assert result.code == 2 and "unknown intake field colour" in result.err, result
    form.write_text(good, encoding="utf-8")
    assert cli("--now", NOW, "log", "--from", form).code == 0


# -- attach ------------------------------------------------------------------------------------------

def test_attach_calls_a_directory_not_a_regular_file(logged: str, cli, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    result = cli("--now", NOW, "attach", logged, folder)
    assert result.code == 2 and "is not a regular file" in result.err, result
    missing = cli("--now", NOW, "attach", logged, tmp_path / "nothing.jpg")
    assert missing.code == 1 and "no such file" in missing.err, missing


def test_attach_refuses_a_symlink_source(store: Path, logged: str, cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password\n", encoding="utf-8")
    link = tmp_path / "photo.jpg"
    link.symlink_to(secret)
    result = cli("--now", NOW, "attach", logged, link)
    assert result.code == 2 and "is a symbolic link" in result.err, result
    assert not (store / "evidence").exists()


def test_attach_never_writes_outside_the_store_when_evidence_is_a_link(store: Path, logged: str, cli,
                                                                       tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (store / "evidence").mkdir()
    (store / "evidence" / logged).symlink_to(outside)
    photo = tmp_path / "ticket.jpg"
    photo.write_bytes(b"jpeg")
    result = cli("--now", NOW, "attach", logged, photo)
    assert result.code == 1 and "leads outside the store" in result.err, result
    assert list(outside.iterdir()) == []
    (store / "evidence" / logged).unlink()
    (store / "evidence").rmdir()
    (store / "evidence").symlink_to(outside)
    result = cli("--now", NOW, "attach", logged, photo)
    assert result.code == 1 and "leads outside the store" in result.err, result
    assert list(outside.iterdir()) == []


# -- temporary files -----------------------------------------------------------------------------------

def test_temporary_files_are_git_ignored(store: Path, logged: str, tmp_path: Path) -> None:
    assert TEMP_PATTERN in GITIGNORE.splitlines()
    assert (store / ".gitignore").read_text(encoding="utf-8") == GITIGNORE
    assert TEMP_PATTERN in (ROOT / "examples" / "metro" / ".gitignore").read_text(encoding="utf-8").split()
    left = record_file(store, logged).with_name(f".{logged}.yaml.0123456789ab.tmp")
    left.write_text("half a record", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(store)], check=True, capture_output=True)
    ignored = subprocess.run(["git", "-C", str(store), "check-ignore", "-q", str(left)], check=False)
    assert ignored.returncode == 0
    kept = subprocess.run(["git", "-C", str(store), "check-ignore", "-q", str(record_file(store, logged))],
                          check=False)
    assert kept.returncode == 1


def test_check_removes_stale_temporary_files_and_reports_recent_ones(store: Path, logged: str, cli) -> None:
    folder = record_file(store, logged).parent
    stale = folder / f".{logged}.yaml.aaaaaaaaaaaa.tmp"
    recent = folder / f".{logged}.yaml.bbbbbbbbbbbb.tmp"
    settings = store / ".complaintctl.yaml.cccccccccccc.tmp"
    for path in (stale, recent, settings):
        path.write_text("half", encoding="utf-8")
    old = time.time() - STALE_SECONDS - 5
    os.utime(stale, (old, old))
    os.utime(settings, (old, old))
    result = cli("--now", NOW, "check")
    assert result.code == 0, result  # a leftover is no broken record: warnings
    assert not stale.exists() and not settings.exists() and recent.exists()
    assert f"{stale.relative_to(store)}: warning: removed: the temporary file of a write" in result.err
    assert f"{recent.relative_to(store)}: warning: the temporary file of a write in progress" in result.err
    assert ".complaintctl.yaml.cccccccccccc.tmp: warning: removed" in result.err
    assert "1 records checked, no problems" in result.out


# -- ids, times, output ----------------------------------------------------------------------------------

def test_a_received_time_before_1901_is_refused(store: Path, cli, tmp_path: Path) -> None:
    """1900-01-01 was filed under 2000/01, at the zone's local mean time (+08:05:43); an id carries its
    year in two digits, so nothing before 2000 can be filed."""
    for received in ("1900-01-01", "1900-01-01T10:00+08:00", "1999-12-31 23:00"):
        result = cli("--now", NOW, "log", *LOG_ARGS, "--received", received)
        assert result.code == 2, result
        said = f"--received {received}: complaintctl files complaints received from 2000 to 2099"
        assert said in result.err
    assert list(Store.open(store).all_ids()) == []
    ledger = tmp_path / "old.csv"
    ledger.write_text(HEADER + ROW.replace("2026-11-02", "1900-01-01").format(subject="闸机", name="王芳"),
                      encoding="utf-8")
    imported = cli("--now", NOW, "import", ledger)
    assert imported.code == 1 and "from 2000 to 2099" in imported.err, imported
    assert list(Store.open(store).all_ids()) == []


def test_export_output_to_a_directory_is_a_clear_error(store: Path, logged: str, cli, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    for command in (("export", "--output", folder), ("export", "--format", "xlsx", "--output", folder),
                    ("report", "--period", "2026-11", "--format", "csv", "--output", folder)):
        result = cli("--now", NOW, *command)
        assert result.code == 2, result
        assert f"--output {folder} is a directory; name a file" in result.err
    assert list(folder.iterdir()) == []
