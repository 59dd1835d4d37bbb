"""Bad input: each refused with one line naming the problem, exit 2 for usage and 1 for refused or failed,
never a traceback (unless --debug)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import LOG_ARGS, NOW, record_file


def assert_clean_failure(result, code: int) -> None:
    assert result.code == code, result
    assert "Traceback" not in result.err and "hit a bug" not in result.err, result
    assert result.err.strip(), result


def test_an_unknown_id_exits_2(logged: str, cli) -> None:
    """A usage error, as the README says (and as an ambiguous one is), for every command naming one."""
    result = cli("--now", NOW, "show", "ZZZZ")
    assert_clean_failure(result, 2)
    assert result.err == "complaintctl: no complaint matches 'ZZZZ'\n"
    for command in (("note", "ZZZZ", "x"), ("assign", "ZZZZ", "--to", "a"), ("explain", "ZZZZ"),
                    ("act", "ZZZZ", "accept")):
        assert_clean_failure(cli("--now", NOW, *command), 2)


def test_ambiguous_prefix_lists_the_candidates(logged: str, cli) -> None:
    second = cli("--now", NOW, "log", *LOG_ARGS).out.split()[1]
    commands = (("show", "MT-2611"), ("note", "MT", "x"), ("assign", "MT", "--to", "a", "--department", "d"))
    for command in commands:
        result = cli("--now", NOW, *command)
        assert_clean_failure(result, 2)
        # each candidate by its handle and id (`handle id, handle id`)
        assert "matches 2 complaints: " in result.err
        assert [pair.split()[1] for pair in result.err.split(": ", 2)[2].split(", ")] == [logged, second]


@pytest.mark.parametrize("query", ["../x", "a/b", "..", "/etc/passwd", f"MT-261120-AAAA-1/../../{'x'}",
                                   "..\\..\\x", "MT-261120-AAAA-1.yaml"])
def test_id_holding_a_path_is_never_used_as_one(logged: str, store: Path, cli, query: str) -> None:
    for command in (("show", query), ("note", query, "x"), ("act", query, "approve"), ("close", query)):
        result = cli("--now", NOW, *command)
        assert_clean_failure(result, 2)
        assert "is not an id or part of one" in result.err
    assert sorted(p.name for p in (store / "complaints").rglob("*") if p.is_file()) == [f"{logged}.yaml"]


def test_action_the_state_forbids(logged: str, cli) -> None:
    result = cli("--now", NOW, "close", logged)
    assert_clean_failure(result, 1)
    assert result.err == (f"complaintctl: cannot close {logged}: it is registered; close is allowed when "
                          "answered, follow-up visit made\n")


def test_unknown_action_and_field(logged: str, cli) -> None:
    result = cli("--now", NOW, "act", logged, "frobnicate")
    assert_clean_failure(result, 2)
    assert "metro has no action 'frobnicate'; possible now: assign" in result.err
    result = cli("--now", NOW, "assign", logged, "--to", "李四")
    assert_clean_failure(result, 2)
    assert "assign: the field department is required" in result.err
    result = cli("--now", NOW, "act", logged, "assign", "to=李四", "department=d", "colour=red")
    assert_clean_failure(result, 2)
    assert "unknown field colour" in result.err
    result = cli("--now", NOW, "act", logged, "assign", "no-equals-sign")
    assert_clean_failure(result, 2)
    assert "'no-equals-sign' is not FIELD=VALUE" in result.err


def test_at_in_the_future(logged: str, store: Path, cli) -> None:
    before = record_file(store, logged).read_bytes()
    result = cli("--now", NOW, "note", logged, "x", "--at", "2026-11-20T17:01")
    assert_clean_failure(result, 2)
    assert "--at 2026-11-20T17:01:00+08:00 is in the future (now is 2026-11-20T17:00:00+08:00)" in result.err
    assert record_file(store, logged).read_bytes() == before


def test_at_before_the_complaint_was_received(logged: str, store: Path, cli) -> None:
    result = cli("--now", NOW, "note", logged, "x", "--at", "2026-11-20T15:59")
    assert_clean_failure(result, 2)
    assert "is before the complaint was received (2026-11-20T16:00:00+08:00)" in result.err


def test_log_at_in_the_future_or_before_received(store: Path, cli) -> None:
    result = cli("--now", NOW, "log", *LOG_ARGS, "--at", "tomorrow")
    assert_clean_failure(result, 2)
    result = cli("--now", NOW, "log", *LOG_ARGS, "--at", "2026-11-21T09:00")
    assert_clean_failure(result, 2)
    assert "in the future" in result.err
    result = cli("--now", NOW, "log", *LOG_ARGS, "--received", "16:00", "--at", "15:00")
    assert_clean_failure(result, 2)
    assert "before the complaint was received" in result.err
    assert not list((store / "complaints").rglob("*.yaml"))


def test_attach_refused_leaves_no_evidence_behind(logged: str, store: Path, tmp_path: Path, cli) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"x")
    result = cli("--now", NOW, "attach", logged, photo, "--at", "2026-11-21T09:00")
    assert_clean_failure(result, 2)
    result = cli("--now", NOW, "attach", logged, photo, "--at", "2026-11-20T15:00")  # before received
    assert_clean_failure(result, 2)
    assert not (store / "evidence").exists() or not any((store / "evidence").rglob("*"))


def test_log_missing_required_fields_without_a_terminal(store: Path, cli) -> None:
    result = cli("--now", NOW, "log", "--channel", "phone", "--name", "张三")
    assert_clean_failure(result, 2)
    assert result.err == ("complaintctl: these fields are required by the metro policy: subject, "
                          "description, category, location\n")
    assert not list((store / "complaints").rglob("*.yaml"))


def test_log_bad_codes_and_unknown_fields(store: Path, cli, tmp_path: Path) -> None:
    args = list(LOG_ARGS)
    args[args.index("--category") + 1] = "nonsense"
    result = cli("--now", NOW, "log", *args)
    assert_clean_failure(result, 2)
    assert "category: 'nonsense' is not allowed; choose one of service_quality" in result.err
    source = tmp_path / "in.yaml"
    source.write_text("colour: red\n", encoding="utf-8")
    result = cli("--now", NOW, "log", "--from", source)
    assert_clean_failure(result, 2)
    assert "unknown intake field colour" in result.err


@pytest.mark.parametrize("name", ["missing.yaml", "."])
def test_log_from_unreadable_file(store: Path, cli, name: str) -> None:
    result = cli("--now", NOW, "log", "--from", name)
    assert_clean_failure(result, 2)
    assert result.err.startswith(f"complaintctl: {name}: cannot read it")


def test_log_from_yaml_that_does_not_parse(store: Path, cli) -> None:
    result = cli("--now", NOW, "log", "--from", "-", stdin="subject: [unclosed\n")
    assert_clean_failure(result, 1)
    assert result.err.startswith("<stdin>:")


def _break(store: Path, complaint_id: str, old: str, new: str) -> Path:
    path = record_file(store, complaint_id)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_check_names_a_hand_made_error_with_its_line(logged: str, store: Path, cli) -> None:
    _break(store, logged, "category: service_quality", "category: bogus")
    result = cli("--now", NOW, "check")
    assert result.code == 1, result
    shown = f"complaints/2026/11/{logged}.yaml"
    assert result.out == (f"{shown}:11: category: 'bogus' is not allowed; choose one of service_quality, "
                          "facilities, safety, environment, other\n")
    assert "1 problems in 1 records" in result.err


def test_check_names_an_impossible_history(logged: str, store: Path, cli) -> None:
    path = record_file(store, logged)
    event = "  - at: 2026-11-20T17:00:00+08:00\n    by: 王五\n    action: approve\n"
    path.write_text(path.read_text(encoding="utf-8") + event, encoding="utf-8")
    result = cli("--now", NOW, "check")
    assert result.code == 1, result
    assert result.out.startswith(f"complaints/2026/11/{logged}.yaml:20: impossible history: approve")


@pytest.mark.parametrize("old,new", [
    ("history:\n", "history: 5\n"),
    ("at: 2026-11-20T17:00:00+08:00", "at: yesterday"),
    ("received_at: 2026-11-20T16:00:00+08:00", "received_at: 5"),
    ("action: log", "action: frobnicate"),
], ids=["history-not-a-list", "bad-at", "bad-received", "unknown-action"])
def test_hand_broken_record_fails_cleanly_everywhere(logged: str, store: Path, cli, old: str,
                                                     new: str) -> None:
    if old == "history:\n":
        path = record_file(store, logged)
        text = path.read_text(encoding="utf-8")
        path.write_text(text[:text.index("history:")] + "history: 5\n", encoding="utf-8")
    else:
        _break(store, logged, old, new)
    shown = f"complaints/2026/11/{logged}.yaml"
    result = cli("--now", NOW, "check")
    assert result.code == 1 and result.out.startswith(f"{shown}:"), result
    for command in (("list",), ("show", logged), ("note", logged, "x"), ("show", logged, "--json")):
        result = cli("--now", NOW, *command)
        # `list` names the record it leaves out and goes on (issue 18); the others fail on it
        assert_clean_failure(result, 0 if command == ("list",) else 1)
        assert shown in result.err and "complaintctl check" in result.err


def test_yaml_that_does_not_parse(logged: str, store: Path, cli) -> None:
    path = record_file(store, logged)
    path.write_text("id: [unclosed\nsubject: x\n", encoding="utf-8")
    shown = f"complaints/2026/11/{logged}.yaml"
    result = cli("--now", NOW, "check")
    assert result.code == 1
    assert result.out.startswith(f"{shown}:2: ")
    for command in (("list",), ("show", logged), ("note", logged, "x")):
        result = cli("--now", NOW, *command)
        assert_clean_failure(result, 0 if command == ("list",) else 1)
        assert result.err.startswith(f"{shown}:2: ")


@pytest.mark.parametrize("text,message", [
    ("id: !!python/object/apply:os.system ['echo pwned']\n", "explicit tags are not allowed"),
    ("id: !custom x\n", "explicit tags are not allowed"),
    ("a: &a [x, x]\nb: *a\n", "anchors (&name) are not allowed"),
])
def test_custom_tags_and_aliases_are_refused(logged: str, store: Path, cli, text: str,
                                             message: str) -> None:
    record_file(store, logged).write_text(text, encoding="utf-8")
    result = cli("--now", NOW, "check")
    assert result.code == 1
    assert f"complaints/2026/11/{logged}.yaml:1: {message}" in result.out
    result = cli("--now", NOW, "show", logged)
    assert_clean_failure(result, 1)
    assert message in result.err


def test_alias_bomb_is_refused_quickly(logged: str, store: Path, cli) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    record_file(store, logged).write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    for command in (("check",), ("list",), ("show", logged)):
        result = cli("--now", NOW, *command)
        assert result.code == (0 if command == ("list",) else 1) and "Traceback" not in result.err
        assert "anchors (&name) are not allowed" in result.out + result.err
    assert time.perf_counter() - started < 2.0


def test_alias_bomb_in_log_from_is_refused_quickly(store: Path, cli) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    started = time.perf_counter()
    result = cli("--now", NOW, "log", "--from", "-", stdin="\n".join(lines) + "\n")
    assert result.code in (1, 2) and "Traceback" not in result.err
    assert "anchors (&name) are not allowed" in result.err
    assert time.perf_counter() - started < 2.0


def test_unreadable_now_and_times(store: Path, cli) -> None:
    result = cli("--now", "next blue moon", "list")
    assert_clean_failure(result, 2)
    assert "--now: cannot read 'next blue moon' as a time" in result.err


def test_command_line_mistakes_are_usage(store: Path, cli) -> None:
    for args in (("frobnicate",), ("list", "--no-such-option"), ("act",), ("init",)):
        result = cli(*args)
        assert result.code == 2, (args, result)
        assert "Traceback" not in result.err


def test_debug_shows_the_traceback(logged: str, store: Path, cli) -> None:
    _break(store, logged, "at: 2026-11-20T17:00:00+08:00", "at: yesterday")
    quiet = cli("--now", NOW, "show", logged)
    assert "Traceback" not in quiet.err
    loud = cli("--debug", "--now", NOW, "show", logged)
    assert loud.code == 1
    assert "Traceback" in loud.err
