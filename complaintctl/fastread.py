"""A fast reader for records in the canonical format, with ruamel as the judge of anything else.

    plain = parse_record(text)        # what yamlio.load_plain(text) returns, or None
    if plain is None:
        plain = yamlio.load_plain(text, path)

`yamlio.load` takes about 8 ms a record; indexing a store of 100,000 complaints from scratch cannot
afford that. `parse_record` reads the subset of YAML that `yamlio.dump` writes for a record (block
mappings indented by two, sequences indented under their key as `  - `, plain scalars on one line,
single- and double-quoted scalars on one line, literal blocks `|`, `|-` and `|+`, the empty flow
collections `[]` and `{}` and one-line flow sequences of plain or single-quoted scalars) and resolves
plain scalars with the very table `yamlio` loads with (YAML 1.2 without timestamps: `yes` is a
string, `2026-11-20T16:00:00+08:00` is a string, `~` is null).

It answers None, never a guess, whenever the text holds anything else or anything it cannot be sure
about: comments, anchors, aliases, tags, directives, document markers, conflict markers, tabs,
carriage returns, control characters, a byte-order mark, blank lines outside a literal block, trailing
spaces, indentation other than the canonical one, multi-line plain or quoted scalars, block scalars
with an indentation indicator, folded scalars, explicit keys, duplicate keys, keys that are not
strings, numbers in any but the plain decimal forms. The caller then loads the text with ruamel,
which accepts it, or refuses it with a message that names the line.
"""

from __future__ import annotations

import re
from typing import Any

from complaintctl import yamlio

__all__ = ["parse_record"]


class _Unsure(Exception):
    """The text may mean something this reader does not read: ruamel decides."""


def parse_record(text: str) -> dict[str, Any] | None:
    """The record as plain dicts, lists and scalars, exactly as `yamlio.load_plain(text)` returns it;
    None when the text is not in the subset read here (then load it with `yamlio`)."""
    if not _acceptable(text):
        return None
    try:
        return _Reader(text).document()
    except _Unsure:
        return None


# -- the text as a whole ---------------------------------------------------------------------------

# ruamel's reader refuses control characters and non-characters; YAML reads NEL, LS and PS as line
# breaks, and a tab or carriage return changes how a line is scanned. Checked on the UTF-8 bytes,
# where a character class is fast: one-byte controls by a regex, the few multi-byte ones by search.
_CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]")
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_WIDE = (b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbb\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_MAX_CHARS = yamlio.MAX_BYTES // 4  # larger texts go to yamlio, which refuses those over 5 MB


def _acceptable(text: str) -> bool:
    if len(text) > _MAX_CHARS or not text.endswith("\n") or " \n" in text:
        return False
    if "<<<<<<< " in text or "=======" in text or ">>>>>>> " in text:
        return False
    if text.startswith(("---", "...")) or "\n---" in text or "\n..." in text:
        return False
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return False
    if _CONTROL.search(data) or (b"\xc2" in data and _C1.search(data)):
        return False
    return not any(wide in data for wide in _WIDE)


# -- scalars ---------------------------------------------------------------------------------------

_TABLE: dict[Any, list[tuple[str, Any]]] = yamlio._LOAD_TABLE  # the resolvers yamlio loads with
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
# The forms of int and float constructed here; the others (0x1F, 1_000, .inf, ...) are left to ruamel.
_DECIMAL = re.compile(r"[-+]?[0-9]+\Z")
_REAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z|[-+]?[0-9]+[eE][-+]?[0-9]+\Z")

# First characters of a scalar that make it something else than a plain one (or an error).
_INDICATORS = frozenset("&*!|>%@`#,[]{}'\"")
_SOMETIMES = frozenset("-?:")  # an indicator when a space (or nothing) follows

_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
            "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
            "_": "\xa0", "L": "\u2028", "P": "\u2029"}  # fmt: skip
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")

# Resolved plain scalars that recur from record to record (names, actions, codes), bounded.
_RESOLVED: dict[str, Any] = {}


def _plain(text: str) -> Any:
    """A plain scalar, resolved as yamlio's loader resolves it; the text is known to be a valid one."""
    tag = next((tag for tag, regexp in _TABLE.get(text[0], ()) if regexp.match(text)), None)
    if tag is None:
        return text
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


def _scalar(text: str) -> Any:
    """The scalar that makes up the whole of `text` (non-empty, one line, no trailing space)."""
    value = _RESOLVED.get(text)
    if value is not None or text in _RESOLVED:
        return value
    first = text[0]
    if first == "'":
        return _single_quoted(text)
    if first == '"':
        return _double_quoted(text)
    if first in _INDICATORS or first == " ":
        raise _Unsure
    if first in _SOMETIMES and (len(text) == 1 or text[1] == " "):
        raise _Unsure
    if ": " in text or " #" in text or text[-1] == ":":
        raise _Unsure
    value = _plain(text)
    if len(text) <= 40:
        if len(_RESOLVED) >= 20_000:
            _RESOLVED.clear()
        _RESOLVED[text] = value
    return value


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


