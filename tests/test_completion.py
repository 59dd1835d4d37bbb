"""Shell completion: the scripts for bash, zsh and fish, their installation, and the answer to a TAB
(commands, complaint ids, the steps possible now, their field names, policy codes), read from the index
without importing the engine or any heavy library."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LOG_ARGS, NOW

from complaintctl.cli import completion


def tab(cli, line: str, shell: str = "zsh") -> list[str]:
    """What a TAB at the end of `line` offers, as the shell's script asks for it."""
    os.environ[completion.COMPLETE_VAR] = shell
    os.environ["COMP_LINE"] = line
    try:
        result = cli()
    finally:
        del os.environ[completion.COMPLETE_VAR], os.environ["COMP_LINE"]
    assert result.code == 0, result
    return result.out.splitlines()


def test_commands_and_options_complete(cli, store: Path) -> None:
    assert {"act", "assign", "attach"} <= set(tab(cli, "complaintctl a"))
    assert "show" in tab(cli, "complaintctl ")
    assert tab(cli, "complaintctl --st") == ["--store"]
    assert "--status" in tab(cli, "complaintctl list --st")
    assert set(tab(cli, "complaintctl policy ")) >= {"show", "list", "simulate"}


def test_policy_codes_complete(cli, store: Path) -> None:
    assert tab(cli, "complaintctl init x --policy m") == ["manufacturing", "metro"]
    assert "tourism" in tab(cli, "complaintctl policy show ")
    assert tab(cli, "complaintctl list --category fa") == ["facilities"]
    assert {"open", "closed", "received", "dispatched"} <= set(tab(cli, "complaintctl list --status "))
    assert tab(cli, "complaintctl list --overdue --channel ph") == ["phone"]


def test_ids_steps_and_fields_complete(cli, logged: str) -> None:
    assert tab(cli, f"complaintctl show {logged[:12]}") == [logged]
    assert tab(cli, f"complaintctl act {logged} ") == ["assign"]  # not in the index yet: its view
    assert tab(cli, f"complaintctl act {logged} assign ") == ["to=", "department=", "coordinator="]
    assert tab(cli, f"complaintctl act {logged} assign to=李四 d") == ["department="]
    assert cli("--now", NOW, "act", logged, "assign", "to=李四", "department=站务").code == 0
    assert cli("--now", NOW, "list").code == 0  # refreshes the index
    assert "propose" in tab(cli, f"complaintctl act {logged} ")
    causes = tab(cli, f"complaintctl act {logged} propose cause=equ")
    assert causes == ["cause=equipment_failure"]
    # bash splits a word at `=`: it is given only what follows
    assert tab(cli, f"complaintctl act {logged} propose cause=equ", shell="bash") == ["equipment_failure"]
    # a tail of the id, as `resolve` takes it
    tail = logged.split("-", 2)[2]
    assert tab(cli, f"complaintctl show {tail}") == [logged]


def test_handles_complete_and_name_the_complaint(cli, logged: str) -> None:
    import json as json_module

    listed = cli("--now", NOW, "list", "--format", "json")
    handle = json_module.loads(listed.out)[0]["handle"]
    assert handle in tab(cli, f"complaintctl show {handle[:2]}")
    assert tab(cli, f"complaintctl act {handle} ") == ["assign"]
    assert tab(cli, f"complaintctl show {handle}-") == []  # not a handle, no id either


def test_many_ids_are_offered_a_segment_at_a_time(cli, store: Path, monkeypatch) -> None:
    from complaintctl.store import completing

    for day in (15, 16, 17):
        for _ in range(2):
            assert cli("--now", NOW, "log", *LOG_ARGS, "--received", f"2026-11-{day}T10:00").code == 0
    monkeypatch.setattr(completing, "MANY", 3)
    assert tab(cli, "complaintctl show ") == ["MT-2611"]
    assert tab(cli, "complaintctl show MT-2611") == ["MT-261115-", "MT-261116-", "MT-261117-"]
    one_day = tab(cli, "complaintctl show MT-261115-")
    assert len(one_day) == 2 and all(name.startswith("MT-261115-") for name in one_day)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_a_script_that_asks_complaintctl(cli, shell: str) -> None:
    shown = cli("--show-completion", shell)
    assert shown.code == 0, shown
    assert f"{completion.COMPLETE_VAR}={shell}" in shown.out and "COMP_LINE" in shown.out
    assert "not supported" not in shown.out + shown.err


def test_show_completion_takes_the_login_shell_and_refuses_an_unknown_one(cli, monkeypatch) -> None:
    monkeypatch.setenv("SHELL", "/usr/bin/zsh")
    assert "compdef" in cli("--show-completion").out
    refused = cli("--show-completion", "tcsh")
    assert refused.code == 2 and "tcsh" in refused.err


def test_install_completion_writes_the_script_and_one_start_up_line(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for _ in range(2):
        assert cli("--install-completion", "bash").code == 0
    script = tmp_path / ".bash_completions" / "complaintctl.sh"
    assert "_complaintctl_completion" in script.read_text()
    assert (tmp_path / ".bashrc").read_text().count(str(script)) == 1
    assert cli("--install-completion", "fish").code == 0
    assert (tmp_path / ".config/fish/completions/complaintctl.fish").is_file()
    assert cli("--install-completion", "zsh").code == 0
    assert (tmp_path / ".zfunc/_complaintctl").is_file()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_runs_the_script_and_completes(cli, logged: str, run) -> None:
    script = cli("--show-completion", "bash").out
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    program = Path(sys.executable).with_name("complaintctl")
    prefix = "" if program.exists() else f"complaintctl() {{ {sys.executable} -m complaintctl \"$@\"; }}\n"
    line = f"complaintctl act {logged} as"
    shell = (f"{prefix}{script}\nCOMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n"
             "_complaintctl_completion 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    done = subprocess.run(["bash", "--norc", "-c", shell], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    assert done.stdout.split() == ["assign"], done


_PROBE = """
import json, os, sys
from complaintctl.cli import main
try:
    main([])
except SystemExit:
    pass
heavy = sorted({name.split(".")[0] for name in sys.modules} & {"pydantic", "ruamel", "rich", "holidays"})
engine = "complaintctl.core.engine" in sys.modules or "complaintctl.store.index" in sys.modules
print("PROBE " + json.dumps({"heavy": heavy, "engine": engine}))
"""


def test_a_tab_on_an_indexed_store_reads_the_index_only(cli, logged: str) -> None:
    assert cli("--now", NOW, "list").code == 0  # the index
    assert cli("--now", NOW, "show", logged).code == 0  # the caches
    root = str(Path(__file__).resolve().parent.parent)
    for line in (f"complaintctl show {logged[:10]}", f"complaintctl act {logged} ",
                 f"complaintctl act {logged} assign "):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
               completion.COMPLETE_VAR: "bash", "COMP_LINE": line}
        done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env,
                              timeout=60, check=False)
        probe = json.loads(done.stdout.rsplit("PROBE ", 1)[1])
        assert probe == {"heavy": [], "engine": False}, (line, done.stdout, done.stderr)
        assert done.stdout.split("PROBE ")[0].strip(), line
