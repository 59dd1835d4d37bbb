"""A small kit for walking one complaint through a shipped policy, step by step, at given instants.

    walk = Walk.make(tmp_path, "metro", {"王五": ["centre"], "李四": ["department"]})
    walk.log("2026-11-20T16:00", by="王五", channel="phone", subject=..., ...)
    walk.act("assign", "2026-11-20T16:30", by="王五", to="李四", department="车站运营部")
    assert walk.status == "dispatched"
    assert walk.due("initial_opinion") == "2026-11-25T18:00:00+08:00"
    assert walk.deadline_state("initial_opinion", "2026-11-26T09:00") == "breached"
    message = walk.refused("approve", "2026-11-21T10:00", by="李四", comment="ok")

Instants without an offset are Asia/Shanghai wall time. Every step goes through
`complaintctl.app.operations` (the store is made by the real `complaintctl init`), with `now` set to the
instant of the step, so nothing depends on today's date. Messages are in English.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from complaintctl import cli
from complaintctl.app import operations
from complaintctl.base.errors import ComplaintctlError, Refused
from complaintctl.base.messages import set_language
from complaintctl.core.engine import View
from complaintctl.store import projection
from complaintctl.store.directory import Store

TZ = ZoneInfo("Asia/Shanghai")


def instant(text: str | datetime) -> datetime:
    """'2026-11-20T16:00' (Shanghai wall time) or an ISO instant with its offset, as a datetime."""
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=TZ)
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=TZ)


def iso(text: str | datetime) -> str:
    """The instant as records and `deadlines` write it: '2026-11-25T18:00:00+08:00'."""
    return instant(text).astimezone(TZ).replace(microsecond=0).isoformat()


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run `complaintctl ARGS` in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            cli.main(list(args))
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 0
    set_language("en")  # the CLI picks the store's language; keep ours
    return code, out.getvalue(), err.getvalue()


def make_store(root: Path, policy: str, people: dict[str, list[str]] | None, office: str = "CC") -> Store:
    """`complaintctl init ROOT --policy POLICY --language en`, then a `people:` list in the settings."""
    code, _, err = run_cli(["init", str(root), "--policy", policy, "--office", office, "--language", "en"])
    assert code == 0, err
    if people is not None:
        lines = ["people:"]
        for name, roles in people.items():
            lines.append(f"  - name: {name}")
            lines.append(f"    roles: [{', '.join(roles)}]")
        settings = root / "complaintctl.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    set_language("en")
    return Store.open(root)


class Walk:
    """One store and one complaint in it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.id: str | None = None

    @classmethod
    def make(cls, tmp_path: Path, policy: str, people: dict[str, list[str]] | None,
             office: str = "CC") -> Walk:
        return cls(make_store(tmp_path / "store", policy, people, office))

    # -- writing -------------------------------------------------------------------------------
    def log(self, at: str, *, by: str, received: str | None = None, **fields: Any) -> operations.Outcome:
        """Log a complaint registered at `at` (received at `received`, default the same instant).
        Intake fields as keywords; nested ones with a double underscore: complainant__name=..."""
        flat = {name.replace("__", "."): value for name, value in fields.items()}
        outcome = operations.log(self.store, flat, by=by, now=instant(at), at=iso(at),
                                 received=iso(received) if received else None)
        self.id = outcome.record.id
        return outcome

    def act(self, action: str, at: str, *, by: str, **fields: Any) -> operations.Outcome:
        """Take `action` at `at` (also the current time) on the walked complaint."""
        assert self.id is not None, "log a complaint first"
        return operations.act(self.store, self.id, action, fields, by=by, now=instant(at), at=iso(at))

    def refused(self, action: str, at: str, *, by: str, **fields: Any) -> str:
        """Take `action`, expect the policy to refuse it, and return the message; nothing is written."""
        before = self.history_length
        with pytest.raises(Refused) as refusal:
            self.act(action, at, by=by, **fields)
        assert self.history_length == before
        return str(refusal.value)

    def error(self, action: str, at: str, *, by: str, **fields: Any) -> ComplaintctlError:
        """Take `action` and expect any complaintctl error (a refusal, a usage error)."""
        with pytest.raises(ComplaintctlError) as caught:
            self.act(action, at, by=by, **fields)
        return caught.value

    # -- reading -------------------------------------------------------------------------------
    @property
    def record(self) -> Any:
        assert self.id is not None
        return self.store.read(self.id)

    @property
    def history_length(self) -> int:
        return len(self.record.history)

    @property
    def view(self) -> View:
        """The complaint as replayed from the file on disk."""
        return projection.view_of(self.store, self.record)

    @property
    def status(self) -> str:
        return self.view.status

    def deadlines(self, now: str) -> dict[str, dict[str, Any]]:
        """Each clock's latest run at `now`, by clock name (see operations.deadlines)."""
        return {row["name"]: row for row in operations.deadlines(self.store, self.view, instant(now))}

    def due(self, clock: str) -> str:
        """The due instant of the clock's latest run, ISO with offset."""
        runs = self.view.clocks[clock]
        assert runs, f"clock {clock} never started"
        return iso(runs[-1].due)

    def deadline_state(self, clock: str, now: str) -> str:
        """running, met, breached, paused or stopped, at `now`."""
        return self.deadlines(now)[clock]["state"]

    def runs(self, clock: str) -> int:
        """How many times the clock has started."""
        return len(self.view.clocks[clock])

    def open_clocks(self, now: str) -> dict[str, str]:
        """{clock: due} of the clocks running (or paused) at `now`."""
        return {name: row["due"] for name, row in self.deadlines(now).items() if row["open"]}

    def cli(self, *args: str, now: str) -> tuple[int, str, str]:
        """`complaintctl --store STORE --now NOW ARGS`."""
        return run_cli(["--store", str(self.store.root), "--now", iso(now), *args])


