"""Run complaintctl on a pseudo-terminal (`os.openpty`), as a person at a terminal would: wait for a text,
type a line, and so on; what the program printed is kept."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)


class Terminal:
    def __init__(self, *args: str, cwd: Path, env: dict[str, str] | None = None) -> None:
        master, slave = os.openpty()
        environment = {**os.environ, **(env or {}),
                       "PYTHONPATH": os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")])}
        self.process = subprocess.Popen([sys.executable, "-m", "complaintctl", *args], cwd=cwd,
                                        stdin=slave, stdout=slave, stderr=slave, env=environment)
        os.close(slave)
        self.master = master
        self.seen = ""
        self._read_to = 0

    def expect(self, text: str, timeout: float = 60.0) -> str:
        """Wait until `text` appears after what was expected before; what came up to it."""
        deadline = time.monotonic() + timeout
        while text not in self.seen[self._read_to:]:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"waited for {text!r}; the terminal shows:\n{self.seen}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the program ended
                    chunk = b""
                if not chunk:
                    if text not in self.seen[self._read_to:]:
                        raise AssertionError(f"ended before {text!r}; the terminal shows:\n{self.seen}")
                    break
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        end = self.seen.index(text, self._read_to) + len(text)
        shown, self._read_to = self.seen[self._read_to:end], end
        return shown

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def end_of_input(self) -> None:
        os.write(self.master, b"\x04")

    def interrupt(self) -> None:
        self.process.send_signal(signal.SIGINT)

    def finish(self, timeout: float = 60.0) -> int:
        """Wait for the program to end, reading what it prints; its exit code."""
        deadline = time.monotonic() + timeout
        while True:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            chunk = b""
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the terminal's other end is closed: the program ended
                    chunk = b""
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
            if not chunk and self.process.poll() is not None:
                break
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"did not end; the terminal shows:\n{self.seen}")
        os.close(self.master)
        return self.process.wait()
