"""One complaint record: the intake written once, then an append-only history of events.

The record keeps the round-trip YAML document when the file is not in the canonical format (comments a
person wrote survive every save), and an appended event is the only change a diff shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaintctl.base.errors import InvalidData
from complaintctl.base.messages import t
from complaintctl.records.fastread import parse_record
from complaintctl.records.fastwrite import render
from complaintctl.records.intake import NESTED, ORDER

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap

# ruamel (through `yamlio`) is imported only where a round-trip document is needed.

#: Every event's envelope: when, by whom, what (its own fields follow).
ENVELOPE = ("at", "by", "action")


def flatten_intake(intake: Mapping[str, Any]) -> dict[str, Any]:
    """{'complainant': {'name': ..}} → {'complainant.name': ..}."""
    flat: dict[str, Any] = {}
    for key, value in intake.items():
        if key in NESTED and isinstance(value, Mapping):
            for sub, sub_value in value.items():
                flat[f"{key}.{sub}"] = sub_value
        elif key != "history":
            flat[key] = value
    return flat


def nest_intake(flat: Mapping[str, Any]) -> dict[str, Any]:
    """{'complainant.name': ..} → {'complainant': {'name': ..}}: canonical key order, empties dropped."""
    nested: dict[str, Any] = {}
    for key in ORDER:
        if key in NESTED:
            inner = {sub: flat[f"{key}.{sub}"] for sub in NESTED[key]
                     if flat.get(f"{key}.{sub}") not in (None, "")}
            if isinstance(flat.get(key), Mapping):
                inner = {**dict(flat[key]), **inner}
            if inner:
                nested[key] = {sub: inner[sub] for sub in NESTED[key] if sub in inner}
        elif flat.get(key) not in (None, ""):
            nested[key] = flat[key]
    return nested


class Record:
    """A complaint record file. Read in the canonical format it is plain data (`fastread`), and an event
    appended to it is written by `fastwrite` as the block ruamel would add; the round-trip document
    (`doc`, with comments and line numbers) is parsed by ruamel only when something asks for it, or when
    the text is not canonical. Either way `text()` is what `yamlio.dump(doc)` gives."""

    __slots__ = ("_appended", "_display", "_doc", "_plain", "_text", "path")

    def __init__(self, path: Path, doc: CommentedMap | None = None, *, text: str | None = None,
                 plain: dict[str, Any] | None = None, display_path: str | None = None) -> None:
        if doc is None and (text is None or plain is None):
            raise ValueError("a record is a document, or a text with its plain data")
        self.path = path
        self._doc = doc
        self._text = text  # the file as read (plain data only)
        self._plain = plain
        self._appended: list[dict[str, Any]] = []  # events appended to the plain data, not yet written
        self._display = display_path

    def __repr__(self) -> str:
        return f"Record({self.path!s})"

    @classmethod
    def parse(cls, text: str, path: Path, display_path: str | None = None) -> Record:
        from complaintctl.records import yamlio

        return cls(path, yamlio.load(text, display_path or str(path)))

    @classmethod
    def read(cls, path: Path, display_path: str | None = None) -> Record:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise InvalidData(t("record.not_utf8", path=display_path or path, line=line,
                                offset=error.start)) from error
        plain = parse_record(text)
        if plain is None:
            return cls.parse(text, path, display_path)
        return cls(path, text=text, plain=plain, display_path=display_path)

    @classmethod
    def new(cls, path: Path, intake: Mapping[str, Any], log_event: Mapping[str, Any]) -> Record:
        nested = nest_intake(intake)
        data = {**nested, "history": [dict(log_event)]}
        text = render(data)
        if text is not None:
            plain = parse_record(text)
            if plain is not None and plain == data:
                return cls(path, text=text, plain=plain)
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        from complaintctl.records import yamlio

        doc = CommentedMap()
        for key, value in nested.items():
            doc[key] = value
        doc["history"] = CommentedSeq([yamlio.new_event(log_event)])
        # Build through text once, so a new record and a reloaded one are the same document.
        return cls(path, yamlio.load(yamlio.dump(doc), str(path)))

    @classmethod
    def rewritten(cls, path: Path, intake: Mapping[str, Any], history: list[dict[str, Any]]) -> Record:
        """A record of this intake (nested, as `intake` gives it) and history, in the canonical format:
        what `archive` writes in place of one whose personal data it replaced."""
        from complaintctl.records import yamlio

        data = {**{key: value for key, value in intake.items() if key != "history"}, "history": history}
        text = render(data)
        if text is not None:
            plain = parse_record(text)
            if plain is not None and plain == data:
                return cls(path, text=text, plain=plain)
        return cls(path, yamlio.load(yamlio.dump(data), str(path)))

    @property
    def doc(self) -> CommentedMap:
        """The round-trip document (parsed now, when the record was read as plain data)."""
        if self._doc is None:
            from ruamel.yaml.comments import CommentedSeq

            from complaintctl.records import yamlio

            assert self._text is not None
            doc = yamlio.load(self._text, self._display or str(self.path))
            history = doc.get("history")
            for event in self._appended:
                if not isinstance(history, CommentedSeq):
                    history = CommentedSeq()
                    doc["history"] = history
                history.append(yamlio.new_event(event))
            self._doc, self._plain, self._text, self._appended = doc, None, None, []
        return self._doc

    @property
    def id(self) -> str:
        source = self._plain if self._plain is not None else self.doc
        return str(source.get("id", ""))

    @property
    def intake(self) -> dict[str, Any]:
        if self._plain is not None:
            return {key: _copy(value) for key, value in self._plain.items() if key != "history"}
        from complaintctl.records import yamlio

        plain = yamlio.to_plain(self.doc)
        plain.pop("history", None)
        return dict(plain)

    @property
    def history(self) -> list[dict[str, Any]]:
        if self._plain is not None:
            return [_copy(event) for event in self._plain.get("history") or ()]
        from complaintctl.records import yamlio

        events = self.doc.get("history") or []
        return [dict(yamlio.to_plain(event)) for event in events]

    @property
    def written_history(self) -> Any:
        """The history as the file has it, whatever that is (`check` reports one that is not a list of
        events); `history` is always a list of mappings."""
        if self._plain is not None:
            return _copy(self._plain.get("history"))
        from complaintctl.records import yamlio

        return yamlio.to_plain(self.doc.get("history"))

    def append(self, event: Mapping[str, Any]) -> None:
        if self._plain is not None:
            history = self._plain.get("history")
            plain_event = _plain_event(event)
            if isinstance(history, list) and plain_event is not None:
                history.append(plain_event)
                self._appended.append(plain_event)
                return
            self.doc  # noqa: B018 - from here on the round-trip document
        from ruamel.yaml.comments import CommentedSeq

        from complaintctl.records import yamlio

        history = self.doc.get("history")
        if not isinstance(history, CommentedSeq):
            history = CommentedSeq()
            self.doc["history"] = history
        history.append(yamlio.new_event(event))

    def text(self) -> str:
        if self._plain is not None:
            assert self._text is not None
            if not self._appended:
                return self._text
            # The whole record as the canonical writer writes it: when it begins with the file as read,
            # the file was canonical and the appended events are the only change, as with ruamel.
            written = render(self._plain)
            if written is not None and written.startswith(self._text):
                return written
        from complaintctl.records import yamlio

        return yamlio.dump(self.doc)

    def line_of(self, *path: str | int) -> int:
        from complaintctl.records import yamlio

        return yamlio.line_of(self.doc, path)


def _copy(value: Any) -> Any:
    """A copy of plain data (what `yamlio.to_plain` gives: new containers, the same scalars)."""
    kind = type(value)
    if kind is dict:
        return {key: _copy(item) for key, item in value.items()}
    if kind is list:
        return [_copy(item) for item in value]
    return value


def _plain_event(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """The event as it reads back once written, when that is plain data as written (else None: ruamel
    decides, e.g. for a date or a tuple)."""
    copied = _copy(dict(event))
    return copied if _is_plain_data(copied) else None


def _is_plain_data(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        return all(type(key) is str and _is_plain_data(item) for key, item in value.items())
    if kind is list:
        return all(_is_plain_data(item) for item in value)
    return kind in (str, int, float, bool) or value is None
