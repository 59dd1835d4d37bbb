"""Long output on a terminal goes through a pager, as git's does: `$PAGER`, else `less` with `LESS=FRX`
(quit when it fits one screen, let colours through, leave the text on the screen); `--no-pager`, an empty
PAGER or `cat` turn it off. Off a terminal nothing changes: a pipe gets the plain text, whole.

The command writes into a buffer that says it is a terminal (so rich still lays out for one, at the real
terminal's width); at the end the buffer goes to the pager when it is taller than the screen, else
straight to the terminal."""

from __future__ import annotations

import io
import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

#: The commands whose output can be longer than a screen.
PAGED = frozenset({"list", "show", "report", "policy", "explain", "check"})
DEFAULT_PAGER = "less"
DEFAULT_LESS = "FRX"


class _Screen(io.StringIO):
    """What a paged command writes to: taken for the terminal it stands in for."""

    def __init__(self, terminal: TextIO) -> None:
        super().__init__()
        self._terminal = terminal

    def isatty(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._terminal, "encoding", None) or "utf-8"


def pager_command(environ: dict[str, str] | os._Environ[str]) -> list[str] | None:
    """The pager to run, None when paging is off (PAGER empty or `cat`)."""
    named = environ.get("PAGER")
    command = DEFAULT_PAGER if named is None else named.strip()
    if not command or command == "cat":
        return None
    try:
        return shlex.split(command)
    except ValueError:
        return None


def show(text: str, terminal: TextIO) -> None:
    """Write `text` to the terminal, through the pager when it is taller than the screen."""
    command = pager_command(os.environ)
    rows = shutil.get_terminal_size().lines
    if command is None or text.count("\n") < rows:
        terminal.write(text)
        terminal.flush()
        return
    environ = dict(os.environ)
    environ.setdefault("LESS", DEFAULT_LESS)
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=environ)
    except OSError:  # no such pager: the text, unpaged, rather than nothing
        terminal.write(text)
        terminal.flush()
        return
    # Ctrl-C is the pager's to handle (less stops a search with it), as git leaves it: not ours to die of.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert pager.stdin is not None
        pager.stdin.write(text.encode(getattr(terminal, "encoding", None) or "utf-8", "replace"))
        pager.stdin.close()
    except BrokenPipeError:  # the reader quit the pager before the end: nothing more to show
        pass
    finally:
        pager.wait()
        signal.signal(signal.SIGINT, previous)


def _real_terminal(stream: TextIO) -> bool:
    """A terminal with a file descriptor a pager can take over (not a test's stand-in)."""
    try:
        return stream.isatty() and os.isatty(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return False


@contextmanager
def paging(command: str | None, enabled: bool) -> Iterator[None]:
    """Run a command with its standard output paged, when it is a paged one on a terminal."""
    terminal = sys.stdout
    if not enabled or command not in PAGED or not _real_terminal(terminal):
        yield
        return
    screen = _Screen(terminal)
    sys.stdout = screen
    try:
        yield
    finally:
        sys.stdout = terminal
        show(screen.getvalue(), terminal)
