"""Generate a realistic complaint store for any shipped policy quickly, without the CLI.

    python benchmarks/make_store.py DIR [--policy metro] --count 100000 [--seed 3]
                                        [--now 2026-11-20T18:00:00+08:00] [--verify 200]

Writes `DIR/complaintctl.yaml` through `Store.create` (the policy; its office code MT, TR, WD, MF or SV;
Asia/Shanghai; zh; a people list holding every role the policy's actions need, with e-mails), then one
record per complaint as text in the canonical record format (README "Record format") straight to disk:
Chinese complainants, phones, e-mails, subjects, descriptions and places from the policy's tables in
tests/storekit/data/, received between 2021-01-01 and --now, ids as `ids.py` makes them
(OFFICE-YYMMDD-TAG-N, numbered per day and clone tag). 10 % are open (received in
the last 90 days, stopped part-way); the rest are closed through a valid path to a final state.
Histories have 3-12 events, walked through the policy with the engine (tests/storekit/walk.py): notes,
send-backs and reopenings, extensions where the policy has them; times in working hours mostly, now and
then late, so some clocks breach and some open complaints are overdue at --now.

`--verify K` (default 200) re-reads K records at random and requires that the canonical dump of each is
byte-identical to the file and that `complaintctl check`'s rules (schema, policy fields, replay through
the policy) find nothing. A store of a few hundred records can also be checked whole with
`complaintctl check`.

From Python, `ensure_store(policy, count, seed)` returns such a store cached under
/tmp/complaintctl-bench/POLICY-COUNT-KEY/ (KEY: a hash of the generator's sources, the policy file and
the arguments), generating it first when missing; the `.done` file in it is written last.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from storekit import data as store_data
from storekit.data import PolicyData, complainant, weighted
from storekit.walk import Walker, WalkFailed

HERE = Path(__file__).resolve().parent

from complaintctl.records import yamlio  # noqa: E402
from complaintctl.records.record import nest_intake  # noqa: E402
from complaintctl.store.directory import Store  # noqa: E402
from complaintctl.store.settings import Person, StoreSettings  # noqa: E402
from complaintctl.worktime.times import format_instant  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_NOW = "2026-11-20T18:00:00+08:00"
START = datetime(2021, 1, 1, 0, 0, tzinfo=TZ)
OPEN_SHARE = 0.10
OPEN_WINDOW = timedelta(days=90)
CACHE = Path(tempfile.gettempdir()) / "complaintctl-bench"
# Complaints by hour of the day, for channels open day and night (hotlines, the web).
HOURS = (1, 1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 10, 8, 9, 10, 10, 9, 8, 7, 6, 5, 4, 3, 2)


def settings_for(data: PolicyData) -> StoreSettings:
    people = [Person(name=name, roles=list(roles), email=f"{mailbox}@example.com")
              for name, roles, mailbox in data.people]
    return StoreSettings(policy=data.policy, office=data.office, timezone="Asia/Shanghai", language="zh",
                         people=people)


def _received(rng: random.Random, store: Store, low: datetime, high: datetime, office_hours: bool
              ) -> datetime:
    """A moment between low and high: on a working day in office hours for letters and e-mail,
    else mostly by day."""
    moment = low + timedelta(seconds=rng.randrange(max(1, int((high - low).total_seconds()))))
    day = moment.astimezone(TZ).date()
    if office_hours:
        while not store.calendar.is_working_day(day):
            day += timedelta(days=1)
        hour = rng.randint(9, 17)
    else:
        hour = rng.choices(range(24), weights=HOURS)[0]
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=TZ)


def _intake(rng: random.Random, data: PolicyData, channel: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The flat intake fields a person would type, and the context the texts are written in."""
    category = weighted(rng, data.category_weights)
    context = data.context(rng)
    department, topics = data.topics[category]
    people, mr = complainant(rng, channel, company=context.get("company"))
    context.update(mr=mr, name=people["complainant.name"], home_department=department)
    subject, description, demands = rng.choice(topics)
    flat: dict[str, Any] = {"channel": channel, **people, "subject": subject.format(**context),
                            "description": description.format(**context), "category": category,
                            "severity": weighted(rng, data.severity_weights)}
    if rng.random() < 0.75:
        flat["demands"] = demands.format(**context)
    flat.update(data.intake(rng, context, category, channel))
    context["subject"] = flat["subject"]
    context.setdefault("amount", flat.get("amount") or rng.choice(data.amounts))
    return flat, context


