"""The command line: a thin adapter from Typer to `operations`, and the one guard that turns errors into
messages. Nothing below `complaintctl.cli` is imported by the core."""

from __future__ import annotations

import os
import sys
import traceback

import typer

from complaintctl import __version__
from complaintctl.base.errors import ComplaintctlError, ProblemsFound, environment_failure
from complaintctl.base.messages import t
from complaintctl.base.safetext import for_terminal
from complaintctl.cli.context import AppContext
from complaintctl.cli.pager import paging


def _command_line_error_types() -> tuple[type[Exception], ...]:
    """Typer up to 0.2x raises click's exceptions; later versions carry their own copy of click and
    raise its exceptions, which derive from TyperException. Both may be installed side by side."""
    found: list[type[Exception]] = []
    try:
        from click.exceptions import ClickException

        found.append(ClickException)
    except ImportError:  # pragma: no cover - depends on the installed Typer
        pass
    try:
        from typer._click.exceptions import ClickException as TyperClickException

        found.append(TyperClickException)
    except ImportError:  # pragma: no cover - depends on the installed Typer
        pass
    return tuple(found)


_CommandLineError = _command_line_error_types()

# The modules that register commands, in the order `--help` lists them.
MODULES = ("store_cmds", "record_cmds", "edit_cmds", "view_cmds", "policy_cmds", "explain_cmds", "sweep_cmds",
           "index_cmds", "git_cmds", "report_cmds", "intake_cmds", "calendar_cmds", "archive_cmds")
# Which module registers each command (and command group): a command run imports only its own module.
# `tests/test_startup.py` checks this against what the modules register.
COMMANDS = {
    "init": "store_cmds",
    "log": "record_cmds", "assign": "record_cmds", "act": "record_cmds", "note": "record_cmds",
    "close": "record_cmds", "reopen": "record_cmds", "attach": "record_cmds", "edit": "edit_cmds",
    "show": "view_cmds", "list": "view_cmds", "check": "view_cmds",
    "policy": "policy_cmds",
    "explain": "explain_cmds",
    "sweep": "sweep_cmds",
    "index": "index_cmds",
    "git": "git_cmds", "undo": "git_cmds",
    "report": "report_cmds", "export": "report_cmds", "import": "report_cmds",
    "intake": "intake_cmds",
    "calendar": "calendar_cmds",
    "archive": "archive_cmds",
}  # fmt: skip
# The root options that take a value (the command is the first argument that is not an option).
_VALUED = frozenset({"--store", "-s", "--now"})
_FLAGS = frozenset({"--debug", "--no-pager"})


def _version(value: bool) -> None:
    if value:
        typer.echo(f"complaintctl {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    store: str = typer.Option(None, "--store", "-s", help="The store directory (default: "
                              "$COMPLAINTCTL_STORE, else the nearest parent holding complaintctl.yaml)."),
    now: str = typer.Option(None, "--now", envvar="COMPLAINTCTL_NOW",
                            help="Take this as the current time (ISO 8601 or e.g. 'today 09:00')."),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an error."),
    no_pager: bool = typer.Option(False, "--no-pager", help="Never page long output on a terminal "
                                  "(else $PAGER, or less -FRX, as git does)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
    show_completion: str = typer.Option(None, "--show-completion", metavar="[bash|zsh|fish]",
                                        help="Print the shell completion script (default: your shell's)."),
    install_completion: str = typer.Option(None, "--install-completion", metavar="[bash|zsh|fish]",
                                           help="Install shell completion for your shell (or the one "
                                           "named)."),
) -> None:
    # Both are answered in `main`, before any command is built (`completion.root_request`).
    ctx.obj = AppContext(store_option=store, now_option=now, debug=debug)


def build_app(command: str | None = None) -> typer.Typer:
    """The Typer application with every command, or with only `command` (when it is one: the others
    are neither imported nor converted to click commands, which a single run never needs)."""
    from importlib import import_module

    from complaintctl.cli.params import LightGroup

    app = typer.Typer(
        name="complaintctl",
        help="Complaint handling for small offices: one YAML file per complaint, kept in git.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        cls=LightGroup,
    )
    app.callback()(root)
    only = COMMANDS.get(command) if command is not None else None
    for name in (only,) if only else MODULES:
        import_module(f"complaintctl.cli.{name}").register(app)
    if only:
        app.registered_commands = [info for info in app.registered_commands if info.name == command]
        app.registered_groups = [info for info in app.registered_groups if info.name == command]
    return app


def command_of(args: list[str]) -> str | None:
    """The command named in a command line (the first argument that is not a root option), or None
    when there is none or the options before it are not all known ones."""
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--":
            return None
        if not arg.startswith("-") or arg == "-":
            return arg
        name = arg.split("=", 1)[0]
        if name in _VALUED and "=" not in arg:
            position += 2
        elif name in _VALUED or name in _FLAGS or (arg.startswith("-s") and not arg.startswith("--")):
            position += 1
        else:
            return None  # --help, --version or an unknown option: the whole application answers
    return None


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # the whole application, as before the commands were registered lazily
        return build_app()
    raise AttributeError(name)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a user error is one line on stderr, anything else says it is a bug."""
    args = sys.argv[1:] if argv is None else argv
    if os.environ.get("_COMPLAINTCTL_COMPLETE") or any(
            arg.startswith(("--show-completion", "--install-completion")) for arg in args):
        from complaintctl.cli import completion

        if os.environ.get(completion.COMPLETE_VAR):
            sys.exit(completion.answer(os.environ))
        request = completion.root_request(args)
        if request is not None:
            sys.exit(completion.serve_request(*request, os.environ))
    debug = "--debug" in args
    named = command_of(args)
    command = typer.main.get_command(build_app(named))
    pager = named is not None and "--no-pager" not in args[:args.index(named)]
    try:
        with paging(named, pager):
            code = command.main(args=args, prog_name="complaintctl", standalone_mode=False)
    except ProblemsFound as error:
        for problem in error.problems:
            typer.echo(for_terminal(str(problem)), err=True)
        code = error.exit_code
    except ComplaintctlError as error:
        if debug:
            traceback.print_exc()
        typer.echo(f"complaintctl: {for_terminal(error)}", err=True)
        code = error.exit_code
    except typer.Exit as done:
        code = done.exit_code
    except _CommandLineError as error:
        show = getattr(error, "show", None)
        if show is not None:
            show()
        else:
            typer.echo(f"complaintctl: {error}", err=True)
        code = getattr(error, "exit_code", 2)
    except typer.Abort:
        typer.echo(t("interrupted"), err=True)
        code = 130
    except KeyboardInterrupt:
        typer.echo(t("interrupted"), err=True)
        code = 130
    except BrokenPipeError:
        # The reader (head, less) went away: not an error; keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    except Exception as error:  # the environment (exit 74) or a bug: say which, hide the traceback
        if debug:
            traceback.print_exc()
        failure = environment_failure(error)
        if failure is not None:
            typer.echo(f"complaintctl: {for_terminal(failure)}", err=True)
            code = failure.exit_code
        else:
            typer.echo(f"complaintctl: {for_terminal(t('bug', error=f'{type(error).__name__}: {error}'))}",
                       err=True)
            code = 1
    sys.exit(code if isinstance(code, int) else 0)
