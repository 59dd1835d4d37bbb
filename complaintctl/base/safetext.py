"""Text from complaints made safe for where it is shown: a terminal or pipe, a CSV cell, an Excel cell.

Complaint text comes from anyone: a web form, a mail gateway, an imported spreadsheet. Printed raw, an
escape sequence in it would act on the reader's terminal (an OSC hyperlink or window title, a CSI cursor
move, `\\r` or `\\b` overprinting what came before, a bell); a cell starting with `=` would be a formula
in a spreadsheet; a control character makes Excel's file format (and openpyxl) refuse the workbook.

* `for_terminal` shows every control character visibly, as a backslash escape (`\\x1b`, `\\r`), so the
  escape sequence it began is shown as text and never acts. Newline and tab are kept where the layout
  allows them, and shown as `\\n` and `\\t` where it does not (a table cell).
* `json_for_terminal` does the same to JSON text without changing what it means (JSON escapes).
* `csv_cell` starts a cell that a spreadsheet would take for a formula with a quote (`import` takes it
  off again).
* `excel_text` replaces what an Excel cell cannot hold (and text that is not valid Unicode).
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_START", "UNSAFE", "csv_cell", "excel_text", "for_terminal", "json_for_terminal"]

#: How a cell starts that Excel, LibreOffice or Google Sheets would read as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# DEL and the C1 controls; the bidirectional marks, overrides and isolates (they reorder what is shown);
# the line and paragraph separators (some terminals break lines on them); lone surrogates (not text).
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
#: Every character that could act on a terminal: those and the C0 controls.
UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
# What openpyxl refuses (IllegalCharacterError): C0 controls but tab, newline and carriage return; and
# lone surrogates, which no UTF-8 file can hold.
_NOT_IN_EXCEL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# In JSON text these can only be inside strings (the rest of the text is ASCII), where \\uXXXX means the
# same character.
_JSON_UNSAFE = re.compile(f"[{_BEYOND_C0}]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escaped(newlines: bool, tabs: bool) -> re.Pattern[str]:
    """What `for_terminal` escapes: every character of `UNSAFE` but the newlines and tabs kept; where
    newlines are kept, a carriage return just before one is a line ending (CRLF, as CSV for Excel has
    it), not an overprint."""
    kept = ("\n" if newlines else "") + ("\t" if tabs else "")
    c0 = "".join(chr(code) for code in range(0x20) if chr(code) not in kept and chr(code) != "\r")
    carriage_return = "\r(?!\n)" if newlines else "\r"
    return re.compile(f"{carriage_return}|[{re.escape(c0)}{_BEYOND_C0}]")


_PATTERNS = {(newlines, tabs): _escaped(newlines, tabs) for newlines in (True, False)
             for tabs in (True, False)}


def for_terminal(text: object, *, newlines: bool = True, tabs: bool = True) -> str:
    """`text` with every control character and escape sequence shown as a backslash escape, so that
    none acts on a terminal; newlines and tabs kept unless the layout cannot take them (a table cell:
    `newlines=False, tabs=False`)."""
    shown = text if isinstance(text, str) else str(text)
    if shown.isprintable():  # the common case, in C: every character escaped here is unprintable
        return shown
    return _PATTERNS[(newlines, tabs)].sub(_visible, shown)


def json_for_terminal(text: str) -> str:
    """JSON text (as `json.dumps(..., ensure_ascii=False)` writes it) with the characters that could act
    on a terminal written as JSON escapes: the same data, safe to print."""
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def csv_cell(value: object) -> str:
    """A CSV cell: text a spreadsheet would take for a formula starts with a quote (a number, even a
    negative one, stays a number)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def excel_text(text: str) -> str:
    """`text` with the characters an Excel cell cannot hold shown as backslash escapes."""
    return _NOT_IN_EXCEL.sub(_visible, text)
