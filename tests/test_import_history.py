"""Import is history, not an alarm (issue 20.7): the clocks an imported ledger's old open rows breached
long ago are recorded as historical breaches, counted by reports and never escalated or mailed by the
sweep; a row that falls due after the import is swept when it is due."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from test_sweep import at, escalations, make_store

from complaintctl.app import sweep
from complaintctl.ledger import importer
from complaintctl.store.directory import Store

IMPORTED = "2026-12-03T10:00"  # a Thursday, in working hours
LEDGER = """received_at,channel,category,subject,description,location,complainant.name,owner,department
2025-03-03 09:30,phone,facilities,闸机故障,闸机卡票,人民广场站,王芳,,
2025-06-10 10:00,online,service_quality,态度差,售票员态度差,徐家汇站,张伟,李四,车站运营部
2026-12-03 09:00,phone,facilities,电梯停运,电梯停运,人民广场站,赵敏,,
"""


class Outbox:
    """A mailer that keeps each digest instead of sending it."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[str]]] = []

    def __call__(self, digests: Mapping[str, tuple[str, list[sweep.Escalation]]]) -> dict[str, str | None]:
        for person, (_, items) in digests.items():
            self.sent.append((person, [item.id for item in items]))
        return {person: None for person in digests}


def _imported(tmp_path: Path) -> tuple[Store, dict[str, str]]:
    store = make_store(tmp_path / "s", "metro")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    outcome = importer.import_ledger(store, ledger, by="王五", now=at(IMPORTED))
    assert outcome.bad == [] and len(outcome.imported) == 3
    assert outcome.historical == 2
    names = {store.read(cid).intake["complainant"]["name"]: cid for _, cid in outcome.imported}
    return store, names


def _report(cli, store: Store, now: str) -> dict:  # type: ignore[no-untyped-def]
    result = cli("--store", store.root, "--now", now, "report", "--period", "2025", "--format", "json")
    assert result.code == 0, result
    return {key: figure["value"] for key, figure in json.loads(result.out)["figures"].items()}


def test_old_breaches_are_history_and_later_ones_are_swept(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    store, names = _imported(tmp_path)
    old, assigned, recent = names["王芳"], names["张伟"], names["赵敏"]
    history = escalations(store, old)
    assert [(e["clock"], e["level"], e["historical"]) for e in history] == [("dispatch", "breach", True)]
    opinion = escalations(store, assigned)
    assert [(e["clock"], e["historical"]) for e in opinion] == [("initial_opinion", True)]
    assert escalations(store, recent) == []
    before = _report(cli, store, "2026-12-03T10:30")
    assert before["complaints"] == 2 and before["on_time"] == 0  # both counted as breached
    assert (before["clock.dispatch.timed"], before["clock.dispatch.on_time"]) == (2, 1)  # 张伟 was assigned
    assert (before["clock.initial_opinion.timed"], before["clock.initial_opinion.on_time"]) == (1, 0)
    assert before["escalated"] == 0  # a breach found by the import was never escalated

    outbox = Outbox()
    first = sweep.sweep(store, at("2026-12-03T10:30"), mailer=outbox)
    assert first.recorded == [] and first.pending == [] and outbox.sent == []  # no flood
    assert {cid for cid, _ in first.overdue} == {old, assigned}  # still overdue, and said so by monitoring
    assert escalations(store, old) == history
    assert _report(cli, store, "2026-12-03T10:30") == before

    due = sweep.sweep(store, at("2026-12-07T09:30"), mailer=outbox)  # the recent row's dispatch was due Fri
    assert [(item.id, item.clock, item.level) for item in due.recorded] == [(recent, "dispatch", "breach")]
    assert outbox.sent == [("周静", [recent])]
    assert escalations(store, old) == history


def test_the_command_says_what_was_history(tmp_path: Path, cli, real_clock) -> None:  # type: ignore[no-untyped-def]
    real_clock(IMPORTED)
    store = make_store(tmp_path / "s", "metro")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    result = cli("--store", store.root, "--now", IMPORTED, "import", ledger, "--by", "王五")
    assert result.code == 0, result
    assert "2 deadline(s) had passed already: recorded as historical breaches" in result.out
    real_clock("2026-12-03T10:30")
    swept = cli("--store", store.root, "--now", "2026-12-03T10:30", "sweep")
    assert (swept.code, swept.out) == (0, ""), swept  # cron stays quiet
