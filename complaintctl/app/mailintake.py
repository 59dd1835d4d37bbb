"""E-mail intake: a message becomes a complaint, or a note on the complaint whose thread it answers; and
`intake maildir`, the loop cron runs over a Maildir.

Records are written only through `operations` (log, note, attach). The Message-ID of every message taken
in stays in the record: a new complaint's intake `source` is `mail:<message-id>`, and a reply's note ends
with a line naming `mail:<message-id>`. So the same message twice is taken once, and a reply finds its
complaint. A message's evidence (the message itself and its attachments) is attached right after its log
or note; a run stopped between the two finds the message known but its evidence missing, and attaches it.

Required intake fields a message cannot give (a category, a station) are asked for by `ask` on a
terminal; otherwise the complaint is logged with an intake `missing` list naming them, for the office to
complete with `act ID edit FIELD=VALUE` (`check` warns until it is done). The policy's clocks run from
the message's `Date` all the same.
"""

from __future__ import annotations

import contextlib
import mailbox
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from complaintctl.app import operations, write
from complaintctl.app.mailparse import SOURCE_PREFIX, BadMessage, Mail, read_message
from complaintctl.base.errors import ComplaintctlError, NotFound, UsageError
from complaintctl.base.fsutil import atomic_write
from complaintctl.base.messages import t
from complaintctl.records.record import Record
from complaintctl.store.directory import Store
from complaintctl.worktime.times import format_instant

# The channel a message comes in by: the policy's e-mail channel, else its online one (metro lists no
# e-mail channel: 受理一.2 names online complaints, which is where an e-mail to the office belongs).
MAIL_CHANNELS = ("email", "online")
REJECTED_FOLDER = "complaintctl-rejected"  # a Maildir++ subfolder: DIR/.complaintctl-rejected
INTAKE_LOCK = "mail-intake"
_MARK = re.compile(r"mail:(<[^<>\s]+>)\s*$")
_TAKEN_FLAGS = ":2,S"  # moved to cur/ as seen: complaintctl has read it
_MARK_BYTES = re.compile(rb"mail:(<[^<>\s]+>)\s*$")
# A source as written, or as `import` keeps it (a content hash after it: README "Reports, export and import")
_SOURCE = re.compile(r"mail:(<[^<>\s]+>)(?: sha256:\w+)?\s*$")
_SOURCE_BYTES = re.compile(rb"^source: mail:(<[^<>\s]+>)(?: sha256:\w+)?\s*$")


@dataclass(frozen=True)
class Taken:
    """What became of one message: logged (a new complaint), noted (a reply), completed (its evidence
    attached after an interrupted run), or duplicate (taken before)."""

    kind: str
    complaint_id: str
    outcome: operations.Outcome | None = None
    missing: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # the evidence files attached now, relative to the store


@dataclass(frozen=True)
class Handled:
    """One message of a Maildir run: taken, rejected (set aside with the reason) or failed (left in new/
    for the next run: the store, not the message, was at fault)."""

    name: str
    mail: Mail | None
    taken: Taken | None = None
    reason: str = ""
    rejected: bool = False


def mail_channel(store: Store, explicit: str | None = None) -> str:
    codes = [item.code for item in store.policy.channels]
    if explicit:
        if explicit not in codes:
            raise UsageError(t("field.choice", field="--channel", value=explicit, allowed=", ".join(codes)))
        return explicit
    for code in MAIL_CHANNELS:
        if code in codes:
            return code
    raise UsageError(t("mail.no_channel", policy=store.policy.policy, channels=", ".join(codes)))


# -- which messages the store holds -------------------------------------------------------------------

def message_ids_of(record: Record) -> list[str]:
    """The Message-IDs a record was written from: its intake's source and its reply notes' last lines."""
    found = []
    source = _SOURCE.match(str(record.intake.get("source") or ""))
    if source:
        found.append(source.group(1))
    for event in record.history:
        if event.get("action") == "note" and isinstance(event.get("text"), str):
            last = event["text"].rstrip().rsplit("\n", 1)[-1]
            match = _MARK.search(last)
            if match:
                found.append(match.group(1))
    return found


def known_messages(store: Store) -> dict[str, str]:
    """Message-ID → the id of the complaint it was taken into, for every message in the store.

    A scan of the record files (the index keeps no event texts): one read of each file (README "Mail
    intake" gives the time). A file as `fastwrite` writes it is read by two patterns, its intake's
    `source:` line and the last line of each block of text; only a file where they do not account for
    every `mail:<` in it (a hand edit, a quoted text) is parsed in full."""
    found: dict[str, str] = {}
    marker = (SOURCE_PREFIX + "<").encode()
    for path in store.record_paths():
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if marker not in data:
            continue
        quick = _quick_ids(data, marker)
        if quick is not None:
            for message_id in quick:
                found.setdefault(message_id, path.stem)
            continue
        try:
            record = Record.read(path, store.display_path(path))
        except (ComplaintctlError, ValueError):
            continue  # a broken record is `check`'s to report
        for message_id in message_ids_of(record):
            found.setdefault(message_id, record.id)
    return found


