"""`complaintctl export` and `import`: the ledger as xlsx, CSV and JSON, redacted with stable
pseudonyms; a ledger back in, checked row by row through the policy, never imported twice."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from reportkit import Desk
from walkkit import instant

from complaintctl.app import operations
from complaintctl.ledger.columns import COLUMNS
from complaintctl.store import projection
from complaintctl.store.directory import Store

NOW = "2026-12-10T09:00"
ZH_HEADERS = [column.zh for column in COLUMNS]


@pytest.fixture(autouse=True)
def _real_clock_at_now(real_clock) -> None:
    real_clock(NOW)  # the imports below run at NOW, which may be after the machine's date


def _metro(root: Path, language: str = "zh") -> Desk:
    desk = Desk.make(root, "metro")
    settings = desk.store.root / "complaintctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: en", f"language: {language}"),
                        encoding="utf-8")
    a = desk.log("2026-11-02T10:00", at="2026-11-02T10:05", channel="phone", category="facilities",
                 complainant__name="张三", complainant__phone="13800138000", subject="电梯停运",
                 description="电梯停运两小时,请回电 13912345678 或 zs@example.com。\n第二行",
                 location="人民广场站", demands="赔偿")
    desk.act(a, "assign", "2026-11-02T11:00", to="李四", department="车站运营部")
    desk.act(a, "propose", "2026-11-03T11:00", by="李四", opinion="检修并致歉,张三已接受",
             cause="equipment_failure")
    desk.act(a, "reject", "2026-11-03T12:00", reason="不充分")
    desk.act(a, "propose", "2026-11-04T11:00", by="李四", opinion="检修", cause="equipment_failure")
    desk.act(a, "approve", "2026-11-04T12:00")
    desk.act(a, "finish", "2026-11-05T12:00", by="李四")
    desk.act(a, "report_result", "2026-11-05T13:00", by="李四", result="已修复")
    desk.act(a, "respond", "2026-11-05T14:00", answer="已答复")
    desk.act(a, "visit", "2026-11-06T10:00", satisfaction="satisfied")
    desk.act(a, "note", "2026-11-06T10:30", text="回访顺利")
    desk.act(a, "close", "2026-11-06T11:00")
    b = desk.log("2026-11-10T10:00", channel="online", category="service_quality", complainant__name="李雷",
                 complainant__email="LiLei@example.com", subject="=HYPERLINK(\"http://x\")",
                 description="-售票员态度差", location="徐家汇站")
    desk.act(b, "escalate", "2026-11-12T09:00", by="sweep", clock="dispatch", due="2026-11-11T18:00:00+08:00",
             level="breach", to="周静")
    evidence = root / "photo.txt"
    evidence.write_text("照片", encoding="utf-8")
    operations.attach(desk.store, b, [evidence], by="王五", now=instant("2026-11-12T10:00"), at=None)
    return desk


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    return _metro(tmp_path_factory.mktemp("source"))


def _empty(root: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    result = cli("init", root, "--policy", "metro", "--office", "NB", "--language", "zh")
    assert result.code == 0, result
    return root


def _export(cli, store: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("--store", store, "--now", NOW, "export", *args)


def _import(cli, store: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("--store", store, "--now", NOW, "import", *args)


def _complaints(root: Path) -> dict[str, tuple[dict, list[dict], str]]:
    """source key (or id) → (intake without id and source, history without recorded_at, status)."""
    store = Store.open(root)
    found = {}
    for complaint_id in store.all_ids():
        record = store.read(complaint_id)
        view = projection.view_of_stored(store, record)
        intake = {k: v for k, v in record.intake.items() if k not in ("id", "source", "office")}
        history = [{k: v for k, v in event.items() if k != "recorded_at"} for event in record.history]
        source = str(record.intake.get("source") or f"id:{complaint_id}")
        found[source.split(" sha256:")[0]] = (intake, history, view.status)
    return found


def test_xlsx_has_the_ledger_header_and_a_row_per_complaint(cli, source: Desk, tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "out" / "台账.xlsx"
    result = _export(cli, source.store.root, "--output", target)
    assert result.code == 0, result
    assert "2" in result.err and str(target) in result.err
    book = openpyxl.load_workbook(target)
    sheet = book.active
    assert sheet.title == "台账"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ZH_HEADERS
    assert rows[0][:13] == ("投诉编号", "投诉人姓名", "联系电话", "电子邮箱", "其他联系方式", "投诉时间",
                            "投诉地点", "投诉事由", "投诉内容", "受理时间", "处理部门", "处理进度",
                            "处理结果")
    assert len(rows) == 3
    first = dict(zip(ZH_HEADERS, rows[1], strict=True))
    assert first["投诉人姓名"] == "张三" and first["联系电话"] == "13800138000"
    assert first["投诉时间"] == datetime(2026, 11, 2, 10, 0)  # an Excel date, in the store's time zone
    assert first["受理时间"] == datetime(2026, 11, 2, 10, 5)
    assert (first["处理部门"], first["处理进度"], first["处理结果"]) == ("车站运营部", "已结案", "已答复")
    assert (first["投诉类型"], first["投诉渠道"], first["满意度"]) == ("设施设备", "客服热线12345", "满意")
    assert (first["投诉原因"], first["退回次数"]) == ("设施设备故障", 1)
    assert first["结案时间"] == datetime(2026, 11, 6, 11, 0)
    assert first["投诉内容"].endswith("\n第二行\n")
    history = json.loads(first["处理记录(JSON)"])
    assert [event["action"] for event in history][:3] == ["log", "assign", "propose"]
    second = dict(zip(ZH_HEADERS, rows[2], strict=True))
    assert second["投诉事由"] == '=HYPERLINK("http://x")'  # text, not a formula
    cell = sheet.cell(row=3, column=ZH_HEADERS.index("投诉事由") + 1)
    assert cell.data_type == "s"


def test_export_then_import_gives_the_same_complaints(cli, source: Desk, tmp_path: Path) -> None:
    original = _complaints(source.store.root)
    for form in ("xlsx", "csv", "json"):
        target = tmp_path / f"ledger.{form}"
        assert _export(cli, source.store.root, "--output", target).code == 0
        if form == "json":
            continue  # import reads the spreadsheet forms
        copy = _empty(tmp_path / f"copy-{form}", cli)
        result = _import(cli, copy, target)
        assert result.code == 0, result
        assert "导入 2 件投诉" in result.out
        imported = _complaints(copy)
        assert set(imported) == set(original), form
        for key, (intake, history, status) in original.items():
            assert imported[key] == (intake, history, status), (form, key)
        assert cli("--store", copy, "check").code == 0
        again = _import(cli, copy, target)
        assert again.code == 0 and "导入 0 件投诉" in again.out and "跳过 2 个此前导入过的行" in again.out
        assert len(list(Store.open(copy).all_ids())) == 2
    data = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))
    assert data[0]["category"] == "facilities" and data[0]["history"][0]["action"] == "log"


def test_an_edited_row_is_not_imported_again_and_is_reported(cli, source: Desk, tmp_path: Path) -> None:
    target = tmp_path / "ledger.csv"
    assert _export(cli, source.store.root, "--output", target).code == 0
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("投诉编号,投诉人姓名")
    assert "'=HYPERLINK" in text and "'-售票员态度差" in text  # Excel would run them as formulas
    copy = _empty(tmp_path / "copy", cli)
    assert _import(cli, copy, target).code == 0
    target.write_text(text.replace("电梯停运两小时", "电梯停运三小时"), encoding="utf-8-sig")
    result = _import(cli, copy, target)
    assert result.code == 0, result
    assert "第 2 行:此前已导入为" in result.err and "该行之后有改动" in result.err
    assert len(list(Store.open(copy).all_ids())) == 2
    imported = Store.open(copy)
    subjects = {imported.read(i).intake["subject"] for i in imported.all_ids()}
    assert '=HYPERLINK("http://x")' in subjects  # the guarding quote is taken off again


def test_redacted_pseudonyms_are_stable_and_hide_names_phones_and_mail(cli, source: Desk) -> None:
    first = _export(cli, source.store.root, "--redact", "--format", "json")
    second = _export(cli, source.store.root, "--redact", "--format", "json")
    assert first.code == 0, first
    assert first.out == second.out
    assert "化名" in first.err and ".complaintctl/redact.key" in first.err
    for secret in ("张三", "李四", "王五", "李雷", "周静", "13800138000", "13912345678", "zs@example.com",
                   "LiLei@example.com", "lilei@example.com"):
        assert secret not in first.out, secret
    rows = json.loads(first.out)
    assert rows[0]["complainant.name"].startswith("P-") and rows[0]["complainant.phone"].startswith("T-")
    assert rows[1]["complainant.email"].endswith("@redacted.invalid")
    assert rows[0]["owner"] == rows[0]["history"][1]["to"]  # the same person, the same pseudonym
    assert rows[0]["description"].startswith("电梯停运两小时,请回电 T-")
    assert "P-" in rows[0]["history"][2]["opinion"]  # the complainant's name inside free text
    assert rows[0]["location"] == "人民广场站" and rows[0]["department"] == "车站运营部"
    key = (source.store.root / ".complaintctl" / "redact.key").read_text(encoding="ascii")
    assert len(key.strip()) == 64


LEGACY = (
    "编号,来电人,联系电话,投诉时间,投诉渠道,投诉地点,投诉类型,投诉事由,投诉内容,处理部门,责任人,处理结果,备注\n"
    "2025-001,王芳,13700000001,2025-03-01 09:30,客服热线12345,人民广场站,设施设备,闸机故障,闸机不开,"
    "车站运营部,李四,已修复,\n"
) + """2025-002,赵强,,2025-03-02 10:00,phone,,服务质量,态度差,售票员态度差,,,,无地点
2025-003,钱多,13700000003,2025-13-01 10:00,phone,徐家汇站,卫生,脏,车厢脏,,,,
2025-004,孙俪,13700000004,2025-03-04 11:00,letter,徐家汇站,环境卫生,脏,车厢脏,,,,
2025-001,王芳,13700000001,2025-03-01 09:30,phone,人民广场站,设施设备,闸机故障,闸机不开,,,,
"""


def test_an_office_ledger_is_checked_row_by_row(cli, tmp_path: Path) -> None:
    ledger = tmp_path / "旧台账.csv"
    ledger.write_bytes(LEGACY.encode("gb18030"))  # as Excel saves "CSV" on a Chinese Windows
    store = _empty(tmp_path / "store", cli)
    unknown = _import(cli, store, ledger)
    assert unknown.code == 2 and "编号, 来电人, 备注" in unknown.err  # nothing is dropped unasked
    maps = ("--map", "编号=id", "--map", "来电人=complainant.name", "--map", "备注=")
    result = _import(cli, store, ledger, *maps)
    assert result.code == 1, result
    lines = result.err.splitlines()
    assert lines[0].startswith(f"{ledger}:3: ") and "投诉地点" in lines[0]  # required by metro
    assert any(line.startswith(f"{ledger}:4: 投诉时间:无法识别时间 '2025-13-01 10:00'") for line in lines)
    assert any(line.startswith(f"{ledger}:4: 投诉类型:不允许 '卫生'") for line in lines)
    assert any(line.startswith(f"{ledger}:6: ") and "第 2 行" in line for line in lines)
    assert "有 3 行有误,未导入任何投诉" in result.err
    assert list(Store.open(store).all_ids()) == []
    done = _import(cli, store, ledger, *maps, "--skip-bad")
    assert done.code == 0, done
    assert "导入 2 件投诉" in done.out and "已跳过 3 个有误的行" in done.out
    imported = Store.open(store)
    records = {imported.read(i).intake["complainant"]["name"]: imported.read(i) for i in imported.all_ids()}
    fang = records["王芳"]
    assert fang.intake["source"].startswith("id:2025-001 sha256:")
    assert fang.intake["received_at"] == "2025-03-01T09:30:00+08:00"
    assert [event["action"] for event in fang.history] == ["log", "assign", "note", "escalate"]
    # the opinion the ledger never recorded was due in 2025: a historical breach, never escalated
    assert fang.history[3]["historical"] is True and fang.history[3]["clock"] == "initial_opinion"
    assert fang.history[1]["to"] == "李四" and fang.history[1]["department"] == "车站运营部"
    assert "处理结果: 已修复" in fang.history[2]["text"] and "第 2 行" in fang.history[2]["text"]
    sun = records["孙俪"].history
    assert [(event["action"], event.get("clock"), event.get("historical")) for event in sun] == [
        ("log", None, None), ("escalate", "dispatch", True)]
    again = _import(cli, store, ledger, *maps, "--skip-bad")
    assert "导入 0 件投诉" in again.out and "跳过 2 个此前导入过的行" in again.out


def test_a_closed_row_needs_the_steps_the_policy_asks_for(cli, tmp_path: Path) -> None:
    ledger = tmp_path / "closed.csv"
    ledger.write_text("name,channel,received at,location,category,subject,content,closed at,owner,"
                      "department\nWang,phone,2025-03-01 09:30,People's Square,facilities,gate,gate stuck,"
                      "2025-03-05 10:00,Li,Ops\n", encoding="utf-8")
    store = _empty(tmp_path / "store", cli)
    result = _import(cli, store, ledger)
    assert result.code == 1, result
    # the policy's own refusal: metro closes only after the answer and the follow-up visit
    assert (f"{ledger}:2: closed at:第 3 条事件(2025-03-05T10:00:00+08:00 close):不能对 该行 执行 close:"
            "当前状态为 已转派部门;close 仅可在 已答复投诉人, 已回访 时执行") in result.err
    assert list(Store.open(store).all_ids()) == []
    dry = _import(cli, store, ledger, "--map", "closed at=", "--dry-run")
    assert dry.code == 0 and "将从" in dry.out and "1 件投诉" in dry.out
    assert list(Store.open(store).all_ids()) == []


def test_xlsx_cells_typed_by_excel_are_read(cli, tmp_path: Path) -> None:
    from datetime import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["complainant.name", "complainant.phone", "received_at", "location", "category", "subject",
                  "description", "channel", "amount"])
    sheet.append(["周敏", 13600000001, datetime(2025, 4, 1, 9, 0), "人民广场站", "safety", "安检", "安检不严",
                  "in_person", 12.5])
    target = tmp_path / "excel.xlsx"
    book.save(target)
    store = _empty(tmp_path / "store", cli)
    result = _import(cli, store, target)
    assert result.code == 0, result
    imported = Store.open(store)
    (only,) = [imported.read(i) for i in imported.all_ids()]
    assert only.intake["complainant"]["phone"] == "13600000001"
    assert only.intake["received_at"] == "2025-04-01T09:00:00+08:00"
    assert only.intake["amount"] == 12.5 and only.intake["channel"] == "in_person"
    assert only.intake["source"].startswith("row:")


@pytest.mark.parametrize(("args", "code", "says"), [
    (("--format", "pdf"), 2, "--format"),
    (("--format", "xlsx"), 2, "--output"),
])
def test_export_usage_errors(cli, source: Desk, args: tuple[str, ...], code: int, says: str) -> None:
    result = _export(cli, source.store.root, *args)
    assert result.code == code, result
    assert says in result.err


def test_import_usage_errors(cli, tmp_path: Path) -> None:
    store = _empty(tmp_path / "store", cli)
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert _import(cli, store, tmp_path / "a.txt").code == 2
    assert _import(cli, store, tmp_path / "missing.csv").code == 1
    ledger = tmp_path / "l.csv"
    ledger.write_text("姓名,投诉事由\n张三,x\n", encoding="utf-8")
    assert "received_at" in _import(cli, store, ledger, "--map", "姓名=complainant.name").err
    assert _import(cli, store, ledger, "--map", "姓名").code == 2
    assert _import(cli, store, ledger, "--map", "姓名=colour").code == 2
    assert _import(cli, store, ledger, "--map", "名字=complainant.name").code == 2
    _ = io, csv
