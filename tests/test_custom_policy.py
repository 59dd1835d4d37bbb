"""A store on its own policy file, broken policy files, and the `policy` commands on the shipped policies.

Driven through the CLI (`complaintctl.cli.main`) with `--now`; due times computed by hand on the China
calendar, 09:00-18:00 Asia/Shanghai (2026: Oct 1-7 off for 国庆, Saturday Oct 10 a make-up working day).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from complaintctl.base import messages
from complaintctl.cli import main
from complaintctl.policy import loader

SHIPPED = Path(__file__).parent.parent / "policies"
FIVE = ["manufacturing", "metro", "service", "tourism", "wedding"]
DISPATCH_1 = "    stop: [assign]\n    limit: {working_days: 1}\n"
DISPATCH_2 = "    stop: [assign]\n    limit: {working_days: 2}\n"
PEOPLE = "people:\n  - name: 王五\n    roles: [centre]\n  - name: 李四\n    roles: [department]\n"
LOG = ("log", "--json", "--by", "王五", "--channel", "phone", "--subject", "闸机重复扣费", "--description",
       "出站时被扣两次费。", "--category", "service_quality", "--name", "张三", "--location", "人民广场站")


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Run `complaintctl` in-process from an empty folder (no store around it) -> Result."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMPLAINTCTL_STORE", raising=False)
    monkeypatch.delenv("COMPLAINTCTL_NOW", raising=False)
    messages.set_language("en")

    def run(*args: str | Path) -> Result:
        capsys.readouterr()
        with pytest.raises(SystemExit) as done:
            main([str(arg) for arg in args])
        captured = capsys.readouterr()
        code = done.value.code
        return Result(code if isinstance(code, int) else (0 if code is None else 1), captured.out,
                      captured.err)

    return run


def make_store(cli, root: Path, policy: str, policy_text: str | None = None) -> Path:
    """A store named `policy`; with `policy_text`, that file is written into the store first."""
    root.mkdir(parents=True)
    if policy_text is not None:
        (root / policy).write_text(policy_text, "utf-8")
    result = cli("init", root, "--policy", policy, "--office", "MT", "--language", "en")
    assert result.code == 0, result
    settings = root / "complaintctl.yaml"
    settings.write_text(settings.read_text("utf-8") + PEOPLE, "utf-8")
    return root


def my_metro() -> str:
    text = (SHIPPED / "metro.yaml").read_text("utf-8")
    assert text.count(DISPATCH_1) == 1
    return text.replace(DISPATCH_1, DISPATCH_2)


def dues(result: Result) -> dict[str, str]:
    assert result.code == 0, result
    return {row["name"]: row["due"] for row in json.loads(result.out)["deadlines"]}


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line containing `needle`."""
    found = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


# -- a store on its own copy of the metro policy ------------------------------------------------------


def test_own_policy_copy_changes_the_deadlines_without_code(cli, tmp_path: Path) -> None:
    shipped = make_store(cli, tmp_path / "shipped", "metro")
    mine = make_store(cli, tmp_path / "mine", "my-metro.yaml", my_metro())
    # The copy keeps `policy: metro` inside: only a built-in file must be named like its policy.
    assert "policy: my-metro.yaml" in (mine / "complaintctl.yaml").read_text("utf-8")

    # Received and logged Wed 2026-09-30 17:00; Oct 1-7 off. Dispatch: 1 working day -> Thu Oct 8 18:00;
    # 2 working days -> Thu 8 (1), Fri 9 (2) 18:00. Registration: 10 minutes, wall clock.
    now = ("--now", "2026-09-30T17:00")
    assert dues(cli("--store", shipped, *now, *LOG)) == {"registration": "2026-09-30T17:10:00+08:00",
                                                       "dispatch": "2026-10-08T18:00:00+08:00"}
    assert dues(cli("--store", mine, *now, *LOG)) == {"registration": "2026-09-30T17:10:00+08:00",
                                                    "dispatch": "2026-10-09T18:00:00+08:00"}

    # Logged Fri 2026-10-09 10:00: 1 working day -> the make-up Saturday Oct 10 18:00;
    # 2 working days -> Sat 10 (1), Mon 12 (2) 18:00 (Sunday 11 off).
    now = ("--now", "2026-10-09T10:00")
    assert dues(cli("--store", shipped, *now, *LOG))["dispatch"] == "2026-10-10T18:00:00+08:00"
    logged = cli("--store", mine, *now, *LOG)
    assert dues(logged)["dispatch"] == "2026-10-12T18:00:00+08:00"

    # The rest of the policy is the metro one: dispatch, then the 3-working-day opinion clock
    # (assigned Mon Oct 12 09:30 -> Tue 13, Wed 14, Thu 15 18:00).
    complaint = json.loads(logged.out)["id"]
    result = cli("--store", mine, "--now", "2026-10-12T09:30", "assign", complaint, "--to", "李四",
                 "--department", "车站运营部", "--by", "王五")
    assert result.code == 0, result
    shown = json.loads(cli("--store", mine, "--now", "2026-10-12T09:30", "show", complaint, "--json").out)
    assert shown["status"] == "dispatched"
    assert {row["name"]: (row["due"], row["state"]) for row in shown["deadlines"]} == {
        "registration": ("2026-10-09T10:10:00+08:00", "met"),
        "dispatch": ("2026-10-12T18:00:00+08:00", "met"),
        "initial_opinion": ("2026-10-15T18:00:00+08:00", "running")}

    # `policy show` with no name shows the store's own policy.
    data = json.loads(cli("--store", mine, "policy", "show", "--json").out)
    dispatch = next(clock for clock in data["clocks"] if clock["name"] == "dispatch")
    assert dispatch["limit"] == {"unit": "working_days", "amount": 2, "text": "2 working days"}


