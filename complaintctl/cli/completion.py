"""Shell completion for bash, zsh and fish: the scripts `--show-completion` prints and
`--install-completion` installs, and the answer to a TAB.

Why not Typer's own: Typer 0.29 carries its own copy of click (`typer._click`) and registers its shell
classes there only when the application is built with `add_completion=True`, which complaintctl does
not (building them costs every command its start-up); and it reads the instruction in click 7's order
(`source_bash`), so click 8's `bash_source` asks for a shell called "source" ("Shell source not
supported"). Its answer would also build every command and convert every parameter on each TAB. So the
scripts here call `complaintctl` with `_COMPLAINTCTL_COMPLETE=bash|zsh|fish` and the line typed so far
(`COMP_LINE`, up to the cursor), and `cli.main` answers before any command is built.

A TAB on a complaint reads the store's index (`store.completing`), never a record: ids (and short
handles, where they plug in there), the steps possible in the complaint's state, their field names, and
policy codes. Commands, sub-commands and options come from the command line's own table (`COMMANDS`) and,
for one command's options, from that command alone.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from complaintctl.policy.model import LabelKind

PROG = "complaintctl"
COMPLETE_VAR = "_COMPLAINTCTL_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
ROOT_OPTIONS = ("--store", "--now", "--debug", "--version", "--help", "--show-completion",
                "--install-completion")
#: The commands whose first argument is a complaint.
ON_A_COMPLAINT = frozenset({"show", "explain", "assign", "act", "note", "close", "reopen", "attach", "edit"})
#: Options that take no value (every other option takes the next word).
_FLAGS = frozenset({"--commit", "--json", "--help", "--debug", "--version", "--dry-run", "--redact",
                    "--rebuild", "--no-pager", "--all", "--git", "--overdue", "--verbose",
                    "--fail-on-overdue", "--no-mail", "--skip-bad", "--changes"})
#: Options whose values are the policy's codes of that kind (`list --category <TAB>`).
_CODED_OPTIONS: dict[str, LabelKind] = {"--category": "category", "--channel": "channel",
                                         "--severity": "severity", "--risk": "risk"}
_ROOT_VALUED = frozenset({"--store", "-s", "--now"})
#: What bash splits a word at (its COMP_WORDBREAKS): its word is only what follows the last of them.
_BASH_BREAKS = "=:"

_BASH = """
_complaintctl_completion() {
    local IFS=$'\\n'
    COMPREPLY=( $( COMP_LINE="${COMP_LINE:0:$COMP_POINT}" %(var)s=bash %(prog)s 2>/dev/null ) )
    if [[ ${#COMPREPLY[@]} -eq 1 && ( "${COMPREPLY[0]}" == *= || "${COMPREPLY[0]}" == *- ) ]]; then
        compopt -o nospace
    fi
    return 0
}
complete -o default -F _complaintctl_completion %(prog)s
"""

_ZSH = """
#compdef %(prog)s
_complaintctl_completion() {
    local -a found whole
    found=("${(@f)$(COMP_LINE="$BUFFER[1,$CURSOR]" %(var)s=zsh %(prog)s 2>/dev/null)}")
    found=(${found:#})
    if (( ${#found} == 0 )); then
        _files
        return
    fi
    whole=(${found:#*[=-]})
    compadd -S '' -- ${found:|whole}
    compadd -- $whole
}
compdef _complaintctl_completion %(prog)s
"""

_FISH = """
function __complaintctl_complete
    set -l found (env COMP_LINE=(commandline -cp) %(var)s=fish %(prog)s 2>/dev/null)
    if test (count $found) -eq 0
        __fish_complete_path (commandline -ct)
    else
        printf '%%s\\n' $found
    end
end
complete --command %(prog)s --no-files --arguments '(__complaintctl_complete)'
"""

_SCRIPTS = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}


def script(shell: str) -> str:
    return _SCRIPTS[shell].strip("\n") % {"var": COMPLETE_VAR, "prog": PROG} + "\n"


def detected_shell(environ: Mapping[str, str]) -> str:
    return Path(environ.get("SHELL", "bash")).name


def install(shell: str, home: Path) -> tuple[Path, Path | None, str]:
    """Write the script where the shell looks for it; (the script, the start-up file given a line to
    load it or None, that line)."""
    if shell == "fish":
        target = home / ".config" / "fish" / "completions" / f"{PROG}.fish"
        rc, line = None, ""
    elif shell == "zsh":
        target = home / ".zfunc" / f"_{PROG}"
        rc, line = home / ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit"
    else:
        target = home / ".bash_completions" / f"{PROG}.sh"
        rc, line = home / ".bashrc", f"source '{target}'"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script(shell), encoding="utf-8")
    if rc is not None:
        existing = rc.read_text(encoding="utf-8") if rc.is_file() else ""
        if line in existing:
            rc = None
        else:
            rc.write_text(existing + ("" if existing.endswith("\n") or not existing else "\n") + line + "\n",
                          encoding="utf-8")
    return target, rc, line


def split_line(line: str) -> tuple[list[str], str]:
    """The words before the one being completed (the program's name dropped), and that one."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    words: list[str] = []
    try:
        words.extend(lexer)
    except ValueError:  # an unclosed quote: the word being typed is the rest
        words.append(lexer.token)
    incomplete = words.pop() if line and not line[-1].isspace() and words else ""
    return words[1:], incomplete


def answer(environ: Mapping[str, str]) -> int:
    """Print the candidates for the line typed so far, one a line; always succeeds (a TAB never errs)."""
    shell = environ.get(COMPLETE_VAR, "")
    words, incomplete = split_line(environ.get("COMP_LINE", ""))
    try:
        found = candidates(words, incomplete, environ)
    except Exception:  # a TAB shows nothing rather than a traceback in the middle of the line
        found = []
    if shell == "bash":
        cut = max(incomplete.rfind(mark) for mark in _BASH_BREAKS)
        if cut >= 0:
            found = [item[cut + 1:] for item in found]
    if found:
        sys.stdout.write("\n".join(found) + "\n")
    return 0


def candidates(words: list[str], incomplete: str, environ: Mapping[str, str]) -> list[str]:
    """What may come next after `words` (the arguments so far), beginning with `incomplete`."""
    store: str | None = None
    position = 0
    while position < len(words) and words[position].startswith("-"):
        name = words[position].split("=", 1)[0]
        if name in ("--store", "-s") and "=" not in words[position] and position + 1 < len(words):
            store = words[position + 1]
        position += 2 if name in _ROOT_VALUED and "=" not in words[position] else 1
    if position > len(words):  # completing a root option's value: --store is a folder, --now a time
        return []
    if position == len(words):
        if words and words[-1] in _ROOT_VALUED:
            return []
        if incomplete.startswith("-"):
            return _starting(ROOT_OPTIONS, incomplete)
        return _starting(sorted(_command_names()), incomplete)
    command, rest = words[position], words[position + 1:]
    if rest and rest[-1].startswith("-") and "=" not in rest[-1] and rest[-1] not in _FLAGS:
        return _option_values(command, rest[-1], incomplete, _store_root(store, environ))
    if incomplete.startswith("-"):
        return _starting(_options_of(command, rest), incomplete)
    arguments = _arguments(rest)
    if command in ON_A_COMPLAINT:
        return _on_a_complaint(command, arguments, incomplete, _store_root(store, environ))
    if command == "policy" and len(arguments) == 1 and arguments[0] in ("show", "diagram", "simulate"):
        return _starting(_policy_codes(), incomplete)
    if command == "git" and arguments == ["resolve"]:
        return _complaints(_store_root(store, environ), incomplete)
    if not arguments:
        return _starting(_subcommands(command), incomplete)
    return []


def _starting(names: list[str] | tuple[str, ...], incomplete: str) -> list[str]:
    return [name for name in names if name.startswith(incomplete)]


def _arguments(rest: list[str]) -> list[str]:
    """The positional words of a command's arguments so far (options and their values left out)."""
    found: list[str] = []
    skip = False
    for word in rest:
        if skip:
            skip = False
        elif word.startswith("-") and len(word) > 1:
            skip = "=" not in word and word not in _FLAGS
        else:
            found.append(word)
    return found


def _command_names() -> list[str]:
    from complaintctl.cli import COMMANDS

    return list(COMMANDS)


def _click_command(command: str) -> object | None:
    """The click command (or group) of one command, built alone."""
    import typer

    from complaintctl.cli import COMMANDS, build_app

    if command not in COMMANDS:
        return None
    group = typer.main.get_command(build_app(command))
    return getattr(group, "commands", {}).get(command)


def _subcommands(command: str) -> list[str]:
    found = _click_command(command)
    return sorted(getattr(found, "commands", {}) or ())


def _options_of(command: str, rest: list[str]) -> list[str]:
    found = _click_command(command)
    arguments = _arguments(rest)
    sub = getattr(found, "commands", None)
    if sub and arguments and arguments[0] in sub:
        found = sub[arguments[0]]
    names: list[str] = []
    for param in getattr(found, "params", ()):
        names.extend(name for name in (*param.opts, *param.secondary_opts) if name.startswith("--"))
    return sorted(set(names) | {"--help"})


def _option_values(command: str, option: str, incomplete: str, root: Path | None) -> list[str]:
    """Policy codes (`init --policy`), a policy's states (`list --status`) and codes (`--category`)."""
    if option == "--policy" and command == "init":
        return _starting(_policy_codes(), incomplete)
    if root is None or (option != "--status" and option not in _CODED_OPTIONS):
        return []
    from complaintctl.store.directory import Store

    policy = Store.open(root).policy
    if option == "--status":
        return _starting(["open", "closed", *(state.name for state in policy.states)], incomplete)
    return _starting(list(policy.codes(_CODED_OPTIONS[option])), incomplete)


def _policy_codes() -> list[str]:
    from complaintctl.policy.loader import BUILTIN_DIR

    return sorted(path.stem for path in BUILTIN_DIR.glob("*.yaml"))


def _store_root(named: str | None, environ: Mapping[str, str]) -> Path | None:
    from complaintctl.base.errors import ComplaintctlError
    from complaintctl.store.directory import Store

    try:
        return Store.find(named, environ, Path.cwd()).root
    except ComplaintctlError:
        return None


def _complaints(root: Path | None, incomplete: str) -> list[str]:
    from complaintctl.store.completing import names_for
    from complaintctl.store.directory import Store

    if root is None:
        return []
    return names_for(root, incomplete, Store.open(root).settings.office)


def _on_a_complaint(command: str, arguments: list[str], incomplete: str, root: Path | None) -> list[str]:
    if not arguments:
        return _complaints(root, incomplete)
    if root is None or command not in ("act", "close", "reopen"):
        return []
    if command == "act" and len(arguments) == 1:
        return _starting(_steps_now(root, arguments[0]), incomplete)
    action = arguments[1] if command == "act" else command
    given = {word.split("=", 1)[0] for word in arguments[2 if command == "act" else 1:] if "=" in word}
    return _field_names(root, action, given, incomplete)


def _steps_now(root: Path, query: str) -> list[str]:
    """The policy's steps possible in the complaint's state, as the index holds it (derived by the
    engine): never a record read on a TAB."""
    from complaintctl.records import ids
    from complaintctl.store.completing import status_of
    from complaintctl.store.directory import Store

    if ids.is_id(query.upper()):
        complaint_id = query.upper()
    else:  # a handle (the index's, as a TAB offered it), else a part of an id, as every command reads it
        from complaintctl.base.errors import ComplaintctlError
        from complaintctl.store.completing import handle_named

        try:
            complaint_id = handle_named(root, query) or Store.open(root).resolve(query)
        except ComplaintctlError:
            return []
    status = status_of(root, complaint_id)
    if status is None:  # not in the index yet (logged since it was refreshed): this one record's view
        from complaintctl.app.steps import possible_steps
        from complaintctl.base.errors import ComplaintctlError

        try:
            return [step.name for step in possible_steps(Store.open(root), complaint_id).steps]
        except ComplaintctlError:
            return []
    return [action.name for action in Store.open(root).policy.actions_from(status)]


def _field_names(root: Path, action: str, given: set[str], incomplete: str) -> list[str]:
    from complaintctl.store.directory import Store

    policy = Store.open(root).policy
    if not policy.has_action(action):
        return []
    if "=" in incomplete:
        name = incomplete.split("=", 1)[0]
        spec = policy.action(action).fields.get(name)
        values = [f"{name}={item.code}" for item in (spec.values or ())] if spec is not None else []
        return _starting(values, incomplete)
    names = [f"{name}=" for name in policy.action(action).fields if name not in given]
    return _starting(names, incomplete)


def root_request(args: list[str]) -> tuple[str, str | None] | None:
    """("show" or "install", the shell named or None) when the root options ask for a completion script."""
    position = 0
    while position < len(args) and args[position].startswith("-"):
        name, _, value = args[position].partition("=")
        if name in ("--show-completion", "--install-completion"):
            following = args[position + 1] if position + 1 < len(args) else None
            shell = value or (following if following in SHELLS or (following and not
                                                                     following.startswith("-")) else None)
            return name.removeprefix("--").removesuffix("-completion"), shell
        position += 2 if name in _ROOT_VALUED and not value else 1
    return None


def serve_request(kind: str, shell: str | None, environ: Mapping[str, str]) -> int:
    """Print or install the script for `shell` (default: the login shell's); the exit code."""
    from complaintctl.base.messages import t

    chosen = shell or detected_shell(environ)
    if chosen not in SHELLS:
        sys.stderr.write(f"{PROG}: " + t("completion.shell_unknown", shell=chosen, shells=", ".join(SHELLS))
                         + "\n")
        return 2
    if kind == "show":
        sys.stdout.write(script(chosen))
        return 0
    target, rc, line = install(chosen, Path(environ.get("HOME") or Path.home()))
    sys.stdout.write(t("completion.installed", shell=chosen, path=target) + "\n")
    if rc is not None:
        sys.stdout.write(t("completion.rc_line", path=rc, line=line) + "\n")
    return 0
