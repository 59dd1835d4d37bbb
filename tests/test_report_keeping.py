"""A finished period's section is kept in the index and read back while the records it comes from are
unchanged; an edit to one of them, or a rebuilt index, makes the report compute it again."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportkit import Desk, figures

from complaintctl.report import figures as figures_module
from complaintctl.store import index
from complaintctl.store.directory import Store


def _close(desk: Desk, cid: str, day: str) -> None:
    for hour, (action, fields) in enumerate([
            ("propose", {"opinion": "处理", "cause": "management"}), ("approve", {}), ("finish", {}),
            ("report_result", {"result": "已处理"}), ("respond", {"answer": "已答复"}),
            ("visit", {"satisfaction": "satisfied"}), ("close", {})]):
        desk.act(cid, action, f"{day}T{10 + hour:02d}:00", **fields)


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    d = Desk.make(tmp_path, "metro")
    for received, category in (("2026-10-05T09:00", "facilities"), ("2026-10-06T09:00", "environment"),
                               ("2026-11-02T09:00", "facilities")):
        cid = d.log(received, subject="投诉", description="情况", complainant__name="张三", category=category,
                    location="人民广场站", channel="phone")
        d.act(cid, "assign", received[:11] + "09:30", to="李四", department="车站运营部")
        _close(d, cid, received[:10])
    return d


def _kept_names(store: Store) -> list[str]:
    with index.Index(store) as opened:
        return [str(name) for (name,) in opened.connection.execute("SELECT name FROM kept ORDER BY name")]


def test_a_finished_period_is_read_back(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    first = desk.report("2026-11", now="2026-12-10T09:00")
    assert len(_kept_names(desk.store)) == 2  # November and October are both over

    def not_again(*_: object, **__: object) -> None:
        raise AssertionError("a kept section was computed again")

    monkeypatch.setattr(figures_module, "_section", not_again)
    again = desk.report("2026-11", now="2026-12-11T15:00")
    assert figures(again) == figures(first) and figures(again, previous=True) == figures(first, previous=True)
    assert figures(again, "category", "facilities", previous=True)["received"] == 1


def test_a_period_not_over_is_computed_every_time(desk: Desk) -> None:
    desk.report("2026-11", now="2026-11-20T09:00")
    (name,) = _kept_names(desk.store)
    assert " 2026-10-01 2026-11-01 " in name


def test_an_edited_record_is_counted_again(desk: Desk) -> None:
    before = desk.report("2026-11", now="2026-12-10T09:00")
    assert figures(before, "category", "environment", previous=True)["received"] == 1
    (path,) = [path for path in (desk.store.root / "complaints").rglob("*.yaml")
               if "category: environment" in path.read_text(encoding="utf-8")]
    # a hand edit (or a merge) changes the category of the October complaint
    path.write_text(path.read_text(encoding="utf-8").replace("category: environment", "category: facilities"),
                    encoding="utf-8")
    after = desk.report("2026-11", now="2026-12-10T09:00")
    assert figures(after, "category", "facilities", previous=True)["received"] == 2
    assert "environment" not in after.previous.groups["category"]
    assert figures(after) == figures(before)  # November's records did not change


def test_a_rebuilt_index_forgets_what_it_kept(desk: Desk) -> None:
    desk.report("2026-11", now="2026-12-10T09:00")
    with index.Index(desk.store) as opened:
        opened.refresh(rebuild=True)
    assert _kept_names(desk.store) == []
