"""Canonical, comment-preserving, safe YAML for records, settings and policies.

Everything goes through ruamel.yaml's round-trip mode, configured once here:

* Loading refuses, before anything is constructed: explicit tags (`!!python/object`, `!custom`,
  even `!!str`), anchors and aliases (unless `allow_anchors`, and then the expanded size is
  bounded), duplicate keys, git conflict markers, documents that are not a mapping and files over
  5 MB. Every refusal is a `ProblemsFound` whose message reads `path:line: message`.
* Timestamps are never resolved implicitly: `2026-11-20T16:00:00+08:00` and `2026-12-31` load as
  `str` and are written back unquoted. Otherwise scalars follow YAML 1.2 (`yes` loads as 'yes').
* Dumping quotes every string that a YAML 1.1 *or* 1.2 reader would take for another type
  ('13800138000', 'yes', '1.0', '18:00'), writes multi-line strings as literal blocks, never folds
  long lines, keeps non-ASCII text as is, and indents sequences under their key (`  - at: ...`).
* A comment at the very end of a file stays at the very end: appending an event to `history` adds
  exactly one block (ruamel would otherwise keep the comment attached to the old last event).
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from complaintctl.base.errors import Problem, ProblemsFound

__all__ = ["MAX_BYTES", "dump", "line_of", "load", "load_plain", "new_event", "to_plain"]

from complaintctl.records.yamlres import MAX_BYTES as MAX_BYTES  # noqa: E402 - one limit for both readers

MAX_EXPANDED_NODES = 100_000
"""With anchors allowed, the document with every alias expanded may hold at most this many nodes."""

MAX_DEPTH = 100
"""Nesting deeper than this is refused (records nest three levels)."""

_CONFLICT = re.compile(r"^(?:<<<<<<< |=======|>>>>>>> )", re.MULTILINE)
_UNRESOLVED = "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:yaml"


# --- resolvers ------------------------------------------------------------------------------------


def _table(versions: set[tuple[int, int]]) -> dict[Any, list[tuple[str, Any]]]:
    """Implicit-resolver table of the given YAML versions, without timestamps."""
    table: dict[Any, list[tuple[str, Any]]] = {}
    for applies_to, tag, regexp, first in implicit_resolvers:
        if tag in _UNRESOLVED or not versions.intersection(applies_to):
            continue
        for ch in first:
            table.setdefault(ch, []).append((tag, regexp))
    return table


_LOAD_TABLE = _table({(1, 2)})
# Writing: a string is quoted when YAML 1.1 or 1.2 would read it as anything but a string. Clock
# times are quoted alike ('09:00' as well as '18:00', which YAML 1.1 reads as a sexagesimal int).
_DUMP_TABLE = _table({(1, 1), (1, 2)})
for _digit in "0123456789":
    _DUMP_TABLE[_digit].insert(0, ("tag:yaml.org,2002:int", re.compile(r"^\d\d?:\d\d(?::\d\d)?$")))


class _LoadResolver(VersionedResolver):
    @property
    def versioned_resolver(self) -> Any:  # ignores %YAML directives on purpose
        return _LOAD_TABLE


class _DumpResolver(VersionedResolver):
    @property
    def versioned_resolver(self) -> Any:
        return _DUMP_TABLE


# --- composing: refuse before constructing --------------------------------------------------------


class _Refusal(MarkedYAMLError):
    """A well-formed document that uses something we do not accept."""


class _StrictComposer(Composer):
    """Refuses explicit tags, anchors and aliases as soon as the parser reports them."""

    allow_anchors = False

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            if not self.allow_anchors:
                raise _Refusal(None, None, "aliases (*name) are not allowed", event.start_mark)
        else:
            if event.ctag is not None:
                raise _Refusal(
                    None, None, f"explicit tags are not allowed: {event.ctag}", event.start_mark
                )
            if event.anchor is not None and not self.allow_anchors:
                raise _Refusal(None, None, "anchors (&name) are not allowed", event.start_mark)
        return super().compose_node(parent, index)


class _AnchorComposer(_StrictComposer):
    """Allows anchors and aliases, but bounds the size of the document with its aliases expanded."""

    allow_anchors = True

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            _check_expanded_size(node)
        return node


def _check_expanded_size(root: Node) -> None:
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise _Refusal(None, None, "an alias refers to its own ancestor", node.start_mark)
        total = 1
        if isinstance(node, SequenceNode | MappingNode):
            busy.add(key)
            children = (
                node.value
                if isinstance(node, SequenceNode)
                else (n for pair in node.value for n in pair)
            )
            for child in children:
                total += size(child)
                if total > MAX_EXPANDED_NODES:
                    raise _Refusal(
                        None,
                        None,
                        f"aliases expand to more than {MAX_EXPANDED_NODES} nodes",
                        node.start_mark,
                    )
            busy.discard(key)
        sizes[key] = total
        return total

    size(root)


def _loader(allow_anchors: bool) -> YAML:
    # A fresh instance per call costs microseconds and leaves no state behind after an error.
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _LoadResolver
    yaml.Composer = _AnchorComposer if allow_anchors else _StrictComposer
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH
    return yaml


def _dumper() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _DumpResolver
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000_000
    yaml.allow_unicode = True
    return yaml


# --- loading --------------------------------------------------------------------------------------


def _precheck(text: str, path: str) -> None:
    if len(text) > MAX_BYTES or (len(text) * 4 > MAX_BYTES and len(text.encode()) > MAX_BYTES):
        raise ProblemsFound([Problem(path, 0, "file is larger than 5 MB; refusing to read it")])
    if "<<<<<<< " in text or "=======" in text or ">>>>>>> " in text:
        problems = [
            Problem(path, text.count("\n", 0, m.start()) + 1, "unresolved git conflict marker")
            for m in _CONFLICT.finditer(text)
        ]
        if problems:
            raise ProblemsFound(problems)


def _message(error: MarkedYAMLError) -> str:
    if isinstance(error, _Refusal):
        return str(error.problem)
    if type(error).__name__ == "DuplicateKeyError":
        # ruamel's text is several lines long and suggests allowing duplicates
        key = re.search(r'found duplicate key "(.*)" with value', str(error.problem), re.DOTALL)
        return f"duplicate key {key.group(1)!r}" if key else "duplicate key"
    if type(error).__name__ == "MaxDepthExceededError":
        return f"nested more than {MAX_DEPTH} levels deep"
    parts = [str(p) for p in (error.context, error.problem) if p]
    return ": ".join(parts) or type(error).__name__


def _parse(text: str, path: str, allow_anchors: bool) -> CommentedMap:
    _precheck(text, path)
    try:
        doc = _loader(allow_anchors).load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise ProblemsFound([Problem(path, line, _message(error))]) from None
    except ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        char = error.character
        code = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        raise ProblemsFound([Problem(path, line, f"unacceptable character {code}")]) from None
    except YAMLError as error:
        raise ProblemsFound([Problem(path, 0, str(error).splitlines()[0])]) from None
    except RecursionError:
        raise ProblemsFound([Problem(path, 0, "nested too deeply")]) from None
    if not isinstance(doc, CommentedMap):
        kind = "empty" if doc is None else f"a {type(to_plain(doc)).__name__}"
        raise ProblemsFound(
            [Problem(path, 1, f"expected a mapping of keys to values, found {kind}")]
        )
    _move_tail_comment(doc)
    return doc


def load(text: str, path: str = "<string>") -> CommentedMap:
    """Parse one record (round-trip: comments, key order and line numbers kept)."""
    return _parse(text, path, allow_anchors=False)


def load_plain(text: str, path: str = "<string>", *, allow_anchors: bool = False) -> dict[str, Any]:
    """Parse a settings or policy file into plain dicts, lists and scalars."""
    plain: dict[str, Any] = to_plain(_parse(text, path, allow_anchors))
    return plain


# --- the end-of-file comment ----------------------------------------------------------------------


def _move_tail_comment(doc: CommentedMap) -> None:
    """Move the comment that ends the file from the last leaf onto the document's end.

    ruamel attaches everything after the last scalar (blank lines, comments) to that scalar, so a
    new event appended to `history` would be written *after* the file's closing comment. On the
    document's end it stays last. A comment on the same line as the last value stays there.

    After a plain or quoted scalar the comment's text begins with the newline that ends the
    scalar's line; on the document's end that newline has already been written, so it is dropped
    (else every save would add a blank line). A block scalar (`|`, `>`) owns its final newline.
    """
    node: Any = doc
    while True:
        if isinstance(node, CommentedMap) and node:
            key: Any = next(reversed(node))
            slot = 2
        elif isinstance(node, CommentedSeq) and node:
            key, slot = len(node) - 1, 0
        else:
            return
        child = node[key]
        if isinstance(child, CommentedMap | CommentedSeq) and child:
            node = child
            continue
        break
    entry = node.ca.items.get(key)
    if not entry or len(entry) <= slot or not isinstance(entry[slot], CommentToken):
        return
    token: CommentToken = entry[slot]
    value: str = token.value
    tail = value
    start = token.start_mark
    if start is not None and not value.startswith("\n") and _same_line(node, key, start.line):
        head, sep, tail = value.partition("\n")
        token.value = head + sep
    else:
        entry[slot] = None
        block = isinstance(child, LiteralScalarString | FoldedScalarString)
        if value.startswith("\n") and not block:
            tail = value[1:]
    if tail:
        if doc.ca.comment is None:
            doc.ca.comment = [None, None]
        doc.ca.end = [*(doc.ca.end or []), CommentToken(tail, CommentMark(0), None)]


def _same_line(node: Any, key: Any, line: int) -> bool:
    where: Any = (node.lc.data or {}).get(key)
    return where is not None and line in (where[0], where[-2])


# --- dumping --------------------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """The value as it is written: plain containers become Commented ones, multi-line text a
    literal block, dates ISO text. Commented containers are updated in place (comments stay)."""
    if isinstance(value, CommentedMap):
        for key, item in value.items():
            new = _canonical(item)
            if new is not item:
                value[key] = new
        return value
    if isinstance(value, CommentedSeq):
        for index, item in enumerate(value):
            new = _canonical(item)
            if new is not item:
                value[index] = new
        return value
    if isinstance(value, Mapping):
        return CommentedMap((key, _canonical(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return CommentedSeq(_canonical(item) for item in value)
    if isinstance(value, str):
        if "\n" in value:
            return value if isinstance(value, LiteralScalarString) else LiteralScalarString(value)
        return value if type(value) is str else str(value)
    if isinstance(value, _dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, _dt.time):
        plain_minutes = not (value.second or value.microsecond)
        return value.isoformat(timespec="minutes") if plain_minutes else value.isoformat()
    return value


def dump(doc: Mapping[str, Any]) -> str:
    """The canonical text of a record, settings or policy document."""
    stream = io.StringIO()
    _dumper().dump(_canonical(doc), stream)
    return stream.getvalue()


def new_event(fields: Mapping[str, Any]) -> CommentedMap:
    """An event to append to `history`, its keys in the given order."""
    event: CommentedMap = _canonical(dict(fields))
    return event


# --- plain values and line numbers ----------------------------------------------------------------


def to_plain(node: Any) -> Any:
    """Round-trip containers and scalar subclasses as plain dict, list, str, int, float and bool."""
    if isinstance(node, Mapping):
        return {to_plain(key): to_plain(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [to_plain(item) for item in node]
    if isinstance(node, bool | ScalarBoolean):
        return bool(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def line_of(doc: CommentedMap, path: Sequence[str | int]) -> int:
    """1-based line of the key or list item at `path`, else of its nearest existing ancestor; 0 if
    unknown (e.g. a document built in memory)."""
    node: Any = doc
    line = doc.lc.line + 1 if getattr(doc.lc, "line", None) is not None else 0
    for step in path:
        where: Any = None
        if isinstance(node, CommentedMap) and step in node:
            where = (node.lc.data or {}).get(step)
        elif (
            isinstance(node, CommentedSeq)
            and isinstance(step, int)
            and -len(node) <= step < len(node)
        ):
            step %= len(node)
            where = (node.lc.data or {}).get(step)
        else:
            return line
        if not where:
            return line
        line = where[0] + 1
        node = node[step]
    return line