# -- broken policy files --------------------------------------------------------------------------------


def broken_unknown_state() -> tuple[str, str, str]:
    """my-metro with `approve` going to a state that does not exist."""
    text = my_metro()
    old = "    to: handling\n"
    assert text.count(old) == 1
    text = text.replace(old, "    to: handlnig\n")
    return text, "to: handlnig", "handlnig"


def broken_typo_key() -> tuple[str, str, str]:
    """my-metro with `limit` misspelt in the dispatch clock."""
    text = my_metro().replace(DISPATCH_2, "    stop: [assign]\n    limt: {working_days: 2}\n")
    return text, "limt: {working_days: 2}", "limt"


BROKEN = {"unknown_state": broken_unknown_state, "typo_key": broken_typo_key}


@pytest.mark.parametrize("kind", BROKEN)
def test_policy_check_refuses_a_broken_file_with_file_and_line(cli, tmp_path: Path, kind: str) -> None:
    text, bad_line, word = BROKEN[kind]()
    path = tmp_path / "my-metro.yaml"
    path.write_text(text, "utf-8")
    result = cli("policy", "check", path)
    assert result.code != 0, result
    line = line_of(text, bad_line)
    problems = [p for p in result.err.splitlines() if p.startswith(f"{path}:{line}: ")]
    assert problems and word in problems[0], result
    assert all(re.match(rf"^{re.escape(str(path))}:\d+: \S", p) for p in result.err.splitlines()), result


def test_policy_check_accepts_the_good_copy(cli, tmp_path: Path) -> None:
    path = tmp_path / "my-metro.yaml"
    path.write_text(my_metro(), "utf-8")
    result = cli("policy", "check", path)
    assert result.code == 0, result
    assert result.out.startswith(f"{path}: ok (metro:")


@pytest.mark.parametrize("kind", BROKEN)
def test_a_store_naming_a_broken_policy_fails_every_command_with_file_and_line(cli, tmp_path: Path,
                                                                             kind: str) -> None:
    root = make_store(cli, tmp_path / "store", "my-metro.yaml", my_metro())
    complaint = json.loads(cli("--store", root, "--now", "2026-11-20T16:00", *LOG).out)["id"]
    record = next((root / "complaints").rglob("*.yaml"))
    before = record.read_text("utf-8")
    # Someone breaks the store's policy file afterwards.
    text, bad_line, word = BROKEN[kind]()
    (root / "my-metro.yaml").write_text(text, "utf-8")
    where = f"{root / 'my-metro.yaml'}:{line_of(text, bad_line)}: "
    loader.clear_cache()  # same size and maybe the same mtime as the good copy: no stale cache
    commands = [LOG, ("list", "--overdue"), ("show", complaint), ("check",),
                ("assign", complaint, "--to", "李四", "--department", "车站运营部", "--by", "王五"),
                ("policy", "diagram")]
    for command in commands:
        result = cli("--store", root, "--now", "2026-11-20T17:00", *command)
        assert result.code != 0, (command, result)
        problems = [p for p in result.err.splitlines() if where in p]
        assert problems and word in problems[0], (command, result)
    assert [p.read_text("utf-8") for p in (root / "complaints").rglob("*.yaml")] == [before]


def test_listing_an_empty_store_with_a_broken_policy_fails(cli, tmp_path: Path) -> None:
    root = make_store(cli, tmp_path / "store", "my-metro.yaml", my_metro())
    text, bad_line, _ = broken_unknown_state()
    (root / "my-metro.yaml").write_text(text, "utf-8")
    result = cli("--store", root, "--now", "2026-11-20T17:00", "list", "--overdue")
    assert result.code != 0
    assert f"{root / 'my-metro.yaml'}:{line_of(text, bad_line)}: " in result.err


