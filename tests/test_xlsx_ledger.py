"""The xlsx ledger for people (issue 20.6): instants as real Excel dates in the store's time zone,
columns as wide as their content (a Chinese character counts two), the header frozen and filtered,
labels where codes would be; and `import` reads such a workbook back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from reportkit import Desk

from complaintctl.ledger.columns import KEYS
from complaintctl.store.directory import Store

NOW = "2026-12-03T09:00"
DESCRIPTION = "列车空调不制冷,车厢闷热,乘客多次向站务员反映但无人处理。" * 2


@pytest.fixture
def workbook(tmp_path: Path, cli, real_clock) -> tuple[Desk, Path]:  # type: ignore[no-untyped-def]
    real_clock(NOW)
    desk = Desk.make(tmp_path, "metro")
    settings = desk.store.root / "complaintctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: en", "language: zh"),
                        encoding="utf-8")
    a = desk.log("2026-11-02T02:00:00+00:00", channel="phone", category="facilities",
                 complainant__name="张三", subject="空调", description=DESCRIPTION, location="人民广场站",
                 reference="R" * 30)
    desk.act(a, "assign", "2026-11-02T11:00", to="李四", department="车站运营部")
    desk.log("2026-11-20T09:00", channel="online", category="service_quality", complainant__name="李雷",
             subject="态度", description="态度差", location="徐家汇站")
    target = tmp_path / "台账.xlsx"
    result = cli("--store", desk.store.root, "--now", NOW, "export", "--output", target)
    assert result.code == 0, result
    return desk, target


def _column(key: str) -> int:
    return KEYS.index(key) + 1


def test_instants_are_excel_dates_in_the_store_time_zone(workbook) -> None:  # type: ignore[no-untyped-def]
    _, target = workbook
    sheet = openpyxl.load_workbook(target).active
    received = sheet.cell(row=2, column=_column("received_at"))
    assert received.is_date and received.data_type == "d"
    assert received.value == datetime(2026, 11, 2, 10, 0)  # 02:00 UTC is 10:00 in Asia/Shanghai
    assert received.number_format == "yyyy-mm-dd hh:mm:ss"
    registered = sheet.cell(row=2, column=_column("registered_at"))
    assert registered.is_date and registered.value == datetime(2026, 11, 2, 10, 0)
    assert sheet.cell(row=2, column=_column("closed_at")).value is None  # still open: an empty cell
    assert sheet.cell(row=2, column=_column("rejections")).data_type == "n"
    assert sheet.cell(row=2, column=_column("subject")).data_type == "s"


def test_widths_filter_and_frozen_header(workbook) -> None:  # type: ignore[no-untyped-def]
    _, target = workbook
    sheet = openpyxl.load_workbook(target).active
    assert sheet.freeze_panes == "B2"
    last = sheet.cell(row=1, column=len(KEYS)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last}3"

    def width(key: str) -> float:
        return sheet.column_dimensions[sheet.cell(row=1, column=_column(key)).column_letter].width

    assert width("reference") == 32  # 30 ASCII characters, and a margin
    assert width("description") == 60  # 58 Chinese characters count 116: capped
    assert width("location") == 12  # "投诉地点" / "人民广场站": 5 Chinese characters, and a margin
    assert width("received_at") == len("yyyy-mm-dd hh:mm:ss") + 2


def test_labels_instead_of_codes(workbook) -> None:  # type: ignore[no-untyped-def]
    desk, target = workbook
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    first = dict(zip(KEYS, rows[1], strict=True))
    assert first["policy"] == "地铁客户投诉管理制度"
    shown = (first["channel"], first["category"], first["status"])
    assert shown == ("客服热线12345", "设施设备", "已转派部门")
    policy = desk.store.policy
    labelled = (*policy.channels, *policy.categories, *policy.severities)
    codes = {policy.policy, *(label.code for label in labelled), *(state.name for state in policy.states)}
    for row in rows[1:]:
        for key, value in zip(KEYS, row, strict=True):
            if key != "history":  # the history keeps codes: import rebuilds the record from it
                assert value not in codes, (key, value)


def test_import_reads_the_workbook_back(workbook, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    desk, target = workbook
    copy = tmp_path / "copy"
    assert cli("init", copy, "--policy", "metro", "--office", "NB", "--language", "zh").code == 0
    result = cli("--store", copy, "--now", NOW, "import", target)
    assert result.code == 0, result
    imported = Store.open(copy)
    received = sorted(imported.read(cid).intake["received_at"] for cid in imported.all_ids())
    assert received == ["2026-11-02T10:00:00+08:00", "2026-11-20T09:00:00+08:00"]
    actions = sorted(tuple(event["action"] for event in imported.read(cid).history
                           if not event.get("historical")) for cid in imported.all_ids())
    assert actions == [("log",), ("log", "assign")]