def _key(body: str) -> tuple[str, str | None] | None:
    """(key, the text after `: `, or None when the line ends at the colon) if the line `body` begins
    with a key; None if it holds a scalar."""
    first = body[0]
    if first == "'" or first == '"':
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
        key: Any = _scalar(body[:end])
    else:
        i = body.find(": ")
        if i < 0:
            if body[-1] != ":":
                return None
            text, rest = body[:-1], None
        else:
            text, rest = body[:i], body[i + 2:]
        if not text or text[-1] in ": " or len(text) > 128 or first == "?":
            raise _Unsure
        key = _scalar(text)
    if type(key) is not str:
        raise _Unsure  # a key that is null, a bool or a number: not a record's
    return key, rest


# -- blocks ----------------------------------------------------------------------------------------


class _Reader:
    """Reads the lines of one text, top to bottom; every method leaves `pos` at the first line it did
    not consume."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.lines.pop()  # the text ends with a newline: the last item is empty
        self.pos = 0

    def document(self) -> dict[str, Any]:
        if not self.lines:
            raise _Unsure
        document = self.mapping(0)
        if self.pos != len(self.lines):
            raise _Unsure
        return document

    def mapping(self, indent: int) -> dict[str, Any]:
        """The block mapping whose keys are at column `indent`, from the current line."""
        result: dict[str, Any] = {}
        lines = self.lines
        end = len(lines)
        while self.pos < end:
            line = lines[self.pos]
            body = line.lstrip(" ")
            at = len(line) - len(body)
            if at < indent and body:
                break
            if at > indent or not body:
                raise _Unsure  # a continuation line, odd indentation or a blank line
            entry = _key(body)
            if entry is None or entry[0] in result:
                raise _Unsure  # a scalar where a key belongs, or a duplicate key
            key, rest = entry
            self.pos += 1
            if rest is None:
                result[key] = self.nested(indent)
            elif rest[0] == "|":
                result[key] = self.literal(rest, indent + 2)
            elif rest[0] == "[" or rest[0] == "{":
                result[key] = _flow(rest)
            else:
                result[key] = _scalar(rest)
        return result

    def nested(self, indent: int) -> Any:
        """The value of a key at column `indent` that ends its line: a block below it, or null."""
        if self.pos >= len(self.lines):
            return None
        line = self.lines[self.pos]
        body = line.lstrip(" ")
        at = len(line) - len(body)
        if at <= indent:
            if at == indent and body[:1] == "-" and body[1:2] in ("", " "):
                raise _Unsure  # a sequence not indented under its key
            return None
        if at != indent + 2:
            raise _Unsure
        if body[:2] == "- ":
            return self.sequence(indent + 2)
        return self.mapping(indent + 2)

    def sequence(self, indent: int) -> list[Any]:
        """The block sequence whose dashes are at column `indent`, from the current line."""
        items: list[Any] = []
        lines = self.lines
        end = len(lines)
        while self.pos < end:
            line = lines[self.pos]
            body = line.lstrip(" ")
            at = len(line) - len(body)
            if at < indent and body:
                break
            if at > indent or body[:2] != "- ":
                raise _Unsure
            item = body[2:]
            if item[0] == "-" and item[1:2] in ("", " "):
                raise _Unsure  # a sequence in a sequence
            if _key(item) is not None:
                # a mapping whose first key shares the dash's line: read it as if the dash were a space
                lines[self.pos] = " " * (indent + 2) + item
                items.append(self.mapping(indent + 2))
                continue
            self.pos += 1
            if item[0] == "|":
                items.append(self.literal(item, indent + 2))
            elif item[0] == "[" or item[0] == "{":
                items.append(_flow(item))
            else:
                items.append(_scalar(item))
        return items

    def literal(self, header: str, indent: int) -> str:
        """A literal block scalar whose lines are indented to column `indent`."""
        if header not in ("|", "|-", "|+"):
            raise _Unsure  # an indentation indicator, or something after the header
        lines = self.lines
        end = len(lines)
        prefix = " " * indent
        content = []
        while self.pos < end:
            line = lines[self.pos]
            if line.startswith(prefix):
                content.append(line[indent:])
            elif line:
                break
            else:
                content.append("")
            self.pos += 1
        if not content or not content[0] or content[0][0] == " ":
            raise _Unsure  # the first line would set another indentation
        kept = len(content)
        while not content[kept - 1]:
            kept -= 1
        text = "\n".join(content[:kept])
        if header == "|-":
            return text
        if header == "|":
            return text + "\n"
        return text + "\n" * (1 + len(content) - kept)
