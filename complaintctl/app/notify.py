"""The sweep's notices: one plain-text digest per person, sent over SMTP as the store settings say.

`smtp_mailer(settings, ...)` returns a `sweep.Mailer`: given {person: (address, escalations)} it sends
each digest and returns {person: None when sent, else the reason it was not}. A server that is down or
refuses a message fails those notices, never the sweep.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from collections.abc import Mapping
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from complaintctl.app.sweep import Escalation, Mailer
from complaintctl.base.messages import t
from complaintctl.store.settings import SmtpSettings
from complaintctl.worktime.times import describe_duration, format_instant


def digest_text(person: str, items: list[Escalation], now: datetime, tz: object,
                labels: Mapping[str, str]) -> tuple[str, str]:
    """(subject, body) of one person's digest, in the current language."""
    breaches = sum(1 for item in items if item.level == "breach")
    warnings = len(items) - breaches
    subject = t("sweep.mail_subject", breaches=breaches, warnings=warnings)
    lines = [t("sweep.mail_greeting", person=person), ""]
    for item in sorted(items, key=lambda i: (i.level != "breach", i.due, i.id)):
        lines.append(f"{item.id}  {item.subject}")
        lines.append("  " + describe_item(item, now, tz, labels))
        if item.severity:
            lines.append("  " + t("sweep.severity_raised", severity=item.severity))
        lines.append("")
    lines.append(t("sweep.mail_footer", now=format_instant(now, tz)))  # type: ignore[arg-type]
    return subject, "\n".join(lines) + "\n"


def describe_item(item: Escalation, now: datetime, tz: object, labels: Mapping[str, str]) -> str:
    """`dispatch to department: due 2026-11-23T18:00:00+08:00, late by 2h` (or `due in 3h` for a
    warning)."""
    due = format_instant(item.due, tz)  # type: ignore[arg-type]
    late = item.late_seconds(now)
    if item.level == "breach":
        when = t("sweep.late", duration=describe_duration(late))
    else:
        when = t("sweep.due_in", duration=describe_duration(-late))
    return f"{labels.get(item.clock, item.clock)} [{t('sweep.level_' + item.level)}]: " \
           f"{t('label.due')} {due}, {when}"


def compose(settings: SmtpSettings, person: str, email: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = formataddr((person, email))
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="complaintctl")
    message.set_content(body)
    return message


def smtp_mailer(settings: SmtpSettings, now: datetime, tz: object, labels: Mapping[str, str],
                environ: Mapping[str, str] | None = None) -> Mailer:
    environ = os.environ if environ is None else environ

    def send(digests: Mapping[str, tuple[str, list[Escalation]]]) -> dict[str, str | None]:
        outcome: dict[str, str | None] = {}
        try:
            server = _connect(settings, environ)
        except (OSError, smtplib.SMTPException, ValueError) as error:
            reason = _reason(error)
            return {person: reason for person in digests}
        try:
            for person, (email, items) in digests.items():
                subject, body = digest_text(person, items, now, tz, labels)
                try:
                    server.send_message(compose(settings, person, email, subject, body))
                    outcome[person] = None
                except (OSError, smtplib.SMTPException) as error:
                    outcome[person] = _reason(error)
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                server.quit()
        return outcome

    return send


def _connect(settings: SmtpSettings, environ: Mapping[str, str]) -> smtplib.SMTP:
    if settings.security == "tls":
        server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if settings.user:
            password = environ.get(settings.password_env or "", "")
            if not password:
                raise ValueError(t("sweep.no_password", variable=settings.password_env or "password_env"))
            server.login(settings.user, password)
    except BaseException:
        server.close()
        raise
    return server


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return f"{type(error).__name__}: {text}" if not isinstance(error, ValueError) else text
