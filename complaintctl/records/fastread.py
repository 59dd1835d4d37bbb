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

import json
import json.scanner
import re
from collections.abc import Sequence
from itertools import chain
from typing import Any, cast

from complaintctl.records import yamlres
from complaintctl.records.fastscalar import (
    _DIGITS,
    _GOOD_KEYS,
    _LOOK,
    _RESOLVER_FIRST,
    _check_key,
    _flow,
    _key,
    _plain,
    _scalar,
    _Unsure,
)

__all__ = ["parse_record"]


def parse_record(text: str) -> dict[str, Any] | None:
    """The record as plain dicts, lists and scalars, exactly as `yamlio.load_plain(text)` returns it;
    None when the text is not in the subset read here (then load it with `yamlio`)."""
    if not _acceptable(text):
        return None
    try:
        at = text.find(_HISTORY)
        if at > 0:
            events = _events(text[at + len(_HISTORY):])
            if events is not None:
                head = text[:at + 1]
                intake = _intake(head)
                if intake is None:
                    if not _no_controls(head):
                        return None
                    intake = _Reader(head).document()
                if "history" in intake:
                    return None  # a duplicate key
                intake["history"] = events
                return intake
        if not _no_controls(text):
            return None
        return _Reader(text).document()
    except _Unsure:
        return None


# -- the text as a whole ---------------------------------------------------------------------------

# ruamel's reader refuses control characters, surrogates and non-characters; YAML reads NEL, LS
# and PS as line breaks; a tab or a carriage return changes how a line is scanned. The JSON the
# common shape is rewritten into refuses C0 controls (tab and carriage return among them) by
# itself; the rest is looked for here.
_C0 = bytes(range(0x0a)) + bytes(range(0x0b, 0x20)) + b"\x7f"
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_WIDE = ("\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff")
_MAX_CHARS = yamlres.MAX_BYTES // 4  # larger texts go to yamlio, which refuses those over 5 MB


def _acceptable(text: str) -> bool:
    if len(text) > _MAX_CHARS or text[-1:] != "\n":
        return False
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return False
    if b"\x7f" in data or (b"\xc2" in data and _C1.search(data)):
        return False
    return not any(wide in text for wide in _WIDE)


def _no_controls(text: str) -> bool:
    """No C0 control but the line feed, and no trailing space (which a plain scalar would lose): what
    the line reader needs besides `_acceptable`."""
    data = text.encode()
    return len(data.translate(None, _C0)) == len(data) and " \n" not in text


_HISTORY = "\nhistory:\n"


_SCAN = json.scanner.make_scanner(cast(Any, json.JSONDecoder()))  # what json.loads runs


def _json(text: str) -> Any:
    """json.loads for a text that is one value with no space around it, without its wrappers."""
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        raise ValueError("no JSON value") from None
    if end != len(text):
        raise ValueError("more than one JSON value")
    return value


def _intake(text: str) -> dict[str, Any] | None:
    """The keys before the history, when each holds a one-line value or a mapping of them:

        id: MT-261120-K7QF-1
        complainant:
          name: 张三
          phone: '13800138000'

    None for any other shape (a literal block, a list, a quoted key...) and when a value holds a space:
    the line reader reads those. Rewritten as JSON like the history; the nested mappings are found by
    splitting at their lines (`\n  `): each piece is a nested line, then the outer lines after it."""
    spaces = text.count(" ")
    lines = text.count("\n")
    colons = text.count(":\n")
    if '"' in text or "\\" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    pieces = text[:-1].split("\n  ")
    last = len(pieces) - 1
    parts = ['{"']
    for n, piece in enumerate(pieces):
        if n:
            line, newline, outer = piece.partition("\n")
            parts.append(line.replace(": ", '": "'))
            if not newline:
                parts.append('"}}' if n == last else '", "')  # or the next piece is nested too
                continue
            parts.append('"}, "')
        else:
            outer = piece
        if n < last:  # a nested line follows: the last line of this piece is `parent:`
            top, newline, parent = outer.rpartition("\n")
            if parent[-1:] != ":":
                return None
            if newline:
                parts.append(top.replace(": ", '": "').replace("\n", '", "') + '", "')
            parts.append(parent[:-1] + '": {"')
        else:
            parts.append(outer.replace(": ", '": "').replace("\n", '", "') + '"}')
    try:
        result: dict[str, Any] = _json("".join(parts))
    except ValueError:  # a line without `: ` or with a second one, a continuation, a blank line
        return None
    inner = [value for value in result.values() if type(value) is dict]
    nested = sum(map(len, inner))
    if len(result) + nested != lines:
        return None  # a duplicate key
    # With no other space than the layout's, no value holds ` #`, begins or ends with a space; with
    # no other colon at the end of a line than the parents', no value ends with one.
    if spaces != len(result) - len(inner) + 3 * nested or colons != len(inner):
        return None
    try:
        _resolve((result, *inner))
    except _Unsure:
        return None
    return result


