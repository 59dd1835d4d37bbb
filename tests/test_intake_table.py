"""The table of intake fields (`records/intake.py`) and every place it feeds: a record's key order, `log`'s
options, `show --json`, the ledger's columns, `import`, redaction, the policy's known fields, the report's
groupings. Records and ledgers written from the table are byte for byte those written before it was one
table (the expected files in tests/data/intake were made by the code before it; the ledgers then gained
one column, `missing` (待补充), empty in that ledger: checked equal to the old files but for it)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from complaintctl.base.catalogue import CATALOGUE
from complaintctl.core import brief, digest, engine
from complaintctl.ledger import columns
from complaintctl.policy import model
from complaintctl.policy.loader import load_policy
from complaintctl.records import intake
from complaintctl.records.record import flatten_intake, nest_intake
from complaintctl.report.cases import GROUPINGS

DATA = Path(__file__).resolve().parent / "data" / "intake"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "metro"
NOW = "2026-11-20T17:00:00+08:00"
POLICIES = ("tourism", "wedding", "metro", "manufacturing", "service")


# -- the table -----------------------------------------------------------------------------------------

def test_the_record_order_is_the_tables() -> None:
    assert intake.ORDER == ("id", "policy", "office", "received_at", "channel", "complainant", "subject",
                            "description", "category", "severity", "risk", "demands", "reference", "location",
                            "service", "amount", "source", "missing", "archived_at")
    assert intake.NESTED == {"complainant": ("name", "phone", "email", "contact"),
                             "service": ("item", "staff", "time")}
    # a nested mapping's fields sit together in the table, so that flat and nested orders agree
    tops = [field.top for field in intake.FIELDS]
    runs = [top for index, top in enumerate(tops) if index == 0 or tops[index - 1] != top]
    assert runs == list(intake.ORDER)


def test_flat_and_nested_come_back() -> None:
    flat = {key: f"v{index}" for index, key in enumerate(reversed(intake.KEYS))}
    nested = nest_intake(flat)
    assert list(nested) == list(intake.ORDER)
    assert flatten_intake(nested) == {key: flat[key] for key in intake.KEYS}


def test_every_field_is_named_in_both_languages() -> None:
    for field in intake.FIELDS:
        english, chinese = CATALOGUE[field.heading]
        assert english and chinese, field.key
        if field.option:
            english, chinese = CATALOGUE[field.help]
            assert english and chinese, field.key
    assert not [key for key in CATALOGUE if key.startswith("log.option.") and
                key.removeprefix("log.option.") not in {field.key for field in intake.TYPED}]


def test_who_sets_what() -> None:
    assert intake.AUTOMATIC == ("id", "policy", "office", "received_at")
    assert all(field.option for field in intake.TYPED)
    assert not [field.key for field in intake.FIELDS if field.option and field.origin != "person"]
    options = [name for field in intake.FIELDS for name in field.option]
    assert len(options) == len(set(options))
    assert set(intake.ALWAYS) >= set(intake.AUTOMATIC)


def test_the_layers_above_read_the_table() -> None:
    assert tuple(key for key in intake.KEYS if key not in ("source", "missing", "archived_at")) \
        == model.INTAKE_FIELDS
    assert brief.VALUES == intake.LISTED
    # what a report groups by is what the replay's timeline and the digest keep
    intake_groups = set(intake.GROUPED)
    assert intake_groups == set(engine.GROUP_VALUES) & set(intake.KEYS)
    assert intake_groups <= set(digest.DIGEST_VALUES)
    # and a report offers exactly what the timeline keeps, with its owner and department
    assert set(GROUPINGS) == set(engine.GROUP_VALUES) | {"department", "owner"}
    assert [key for key in columns.KEYS if key in intake.BY_KEY] == [
        key for key in columns.KEYS if key in intake.KEYS]
    assert sorted(key for key in columns.KEYS if key in intake.BY_KEY) == sorted(intake.KEYS)
    assert len(columns.KEYS) == len(set(columns.KEYS))
    assert tuple(field.key for field in intake.TYPED) == columns.INTAKE_KEYS


@pytest.mark.parametrize("name", POLICIES)
def test_every_policy_names_fields_of_the_table(name: str) -> None:
    policy = load_policy(name)
    assert set(policy.intake.required) | set(policy.intake.optional) <= set(intake.POLICY_KEYS)
    assert set(intake.ALWAYS) - set(intake.AUTOMATIC) <= set(policy.intake.required) | {"channel"}


# -- log's options -------------------------------------------------------------------------------------

def test_logs_options_are_the_tables() -> None:
    import typer

    from complaintctl.cli import build_app

    command = typer.main.get_command(build_app("log"))
    log = command.commands["log"]  # type: ignore[attr-defined]
    by_option = {tuple(param.opts): param for param in log.params}
    for field in intake.TYPED:
        assert tuple(field.option) in by_option, field.key
        assert by_option[tuple(field.option)].help == CATALOGUE[field.help][0]
    own = {("--received",), ("--from",), ("--from-mail",), ("--json",), ("--by",), ("--at",), ("--commit",)}
    assert set(by_option) == {tuple(field.option) for field in intake.TYPED} | own


# -- records: the same bytes as before -----------------------------------------------------------------

ALL_OPTIONS = ("--channel", "phone", "--subject", " 主题 ", "--description", "第一行\n第二行\n",
               "--name", "张三", "--phone", "13800138000", "--email", "a@b.cn", "--contact", "微信 abc",
               "--demands", "退款", "--reference", "ORD-1", "--location", "人民广场站",
               "--service-item", "导游", "--service-staff", "李四", "--service-time", "2026-11-01 10:00",
               "--amount", "1,200.50", "--category", "A", "--severity", "urgent", "--risk", "medium")
FROM_FILE = {"channel": "email", "complainant": {"name": "赵六", "email": "z@x.cn"}, "subject": "s",
             "description": "d", "category": "A", "location": "L", "reference": "R",
             "service": {"item": "it", "time": "2026-11-02"}, "amount": 5}


def _service_store(cli: Any, root: Path, office: str = "TS", language: str = "zh") -> Path:
    result = cli("init", root, "--policy", "service", "--office", office, "--language", language)
    assert result.code == 0, result
    return root


def _record(root: Path, complaint_id: str) -> Path:
    (found,) = (root / "complaints").glob(f"*/*/{complaint_id}.yaml")
    return found


def test_a_logged_record_is_written_as_before(cli: Any, tmp_path: Path) -> None:
    root = _service_store(cli, tmp_path / "store")
    result = cli("--store", root, "--now", NOW, "log", *ALL_OPTIONS, "--received", "2026-11-20T09:00",
                 "--at", "2026-11-20T10:00")
    assert result.code == 0, result
    complaint_id = result.out.split()[1]
    expected = (DATA / "logged-all-options.yaml").read_text(encoding="utf-8").replace("{id}", complaint_id)
    assert _record(root, complaint_id).read_text(encoding="utf-8") == expected
    result = cli("--store", root, "--now", NOW, "log", "--from", "-", "--phone", "139",
                 stdin=json.dumps(FROM_FILE, ensure_ascii=False))
    assert result.code == 0, result
    complaint_id = result.out.split()[1]
    expected = (DATA / "logged-from-file.yaml").read_text(encoding="utf-8").replace("{id}", complaint_id)
    assert _record(root, complaint_id).read_text(encoding="utf-8") == expected


def test_log_refuses_what_the_table_does_not_know(cli: Any, tmp_path: Path) -> None:
    root = _service_store(cli, tmp_path / "store", language="en")
    result = cli("--store", root, "--now", NOW, "log", "--from", "-", stdin='{"channel": "phone", "id": "X"}')
    assert result.code == 2
    assert "<stdin>: id is set by complaintctl, not by the document" in result.err  # issue 18: reserved
    result = cli("--store", root, "--now", NOW, "log", "--from", "-", stdin='{"channel": "phone", "x": "X"}')
    assert result.code == 2
    typed = [field.key for field in intake.TYPED]  # what a person types: not `source`, which import writes
    assert "unknown intake field x; known fields: " + ", ".join(typed) in result.err
    result = cli("--store", root, "--now", NOW, "log", "--channel", "phone")
    assert "complainant.name, subject, description, category" in result.err


# -- the ledger: the same bytes as before --------------------------------------------------------------

@pytest.mark.parametrize(("arguments", "expected"), [
    (("--format", "csv"), "metro-ledger.csv.gz"),
    (("--format", "json"), "metro-ledger.json.gz"),
    (("--format", "csv", "--redact"), "metro-ledger-redacted.csv.gz"),
])
def test_the_example_ledger_is_exported_as_before(cli: Any, tmp_path: Path, arguments: tuple[str, ...],
                                                  expected: str) -> None:
    root = tmp_path / "metro"
    shutil.copytree(EXAMPLE, root)
    (root / ".complaintctl").mkdir(exist_ok=True)
    (root / ".complaintctl" / "redact.key").write_text("00112233445566778899aabbccddeeff" * 2 + "\n")
    result = cli("--store", root, "--now", "2026-12-01T10:00:00+08:00", "export", *arguments)
    assert result.code == 0, result
    assert result.out == gzip.decompress((DATA / expected).read_bytes()).decode("utf-8")


# -- every field, through every place the table feeds ----------------------------------------------------

#: A value of each field a person types, as typed; and as the record keeps it.
TYPED_VALUES: dict[str, tuple[str, Any]] = {
    "channel": ("email", "email"),
    "complainant.name": ("欧阳明", "欧阳明"),
    "complainant.phone": ("13712345678", "13712345678"),
    "complainant.email": ("ouyang@example.com", "ouyang@example.com"),
    "complainant.contact": ("微信 ouyang88", "微信 ouyang88"),
    "subject": ("  退款迟迟未到账  ", "退款迟迟未到账"),
    "description": ("十月一日付款。\n至今未退。", "十月一日付款。\n至今未退。\n"),
    "category": ("收费标准", "C"),
    "severity": ("major", "major"),
    "risk": ("高风险", "high"),
    "demands": ("全额退款", "全额退款"),
    "reference": ("ORD-2026-7781", "ORD-2026-7781"),
    "location": ("浦东新区世纪大道 100 号营业厅", "浦东新区世纪大道 100 号营业厅"),
    "service.item": ("宽带安装", "宽带安装"),
    "service.staff": ("钱师傅", "钱师傅"),
    "service.time": ("十月一日上午", "十月一日上午"),
    "amount": ("¥1,280.50", 1280.5),
}
BASE = {"channel": "phone", "complainant.name": "张三", "subject": "主题", "description": "内容",
        "category": "A"}


def _value(nested: dict[str, Any], key: str) -> Any:
    return flatten_intake(nested).get(key)


def _show(cli: Any, root: Path, complaint_id: str) -> dict[str, Any]:
    result = cli("--store", root, "--now", NOW, "show", complaint_id, "--json")
    assert result.code == 0, result
    shown: dict[str, Any] = json.loads(result.out)
    return shown


def _ledger(cli: Any, root: Path, path: Path, language: str) -> dict[str, dict[str, str]]:
    """The exported ledger's rows by id, each by its column headings in the store's language."""
    result = cli("--store", root, "--now", NOW, "export", "--output", path)
    assert result.code == 0, result
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return {row[columns.Column("id").header(language)]: row for row in rows}


def _heading(key: str, language: str) -> str:
    return columns.Column(key).header(language)


def _imported(output: str) -> list[str]:
    """The new ids `import` names, one a line after the first (`  row 2: ID`)."""
    return [line.split(": ")[1].strip() for line in output.splitlines()[1:]]


def test_every_field_goes_round_through_log_show_export_and_import(cli: Any, tmp_path: Path) -> None:
    assert set(TYPED_VALUES) == {field.key for field in intake.TYPED}
    policy = load_policy("service")
    root = _service_store(cli, tmp_path / "store")
    logged: dict[str, str] = {}
    for field in intake.TYPED:
        typed, _ = TYPED_VALUES[field.key]
        given = {**BASE, field.key: typed}
        options = [item for key, value in given.items() for item in (intake.BY_KEY[key].option[0], value)]
        result = cli("--store", root, "--now", NOW, "log", *options, "--received", "2026-11-20T09:30")
        assert result.code == 0, (field.key, result)
        logged[field.key] = result.out.split()[1]

    # show --json: each field where the record keeps it, and the tool's own fields beside it
    for key, complaint_id in logged.items():
        shown = _show(cli, root, complaint_id)["intake"]
        assert _value(shown, key) == TYPED_VALUES[key][1], key
        assert {name: _value(shown, name) for name in intake.AUTOMATIC} == {
            "id": complaint_id, "policy": "service", "office": "TS",
            "received_at": "2026-11-20T09:30:00+08:00"}

    # the ledger: each field in its own column, under its heading (codes as their labels), and only there
    ledger = _ledger(cli, root, tmp_path / "ledger.csv", "zh")
    intake_headings = {_heading(key, "zh"): key for key in intake.KEYS}
    for key, complaint_id in logged.items():
        row = ledger[complaint_id]
        kept = TYPED_VALUES[key][1]
        expected = policy.label(key, kept, "zh") if intake.BY_KEY[key].kind == "code" else str(kept)
        assert [intake_headings[heading] for heading in intake_headings if row[heading] == expected] == [key]
        assert row[_heading("id", "zh")] == complaint_id
        assert row[_heading("received_at", "zh")] == "2026-11-20T09:30:00+08:00"
        assert (row[_heading("policy", "zh")], row[_heading("office", "zh")]) == ("service", "TS")

    # import into a fresh store: every field again, the tool's fields its own, the source the old id
    fresh = _service_store(cli, tmp_path / "fresh", office="FR", language="en")
    result = cli("--store", fresh, "--now", NOW, "import", tmp_path / "ledger.csv")
    assert result.code == 0, result
    by_source: dict[str, dict[str, Any]] = {}
    for new_id in _imported(result.out):
        shown = _show(cli, fresh, new_id)["intake"]
        assert (shown["office"], shown["policy"]) == ("FR", "service")
        assert shown["received_at"] == "2026-11-20T09:30:00+08:00"
        by_source[str(shown["source"]).split(" sha256:")[0]] = shown
    assert set(by_source) == {f"id:{complaint_id}" for complaint_id in logged.values()}
    for key, complaint_id in logged.items():
        assert _value(by_source[f"id:{complaint_id}"], key) == TYPED_VALUES[key][1], key

    # and the source, which import wrote, goes through the next export and import
    again = _ledger(cli, fresh, tmp_path / "again.csv", "en")
    third = _service_store(cli, tmp_path / "third", office="TH", language="en")
    result = cli("--store", third, "--now", NOW, "import", tmp_path / "again.csv")
    assert result.code == 0, result
    sources = {row[_heading("source", "en")].split(" sha256:")[0] for row in again.values()}
    assert {_show(cli, third, new_id)["intake"]["source"].split(" sha256:")[0]
            for new_id in _imported(result.out)} == sources


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_is_asked_for_the_missing_fields_by_their_headings(
        cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from complaintctl.cli import main

    result = cli("init", tmp_path / "store", "--policy", "metro", "--office", "MT", "--language", "zh")
    assert result.code == 0, result
    # the name, the phone (optional: skipped), the location, the receipt time (empty: now)
    monkeypatch.setattr("sys.stdin", _Terminal("张三\n\n人民广场站\n\n"))
    with pytest.raises(SystemExit) as done:
        main(["--store", str(tmp_path / "store"), "--now", NOW, "log", "--channel", "phone", "--subject", "s",
              "--description", "d", "--category", "service_quality"])
    out = capsys.readouterr().out
    assert done.value.code == 0, out
    assert out.index("投诉人姓名: ") < out.index("投诉地点: ") < out.index("已登记")
    complaint_id = out.split("已登记 ")[1].split()[0]
    record = _record(tmp_path / "store", complaint_id).read_text(encoding="utf-8")
    assert "complainant:\n  name: 张三\n" in record and "location: 人民广场站\n" in record
