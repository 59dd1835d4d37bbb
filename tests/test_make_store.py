"""benchmarks/make_store.py: a small generated store of each shipped policy passes `complaintctl check`
whole, has its share of open complaints, histories of 3-12 events and Chinese text; `ensure_store`
reuses a finished store and never one without its `.done` marker."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import run_main
from storekit import make_store

from complaintctl.records import yamlio
from complaintctl.records.record import Record
from complaintctl.store.directory import Store

COUNT = 60
NOW = datetime.fromisoformat(make_store.DEFAULT_NOW)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
OFFICES = {"metro": "MT", "tourism": "TR", "wedding": "WD", "manufacturing": "MF", "service": "SV"}


@pytest.mark.parametrize("policy", sorted(OFFICES))
def test_generated_store_checks_clean(policy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    root = tmp_path / policy
    paths = make_store.generate(root, COUNT, seed=7, now=NOW, policy=policy)
    assert len(paths) == COUNT

    code, out, err = run_main(capsys, "--store", str(root), "check")
    assert code == 0, out + err

    store = Store.open(root)
    assert store.settings.office == OFFICES[policy] and store.settings.language == "zh"
    needed = {role for action in store.policy.actions for role in action.roles or ()}
    held = {role for person in store.settings.people or () for role in person.roles}
    assert needed <= held
    assert all(person.email for person in store.settings.people or ())

    open_count = 0
    for index, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        if index % 10 == 0:  # the canonical text (check does not compare it): a sample, ruamel is slow
            assert yamlio.dump(Record.read(path).doc) == text
        complaint_id = re.search(r"^id: (.+)$", text, re.MULTILINE)[1]
        assert path == store.record_path(complaint_id) and complaint_id.startswith(f"{OFFICES[policy]}-")
        times = re.findall(r"^  - at: (.+)$", text, re.MULTILINE)
        actions = re.findall(r"^    action: (.+)$", text, re.MULTILINE)
        assert 3 <= len(times) == len(actions) <= 12
        assert actions[0] == "log" and times == sorted(times) and times[-1] <= NOW.isoformat()
        for key in ("subject", "description", "  name"):
            assert CHINESE.search(re.search(rf"^{key}: (.+)$", text, re.MULTILINE)[1]), (key, text)
        state = store.policy.initial
        for action in actions:
            if store.policy.has_action(action):
                state = store.policy.target(store.policy.action(action), state)
        if state not in store.policy.final_states:
            open_count += 1
            received = datetime.fromisoformat(re.search(r"^received_at: (.+)$", text, re.MULTILINE)[1])
            assert (NOW - received).days <= 90
    assert open_count == round(COUNT * make_store.OPEN_SHARE)


def test_ensure_store_reuses_only_finished_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(make_store, "CACHE", tmp_path / "cache")
    first = make_store.ensure_store("service", 12)
    assert (first / ".done").is_file()
    assert first.name.startswith("service-12-")
    assert sum(1 for _ in (first / "complaints").rglob("*.yaml")) == 12
    marker = (first / ".done").stat().st_mtime_ns
    assert make_store.ensure_store("service", 12) == first
    assert (first / ".done").stat().st_mtime_ns == marker  # reused, not generated again

    (first / ".done").unlink()  # as if the run writing it had been interrupted
    (first / "stray.txt").write_text("left over\n", encoding="utf-8")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = first.parent / f".{first.name}.{dead.pid}.partial"  # a run that was killed
    stale.mkdir()
    again = make_store.ensure_store("service", 12)
    assert again == first and (again / ".done").is_file() and not (again / "stray.txt").exists()
    assert not stale.exists()
    assert make_store.ensure_store("service", 12, seed=4) != first
