"""Every command of the core CLI, run in-process through `complaintctl.cli.main`, and the files it writes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from conftest import LOG_ARGS, NOW, USER, record_file

from complaintctl import __version__

LOGGED_YAML = """\
id: {id}
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
  - at: 2026-11-20T17:00:00+08:00
    by: 王五
    action: log
"""


def test_init_writes_settings_and_gitignore(tmp_path: Path, cli) -> None:
    result = cli("init", tmp_path / "new", "--policy", "metro", "--office", "mt", "--language", "en")
    assert result.code == 0, result
    assert "made a complaint store" in result.out
    root = tmp_path / "new"
    assert (root / "complaintctl.yaml").read_text(encoding="utf-8") == (
        "policy: metro\noffice: MT\ntimezone: Asia/Shanghai\nlanguage: en\n")
    assert "/.complaintctl/" in (root / ".gitignore").read_text(encoding="utf-8")
    assert (root / "complaints").is_dir()


def test_init_twice_is_refused(store: Path, cli) -> None:
    result = cli("init", store, "--policy", "metro")
    assert result.code == 1
    assert "already holds a complaint store" in result.err


def test_init_unknown_policy_writes_nothing(tmp_path: Path, cli) -> None:
    result = cli("init", tmp_path / "nope", "--policy", "no-such-policy")
    assert result.code != 0
    assert "no-such-policy" in result.err
    assert not (tmp_path / "nope").exists()


def test_init_bad_office_is_usage(tmp_path: Path, cli) -> None:
    result = cli("init", tmp_path / "x", "--policy", "metro", "--office", "1X")
    assert result.code == 2
    assert "--office" in result.err
    assert not (tmp_path / "x").exists()


def test_log_writes_the_exact_record(store: Path, cli) -> None:
    result = cli("--now", NOW, "log", *LOG_ARGS, "--received", "2026-11-20T16:00")
    assert result.code == 0, result
    first_line = result.out.splitlines()[0]
    assert first_line.startswith("logged MT-261120-")
    complaint_id = first_line.split()[1]
    path = record_file(store, complaint_id)
    assert path.relative_to(store).as_posix() == f"complaints/2026/11/{complaint_id}.yaml"
    assert path.read_text(encoding="utf-8") == LOGGED_YAML.format(id=complaint_id)
    assert "dispatch to department: 2026-11-23T18:00:00+08:00" in result.out


def test_log_json(store: Path, cli) -> None:
    result = cli("--now", NOW, "log", *LOG_ARGS, "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["status"] == "received"
    assert data["intake"]["complainant"] == {"name": "张三", "phone": "13800138000"}
    assert [row["name"] for row in data["deadlines"]] == ["registration", "dispatch"]


def test_log_at_adds_recorded_at(store: Path, cli) -> None:
    result = cli("--now", NOW, "log", *LOG_ARGS, "--at", "2026-11-20T16:30")
    assert result.code == 0, result
    text = record_file(store, result.out.split()[1]).read_text(encoding="utf-8")
    assert "received_at: 2026-11-20T16:30:00+08:00\n" in text
    assert text.endswith("  - at: 2026-11-20T16:30:00+08:00\n    by: 王五\n    action: log\n"
                         "    recorded_at: 2026-11-20T17:00:00+08:00\n")


def test_log_from_yaml_file(store: Path, tmp_path: Path, cli) -> None:
    source = tmp_path / "intake.yaml"
    source.write_text("channel: online\ncomplainant:\n  name: 李雷\n  email: li@example.com\n"
                      "subject: 空调太冷\ndescription: |\n  车厢空调太冷。\n  多次反映无果。\n"
                      "category: environment\nlocation: 2号线\n", encoding="utf-8")
    result = cli("--now", NOW, "log", "--from", source, "--subject", "车厢空调太冷")
    assert result.code == 0, result
    text = record_file(store, result.out.split()[1]).read_text(encoding="utf-8")
    # the option wins over the file
    assert "complainant:\n  name: 李雷\n  email: li@example.com\nsubject: 车厢空调太冷\n" in text
    assert "description: |\n  车厢空调太冷。\n  多次反映无果。\n" in text


@pytest.mark.parametrize("text", [
    '{"channel": "letter", "complainant": {"name": "韩梅梅"}, "subject": "s", "description": "d",'
    ' "category": "safety", "location": "L"}',
    "channel: letter\ncomplainant: {name: 韩梅梅}\nsubject: s\ndescription: d\ncategory: safety\n"
    "location: L\n",
    "{channel: letter, complainant.name: 韩梅梅, subject: s, description: d, category: safety, location: L}",
], ids=["json", "yaml", "yaml-flow"])
def test_log_from_stdin(store: Path, cli, text: str) -> None:
    result = cli("--now", NOW, "log", "--from", "-", stdin=text)
    assert result.code == 0, result
    record = record_file(store, result.out.split()[1]).read_text(encoding="utf-8")
    assert "channel: letter\ncomplainant:\n  name: 韩梅梅\n" in record


def test_assign_act_close_reopen_full_cycle(logged: str, store: Path, cli) -> None:
    steps = [
        ("assign", logged, "--to", "李四", "--department", "车站运营部"),
        ("act", logged, "propose", "opinion=退还多扣费用", "cause=equipment_failure"),
        ("act", logged, "approve"),
        ("act", logged, "finish", "measures=已退款"),
        ("act", logged, "report_result", "result=已退款并致歉"),
        ("act", logged, "respond", "answer=电话告知", "method=phone"),
        ("act", logged, "visit", "satisfaction=unsatisfied"),
        ("reopen", logged, "reason=仍不满意"),
    ]
    for step in steps:
        result = cli("--now", NOW, *step)
        assert result.code == 0, (step, str(result))
    assert "now dispatched to department" in result.out
    data = json.loads(cli("--now", NOW, "show", logged, "--json").out)
    assert data["status"] == "dispatched" and data["reopenings"] == 1
    assert data["owner"] == "李四" and data["department"] == "车站运营部"
    for step in [("act", logged, "propose", "opinion=o", "cause=other"), ("act", logged, "approve"),
                 ("act", logged, "finish"), ("act", logged, "report_result", "result=r"),
                 ("act", logged, "respond", "answer=a"), ("act", logged, "visit", "satisfaction=满意")]:
        assert cli("--now", NOW, *step).code == 0
    result = cli("--now", NOW, "close", logged, "summary=结案")
    assert result.code == 0, result
    assert result.out == f"{logged}: close recorded; now closed\n"
    text = record_file(store, logged).read_text(encoding="utf-8")
    assert text.endswith("    action: close\n    summary: 结案\n")
    assert "    satisfaction: satisfied\n" in text  # the Chinese label became the code


def test_note(logged: str, store: Path, cli) -> None:
    result = cli("--now", NOW, "note", logged, "投诉人来电催办")
    assert result.code == 0, result
    assert result.out == f"{logged}: note added\n"
    assert record_file(store, logged).read_text(encoding="utf-8").endswith(
        "  - at: 2026-11-20T17:00:00+08:00\n    by: 王五\n    action: note\n    text: 投诉人来电催办\n")


def test_attach_copies_the_file_with_size_and_sha256(logged: str, store: Path, tmp_path: Path, cli) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    result = cli("--now", NOW, "attach", logged, photo, photo)
    assert result.code == 0, result
    copies = sorted((store / "evidence" / logged).iterdir())
    assert [p.name for p in copies] == ["photo-2.jpg", "photo.jpg"]
    assert all(p.read_bytes() == photo.read_bytes() for p in copies)
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    text = record_file(store, logged).read_text(encoding="utf-8")
    assert text.endswith(
        "    action: attach\n    files:\n"
        f"      - path: evidence/{logged}/photo.jpg\n        size: {photo.stat().st_size}\n"
        f"        sha256: {digest}\n"
        f"      - path: evidence/{logged}/photo-2.jpg\n        size: {photo.stat().st_size}\n"
        f"        sha256: {digest}\n")


def test_attach_missing_file(logged: str, tmp_path: Path, cli) -> None:
    result = cli("--now", NOW, "attach", logged, tmp_path / "missing.jpg")
    assert result.code == 1
    assert "no such file" in result.err


def test_show_text_and_json(logged: str, cli) -> None:
    result = cli("--now", NOW, "show", logged)
    assert result.code == 0, result
    assert logged in result.out and "闸机重复扣费" in result.out and "registered" in result.out
    assert "possible now: assign (dispatch to department)" in result.out
    data = json.loads(cli("--now", NOW, "show", logged, "--json").out)
    assert data["id"] == logged and data["path"] == f"complaints/2026/11/{logged}.yaml"
    assert data["history"] == [{"at": "2026-11-20T17:00:00+08:00", "by": USER, "action": "log"}]
    assert data["possible_actions"] == ["assign"]
    assert data["overdue"] is False


def test_show_keeps_brackets_in_user_text(store: Path, cli) -> None:
    """Free text is printed as typed, never read as terminal markup."""
    args = list(LOG_ARGS)
    args[args.index("--subject") + 1] = "票价[/x]错误 [bold]收费[/bold]"
    complaint_id = cli("--now", NOW, "log", *args).out.split()[1]
    result = cli("--now", NOW, "show", complaint_id)
    assert result.code == 0, result
    assert "票价[/x]错误 [bold]收费[/bold]" in result.out
    listed = cli("--now", NOW, "list")
    assert listed.code == 0, listed
    assert "[/x]" in listed.out


def _log_three(cli) -> list[str]:
    made = []
    for channel, category, received in (("phone", "service_quality", "2026-11-18T10:00"),
                                        ("online", "facilities", "2026-11-19T10:00"),
                                        ("letter", "safety", "2026-11-20T10:00")):
        args = list(LOG_ARGS)
        args[args.index("--channel") + 1] = channel
        args[args.index("--category") + 1] = category
        result = cli("--now", received, "log", *args)
        assert result.code == 0, result
        made.append(result.out.split()[1])
    return made


def test_list_filters_and_formats(store: Path, cli) -> None:
    first, second, third = _log_three(cli)
    assert cli("--now", NOW, "assign", second, "--to", "李四", "--department", "车站运营部").code == 0

    def ids(*args: str) -> list[str]:
        result = cli("--now", NOW, "list", "--format", "ids", *args)
        assert result.code == 0, result
        return result.out.split()

    assert ids() == [first, third, second]  # nearest deadline first: dispatch due 19th, 23rd; opinion 25th
    assert ids("--status", "dispatched") == [second]
    assert ids("--status", "open") == [first, third, second]
    assert ids("--status", "closed") == []
    assert ids("--owner", "李四") == [second]
    assert ids("--department", "车站运营部") == [second]
    assert ids("--category", "safety") == [third]
    assert ids("--channel", "online") == [second]
    assert ids("--overdue") == [first]  # dispatch was due 2026-11-19 18:00
    assert ids("--due-before", "2026-11-22") == [first]
    assert ids("--since", "2026-11-19T00:00") == [third, second]
    assert ids("--until", "2026-11-19T00:00") == [first]
    assert ids("--text", "车站运营部") == [second]

    data = json.loads(cli("--now", NOW, "list", "--format", "json").out)
    assert [row["id"] for row in data] == [first, third, second]
    assert data[0]["overdue"] is True and data[0]["next_due"] == "2026-11-19T18:00:00+08:00"

    rows = list(csv.DictReader(io.StringIO(cli("--now", NOW, "list", "--format", "csv").out)))
    assert [row["id"] for row in rows] == [first, third, second]
    assert rows[0]["overdue"] == "yes" and rows[2]["owner"] == "李四"

    table = cli("--now", NOW, "list", "--format", "table")
    assert table.code == 0
    for complaint_id in (first, second, third):
        assert complaint_id in table.out  # whole, never cut short


def test_list_table_keeps_whole_ids_in_a_narrow_terminal(store: Path, cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    first = _log_three(cli)[0]
    result = cli("--now", NOW, "list")
    assert first in result.out, result


def test_list_csv_of_nothing_has_the_full_header(store: Path, cli) -> None:
    result = cli("--now", NOW, "list", "--format", "csv")
    assert result.code == 0
    assert result.out.splitlines()[0].startswith("id,status,owner,department,")


def test_list_unknown_status_is_usage(store: Path, cli) -> None:
    result = cli("--now", NOW, "list", "--status", "nonsense")
    assert result.code == 2
    assert "nonsense" in result.err


def test_list_unknown_format_is_usage(store: Path, cli) -> None:
    result = cli("list", "--format", "xml")
    assert result.code == 2
    assert "table, json, csv, ids" in result.err


def test_check_clean_store(logged: str, cli) -> None:
    result = cli("--now", NOW, "check")
    assert result.code == 0, result
    assert result.out == "1 records checked, no problems\n"
    assert "warning: the store has no people list" in result.err


def test_version(cli) -> None:
    result = cli("--version")
    assert result.code == 0
    assert result.out == f"complaintctl {__version__}\n"


@pytest.mark.parametrize("command", [
    [], ["init"], ["log"], ["assign"], ["act"], ["note"], ["close"], ["reopen"], ["attach"], ["show"],
    ["list"], ["check"],
])
def test_help_of_each_command(cli, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.code == 0, result
    assert result.out.startswith(f"Usage: complaintctl {' '.join(command)}".rstrip())
    assert result.err == ""