def _quick_ids(data: bytes, marker: bytes) -> list[str] | None:
    """The Message-IDs of a record as `fastwrite` writes it, read off the lines around each `mail:<`: the
    intake's `source:` line, or the last line of an event's block of text (followed by the next event or
    the end of the file). None when some `mail:<` is neither: the caller parses the record."""
    found = []
    position = data.find(marker)
    while position >= 0:
        start = data.rfind(b"\n", 0, position) + 1
        end = data.find(b"\n", position)
        end = len(data) if end < 0 else end
        line = data[start:end]
        at_source = line.startswith(b"source: mail:<")
        match = (_SOURCE_BYTES if at_source else _MARK_BYTES).search(line)
        if match is None:
            return None
        at_text_end = line.startswith(b"      ") and (end + 1 >= len(data)
                                                    or data.startswith(b"  - ", end + 1))
        if not (at_source or at_text_end):
            return None
        found.append(match.group(1).decode("utf-8", "replace"))
        position = data.find(marker, end)
    return found


# -- taking one message in ----------------------------------------------------------------------------

def intake_fields(store: Store, mail: Mail, channel: str | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "channel": mail_channel(store, channel),
        "complainant.name": mail.sender_name,
        "complainant.email": mail.sender_address,
        "subject": mail.subject,
        "description": mail.text,
        "source": mail.source,
    }
    return {name: value for name, value in fields.items() if value}


def take(store: Store, mail: Mail, *, by: str, now: datetime, known: dict[str, str],
         given: Mapping[str, Any] | None = None, ask: Callable[[str], str] | None = None,
         channel: str | None = None, at: str | None = None, received: str | None = None) -> Taken:
    """Take one message in (the caller holds the intake lock and passes `known_messages`, which this
    keeps up to date). `at` backdates the events written, `received` overrides the message's Date."""
    existing = known.get(mail.message_id)
    if existing is not None:
        evidence = _attach_evidence(store, existing, mail, by=by, now=now, at=at)
        return Taken("completed" if evidence else "duplicate", existing, evidence=evidence)
    parent = next((known[reference] for reference in mail.references if reference in known), None)
    if parent is not None:
        outcome = operations.note(store, parent, note_text(store, mail), by=by, now=now, at=at)
        known[mail.message_id] = parent
        evidence = _attach_evidence(store, parent, mail, by=by, now=now, at=at)
        return Taken("noted", parent, outcome, evidence=evidence)
    fields = {**intake_fields(store, mail, channel), **{k: v for k, v in (given or {}).items() if v}}
    missing = operations.missing_intake(store, fields)
    if missing and ask is not None:
        for name in missing:
            answer = ask(name).strip()
            if answer:
                fields[name] = answer
        missing = operations.missing_intake(store, fields)
    if missing:
        fields["missing"] = missing
    if received is None and mail.date is not None:
        latest = operations.when(store, at, now)[0]  # a sender's clock ahead of ours: received when logged
        received = format_instant(min(mail.date, latest), store.tz)
    outcome = operations.log(store, fields, by=by, now=now, at=at, received=received)
    complaint_id = outcome.record.id
    known[mail.message_id] = complaint_id
    evidence = _attach_evidence(store, complaint_id, mail, by=by, now=now, at=at)
    return Taken("logged", complaint_id, outcome, tuple(missing), evidence)


def note_text(store: Store, mail: Mail) -> str:
    sender = f"{mail.sender_name} <{mail.sender_address}>" if mail.sender_name else mail.sender_address
    date = format_instant(mail.date, store.tz) if mail.date else t("mail.no_date")
    lines = [t("mail.reply_head", sender=sender, date=date)]
    if mail.subject:
        lines.append(t("mail.reply_subject", subject=mail.subject))
    if mail.text.strip():
        lines += ["", mail.text.strip()]
    if mail.attachments:
        lines += ["", t("mail.reply_attachments", names=", ".join(a.filename for a in mail.attachments))]
    lines += ["", t("mail.reply_source", source=mail.source)]
    return "\n".join(lines) + "\n"


def _has_evidence(record: Record, mail: Mail) -> bool:
    stem = mail.evidence_name.removesuffix(".eml")
    for event in record.history:
        if event.get("action") != "attach":
            continue
        for item in event.get("files") or ():
            name = Path(str(item.get("path", "") if isinstance(item, dict) else "")).name
            if name == mail.evidence_name or (name.startswith(stem + "-") and name.endswith(".eml")):
                return True
    return False


def _attach_evidence(store: Store, complaint_id: str, mail: Mail, *, by: str, now: datetime,
                     at: str | None = None) -> tuple[str, ...]:
    """Attach the message and its attachments unless the record already has them; the files attached."""
    if _has_evidence(store.read(complaint_id), mail):
        return ()
    with tempfile.TemporaryDirectory(prefix="complaintctl-mail-") as folder:
        files = [Path(folder) / mail.evidence_name]
        files[0].write_bytes(mail.raw)
        used = {mail.evidence_name}
        for number, attachment in enumerate(mail.attachments, start=1):
            name = attachment.filename
            if name in used:
                stem, dot, suffix = name.partition(".")
                name = f"{stem}-{number}{dot}{suffix}"
            used.add(name)
            path = Path(folder) / name
            path.write_bytes(attachment.data)
            files.append(path)
        outcome = operations.attach(store, complaint_id, files, by=by, now=now, at=at)
    return tuple(str(item["path"]) for item in outcome.record.history[-1].get("files") or ())


