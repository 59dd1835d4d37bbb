"""A fast writer of records in the canonical format, with ruamel as the writer of anything else.

    text = render(doc)        # what yamlio.dump(doc) returns, or None
    if text is None:
        text = yamlio.dump(doc)

`yamlio.dump` imports ruamel and takes milliseconds; a command that logs or acts on one complaint
spends more on that than on its own work. `render` writes the plain dicts, lists and scalars of a
record exactly as `yamlio.dump` writes them (block mappings indented by two, sequences under their key
as `  - `, strings plain when YAML 1.1 and 1.2 both read them back as strings, else single-quoted,
multi-line strings as literal blocks) and answers None, never a guess, for anything else: keys that are
not simple names, strings ruamel would double-quote (a quote in them, characters it escapes) or with
spaces next to a line break, block
scalars that would need an indentation indicator, floats other than plain decimals, None, lists of
lists, other types. `tests/test_fastwrite.py` checks it against `yamlio.dump` over generated records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from complaintctl.records.yamlres import DUMP_TABLE

__all__ = ["render"]


class _Unsure(Exception):
    """ruamel writes it."""


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*\Z")
# What ruamel writes as it is (allow_unicode): printable ASCII and the printable planes of Unicode. The
# line and paragraph separators, NEL and the byte-order mark are left to ruamel.
_PRINTABLE = "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*\\Z"
_printable_pattern: list[re.Pattern[str]] = []  # compiled when first needed (it takes milliseconds)


def _printable(text: str) -> bool:
    """Whether ruamel writes every character of `text` as it is. What Python calls printable always is
    (no control, separator, surrogate, format or unassigned character); the pattern decides the rest."""
    if text.isprintable():
        return True
    if not _printable_pattern:
        _printable_pattern.append(re.compile(_PRINTABLE))
    return _printable_pattern[0].match(text) is not None
_FIRST = frozenset("#,[]{}&*!|>'\"%@`")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+\Z")


def render(doc: Mapping[str, Any]) -> str | None:
    """The canonical text of a record's plain data (`yamlio.dump(doc)`), or None when unsure."""
    out: list[str] = []
    try:
        _mapping(doc, 0, out)
    except _Unsure:
        return None
    text = "".join(out)
    if text.endswith("\n\n"):
        return None  # a kept block (`|+`) last: ruamel ends the document with `...`
    return text


def _mapping(mapping: Mapping[str, Any], indent: int, out: list[str], *, first_inline: bool = False) -> None:
    """Each `key: value` at column `indent`; with `first_inline` the first key follows a `- ` already
    written."""
    pad = " " * indent
    for number, (key, value) in enumerate(mapping.items()):
        if type(key) is not str or not _KEY.match(key) or not _is_plain(key):
            raise _Unsure
        out.append(f"{key}:" if first_inline and number == 0 else f"{pad}{key}:")
        _value(value, indent, out)


def _value(value: Any, indent: int, out: list[str]) -> None:
    """A mapping's value, after `key:` (the key at column `indent`)."""
    kind = type(value)
    if kind is dict:
        if not value:
            out.append(" {}\n")
            return
        out.append("\n")
        _mapping(value, indent + 2, out)
    elif kind is list:
        if not value:
            out.append(" []\n")
            return
        out.append("\n")
        _sequence(value, indent, out)
    elif kind is str and "\n" in value:
        out.append(" ")
        out.append(_literal(value, indent + 2))
    else:
        out.append(" ")
        out.append(_scalar(value))
        out.append("\n")


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    """Items of a sequence under a key at column `indent`: `- ` at indent + 2, content at indent + 4."""
    dash = " " * (indent + 2) + "- "
    for item in items:
        kind = type(item)
        if kind is dict and item:
            out.append(dash)
            _mapping(item, indent + 4, out, first_inline=True)
        elif kind is dict or kind is list or (kind is str and "\n" in item):
            raise _Unsure
        else:
            out.append(dash)
            out.append(_scalar(item))
            out.append("\n")


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        if _is_plain(value):
            return str(value)
        if "'" not in value and _printable(value):  # ruamel double-quotes a text with a quote
            return f"'{value}'"
        raise _Unsure
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        text = repr(value)
        if _FLOAT.match(text):
            return text
    raise _Unsure


def _is_plain(text: str) -> bool:
    """Whether ruamel writes this one-line string as a plain scalar in a block mapping or sequence."""
    if not text or not _printable(text):
        return False
    first = text[0]
    if first in _FIRST or first == " " or text[-1] == " " or text.startswith(("---", "...")):
        return False
    if first in "-?:" and (len(text) == 1 or text[1] == " "):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    return not any(regexp.match(text) for _tag, regexp in DUMP_TABLE.get(first, ()))


def _literal(text: str, indent: int) -> str:
    """A multi-line string as a literal block whose lines are indented to `indent`."""
    if not _printable(text.replace("\n", "")) or text[0] in " \n" or " \n" in text \
            or text.endswith(" "):
        raise _Unsure
    if not text.endswith("\n"):
        header, body = "|-", text
    elif text.endswith("\n\n"):
        header, body = "|+", text[:-1]
    else:
        header, body = "|", text[:-1]
    pad = " " * indent
    lines = [pad + line if line else "" for line in body.split("\n")]
    return header + "\n" + "\n".join(lines) + "\n"
