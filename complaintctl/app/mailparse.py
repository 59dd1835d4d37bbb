"""One e-mail message read for intake: sender, subject, text, date, thread, attachments.

Pure (no store): `read_message(bytes)` gives a `Mail` or raises `BadMessage` with the reason. Chinese mail
often says `gb2312` or `gbk` for text that only GB18030 (their superset) decodes, so every text of the GB
family is decoded as GB18030; an HTML-only message is rendered to plain text.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.header import Header, decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import t

SOURCE_PREFIX = "mail:"  # intake `source` of a complaint logged from a message: mail:<message-id>
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "euc-cn", "x-gbk", "cp936", "hz-gb-2312"}
_PARAGRAPHS = {"p", "div", "table", "blockquote", "pre", "hr", "section", "article", "header", "footer",
               "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
_LINES = {"br", "tr", "li"}


class BadMessage(UsageError):
    """A message that cannot become a complaint (no sender, nothing in it): it is set aside, never retried."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Mail:
    raw: bytes
    message_id: str  # with its angle brackets; made from the content when the message has none
    references: tuple[str, ...]  # the messages it answers, nearest first (In-Reply-To, then References)
    sender_name: str
    sender_address: str
    subject: str
    text: str
    date: datetime | None
    attachments: tuple[Attachment, ...] = field(default=())

    @property
    def source(self) -> str:
        return SOURCE_PREFIX + self.message_id

    @property
    def evidence_name(self) -> str:
        """The name the message itself is kept under as evidence: the same for the same Message-ID, so a
        record can tell whether this message's evidence is already attached."""
        return f"mail-{hashlib.sha256(self.message_id.encode()).hexdigest()[:12]}.eml"


def read_message(raw: bytes) -> Mail:
    if not raw.strip():
        raise BadMessage(t("mail.empty"))
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if not message.keys():
        raise BadMessage(t("mail.no_headers"))
    sender_name, sender_address = _sender(message)
    if not sender_address:
        raise BadMessage(t("mail.no_sender"))
    subject = " ".join(decoded_header(message.get("Subject", "")).split())
    body_parts: list[Message] = []
    text = _body(message, body_parts)
    attachments = tuple(_attachments(message, body_parts))
    if not subject and not text.strip() and not attachments:
        raise BadMessage(t("mail.nothing"))
    found_ids = _MESSAGE_ID.findall(str(message.get("Message-ID", "")))
    message_id = found_ids[0] if found_ids else f"<{hashlib.sha256(raw).hexdigest()}@complaintctl.invalid>"
    replied = _MESSAGE_ID.findall(str(message.get("In-Reply-To", "")))
    referenced = _MESSAGE_ID.findall(str(message.get("References", "")))
    references = tuple(dict.fromkeys([*replied, *reversed(referenced)]))
    return Mail(raw=raw, message_id=message_id, references=tuple(r for r in references if r != message_id),
                sender_name=sender_name, sender_address=sender_address, subject=subject, text=text,
                date=_date(message), attachments=attachments)


def decoded_header(value: object) -> str:
    """A header's text with its RFC 2047 encoded words decoded (GB2312 and GBK read as GB18030)."""
    raw = value if isinstance(value, Header) else str(value or "")
    try:
        pieces = decode_header(raw)  # a Header (raw 8-bit text, in compat32) is taken as it is
    except (ValueError, LookupError):
        return str(raw)
    words = []
    for piece, charset in pieces:
        if isinstance(piece, bytes):
            words.append(_decode(piece, charset))
        else:
            words.append(piece)
    return "".join(words)


def _decode(data: bytes, charset: str | None) -> str:
    name = (charset or "utf-8").lower().strip('"')
    if name in _GB_FAMILY:
        name = "gb18030"
    elif name in ("us-ascii", "ascii", "unknown-8bit", "x-unknown"):
        name = "utf-8"  # mislabelled 8-bit text is far more often UTF-8 than anything else
    try:
        return data.decode(name, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _sender(message: Message) -> tuple[str, str]:
    header = message.get("From") or message.get("Sender") or message.get("Reply-To") or ""
    addresses = getaddresses([decoded_header(header)])
    for name, address in addresses:
        if "@" in address:
            return " ".join(name.split()), address.strip()
    return "", ""


def _date(message: Message) -> datetime | None:
    value = message.get("Date")
    if not value:
        return None
    try:
        found = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return found if found.tzinfo is not None else None  # a date without a zone is no instant


def _leaf_parts(message: Message) -> list[Message]:
    """The parts that are not containers; an attached message (message/rfc822) stays one part."""
    if message.get_content_maintype() == "multipart" and isinstance(message.get_payload(), list):
        found = []
        for part in message.get_payload():
            if isinstance(part, Message):
                found += _leaf_parts(part)
        return found
    return [message]


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
    return disposition == "attachment" or bool(part.get_filename()) or \
        part.get_content_type() == "message/rfc822"


def _body(message: Message, chosen: list[Message]) -> str:
    """The first plain-text part, else the first HTML part rendered as text; `chosen` gets that part."""
    parts = [part for part in _leaf_parts(message) if not _is_attachment(part)]
    for wanted in ("text/plain", "text/html"):
        for part in parts:
            if part.get_content_type() == wanted:
                chosen.append(part)
                text = _part_text(part)
                text = html_to_text(text) if wanted == "text/html" else text
                return _tidy(text)
    return ""


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else str(part.get_payload()).encode()
    return _decode(data, part.get_content_charset())


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    tidy = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", tidy)


def _attachments(message: Message, body: list[Message]) -> list[Attachment]:
    found = []
    for number, part in enumerate(_leaf_parts(message), start=1):
        if any(part is chosen for chosen in body):
            continue
        if not _is_attachment(part) and part.get_content_maintype() == "text":
            continue  # the other alternative of the body (the HTML beside the plain text)
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            data = first.as_bytes() if isinstance(first, Message) else b""
            name = decoded_header(part.get_filename() or "") or f"attached-{number}.eml"
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            name = decoded_header(part.get_filename() or "") or f"attachment-{number}"
        found.append(Attachment(safe_filename(name, number), data))
    return found


def safe_filename(name: str, number: int) -> str:
    """A file name without folders, control characters or a leading dot."""
    cleaned = "".join(" " if ord(char) < 32 or char in '/\\:*?"<>|' else char for char in name)
    cleaned = " ".join(cleaned.split()).strip(". ")
    return cleaned[:120] or f"attachment-{number}"


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skipping += 1
        elif tag in _PARAGRAPHS:
            self.pieces.append("\n\n")
        elif tag in _LINES:
            self.pieces.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in _PARAGRAPHS:
            self.pieces.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.pieces.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(markup: str) -> str:
    """The text a reader sees in an HTML mail: paragraphs and line breaks kept, markup and scripts gone."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    text = unescape("".join(parser.pieces)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