def test_init_refuses_a_broken_policy_with_file_and_line(cli, tmp_path: Path) -> None:
    root = tmp_path / "store"
    root.mkdir()
    text, bad_line, _ = broken_unknown_state()
    (root / "my-metro.yaml").write_text(text, "utf-8")
    result = cli("init", root, "--policy", "my-metro.yaml", "--office", "MT")
    assert result.code != 0
    assert f"{root / 'my-metro.yaml'}:{line_of(text, bad_line)}: " in result.err
    assert not (root / "complaintctl.yaml").exists()


# -- the policy commands on the five shipped policies ------------------------------------------------


def test_policy_list_lists_the_five(cli) -> None:
    result = cli("policy", "list")
    assert result.code == 0, result
    assert [line.split()[0] for line in result.out.splitlines()] == FIVE


ID = r"(?:s_[A-Za-z0-9_]+|state\d+)"
LABEL = r"(?:[^\":;#<>{}%\n]|#(?:\d+|quot|lt|gt);)+"
GRAMMAR = {
    "header": re.compile(r"^stateDiagram-v2$"),
    "state": re.compile(rf'^    state "(?P<label>{LABEL})" as (?P<id>{ID})$'),
    "start": re.compile(rf"^    \[\*\] --> (?P<to>{ID})$"),
    "transition": re.compile(rf"^    (?P<source>{ID}) --> (?P<to>{ID}) : (?P<label>{LABEL})$"),
    "end": re.compile(rf"^    (?P<source>{ID}) --> \[\*\]$"),
}


def kind_of(line: str) -> tuple[str, re.Match[str]]:
    for kind, pattern in GRAMMAR.items():
        if match := pattern.match(line):
            return kind, match
    raise AssertionError(f"not Mermaid state diagram grammar: {line!r}")


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("name", FIVE)
def test_policy_diagram_is_a_well_formed_state_diagram(cli, name: str, language: str) -> None:
    messages.set_language(language)
    result = cli("policy", "diagram", name)
    assert result.code == 0, result
    assert result.out.endswith("\n") and "\r" not in result.out
    lines = result.out.splitlines()
    kinds = [kind_of(line) for line in lines]
    assert [kind for kind, _ in kinds].count("header") == 1 and kinds[0][0] == "header"
    declared = {match["id"] for kind, match in kinds if kind == "state"}
    used = {match[group] for kind, match in kinds for group in ("source", "to")
            if kind in ("start", "transition", "end") and group in match.groupdict()}
    assert used <= declared
    policy = loader.load_policy(name)
    assert len(declared) == len(policy.states)
    assert [kind for kind, _ in kinds].count("start") == 1
    assert [kind for kind, _ in kinds].count("end") == len(policy.final_states)
    assert sum(kind == "transition" for kind, _ in kinds) >= len(policy.actions)


@pytest.mark.parametrize("name", FIVE)
def test_policy_show_json_has_every_clock_with_its_limit(cli, name: str) -> None:
    result = cli("policy", "show", name, "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    policy = loader.load_policy(name)
    assert data["policy"] == name
    assert [clock["name"] for clock in data["clocks"]] == [clock.name for clock in policy.clocks]
    assert data["clocks"]
    units = ("minutes", "hours", "working_hours", "working_days", "calendar_days")
    for clock in data["clocks"]:
        for limit in [clock["limit"], *(variant["limit"] for variant in clock["limits"])]:
            assert limit["unit"] in units and isinstance(limit["amount"], int | float), clock
            assert limit["text"]


def test_policy_show_json_limits_of_manufacturing_service_and_metro(cli) -> None:
    def limits(name: str) -> dict[str, tuple]:
        data = json.loads(cli("policy", "show", name, "--json").out)
        return {c["name"]: (c["limit"]["unit"], c["limit"]["amount"],
                            [(v["limit"]["unit"], v["limit"]["amount"]) for v in c["limits"]])
                for c in data["clocks"]}

    assert limits("manufacturing") == {"answer": ("working_days", 5, []), "solution": ("working_days", 3, []),
                                       "first_visit": ("working_days", 5, []),
                                       "qa_transfer": ("working_days", 0.5, [])}
    assert limits("service") == {"urgent_response": ("hours", 1, []),
                                 "resolution": ("working_days", 5,
                                                [("working_days", 1), ("working_days", 3)])}
    assert limits("metro") == {"registration": ("minutes", 10, [("minutes", 10)]),
                               "dispatch": ("working_days", 1, []),
                               "initial_opinion": ("working_days", 3, []), "review": ("working_days", 1, []),
                               "result_report": ("working_days", 1, []), "answer": ("working_days", 1, [])}
