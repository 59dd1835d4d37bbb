"""What every command shares: the store (found once), the current time, the person acting.

The real clock is read here, once per command, and nowhere below: `now` is `--now` (else the real clock),
`real_now` the real clock, which the write path compares with `now` (nothing is written in the future)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from complaintctl.base.messages import set_language
from complaintctl.store.directory import Store
from complaintctl.worktime.times import parse_instant, system_now


@dataclass
class AppContext:
    store_option: str | None
    now_option: str | None
    debug: bool = False
    _store: Store | None = field(default=None, repr=False)
    _now: datetime | None = field(default=None, repr=False)
    _real_now: datetime | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.find(self.store_option, os.environ, Path.cwd())
            set_language(self._store.settings.language)
        return self._store

    @property
    def real_now(self) -> datetime:
        if self._real_now is None:
            self._real_now = system_now()
        return self._real_now

    @property
    def now(self) -> datetime:
        if self._now is None:
            clock = self.real_now
            if self.now_option:
                self._now = parse_instant(self.now_option, self.store.tz, clock, field="--now")
            else:
                self._now = clock
        return self._now

    def person(self, by: str | None) -> str:
        from complaintctl.app.operations import default_person

        return by or default_person(os.environ, self.store.root)


set_language(None)