def generate(root: Path, count: int, seed: int, now: datetime, policy: str = "metro",
             stats: dict[str, int] | None = None) -> list[Path]:
    if root.exists() and any(root.iterdir()):
        raise SystemExit(f"{root} exists and is not empty")
    data = store_data.load(policy)
    store = Store.create(root, settings_for(data))
    rng = random.Random(seed)
    walker = Walker(store, data, rng)
    opened = set(rng.sample(range(count), round(count * OPEN_SHARE)))
    draws = []
    for index in range(count):
        channel = weighted(rng, data.channel_weights)
        is_open = index in opened
        low, high = (now - OPEN_WINDOW, now) if is_open else (START, now - timedelta(days=3))
        if is_open and rng.random() < 0.7:
            low = now - timedelta(days=14)  # most open complaints are recent; some are stuck
        draws.append((_received(rng, store, low, high, channel in data.office_channels), is_open, channel))
    draws.sort(key=lambda draw: draw[0])
    numbers: dict[tuple[str, str], int] = {}
    made: set[Path] = set()
    paths = []
    retries = 0
    for received, is_open, channel in draws:
        for _ in range(50):
            flat, context = _intake(rng, data, channel)
            flat.update(policy=data.policy, office=data.office, received_at=format_instant(received, TZ))
            try:
                events = walker.walk(flat, received, closed=not is_open, now=now, context=context)
            except WalkFailed:
                retries += 1
                if is_open:  # too recent to have three steps yet: received a few days earlier
                    received = max(received - timedelta(days=rng.randint(1, 7)), now - OPEN_WINDOW)
                continue
            last = datetime.fromisoformat(events[-1]["at"])
            if last <= now:
                break
            retries += 1  # the history runs past now: the complaint came in that much earlier
            received -= timedelta(weeks=(last - now) // timedelta(weeks=1) + 1)
        else:
            raise SystemExit(f"{policy}: no valid history for a complaint received {received}")
        day = f"{received:%y%m%d}"
        tag = data.tags[0] if rng.random() < 0.6 else rng.choice(data.tags)
        number = numbers[day, tag] = numbers.get((day, tag), 0) + 1
        flat["id"] = f"{data.office}-{day}-{tag}-{number}"
        path = store.record_path(flat["id"])
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(record_text(nest_intake(flat), events), encoding="utf-8")
        paths.append(path)
    if stats is not None:
        stats.update(open=len(opened), retries=retries, prepared=walker.prepared, memo=len(walker.memo),
                     dumped=_dumped.cache_info().currsize)
    return paths


# -- the canonical text, written directly ----------------------------------------------------------

_PLAIN_CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3001-\u303f][^\n\t\r]*")
_PLAIN_ASCII = re.compile(r"[A-Za-z][A-Za-z0-9._@/-]*")
_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
_DASHED = re.compile(r"\d+(?:-\d+)+")  # dates, landlines: never read as numbers, never quoted
_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


