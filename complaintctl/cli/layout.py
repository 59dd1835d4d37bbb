"""Laying text out in a terminal's columns: widths in cells (a Chinese character takes two), a table that
fits a width by dropping optional columns and shortening one, and text wrapped under a label.

What must stay readable at 80 columns stays whole (a handle, a status, a due time); only the column
named to shrink (a subject) is shortened, with `…`. Nothing here prints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

GAP = 2  # spaces between columns
ELLIPSIS = "…"
SHRINK_MIN = 8  # cells a shortened column keeps at least, however narrow the terminal


@dataclass(frozen=True)
class Column:
    header: str
    cells: list[str]
    optional: bool = False  # dropped when the width is short, the highest `rank` first
    rank: int = 0
    shrinks: bool = False  # the one column shortened to fit

    def natural(self) -> int:
        return max([cell_len(self.header), *map(cell_len, self.cells)])


def shorten(text: str, cells: int) -> str:
    """The text in at most `cells` cells, ending in `…` when cut."""
    if cell_len(text) <= cells:
        return text
    return set_cell_size(text, max(cells - 1, 0)).rstrip() + ELLIPSIS


def pad(text: str, cells: int) -> str:
    return text + " " * max(cells - cell_len(text), 0)


def fit(columns: Sequence[Column], width: int, *, keep_for_shrinking: int = 40) -> list[tuple[Column, int]]:
    """The columns to show in `width` cells, each with its width: optional columns stay while the
    shrinking one keeps `keep_for_shrinking` cells (or all it needs); the shrinking one takes the rest."""
    chosen = [column for column in columns if not column.optional]

    def needed(shown: Sequence[Column]) -> int:
        return sum(column.natural() for column in shown if not column.shrinks) + GAP * (len(shown) - 1)

    shrinking = [column for column in columns if column.shrinks]
    wanted = min((column.natural() for column in shrinking), default=0)
    for column in sorted(columns, key=lambda column: column.rank):
        if column.optional:
            trial = [c for c in columns if c in chosen or c is column]
            if needed(trial) + min(wanted, keep_for_shrinking) <= width:
                chosen = trial
    room = width - needed(chosen)
    return [(column, max(min(column.natural(), room), SHRINK_MIN) if column.shrinks else column.natural())
            for column in chosen]


def table_lines(columns: Sequence[Column], width: int) -> list[str]:
    """The header and each row of the columns fitted to `width`, aligned by cells."""
    fitted = fit(columns, width)
    count = len(columns[0].cells) if columns else 0
    lines = []
    for row in range(-1, count):
        parts = []
        for position, (column, cells) in enumerate(fitted):
            text = column.header if row < 0 else column.cells[row]
            text = shorten(text, cells)
            parts.append(text if position == len(fitted) - 1 else pad(text, cells))
        lines.append((" " * GAP).join(parts).rstrip())
    return lines


def wrap(text: str, cells: int) -> list[str]:
    """A text in lines of at most `cells` cells: broken at spaces where it can, anywhere in a run of
    Chinese or a word too long for a line; never cut short. Its own line breaks are kept."""
    cells = max(cells, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in _words(paragraph):
            if cell_len(line + word) <= cells:
                line += word
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = word.lstrip() if line.strip() else word
            while cell_len(line) > cells:  # a word longer than a line, or Chinese: fold it
                head = set_cell_size(line, cells).rstrip()
                if not head or cell_len(head) > cells:
                    head = line[0]
                lines.append(head)
                line = line[len(head):]
        lines.append(line.rstrip())
    return lines


def _words(text: str) -> list[str]:
    """Each word with the spaces before it; every wide (CJK) character a word of its own."""
    words: list[str] = []
    current = ""
    for char in text:
        if char == " " and current.strip():
            words.append(current)
            current = char
        elif cell_len(char) == 2:
            if current.strip():
                words.append(current)
                current = ""
            words.append(current + char)
            current = ""
        else:
            current += char
    if current:
        words.append(current)
    return words


def labelled(rows: Sequence[tuple[str, str]], width: int, indent: int = 2) -> list[str]:
    """`label  value` lines, values aligned after the widest label and wrapped under themselves; on a
    narrow screen (labels over a third of it) each value goes under its label instead."""
    label_cells = max((cell_len(label) for label, _ in rows), default=0)
    stacked = label_cells + indent + GAP > width // 3
    lines = []
    for label, value in rows:
        if stacked:
            lines.append((" " * indent + label).rstrip())
            lines += [(" " * (indent * 2) + part).rstrip() for part in wrap(value, width - indent * 2)]
            continue
        start = indent + label_cells + GAP
        first, *more = wrap(value, width - start) if value else [""]
        lines.append((" " * indent + pad(label, label_cells + GAP) + first).rstrip())
        lines += [(" " * start + part).rstrip() for part in more]
    return lines
