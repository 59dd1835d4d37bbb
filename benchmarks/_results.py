"""Shared writer of benchmarks/RESULTS.md: each benchmark owns one marked block of the file.

    write_section("worktime", markdown)

replaces only the text between `<!-- bench:worktime -->` and `<!-- /bench:worktime -->`
(appending the block if it is not there yet, creating the file with its heading if needed), so
several benchmarks share the file and re-running one leaves the others' figures alone.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADING = (
    "# Benchmark results\n\n"
    "Each section is written by the benchmark named in it; re-run that benchmark to refresh it.\n"
)


def machine() -> str:
    """One line describing where the figures were measured."""
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()} ({sys.implementation.name})"
    )


def section_head(title: str, command: str) -> list[str]:
    """The first lines of a section: its title, the command that wrote it (with the day) and the machine."""
    return [f"## {title}", "", f"- command: `{command}` ({date.today():%Y-%m-%d})", f"- machine: {machine()}"]


def write_section(name: str, markdown: str, path: Path = RESULTS) -> None:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ValueError(f"bad section name {name!r}")
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADING
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
