"""The command line: a thin adapter from Typer to `operations`, and the one guard that turns errors into
messages. Nothing below `complaintctl.cli` is imported by the core."""

from __future__ import annotations

import os
import sys
import traceback

import typer

from complaintctl import __version__
from complaintctl.cli.context import AppContext
from complaintctl.errors import ComplaintctlError, ProblemsFound
from complaintctl.messages import t

try:  # Typer up to 0.2x runs on click; later versions carry their own copy of it
    from click.exceptions import ClickException as _CommandLineError
except ImportError:  # pragma: no cover - depends on the installed Typer
    from typer.exceptions import TyperException as _CommandLineError

app = typer.Typer(
    name="complaintctl",
    help="Complaint handling for small offices: one YAML file per complaint, kept in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"complaintctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    store: str = typer.Option(None, "--store", "-s", help="The store directory (default: "
                              "$COMPLAINTCTL_STORE, else the nearest parent holding complaintctl.yaml)."),
    now: str = typer.Option(None, "--now", envvar="COMPLAINTCTL_NOW",
                            help="Take this as the current time (ISO 8601 or e.g. 'today 09:00')."),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an error."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    ctx.obj = AppContext(store_option=store, now_option=now, debug=debug)


def _register() -> None:
    from complaintctl.cli import (
        explain_cmds,
        index_cmds,
        policy_cmds,
        record_cmds,
        store_cmds,
        sweep_cmds,
        view_cmds,
    )

    for module in (store_cmds, record_cmds, view_cmds, policy_cmds, explain_cmds, sweep_cmds, index_cmds):
        module.register(app)
    from complaintctl.cli import git_cmds  # issue 6; apart, so other command modules merge in cleanly

    git_cmds.register(app)
    from complaintctl.cli.report_cmds import register as register_reports

    register_reports(app)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a user error is one line on stderr, anything else says it is a bug."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="complaintctl", standalone_mode=False)
    except ProblemsFound as error:
        for problem in error.problems:
            typer.echo(str(problem), err=True)
        code = error.exit_code
    except ComplaintctlError as error:
        if debug:
            traceback.print_exc()
        typer.echo(f"complaintctl: {error}", err=True)
        code = error.exit_code
    except typer.Exit as done:
        code = done.exit_code
    except _CommandLineError as error:
        show = getattr(error, "show", None)
        if show is not None:
            show()
        else:
            typer.echo(f"complaintctl: {error}", err=True)
        code = error.exit_code
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
    except Exception as error:  # the one place a bug is caught: say so, hide the traceback
        if debug:
            traceback.print_exc()
        typer.echo(f"complaintctl: {t('bug', error=f'{type(error).__name__}: {error}')}", err=True)
        code = 1
    sys.exit(code if isinstance(code, int) else 0)