def commit_taken(store: Store, taken: Taken, person: str) -> str | None:
    """Commit what taking one message wrote (its record and evidence) as one git commit; its short hash,
    or None when nothing was written."""
    from complaintctl.git import repo as gitrepo

    if taken.kind == "duplicate":
        return None
    record = store.read(taken.complaint_id)
    action = {"logged": "log", "noted": "note"}.get(taken.kind, "attach")
    event = taken.outcome.record.history[-1] if taken.outcome is not None else record.history[-1]
    subject = gitrepo.action_subject(action, record.id, event, record.intake)
    paths = [record.path, *(store.root / path for path in taken.evidence)]
    return write.commit_paths(store, paths, person, subject, action, complaint_id=record.id)


def take_one(store: Store, raw: bytes, *, by: str, now: datetime, given: Mapping[str, Any] | None = None,
             ask: Callable[[str], str] | None = None, channel: str | None = None, at: str | None = None,
             received: str | None = None) -> Taken:
    """`log --from-mail`: one message, under the intake lock."""
    mail = read_message(raw)
    with store.store_lock(INTAKE_LOCK):
        return take(store, mail, by=by, now=now, known=known_messages(store), given=given, ask=ask,
                    channel=channel, at=at, received=received)


# -- a Maildir -----------------------------------------------------------------------------------------

def new_messages(folder: Path) -> list[str]:
    """The file names in the Maildir's new/, oldest first (their names begin with the delivery time)."""
    try:
        with os.scandir(folder / "new") as entries:
            return sorted(entry.name for entry in entries
                          if not entry.name.startswith(".") and entry.is_file())
    except FileNotFoundError:
        raise NotFound(t("mail.not_maildir", path=folder)) from None


def intake_maildir(store: Store, folder: Path, *, by: str, now: datetime, channel: str | None = None,
                   progress: Callable[[Handled], None] | None = None) -> list[Handled]:
    """Take in every message of the Maildir's new/, each moved to cur/ only once its record is written.
    A message that cannot become a complaint goes to `.complaintctl-rejected/` with a `.reason` file;
    one that failed for the store's sake stays in new/ for the next run."""
    try:
        box = mailbox.Maildir(folder, factory=None, create=False)
    except mailbox.NoSuchMailboxError:
        raise NotFound(t("mail.not_maildir", path=folder)) from None
    names = new_messages(folder)
    if not names:
        return []
    # A policy without a mail channel, or a person the store does not know, is refused before any message.
    mail_channel(store, channel)
    operations.actor(store, by)
    handled: list[Handled] = []
    with store.store_lock(INTAKE_LOCK):
        known = known_messages(store)
        for name in names:
            outcome = _one(store, box, folder, name, by=by, now=now, known=known, channel=channel)
            if outcome is not None:
                handled.append(outcome)
                if progress is not None:
                    progress(outcome)
    return handled


def _one(store: Store, box: mailbox.Maildir, folder: Path, name: str, *, by: str, now: datetime,
         known: dict[str, str], channel: str | None) -> Handled | None:
    key = name.split(":", 1)[0]
    try:
        raw = box.get_bytes(key)
    except KeyError:
        return None  # another reader took it meanwhile
    mail: Mail | None = None
    try:
        mail = read_message(raw)
        taken = take(store, mail, by=by, now=now, known=known, channel=channel)
    except (BadMessage, UsageError) as error:
        reason = str(error)
        _reject(box, folder, name, reason, now)
        return Handled(name, mail, reason=reason, rejected=True)
    except (ComplaintctlError, OSError) as error:
        return Handled(name, mail, reason=t("mail.left", problem=error))
    # Moved by another reader meanwhile: taken all the same, and known next time.
    with contextlib.suppress(FileNotFoundError):
        os.rename(folder / "new" / name, folder / "cur" / (name + _TAKEN_FLAGS))
    return Handled(name, mail, taken)


def _reject(box: mailbox.Maildir, folder: Path, name: str, reason: str, now: datetime) -> None:
    """Set a message aside in the Maildir++ folder `.complaintctl-rejected` (a mail client shows it as a
    folder), with `<name>.reason` beside it saying why."""
    try:
        box.get_folder(REJECTED_FOLDER)
    except mailbox.NoSuchMailboxError:
        box.add_folder(REJECTED_FOLDER)
    rejected = folder / f".{REJECTED_FOLDER}"
    atomic_write(rejected / f"{name}.reason", f"{format_instant(now)}\n{reason}\n")
    os.rename(folder / "new" / name, rejected / "cur" / (name + ":2,"))
