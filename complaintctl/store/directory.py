"""The store: a directory with `complaintctl.yaml` and `complaints/YYYY/MM/<id>.yaml`.

Found as git finds a repository: an explicit directory, else COMPLAINTCTL_STORE, else the nearest parent of
the working directory holding the settings file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from complaintctl.base.errors import InvalidData, Problem, ProblemsFound, StoreNotFound, UnknownId
from complaintctl.base.fsutil import TEMP_PATTERN, FileLock, atomic_write
from complaintctl.base.messages import t
from complaintctl.records import ids
from complaintctl.store.settings import SETTINGS_FILE, StoreSettings

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from complaintctl.policy.model import Policy
    from complaintctl.records.record import Record
    from complaintctl.worktime.arithmetic import Calendar

STATE_DIR = ".complaintctl"  # derived and per-clone: the clone's id tag, locks, caches; never committed
COMPLAINTS_DIR = "complaints"
EVIDENCE_DIR = "evidence"
GITIGNORE = (f"# derived, per clone: never committed\n/{STATE_DIR}/\n"
             "# what a write killed half-way leaves (complaintctl check reports or removes it)\n"
             f"{TEMP_PATTERN}\n")
LOCK_TIMEOUT = 30.0


class Store:
    def __init__(self, root: Path, settings: StoreSettings) -> None:
        self.root = root
        self.settings = settings

    # -- finding and opening -------------------------------------------------------------------
    @classmethod
    def find(cls, explicit: str | Path | None, environ: Mapping[str, str], cwd: Path) -> Store:
        named = explicit or environ.get("COMPLAINTCTL_STORE")
        if named:
            root = Path(named).expanduser().resolve()
            if not (root / SETTINGS_FILE).is_file():
                raise StoreNotFound(t("store.named_missing", path=root))
            return cls.open(root)
        for folder in (cwd, *cwd.parents):
            if (folder / SETTINGS_FILE).is_file():
                return cls.open(folder)
        raise StoreNotFound(t("store.not_found"))

    @classmethod
    def open(cls, root: Path) -> Store:
        from complaintctl.base.cache import remember

        path = root / SETTINGS_FILE
        data = path.read_bytes()
        settings = remember("settings", [data], lambda: _read_settings(path, data),
                            modules=("settings.py", "settings_schema.py", "plain.py"))
        return cls(root, settings)

    @classmethod
    def create(cls, root: Path, settings: StoreSettings) -> Store:
        from complaintctl.records import yamlio

        if (root / SETTINGS_FILE).exists():
            raise InvalidData(t("store.exists", path=root))
        (root / COMPLAINTS_DIR).mkdir(parents=True, exist_ok=True)
        data = settings.model_dump(exclude_none=True, exclude_defaults=False)
        if not data.get("auto_commit"):
            data.pop("auto_commit", None)
        atomic_write(root / SETTINGS_FILE, yamlio.dump(data))
        gitignore = root / ".gitignore"
        if not gitignore.exists():
            atomic_write(gitignore, GITIGNORE)
        return cls(root, settings)

    # -- what the store is made of -------------------------------------------------------------
    @cached_property
    def policy(self) -> Policy:
        from complaintctl.policy.files import load_policy

        return load_policy(self.settings.policy, base_dir=self.root)

    @cached_property
    def calendar(self) -> Calendar:
        from complaintctl.worktime.arithmetic import Calendar

        try:
            return Calendar.from_settings(self.settings.calendar, self.settings.timezone)
        except ValueError as error:
            raise InvalidData(t("settings.invalid", path=self.root / SETTINGS_FILE, problem=error)) from error

    @property
    def tz(self) -> ZoneInfo:
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.settings.timezone)

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    # -- records -------------------------------------------------------------------------------
    def record_path(self, complaint_id: str) -> Path:
        year, month = ids.month_of(complaint_id)
        return self.root / COMPLAINTS_DIR / year / month / f"{complaint_id}.yaml"

    def display_path(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def record_paths(self) -> Iterator[Path]:
        """Every record file, in id order within each month; temporary and hidden files are skipped."""
        base = self.root / COMPLAINTS_DIR
        if not base.is_dir():
            return
        for year in sorted(_subdirs(base)):
            for month in sorted(_subdirs(year)):
                with os.scandir(month) as entries:
                    names = sorted(e.name for e in entries
                                   if e.name.endswith(".yaml") and not e.name.startswith(".") and e.is_file())
                for name in names:
                    yield month / name

    def all_ids(self) -> Iterator[str]:
        for path in self.record_paths():
            yield path.stem

    def resolve(self, query: str) -> str:
        """The id named by a full id, a handle, a unique prefix or tail, or whole parts of one
        (`handles.resolve`)."""
        from complaintctl.store.handles import resolve

        return resolve(self, query)

    def path_of(self, complaint_id: str) -> Path:
        """The file of a complaint: where its id says it belongs, else wherever a file of that name lies
        (moved by hand into another month's folder); NotFound when there is none."""
        path = self.record_path(complaint_id)
        if path.is_file():
            return path
        for found in self.record_paths():
            if found.stem == complaint_id:
                return found
        raise UnknownId(t("id.unknown", value=complaint_id))

    def read(self, complaint_id: str) -> Record:
        from complaintctl.records.record import Record

        path = self.path_of(complaint_id)
        return Record.read(path, self.display_path(path))

    def write(self, record: Record, text: str | None = None) -> None:
        """Write a record atomically (`text`: its text, when the caller has it already)."""
        record.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(record.path, record.text() if text is None else text)

    def lock(self, complaint_id: str) -> FileLock:
        return FileLock(self.state_dir / "locks" / f"{complaint_id}.lock", LOCK_TIMEOUT, what=complaint_id)

    def store_lock(self, name: str, timeout: float = LOCK_TIMEOUT) -> FileLock:
        return FileLock(self.state_dir / "locks" / f"{name}.lock", timeout, what=name)

    # -- ids -----------------------------------------------------------------------------------
    def clone_tag(self) -> str:
        """This clone's random tag: drawn once, kept out of git, so other clones draw their own."""
        path = self.state_dir / "clone-tag"
        try:
            tag = path.read_text(encoding="ascii").strip()
            if len(tag) == ids.TAG_LENGTH and all(c in ids.CROCKFORD for c in tag):
                return tag
        except FileNotFoundError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        tag = ids.new_clone_tag()
        atomic_write(path, tag + "\n")
        return tag

    def allocate(self, received: datetime, intake: Mapping[str, object], log_event: Mapping[str, object],
                 check: Callable[[Record, str], None] | None = None) -> Record:
        """Make and write a new record under a fresh id; holds the id lock so two processes differ.
        `check(record, text)` may refuse it (by raising) before anything is written."""
        from complaintctl.records.record import Record

        local = received.astimezone(self.tz)
        with self.store_lock("ids"):
            tag = self.clone_tag()
            folder = self.root / COMPLAINTS_DIR / f"{local:%Y}" / f"{local:%m}"
            taken = [p.stem for p in folder.glob("*.yaml")] if folder.is_dir() else []
            complaint_id = ids.make_id(self.settings.office, f"{local:%y%m%d}", tag, taken)
            record = Record.new(self.record_path(complaint_id), {**intake, "id": complaint_id}, log_event)
            text = record.text()
            if check is not None:
                check(record, text)
            self.write(record, text)
        return record


def _read_settings(path: Path, data: bytes) -> StoreSettings:
    from pydantic import ValidationError

    from complaintctl.records import yamlio

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProblemsFound([Problem(str(path), 0, f"not UTF-8: {error}")]) from None
    doc = yamlio.load(text, str(path))
    try:
        return StoreSettings.model_validate(yamlio.to_plain(doc))
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = tuple(item["loc"])
            line = yamlio.line_of(doc, [part for part in location if isinstance(part, str | int)])
            where = ".".join(str(part) for part in location)
            problems.append(Problem(str(path), line, f"{where}: {item['msg']}"))
        raise ProblemsFound(problems) from error


def _subdirs(path: Path) -> Iterator[Path]:
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith("."):
                yield Path(entry.path)
