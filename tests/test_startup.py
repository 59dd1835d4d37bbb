"""Start-up (issue 8): `log`, `assign`, `act` and `show` import only what they use.

Robust, not time-based: a real process runs each command (its policy, settings and calendar already in
the per-user cache) and reports which heavy libraries ended up imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from complaintctl import cli
from complaintctl.cli import params
from tests.conftest import LOG_ARGS, NOW

# What a cached run of these commands must not import: the validation library (a policy and the settings
# come from the cache as plain records), the round-trip YAML library (records are read and written by
# `fastread` and `fastwrite`, ruamel only when they cannot be sure), rich (plain output off a terminal),
# the holiday tables (the working-day tables are cached).
HEAVY = ("pydantic", "ruamel", "rich", "holidays")

_PROBE = """
import json, sys
from complaintctl.cli import main
try:
    main(sys.argv[2:])
except SystemExit as done:
    code = done.code
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.argv[1])))
print("\\nPROBE " + json.dumps({"code": code, "heavy": heavy}))
"""


def _probe(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(HEAVY), *args], capture_output=True,
                          text=True, timeout=120, check=False, env={**os.environ, "PYTHONPATH": _root()})
    line = done.stdout.rstrip().rsplit("\n", 1)[-1]
    assert line.startswith("PROBE "), done.stdout + done.stderr
    result: dict[str, Any] = json.loads(line[len("PROBE "):])
    result["err"] = done.stderr
    return result


def _root() -> str:
    here = str(Path(__file__).resolve().parent.parent)
    return os.pathsep.join([here, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)


def test_cached_commands_do_not_import_heavy_libraries(store: Path, cli: Any) -> None:
    first = cli("--now", NOW, "log", *LOG_ARGS, "--received", "2026-11-20T16:00")
    assert first.code == 0, first
    complaint = first.out.split()[1]
    _probe("--now", NOW, "show", complaint)  # fills the cache, whatever the order of the tests
    runs = [
        ("log", *LOG_ARGS, "--received", "2026-11-20T16:30"),
        ("show", complaint),
        ("assign", complaint, "--to", "李四", "--department", "车站运营部"),
        ("act", complaint, "propose", "opinion=退还多扣票款", "cause=equipment_failure"),
        ("show", complaint, "--json"),
    ]
    for args in runs:
        result = _probe("--now", NOW, *args)
        assert result["code"] in (0, None), (args, result)
        assert result["heavy"] == [], (args, result)


def test_each_command_is_registered_by_the_module_the_table_names() -> None:
    from importlib import import_module

    found: dict[str, str] = {}
    for module in cli.MODULES:
        app = typer.Typer()
        import_module(f"complaintctl.cli.{module}").register(app)
        infos = [*app.registered_commands, *app.registered_groups]
        for name in (info.name for info in infos):
            assert name is not None
            found[name] = module
    assert found == cli.COMMANDS
    whole = cli.build_app()
    assert len(whole.registered_commands) + len(whole.registered_groups) == len(cli.COMMANDS)
    only = cli.build_app("show")
    assert [info.name for info in only.registered_commands] == ["show"] and not only.registered_groups


@pytest.mark.parametrize(("args", "command"), [
    (["show", "X"], "show"),
    (["--store", "s", "--now", "2026-11-20T17:00", "act", "X", "propose"], "act"),
    (["--store=s", "-s", "t", "-su", "--debug", "log"], "log"),
    (["--now=today", "git", "install"], "git"),
    (["--help"], None), (["--version"], None), ([], None), (["--store"], None), (["--bogus", "show"], None),
])
def test_the_command_of_a_command_line(args: list[str], command: str | None) -> None:
    assert cli.command_of(args) == command


def test_the_root_help_still_lists_every_command(cli: Any) -> None:
    result = cli("--help")
    assert result.code == 0
    for name in ("init", "log", "show", "list", "policy", "sweep", "report", "git", "undo", "import"):
        assert f" {name} " in result.out, name


def test_plain_parameters_skip_typers_adapter_and_agree_with_it() -> None:
    app = cli.build_app("act")
    command = typer.main.get_command(app)
    ctx = command.make_context("complaintctl", ["act", "X", "y", "a=b"], resilient_parsing=True)
    act = command.get_command(ctx, "act")
    assert act is not None
    installed = params.lighten(act.get_params(ctx))
    assert installed >= 5  # complaint, action, pairs, --by, --at, --commit, --help
    by_name = {param.name: param for param in act.get_params(ctx)}
    for name, value in [("complaint", "MT-1"), ("pairs", ("a=b", "c=d")), ("commit", True), ("by", None),
                        ("pairs", None), ("complaint", b"MT-2")]:
        param = by_name[name]
        ours = param._runtime_param.coerce(value, param=param, ctx=ctx)  # type: ignore[union-attr]
        theirs = params._typer_coercion(param.type_descriptor).coerce(  # type: ignore[union-attr]
            value, param=param, ctx=ctx)
        assert ours == theirs and type(ours) is type(theirs), (name, value, ours, theirs)


def test_show_off_a_terminal_is_plain_text(store: Path, cli: Any) -> None:
    logged = cli("--now", NOW, "log", *LOG_ARGS, "--received", "2026-11-20T16:00",
                 "--description", "出站时被扣两次费。\n第二行 [bold]不是标记[/bold]")
    assert logged.code == 0, logged
    complaint = logged.out.split()[1]
    assert cli("--now", NOW, "assign", complaint, "--to", "李四", "--department", "车站运营部").code == 0
    shown = cli("--now", NOW, "show", complaint)
    assert shown.code == 0, shown
    lines = shown.out.splitlines()
    handle, *title = lines[0].split("  ")
    assert title == [complaint, "闸机重复扣费"] and 4 <= len(handle) <= 6
    assert lines[1].startswith("status: ") and "owner: 李四" in lines[1]
    assert "department: 车站运营部" in lines[1]
    for part in ("intake", "  channel      phone (", "  complainant  name: 张三, phone: 13800138000",
                 "  description  出站时被扣两次费。", "               第二行 [bold]不是标记[/bold]",
                 "deadlines", "clock", "due", "time left", "history", "李四",
                 "to=李四, department=车站运营部"):
        assert part in shown.out, part
    assert any(line.startswith("  2026-11-20T17:00:00+08:00  王五  log") for line in lines)
    assert lines[-1].startswith("possible now: ") and "propose" in lines[-1]
    assert not any(char in shown.out for char in "━│┃─")  # no table borders, no rich


def test_what_python_calls_printable_ruamel_writes_as_it_is() -> None:
    import re

    from complaintctl.records import fastwrite

    pattern = re.compile(fastwrite._PRINTABLE)
    assert all(pattern.match(chr(code)) for code in range(0x110000) if chr(code).isprintable())
