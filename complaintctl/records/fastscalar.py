"""The scalars of the fast record reader (`fastread`): plain scalars resolved with the very table
`yamlio` loads with (`yamlres`), single- and double-quoted scalars, one-line flow collections, and keys.
Anything not certain raises `_Unsure`, and the caller leaves the text to ruamel."""

from __future__ import annotations

import re
from typing import Any

from complaintctl.records import yamlres


class _Unsure(Exception):
    """The text may mean something this reader does not read: ruamel decides."""


# -- scalars ---------------------------------------------------------------------------------------

# The resolvers yamlio loads with (`yamlres`: the same table, without importing ruamel), by first
# character, compiled again here. None of them matches a text with a colon or a space in it.
_TABLE: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple((tag, re.compile(regexp.pattern, regexp.flags)) for tag, regexp in resolvers)
    for first, resolvers in yamlres.LOAD_TABLE.items()
}
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
# The forms of int and float constructed here; the others (0x1F, 1_000, .inf, ...) are left to ruamel.
_DECIMAL = re.compile(r"[-+]?[0-9]+\Z")
_REAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z|[-+]?[0-9]+[eE][-+]?[0-9]+\Z")
_MISSING = object()
_RESOLVED: dict[str, Any] = {}  # plain scalars that a resolver had to look at: true, note, 5, ...

# First characters that make a scalar something else than a plain one (or an error).
_INDICATORS = frozenset("&*!|>%@`#,[]{}'\"")
_SOMETIMES = frozenset("-?:")  # an indicator when a space (or nothing) follows
# First characters of a value that `_scalar` must look at; any other begins a plain string.
_LOOK = frozenset(_TABLE) | _INDICATORS | _SOMETIMES | {" ", ""}
_DIGITS = frozenset("0123456789")
_RESOLVER_FIRST = frozenset(_TABLE) - _SOMETIMES - {""}

_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
            "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
            "_": "\xa0", "L": "\u2028", "P": "\u2029"}  # fmt: skip
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


def _scalar(text: str) -> Any:
    """The scalar that makes up the whole of `text` (one line, no trailing space)."""
    if not text:
        raise _Unsure  # a value of nothing but the space after its colon
    first = text[0]
    if first == "'":
        return _single_quoted(text)
    if first == '"':
        return _double_quoted(text)
    if first in _INDICATORS or first == " " or (first in _SOMETIMES and text[1:2] in ("", " ")):
        raise _Unsure
    if ": " in text or " #" in text or text[-1] == ":":
        raise _Unsure
    return _plain(text)


def _plain(text: str) -> Any:
    """A valid plain scalar, resolved as yamlio's loader resolves it."""
    resolvers = _TABLE.get(text[0])
    if resolvers is None or ":" in text or " " in text:
        return text
    value = _RESOLVED.get(text, _MISSING)
    if value is not _MISSING:
        return value
    value = text
    for tag, regexp in resolvers:
        if regexp.match(text):
            value = _construct(tag, text)
            break
    if len(_RESOLVED) < 20_000:
        _RESOLVED[text] = value
    return value


def _construct(tag: str, text: str) -> Any:
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text[0] in "tT"
    try:
        if tag == _INT and _DECIMAL.match(text):
            return int(text)
        if tag == _FLOAT and _REAL.match(text):
            return float(text)
    except ValueError:  # e.g. more digits than int() converts
        raise _Unsure from None
    raise _Unsure  # a merge key, a value indicator, or a number in another form


def _single_quoted(text: str) -> str:
    inner = text[1:-1]
    if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
        raise _Unsure  # not closed on this line, or something follows the closing quote
    return inner.replace("''", "'")


def _double_quoted(text: str) -> str:
    match = _DOUBLE.match(text)
    if match is None or match.end() != len(text):
        raise _Unsure
    inner = match.group(1)
    if "\\" not in inner:
        return inner
    return _ESCAPE.sub(_unescape, inner)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) > 1:
        try:
            return chr(int(code[1:], 16))
        except (ValueError, OverflowError):  # beyond U+10FFFF
            raise _Unsure from None
    if code in _ESCAPES:
        return _ESCAPES[code]
    raise _Unsure  # an escape YAML does not know: ruamel reports it


def _quoted_end(text: str) -> int:
    """The index just after the quoted scalar that begins `text`."""
    if text[0] == '"':
        match = _DOUBLE.match(text)
        if match is None:
            raise _Unsure
        return match.end()
    i = 1
    while True:
        i = text.find("'", i)
        if i < 0:
            raise _Unsure
        if text[i + 1:i + 2] != "'":
            return i + 1
        i += 2


def _flow(text: str) -> list[Any] | dict[str, Any]:
    """`[]`, `{}`, or a one-line flow sequence of plain or single-quoted scalars."""
    if text == "[]":
        return []
    if text == "{}":
        return {}
    if text[0] != "[" or text[-1] != "]":
        raise _Unsure
    items = []
    for part in text[1:-1].split(", "):
        if not part or part[0] == '"' or any(c in part for c in ",[]{}"):
            raise _Unsure
        items.append(_scalar(part))
    return items


# -- keys ------------------------------------------------------------------------------------------

_GOOD_KEYS: set[str] = set()  # plain keys already found to be strings
# A key at the start of a line can be a document marker or a git conflict marker to ruamel.
_MARKERS = ("---", "...", "<<<<<<<", "=======", ">>>>>>>")


def _check_key(text: str) -> None:
    """Raise _Unsure unless `text` is a plain scalar that is a string, fit to be a key."""
    if text in _GOOD_KEYS:
        return
    first = text[0]
    if first in _INDICATORS or first == " " or (first in _SOMETIMES and text[1:2] in ("", " ")):
        raise _Unsure
    if text[-1] in ": " or len(text) > 128 or text.startswith(_MARKERS) or " #" in text or ": " in text:
        raise _Unsure
    if type(_plain(text)) is not str:
        raise _Unsure  # null, a bool or a number: no key of a record
    if len(_GOOD_KEYS) < 10_000:
        _GOOD_KEYS.add(text)


def _key(body: str) -> tuple[str, str | None] | None:
    """(key, the text after `: `, or None when the line ends at the colon) if the line `body` begins
    with a key; None if it holds a scalar."""
    if body[0] == "'" or body[0] == '"':
        end = _quoted_end(body)
        after = body[end:]
        if not after:
            return None
        if after == ":":
            rest = None
        elif after[:2] == ": ":
            rest = after[2:]
        else:
            raise _Unsure
        key = _scalar(body[:end])
        return key, rest
    i = body.find(": ")
    if i < 0:
        if body[-1] != ":":
            return None
        text, rest = body[:-1], None
    else:
        text, rest = body[:i], body[i + 2:]
    if not text:
        raise _Unsure
    _check_key(text)
    return text, rest


# -- the common shape, in bulk ---------------------------------------------------------------------
#
# A trailing space is stripped from a plain scalar, and ends a line of no canonical text but a null
# list item (`- `) or a literal block's line with trailing spaces: every path leaves those to ruamel.
# Nor does a value's text escape the JSON it is put in: `\` and `"` are escaped first, and a control
# character makes invalid JSON.
