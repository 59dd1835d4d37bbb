"""Real e-mail messages for the intake tests, built with Python's `email` package as mail clients send them:
RFC 2047 subjects in UTF-8, GB2312, GBK and GB18030, bodies in those charsets, multipart with attachments
(an RFC 2231 Chinese file name), HTML-only, replies (In-Reply-To, References)."""

from __future__ import annotations

import base64
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr

# A subject each charset can carry: 镕 is in GBK but not GB2312, 㐀 only in GB18030.
SUBJECTS = {
    "utf-8": "导游中途离团,行程缩水 — 要求赔偿",
    "gb2312": "导游中途离团,行程缩水",
    "gbk": "导游中途离团,朱镕基路上的酒店不符",
    "gb18030": "导游中途离团,㐀字号酒店不符",
}


def message(*, message_id: str, subject: str = "导游中途离团", body: str = "导游中途离团两小时。",
            charset: str = "utf-8", sender: str = "张三", address: str = "zhang@example.com",
            date: str = "Fri, 20 Nov 2026 16:00:00 +0800", html: str | None = None,
            attachments: list[tuple[str, bytes]] | None = None, in_reply_to: str | None = None,
            references: list[str] | None = None) -> bytes:
    """One message as bytes: plain text (or HTML only, when `html` is given), with attachments."""
    text = _text(html, "html", charset) if html is not None else _text(body, "plain", charset)
    if attachments:
        root = MIMEMultipart("mixed")
        root.attach(text)
        for filename, data in attachments:
            part = MIMEApplication(data, Name=None)
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
            root.attach(part)
    else:
        root = text  # type: ignore[assignment]
    root["From"] = formataddr((sender, address), charset="utf-8")
    root["To"] = "complaints@office.example.cn"
    root["Subject"] = encoded_words(subject, charset)
    root["Date"] = date
    root["Message-ID"] = message_id
    if in_reply_to:
        root["In-Reply-To"] = in_reply_to
    if references:
        root["References"] = " ".join(references)
    return root.as_bytes()


def encoded_words(text: str, charset: str) -> str:
    """RFC 2047 encoded words (B encoding) as mail clients write them, with the charset's usual label
    (Python's own Header would write GB2312 as `eucgb2312_cn`); a long text takes several words."""
    words = []
    for start in range(0, len(text), 12):
        chunk = base64.b64encode(text[start:start + 12].encode(charset)).decode("ascii")
        words.append(f"=?{charset}?B?{chunk}?=")
    return "\r\n ".join(words)


def _text(content: str, subtype: str, charset: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype, charset=charset)
    part.set_payload(base64.encodebytes(content.encode(charset)).decode("ascii"))
    part["Content-Transfer-Encoding"] = "base64"
    return part
