"""`complaintctl check`: every problem of every record, as `path:line: message`.

A record is validated by the one validation (`core.validate`), which the write path applies to every
event it appends: what `check` reports of a stored record is what an action would refuse to write. Here
are only the rules of the store: a record's id and its place, duplicate ids, files that do not read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from complaintctl.base.errors import (
    ComplaintctlError,
    InvalidData,
    NotFound,
    Problem,
    ProblemsFound,
    UsageError,
)
from complaintctl.base.messages import t
from complaintctl.core import validate
from complaintctl.records import ids
from complaintctl.records.record import Record
from complaintctl.store.directory import COMPLAINTS_DIR, Store


def validation_rules(store: Store, real_now: datetime | None = None) -> validate.Rules:
    """What validating this store's records needs: its policy, calendar, people (and their roles), and
    the real clock (None: future events are not looked for)."""
    settings = store.settings
    people = None if settings.people is None else {
        person.name: frozenset(settings.roles_of(person.name)) for person in settings.people}
    return validate.Rules(store.policy, store.calendar, people, real_now)


def check_store(store: Store, paths: Sequence[Path] | None = None, *, real_now: datetime | None = None,
                now: datetime | None = None) -> tuple[list[Problem], int]:
    """All problems in the store (or in the records among `paths`), and how many records were read;
    with `now`, a warning for each record past the policy's retention (`archive` may be run on it)."""
    problems: list[Problem] = []
    if store.settings.people is None:
        problems.append(Problem("complaintctl.yaml", 0, "warning: " + t("check.no_people")))
    seen: dict[str, str] = {}
    rules = validation_rules(store, real_now)
    count = 0
    for path in store.record_paths() if paths is None else _records_among(store, paths):
        count += 1
        shown = store.display_path(path)
        try:
            record = Record.read(path, shown)
        except ProblemsFound as error:
            problems.extend(_conflict_regions(path, shown, error.problems))
            continue
        except InvalidData as error:
            problems.append(_as_problem(shown, error))
            continue
        except OSError as error:
            problems.append(Problem(shown, 0, t("record.unreadable", problem=error.strerror or error)))
            continue
        found = check_record(store, record, shown, rules=rules, size=path.stat().st_size)
        problems.extend(found)
        if now is not None and not found:
            problems.extend(_past_retention(store, record, shown, now))
        if record.id in seen:
            problems.append(Problem(shown, record.line_of("id"),
                                    t("check.duplicate_id", id=record.id, other=seen[record.id])))
        else:
            seen[record.id] = shown
    return problems, count


def _past_retention(store: Store, record: Record, shown: str, now: datetime) -> list[Problem]:
    from complaintctl.store.retention import expired
    from complaintctl.worktime.times import format_instant

    try:
        until = expired(store, record, now)
    except ComplaintctlError:
        return []  # a record that does not replay: check_record has said why
    if until is None:
        return []
    return [Problem(shown, 0, "warning: " + t("archive.past_retention", id=record.id,
                                               until=format_instant(until, store.tz)))]


def _records_among(store: Store, paths: Sequence[Path]) -> Iterator[Path]:
    """The record files among `paths` (relative to the working directory, as git and the pre-commit
    framework pass them); other files of the store (settings, evidence) are not records and skipped."""
    root = store.root.resolve()
    records = root / COMPLAINTS_DIR
    for given in dict.fromkeys(Path(p).resolve() for p in paths):
        if not given.is_relative_to(root):
            raise UsageError(t("git.check_outside", path=given, store=store.root))
        if given.is_dir() and given.is_relative_to(records):  # a year or a month
            found = sorted(given.rglob("*.yaml"))
        elif given.is_relative_to(records) and given.suffix == ".yaml":
            if not given.is_file():
                raise NotFound(t("attach.missing", path=given))
            found = [given]
        else:
            continue
        for path in found:
            if not path.name.startswith("."):
                yield store.root / path.relative_to(root)


_MARKER_PROBLEM = "unresolved git conflict marker"  # yamlio's message for each marker line


def _conflict_regions(path: Path, shown: str, problems: list[Problem]) -> list[Problem]:
    """One problem per conflict region, at its `<<<<<<<` line, saying how to resolve it (yamlio
    reports every marker line)."""
    if not any(p.message == _MARKER_PROBLEM for p in problems):
        return problems
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [p for p in problems if p.message != _MARKER_PROBLEM]
    for problem in problems:
        if problem.message == _MARKER_PROBLEM and 0 < problem.line <= len(lines) \
                and lines[problem.line - 1].startswith("<<<<<<<"):
            kept.append(Problem(shown, problem.line, t("git.check_conflict", id=path.stem)))
    return kept


def problems_of_file(store: Store, path: Path) -> list[Problem]:
    """Why one record file cannot be read or replayed, as `path:line: message` problems (none: it reads
    and replays). What every command that reads many records reports for a record it leaves out."""
    from complaintctl.store.projection import view_of_stored

    shown = store.display_path(path)
    try:
        view_of_stored(store, Record.read(path, shown))
    except ProblemsFound as error:
        return _conflict_regions(path, shown, error.problems)
    except ComplaintctlError as error:
        return [_as_problem(shown, error)]
    except OSError as error:
        return [Problem(shown, 0, t("record.unreadable", problem=error.strerror or error))]
    return []


def _as_problem(shown: str, error: ComplaintctlError) -> Problem:
    text = str(error)
    prefix = f"{shown}:"
    if text.startswith(prefix):
        line_text, _, message = text[len(prefix):].partition(": ")
        if line_text.isdigit():
            return Problem(shown, int(line_text), message)
        return Problem(shown, 0, text[len(prefix):].strip())  # the message names the file already
    return Problem(shown, 0, text)


def check_record(store: Store, record: Record, shown: str, *, rules: validate.Rules | None = None,
                 size: int | None = None) -> list[Problem]:
    """Every problem of one record: its id and place, and all the one validation finds."""
    rules = rules or validation_rules(store)
    return [*check_id_path(store, record, shown),
            *validate.record_problems(rules, record.intake, record.written_history, shown=shown,
                                      locate=record.line_of, size=size)]


def check_id_path(store: Store, record: Record, shown: str) -> Iterator[Problem]:
    complaint_id = record.id
    if not ids.is_id(complaint_id):
        yield Problem(shown, record.line_of("id"), t("id.malformed", value=complaint_id))
        return
    expected = store.record_path(complaint_id)
    if expected.resolve() != record.path.resolve():
        yield Problem(shown, record.line_of("id"),
                      t("check.id_path", id=complaint_id, expected=store.display_path(expected)))
