"""`complaintctl import FILE.csv|FILE.xlsx`: an existing ledger into the store.

Every row is checked first, through the policy, as if it were being imported (its intake, and every
event it brings, replayed in memory); a file with a bad row imports nothing unless the caller skips bad
rows. Then each good row that is not already in the store becomes a complaint: `operations.log`, then
`operations.act` for each later event, at the times the ledger gives.

What a row brings (README "Import"):
- a `history` column (a complaintctl export): every event, replayed as it happened;
- otherwise the ledger's own columns: an owner or department becomes an `assign` event, a closing time
  a `close` event (refused, and the row bad, when the policy needs steps the ledger does not record),
  and progress, result, cause and satisfaction, which have no event of their own, one `note`.

A clock that the imported complaint has breached already (an old row still open) is recorded as a
historical breach (`sweep.record_historical`): reports count it, and no sweep escalates or mails it; only
what falls due after the import is swept.

Each imported complaint keeps a `source` in its intake: the row's key (its `source` column, else
`id:` and its id column, else `row:` and a hash of when it was received, by whom and about what) and a
hash of the row's content. A row whose key is already in the store is skipped, and said to have
changed when its content differs; the record is never rewritten from the spreadsheet.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from complaintctl.app import operations, sweep
from complaintctl.app import write as write_path
from complaintctl.base.errors import ComplaintctlError, InvalidData, Problem, UsageError
from complaintctl.base.messages import current_language, t
from complaintctl.base.safetext import FORMULA_START
from complaintctl.core import engine, validate
from complaintctl.ledger.columns import COLUMNS, INTAKE_KEYS, KEYS
from complaintctl.ledger.sheet import Sheet, read_sheet
from complaintctl.policy import fields
from complaintctl.records import intake as intake_fields
from complaintctl.records.ids import require_filable
from complaintctl.records.record import nest_intake
from complaintctl.store.directory import Store
from complaintctl.worktime.times import format_instant, parse_instant, parse_stored_instant

TIME_KEYS = (*intake_fields.INSTANTS, "registered_at", "closed_at")
#: Columns with no event of their own: kept in one note when the row has no history.
NOTED = ("status", "result", "cause", "satisfaction")
SOURCE_HASH = " sha256:"


@dataclass
class Event:
    action: str
    at: str
    by: str
    fields: dict[str, Any]


@dataclass
class Plan:
    row: int
    key: str
    content: str
    intake: dict[str, Any]
    received: str
    registered: str
    registered_by: str
    events: list[Event] = field(default_factory=list)

    @property
    def source(self) -> str:
        return f"{self.key}{SOURCE_HASH}{self.content}"


@dataclass
class Outcome:
    imported: list[tuple[int, str]] = field(default_factory=list)  # (row, new id)
    already: list[tuple[int, str, bool]] = field(default_factory=list)  # (row, id, row changed since)
    bad: list[Problem] = field(default_factory=list)
    to_import: int = 0
    historical: int = 0  # clocks found breached already: recorded as history, never escalated


# -- columns ---------------------------------------------------------------------------------------

def column_map(sheet: Sheet, maps: Sequence[str]) -> dict[int, str]:
    """Column index → field key. A header is known by its field key or its English or Chinese heading;
    `--map COLUMN=FIELD` names any other, `--map COLUMN=` leaves a column out. An unknown column is an
    error: nothing in the file is dropped without being asked."""
    names = {key.casefold(): key for key in KEYS}
    for column in COLUMNS:
        names.setdefault(column.en.casefold(), column.key)
        names.setdefault(column.zh.casefold(), column.key)
    chosen: dict[str, str | None] = {}
    for item in maps:
        named, equals, wanted = item.partition("=")
        if not equals or not named.strip():
            raise UsageError(t("import.bad_map", value=item))
        target = wanted.strip()
        key = names.get(target.casefold()) if target else None
        if target and key is None:
            raise UsageError(t("import.map_unknown_field", value=item, field=target, fields=", ".join(KEYS)))
        if named.strip() not in sheet.headers:
            raise UsageError(t("import.map_unknown_column", value=item, column=named.strip(),
                               path=sheet.path.name))
        chosen[named.strip()] = key
    found: dict[int, str] = {}
    unknown: list[str] = []
    taken: dict[str, str] = {}
    for index, header in enumerate(sheet.headers):
        if not header:
            continue
        key = chosen[header] if header in chosen else names.get(header.casefold())
        if header in chosen and key is None:
            continue
        if key is None:
            unknown.append(header)
            continue
        if key in taken:
            raise UsageError(t("import.duplicate_column", path=sheet.path.name, first=taken[key],
                               second=header, field=key))
        taken[key] = header
        found[index] = key
    if unknown:
        raise UsageError(t("import.unknown_columns", path=sheet.path.name, columns=", ".join(unknown),
                           fields=", ".join(KEYS)))
    if "received_at" not in found.values():
        raise UsageError(t("import.no_received", path=sheet.path.name))
    return found


# -- planning and checking rows --------------------------------------------------------------------

def _cell(value: Any, key: str, store: Store) -> Any:
    """A cell as the record wants it; None for an empty one."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return format_instant(value if value.tzinfo else value.replace(tzinfo=store.tz), store.tz)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if key == "amount" or key in ("rejections", "reopenings", "costs"):
            return value
        # a phone number or an id typed into Excel becomes a number; the record keeps text
        return str(int(value)) if float(value).is_integer() else str(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text.startswith(FORMULA_START, 1):
        text = text[1:]  # export guards text that Excel would read as a formula with a quote
    return text or None


def plan_row(store: Store, sheet: Sheet, columns: Mapping[int, str], number: int, cells: list[Any],
             *, by: str, now: datetime, real_now: datetime | None = None) -> tuple[Plan | None, list[str]]:
    """The import of one row, and its problems (each `HEADER: message`)."""
    headers = {key: sheet.headers[index] for index, key in columns.items()}
    problems: list[str] = []
    beyond = [index + 1 for index, cell in enumerate(cells) if cell is not None and str(cell).strip()
              and (index >= len(sheet.headers) or not sheet.headers[index])]
    if beyond:  # nothing in the file is dropped without a word
        problems.append(t("import.extra_cells", columns=", ".join(map(str, beyond)),
                          count=sum(1 for header in sheet.headers if header)))
    values: dict[str, Any] = {}
    for index, key in columns.items():
        value = _cell(cells[index] if index < len(cells) else None, key, store)
        if value is not None:
            values[key] = value
    policy = store.policy
    if values.get("policy") not in (None, policy.policy, policy.title.en, policy.title.zh):  # code or title
        problems.append(t("import.policy_mismatch", row=values["policy"], store=policy.policy))
    instants: dict[str, str] = {}
    for key in TIME_KEYS:
        if key in values:
            try:
                moment = parse_instant(str(values[key]), store.tz, now, field=headers[key])
            except UsageError as error:
                problems.append(str(error))
                continue
            if moment > now:
                problems.append(t("time.future", field=headers[key], value=format_instant(moment, store.tz),
                                  now=format_instant(now, store.tz)))
            if key == "received_at":
                try:
                    require_filable(moment.astimezone(store.tz).year, headers[key], str(values[key]))
                except UsageError as error:
                    problems.append(str(error))
                    continue
            instants[key] = format_instant(moment, store.tz)
    intake = _intake(store, values, headers, problems)
    history = _history(values.get("history"), problems) if "history" in values else None
    received = instants.get("received_at")
    if received is None:
        if "received_at" not in values:
            problems.append(t("intake.missing", field=headers.get("received_at", "received_at"),
                              policy=policy.policy))
        return None, problems
    if history:
        registered, registered_by = str(history[0].get("at", "")), str(history[0].get("by", "") or by)
        events = [Event(str(event.get("action", "")), str(event.get("at", "")), str(event.get("by", "")),
                        {k: v for k, v in event.items() if k not in ("at", "by", "action", "recorded_at")})
                  for event in history[1:]]
    else:
        registered = instants.get("registered_at", received)
        registered_by = str(values.get("registered_by") or by)
        events = _ledger_events(store, values, instants, registered, by, sheet.path.name, number)
    key = _key(values, received)
    content = _content(values)
    plan = Plan(number, key, content, intake, received, registered, registered_by, events)
    if not problems:
        problems.extend(simulate(store, plan, now, headers, real_now))
    return plan, problems


def _intake(store: Store, values: Mapping[str, Any], headers: Mapping[str, str],
            problems: list[str]) -> dict[str, Any]:
    policy = store.policy
    intake: dict[str, Any] = {}
    for key in INTAKE_KEYS:
        if key not in values:
            continue
        try:
            intake[key] = fields.intake_value(policy, key, values[key], headers[key])
        except UsageError as error:
            problems.append(str(error))
    if "severity" not in intake and policy.severities:
        intake["severity"] = policy.severities[0].code
    excused: list[str] = []
    if values.get("missing") not in (None, ""):  # exported while fields were still to complete
        try:
            excused = fields.intake_value(policy, "missing", values["missing"], headers["missing"])
            intake["missing"] = excused
        except UsageError as error:
            problems.append(str(error))
    for missing in operations.missing_intake(store, intake):
        if missing not in values and missing not in excused:  # a bad value is reported already
            problems.append(t("intake.missing", field=headers.get(missing, missing), policy=policy.policy))
    return intake


def _history(text: Any, problems: list[str]) -> list[dict[str, Any]] | None:
    try:
        history = json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError as error:
        problems.append(t("import.bad_history", problem=error))
        return None
    if not isinstance(history, list) or not history or not all(isinstance(e, dict) for e in history) \
            or history[0].get("action") != "log":
        problems.append(t("import.bad_history", problem=t("check.first_event")))
        return None
    return history


def _ledger_events(store: Store, values: Mapping[str, Any], instants: Mapping[str, str], registered: str,
                   by: str, file_name: str, number: int) -> list[Event]:
    """What a ledger without a history says happened after the registration."""
    events = []
    assignment = {name: values[key] for name, key in (("to", "owner"), ("department", "department"),
                                                      ("coordinator", "coordinator")) if key in values}
    if assignment:
        # The ledger does not say when it was assigned: at the registration, the earliest it can be.
        events.append(Event("assign", registered, by, {k: str(v) for k, v in assignment.items()}))
    noted = [f"{_heading(key)}: {values[key]}" for key in NOTED if key in values]
    if noted:
        text = t("import.note", file=file_name, row=number, details="; ".join(noted))
        events.append(Event("note", registered, by, {"text": text}))
    if "closed_at" in instants:
        events.append(Event("close", instants["closed_at"], by, {}))
    return events


def _heading(key: str) -> str:
    language = current_language()
    return next(column.header(language) for column in COLUMNS if column.key == key)


def _key(values: Mapping[str, Any], received: str) -> str:
    if values.get("source"):
        return str(values["source"]).split(SOURCE_HASH)[0].strip()
    if values.get("id"):
        return f"id:{values['id']}"
    identity = [received, *(str(values.get(key, "")) for key in ("complainant.name", "complainant.phone",
                                                                 "complainant.email", "subject"))]
    return "row:" + hashlib.sha256("\x1f".join(identity).encode()).hexdigest()[:16]


def _content(values: Mapping[str, Any]) -> str:
    shown = {key: str(value) for key, value in values.items() if key != "source"}
    return hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


def simulate(store: Store, plan: Plan, now: datetime, headers: Mapping[str, str],
             real_now: datetime | None = None) -> list[str]:
    """Replay the plan in memory through the policy, as `log` and `act` would check it, each event
    validated as the write path will validate it: a file with a bad row imports nothing."""
    policy = store.policy
    calendar = store.calendar
    try:
        intake = operations.validate_intake(store, {**plan.intake, "source": plan.source})
        person = operations.actor(store, plan.registered_by)
        registered = parse_stored_instant(plan.registered)
        if registered < parse_stored_instant(plan.received):
            raise UsageError(t("time.before_received", field=headers.get("registered_at", "registered_at"),
                               value=plan.registered, received=plan.received))
        if registered > now:
            raise UsageError(t("time.future", field="registered_at", value=plan.registered,
                               now=format_instant(now, store.tz)))
    except (ComplaintctlError, ValueError) as error:
        return [str(error)]
    intake.update(id=t("import.this_row"), policy=policy.policy, office=store.settings.office,
                  received_at=plan.received)
    log = {"at": plan.registered, "by": person.name, "action": "log"}
    rules = write_path.rules(store, real_now)
    found = validate.refusals(validate.record_problems(rules, nest_intake(intake), [log]))
    if found:
        return [found[0].message]
    view = engine.replay(policy, calendar, intake, [log])
    for number, event in enumerate(plan.events, start=2):
        try:
            entry = _check_event(store, view, event, now)
            found = validate.appended_problems(rules, view, [entry], first=number - 1)
            if found:
                raise InvalidData(found[0].message)
        except (ComplaintctlError, ValueError, KeyError, TypeError) as error:
            where = _event_field(event, headers)
            return [t("import.event", field=where, number=number, action=event.action, at=event.at,
                      problem=error)]
    return []


def _event_field(event: Event, headers: Mapping[str, str]) -> str:
    if event.action == "assign" and "history" not in headers:
        return headers.get("owner") or headers.get("department") or "owner"
    if event.action == "close" and "history" not in headers:
        return headers.get("closed_at", "closed_at")
    return headers.get("history", "history")


def _check_event(store: Store, view: engine.View, event: Event, now: datetime) -> dict[str, Any]:
    """The event as `act` would make it of the row (the write path's validation then advances `view`)."""
    at = parse_stored_instant(event.at)
    if at < view.received_at:
        raise UsageError(t("time.before_received", field="at", value=event.at,
                           received=format_instant(view.received_at, store.tz)))
    if view.last_at is not None and at < view.last_at:
        raise UsageError(t("time.before_last", field="at", value=event.at,
                           last=format_instant(view.last_at, store.tz)))
    if at > now:
        raise UsageError(t("time.future", field="at", value=event.at, now=format_instant(now, store.tz)))
    if event.action == "escalate":
        own = dict(event.fields)  # the sweep's own record: kept as it wrote it
    else:
        person = operations.actor(store, event.by)
        own = engine.prepare(view, store.calendar, t("import.this_row"), event.action, event.fields, person)
    return {"at": event.at, "by": event.by, "action": event.action, **own}


# -- importing -------------------------------------------------------------------------------------

def existing_sources(store: Store) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """key → (id, content hash) of every imported complaint, and every id in the store."""
    from complaintctl.store import index

    sources: dict[str, tuple[str, str]] = {}
    ids: set[str] = set()
    for digest in index.digests(store):
        ids.add(digest.id)
        source = digest.values.get("source")
        if source:
            key, _, content = str(source).partition(SOURCE_HASH)
            sources[key.strip()] = (digest.id, content.strip())
    return sources, ids


#: Told how far an import is: (stage, rows done, rows in all); stage is "checking" or "importing".
Progress = Callable[[str, int, int], None]


def import_ledger(store: Store, path: Path, *, maps: Sequence[str] = (), skip_bad: bool = False,
                  dry_run: bool = False, by: str, now: datetime, real_now: datetime | None = None,
                  encoding: str | None = None, progress: Progress | None = None) -> Outcome:
    sheet = read_sheet(path, encoding)
    columns = column_map(sheet, maps)
    if not dry_run:
        write_path.require_real_time(store, now, real_now)
    # Two imports at once would both find a row new and both import it: one at a time.
    with store.store_lock("import"):
        return _import(store, sheet, columns, str(path), skip_bad=skip_bad, dry_run=dry_run, by=by, now=now,
                       real_now=real_now, progress=progress or _silent)


def _silent(stage: str, done: int, total: int) -> None:
    """No progress shown."""


def _import(store: Store, sheet: Sheet, columns: Mapping[int, str], shown: str, *, skip_bad: bool,
            dry_run: bool, by: str, now: datetime, real_now: datetime | None, progress: Progress) -> Outcome:
    outcome = Outcome()
    sources, ids = existing_sources(store)
    seen: dict[str, int] = {}
    plans: list[Plan] = []
    for done, (number, cells) in enumerate(sheet.rows, start=1):
        progress("checking", done, len(sheet.rows))
        plan, problems = plan_row(store, sheet, columns, number, cells, by=by, now=now, real_now=real_now)
        if plan is not None and plan.key in seen:
            problems.append(t("import.duplicate_row", row=seen[plan.key], source=plan.key))
        if problems:
            outcome.bad.extend(Problem(shown, number, problem) for problem in problems)
            continue
        assert plan is not None
        seen[plan.key] = number
        if plan.key in sources:
            found_id, content = sources[plan.key]
            outcome.already.append((number, found_id, content != plan.content))
        elif plan.key.startswith("id:") and plan.key[3:] in ids:
            outcome.already.append((number, plan.key[3:], False))  # exported from this very store
        else:
            plans.append(plan)
    outcome.to_import = len(plans)
    if outcome.bad and not skip_bad or dry_run:
        return outcome
    for done, plan in enumerate(plans, start=1):
        progress("importing", done, len(plans))
        complaint_id = write(store, plan, now, real_now)
        outcome.imported.append((plan.row, complaint_id))
        # a clock the ledger shows breached already is history: counted, never escalated or mailed
        outcome.historical += len(sweep.record_historical(store, complaint_id, now, real_now=real_now))
    return outcome


def write(store: Store, plan: Plan, now: datetime, real_now: datetime | None = None) -> str:
    """Register the complaint and append its events, each through the operations the commands use."""
    done = operations.log(store, {**plan.intake, "source": plan.source}, by=plan.registered_by, now=now,
                          at=plan.registered, received=plan.received, real_now=real_now)
    complaint_id = done.record.id
    for event in plan.events:
        if event.action == "escalate":
            _append_as_written(store, complaint_id, event, now, real_now)
        else:
            operations.act(store, complaint_id, event.action, event.fields, by=event.by, now=now, at=event.at,
                           real_now=real_now)
    return complaint_id


def _append_as_written(store: Store, complaint_id: str, event: Event, now: datetime,
                       real_now: datetime | None) -> None:
    """An escalation the sweep recorded: appended as the sweep appends it (by `sweep`, who is nobody in
    the people list), through the write path that validates every event."""
    entry = {"at": event.at, "by": event.by, "action": event.action, **copy.deepcopy(event.fields)}
    write_path.append(store, complaint_id, lambda record, view: [entry], now=now, real_now=real_now)