class Desk:
    """A fresh store on one policy, with the people and their roles, and one complaint in it; steps are
    written (when, by, action, **fields) and return the replayed View (the manufacturing and service walks).

        desk = Desk(tmp_path / "store", "service", {"前台": ["customer_service"]}, office="SV")
        view = desk.log("2026-11-24T10:00", "前台", {"channel": "phone", "complainant.name": "李女士", ...})
        view = desk.act("2026-11-24T10:20", "前台", "assess", severity="urgent", risk="high")
        assert desk.dues("2026-11-24T10:20")["resolution"] == ("2026-11-25T18:00:00+08:00", "running")
    """

    def __init__(self, root: Path, policy: str, people: dict[str, list[str]], office: str = "CC") -> None:
        self.root = root
        self.store = make_store(root, policy, people, office)
        self.id = ""

    def log(self, when: str, by: str, intake: dict[str, Any]) -> View:
        outcome = operations.log(self.store, intake, by=by, now=instant(when))
        self.id = outcome.record.id
        return outcome.view

    def act(self, when: str, by: str, action: str, **fields: Any) -> View:
        return operations.act(self.store, self.id, action, fields, by=by, now=instant(when)).view

    def refused(self, when: str, by: str, action: str, **fields: Any) -> str:
        """The message of an action the policy refuses; the record is left as it was."""
        before = self.store.read(self.id).text()
        with pytest.raises(ComplaintctlError) as caught:
            self.act(when, by, action, **fields)
        assert self.store.read(self.id).text() == before
        return str(caught.value)

    def view(self) -> View:
        return projection.view_of(self.store, self.store.read(self.id))

    def dues(self, now: str) -> dict[str, tuple[str, str]]:
        """Each clock's latest run as {name: (due, state)} at `now`."""
        rows = operations.deadlines(self.store, self.view(), instant(now))
        return {row["name"]: (row["due"], row["state"]) for row in rows}