def scalar(value: Any) -> str:
    """A value as `yamlio.dump` writes it: plain where YAML reads it back as the same string, a digit
    string quoted; anything unusual is written by the dumper itself (remembered per string)."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN_CJK.fullmatch(text) and ": " not in text and " #" not in text and not text.endswith((" ", ":")):
        return text
    if (_PLAIN_ASCII.fullmatch(text) and text.lower() not in _WORDS) or _INSTANT.fullmatch(text) \
            or _DASHED.fullmatch(text):
        return text
    if text.isdigit():
        return f"'{text}'"
    return _dumped(text)


@cache
def _dumped(text: str) -> str:
    line = yamlio.dump({"k": text})
    if not line.startswith("k: ") or line.count("\n") != 1:
        raise ValueError(f"a generated value must fit on one line: {text!r}")
    return line[3:-1]


def record_text(intake: dict[str, Any], events: list[dict[str, Any]]) -> str:
    """The canonical text of a record (what `yamlio.dump` writes) from its nested intake and events."""
    lines = []
    for key, value in intake.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {sub}: {scalar(item)}" for sub, item in value.items())
        else:
            lines.append(f"{key}: {scalar(value)}")
    lines.append("history:")
    for event in events:
        lead = "  - "
        for key, value in event.items():
            if isinstance(value, list):
                lines.append(f"{lead}{key}:")
                lines.extend(f"      - {scalar(item)}" for item in value)
            else:
                lines.append(f"{lead}{key}: {scalar(value)}")
            lead = "    "
    return "\n".join(lines) + "\n"


def verify(root: Path, paths: list[Path], sample: int, seed: int) -> None:
    """Canonical text and a clean check for a random sample of the records written."""
    from complaintctl.records.record import Record
    from complaintctl.store.check import check_record

    store = Store.open(root)
    for path in random.Random(seed).sample(paths, min(sample, len(paths))):
        text = path.read_text(encoding="utf-8")
        record = Record.read(path, store.display_path(path))
        if yamlio.dump(record.doc) != text:
            raise SystemExit(f"{path}: not in the canonical format")
        problems = check_record(store, record, store.display_path(path))
        if problems:
            raise SystemExit("\n".join(str(p) for p in problems))


# -- cached stores for the benchmarks --------------------------------------------------------------

def cache_key(policy: str, count: int, seed: int, now: str = DEFAULT_NOW) -> str:
    """A hash of everything the store depends on: the generator's sources, the policy file, the args."""
    from complaintctl.policy.loader import resolve_policy

    digest = hashlib.sha256()
    sources = [HERE / "make_store.py", HERE / "walk.py", *sorted((HERE / "data").glob("*.py")),
               resolve_policy(policy)]
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    digest.update(f"{policy}|{count}|{seed}|{now}".encode())
    return digest.hexdigest()[:12]


def ensure_store(policy: str, count: int, seed: int = 3) -> Path:
    """A store of `count` complaints under `policy`, generated once into the cache and reused.

    It is generated beside its final place, verified, marked with `.done` and renamed into place, so a
    store without `.done` (an older, interrupted run) is never reused: it is removed and made again."""
    final = CACHE / f"{policy}-{count}-{cache_key(policy, count, seed)}"
    if (final / ".done").is_file():
        return final
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob(f".{final.name}.*.partial"):  # left by a run that was stopped
        if not _running(int(stale.suffixes[-2][1:])):
            shutil.rmtree(stale, ignore_errors=True)
    work = CACHE / f".{final.name}.{os.getpid()}.partial"
    shutil.rmtree(work, ignore_errors=True)
    now = datetime.fromisoformat(DEFAULT_NOW)
    print(f"generating {count:,} {policy} complaints in {final} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    paths = generate(work, count, seed, now, policy)
    seconds = time.perf_counter() - start
    verify(work, paths, 200, seed)
    print(f"  {seconds:.0f} s, 200 verified", file=sys.stderr, flush=True)
    (work / ".done").write_text(f"{len(paths)} complaints, {policy}, seed {seed}, now {DEFAULT_NOW}\n",
                                encoding="utf-8")
    if final.exists() and not (final / ".done").is_file():
        shutil.rmtree(final)
    try:
        work.rename(final)
    except OSError:  # another process finished first
        shutil.rmtree(work, ignore_errors=True)
        if not (final / ".done").is_file():
            raise
    return final


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--policy", default="metro", choices=store_data.POLICIES)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--now", default=DEFAULT_NOW,
                        help="the latest instant of any event (default: %(default)s)")
    parser.add_argument("--verify", type=int, default=200, metavar="K",
                        help="re-read and check K records at random (default: %(default)s)")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now)
    if now.tzinfo is None:
        now = now.replace(tzinfo=TZ)
    stats: dict[str, int] = {}
    t0 = time.perf_counter()
    paths = generate(args.directory, args.count, args.seed, now, args.policy, stats)
    t1 = time.perf_counter()
    verify(args.directory, paths, args.verify, args.seed)
    t2 = time.perf_counter()
    print(f"{len(paths)} {args.policy} complaints ({stats['open']} open) in {args.directory} "
          f"({t1 - t0:.1f} s; {min(args.verify, len(paths))} verified in {t2 - t1:.1f} s; "
          f"{stats['prepared']} prepare calls, {stats['retries']} walks drawn again)")


if __name__ == "__main__":
    main()