def _events(section: str) -> list[dict[str, Any]] | None:
    """The history, when it is the last key and every event is a mapping of one-line values:

        history:
          - at: 2026-11-20T16:04:00+08:00
            by: 王五
            action: log

    this is most of a record. None when the history has any other shape (nested lists, literal
    blocks, quoted keys...): the line reader then reads it.

    The section is rewritten as JSON (`[{"at": "2026-...", "by": "王五", "action": "log"}]`) by
    replacing its separators, and read by the json module, whose grammar checks the layout: a line
    without `: ` or with a second one, a line break that is not a separator (another indentation, a
    continuation) all make invalid JSON."""
    if not section.startswith("  - ") or ":\n" in section:
        return None  # a key whose value is on the lines below, or a value ending with a colon
    body = section[4:-1]
    if '"' in body or "\\" in body:
        body = body.replace("\\", "\\\\").replace('"', '\\"')
    body = body.replace(": ", '": "').replace("\n    ", '", "').replace("\n  - ", '"}, {"')
    try:
        events: list[dict[str, Any]] = _json('[{"' + body + '"}]')
    except ValueError:
        return None
    lines = section.count("\n")
    if sum(map(len, events)) != lines:
        return None  # a duplicate key
    # When the layout accounts for every space (the indentation, one after each dash and one after
    # each colon) no line has a comment, a trailing space, or a value that begins with a space.
    if section.count(" ") != 5 * lines - len(events) and (" #" in section or " \n" in section):
        return None
    try:
        _resolve(events)
    except _Unsure:
        return None
    return events


def _resolve(mappings: Sequence[dict[str, Any]]) -> None:
    """Check the keys, and resolve in place the values that are not plain strings as they stand: a
    value is one unless its first character is one a resolver or an indicator begins with (all of
    them ASCII: a value that sorts after U+0080 begins with none). An instant (a digit first, a colon
    in it) is a string too: no number has a colon (YAML 1.2)."""
    if not _GOOD_KEYS.issuperset(chain.from_iterable(mappings)):
        for mapping in mappings:
            for key in mapping:
                _check_key(key)
    for mapping in mappings:
        for key, value in mapping.items():
            if type(value) is str and value < "\x80":
                first = value[:1]
                if first in _LOOK and (first not in _DIGITS or ":" not in value):
                    # a letter, digit or sign a resolver looks for begins a valid plain scalar here
                    mapping[key] = _plain(value) if first in _RESOLVER_FIRST else _scalar(value)


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
        prefix = " " * indent
        while self.pos < end:
            line = lines[self.pos]
            if not line:
                raise _Unsure  # a blank line
            if not line.startswith(prefix):
                break  # the end of this mapping (the caller checks the indentation)
            body = line[indent:]
            first = body[0]
            if first == " ":
                raise _Unsure  # a continuation line or odd indentation
            i = body.find(": ")
            if i > 0 and first != "'" and first != '"':
                key: str = body[:i]
                if key not in _GOOD_KEYS:
                    _check_key(key)
                rest: str | None = body[i + 2:]
            else:
                entry = _key(body)
                if entry is None:
                    raise _Unsure  # a scalar where a key belongs
                key, rest = entry
            if key in result:
                raise _Unsure  # a duplicate key
            self.pos += 1
            if rest is None:
                result[key] = self.nested(indent)
            else:
                result[key] = self.value(rest, indent)
        return result

    def value(self, text: str, indent: int) -> Any:
        """The value `text` after the colon of a key at column `indent`."""
        first = text[0]
        if first == "|":
            return self.literal(text, indent + 2)
        if first == "[" or first == "{":
            return _flow(text)
        if first in _LOOK:
            return _scalar(text)
        if ": " in text or " #" in text or text[-1] == ":":
            raise _Unsure
        return text

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
            items.append(self.value(item, indent))
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
