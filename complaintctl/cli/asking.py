"""The interactive `log`: on a terminal, the intake fields the options left out are asked one at a time in
the store's language, each answer checked as it is typed (a code by its number, code or label; a phone
number, an e-mail address, an amount, a time), and asked again at once with the reason. Nothing typed is
lost: when the form is left half-way (Ctrl-C, end of input) or the write path refuses the complaint, what
was typed is saved as a `log --from` document and the way to resume is printed."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import current_language, t
from complaintctl.base.safetext import for_terminal
from complaintctl.policy.fields import choose, number
from complaintctl.records import intake
from complaintctl.records.ids import require_filable
from complaintctl.store.directory import Store
from complaintctl.worktime.times import format_instant, parse_instant

_PHONE = re.compile(r"^\+?[\d\s()\-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Asked when not given though no policy requires them: how to call the complainant back.
_ALSO_ASKED = ("complainant.phone",)
DRAFTS = "drafts"


class Interrupted(Exception):
    """The person left the form (Ctrl-C, end of input); what was typed is in `fields`."""


def label_of(key: str) -> str:
    field = intake.BY_KEY.get(key)
    return t(field.heading) if field is not None else key


def to_ask(store: Store, fields: Mapping[str, Any], missing: list[str]) -> list[str]:
    """The fields to ask, in the record's order: the missing required ones, and a phone number."""
    allowed = {*intake.ALWAYS, *store.policy.intake.required, *store.policy.intake.optional}
    wanted = set(missing) | {key for key in _ALSO_ASKED if key in allowed and fields.get(key) in (None, "")}
    return [field.key for field in intake.TYPED if field.key in wanted]


def check_answer(store: Store, key: str, text: str, required: bool) -> Any:
    """The value of one answer as the record holds it; UsageError with the reason when it is not one."""
    value = text.strip()
    if not value:
        if required:
            raise UsageError(t("ask.required", label=label_of(key)))
        return None
    kind = intake.BY_KEY[key].kind
    if kind == "code":
        labels = store.policy.labels(key)
        if value.isdigit() and 1 <= int(value) <= len(labels):
            return labels[int(value) - 1].code
        return choose(label_of(key), labels, value)
    if kind == "money":
        return number(label_of(key), value)
    if key == "complainant.phone":
        digits = sum(ch.isdigit() for ch in value)
        if not _PHONE.match(value) or not 5 <= digits <= 20:
            raise UsageError(t("ask.bad_phone", value=value))
    if key == "complainant.email" and not _EMAIL.match(value):
        raise UsageError(t("ask.bad_email", value=value))
    return value


def _check_field(store: Store, key: str, required: bool, text: str) -> Any:
    return check_answer(store, key, text, required)


def check_received(store: Store, text: str, now: datetime) -> str | None:
    """The receipt time typed (None: now), refused when it is not a time, is in the future, or no id can
    carry its year."""
    value = text.strip()
    if not value:
        return None
    try:
        instant = parse_instant(value, store.tz, now, field="--received")
    except UsageError as error:
        raise UsageError(t("ask.bad_time", value=value, problem=error)) from error
    if instant > now:
        raise UsageError(t("time.future", field="--received", value=format_instant(instant, store.tz),
                           now=format_instant(now, store.tz)))
    require_filable(instant.astimezone(store.tz).year, "--received", value)
    return format_instant(instant, store.tz)


def _given_wrong(store: Store, fields: dict[str, Any]) -> list[str]:
    """The options given that no record could hold: each said at once, taken out, and asked again."""
    typed = {field.key for field in intake.TYPED}
    wrong = []
    for key in [key for key in fields if key in typed]:
        try:
            check_answer(store, key, str(fields[key]), required=False)
        except UsageError as error:
            typer.echo(for_terminal(t("ask.again", problem=error)), err=True)
            del fields[key]
            wrong.append(key)
    return wrong


def _read(prompt: str) -> str:
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def _until_good(prompt: str, check: Callable[[str], Any], read: Callable[[str], str]) -> Any:
    while True:
        answer = read(prompt)
        try:
            return check(answer)
        except UsageError as error:
            typer.echo(for_terminal(t("ask.again", problem=error)), err=True)


def _show_choices(store: Store, key: str) -> None:
    language = current_language()
    labels = store.policy.labels(key)
    lines = [t("ask.choices", label=label_of(key))]
    code_columns = max(len(label.code) for label in labels)
    lines.extend(f"  {number:>2}  {label.code:<{code_columns}}  {label.text(language)}"
                 for number, label in enumerate(labels, 1))
    typer.echo(for_terminal("\n".join(lines)))


def ask_intake(store: Store, fields: dict[str, Any], missing: list[str], received: str | None,
               now: datetime, read: Callable[[str], str] = _read) -> str | None:
    """Ask what is missing, filling `fields` as the answers come (so that an interruption keeps them);
    returns the receipt time (the one given, else the one typed, None for now). Raises Interrupted."""
    typer.echo(for_terminal(t("ask.intro", policy=store.policy.title.text(current_language()))))
    wrong = _given_wrong(store, fields)
    try:
        for key in to_ask(store, fields, [*missing, *wrong]):
            required = key in missing or key in wrong
            if intake.BY_KEY[key].kind == "code":
                _show_choices(store, key)
            hint = "" if required else t("ask.optional_hint")
            value = _until_good(f"{label_of(key)}{hint}: ",
                                functools.partial(_check_field, store, key, required), read)
            if value is not None:
                fields[key] = value
        if received is None:
            received = _until_good(t("ask.received") + ": ", lambda text: check_received(store, text, now),
                                   read)
    except (KeyboardInterrupt, EOFError) as stop:
        typer.echo("", err=True)
        raise Interrupted from stop
    return received


def draft_document(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields as `log --from` reads them: `complainant:` and `service:` nested, in the record's order."""
    document: dict[str, Any] = {}
    for field in intake.TYPED:
        value = fields.get(field.key)
        if value in (None, ""):
            continue
        if field.sub is None:
            document[field.key] = value
        else:
            document.setdefault(field.top, {})[field.sub] = value
    return document


def save_draft(store: Store, fields: Mapping[str, Any], received: str | None, now: datetime) -> None:
    """Keep what was typed in the store's `.complaintctl/drafts/` and say how to resume; when it cannot
    be written, print it (it is never lost)."""
    from complaintctl.base.fsutil import atomic_write
    from complaintctl.records import yamlio

    text = yamlio.dump(draft_document(fields))
    folder = store.state_dir / DRAFTS
    stamp = now.astimezone(store.tz).strftime("%Y%m%d-%H%M%S")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"log-{stamp}.yaml"
        number = 1
        while path.exists():
            number += 1
            path = folder / f"log-{stamp}-{number}.yaml"
        atomic_write(path, text)
    except OSError as error:
        typer.echo(for_terminal(t("ask.not_saved", problem=error.strerror or error)), err=True)
        typer.echo(for_terminal(text), err=True)
        return
    shown = _shown(path)
    resume = shown if received is None else f"{shown} --received '{received}'"
    typer.echo(for_terminal(t("ask.saved", path=resume)), err=True)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
