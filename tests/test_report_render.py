"""The report's formats through the CLI: the terminal, Markdown, HTML, CSV and JSON, in a Chinese store
and an English one; files written with --output; the usage errors."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from reportkit import Desk

NOW = "2026-12-10T09:00"


def _store(root: Path, language: str) -> Path:
    desk = Desk.make(root, "metro")
    settings = desk.store.root / "complaintctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: en", f"language: {language}"),
                        encoding="utf-8")
    # a: on time as of 30 November (its opinion is due 2 December); b: registered 30 minutes late and
    # never dispatched; c: October's one complaint, on time as of 31 October
    a = desk.log("2026-11-27T10:00", at="2026-11-27T10:05", channel="phone", category="facilities",
                 complainant__name="张三", complainant__phone="13800000001", subject="电梯停运",
                 description="电梯停运两小时", location="人民广场站")
    desk.act(a, "assign", "2026-11-27T11:00", to="李四", department="车站运营部|<b>一部</b>")
    desk.log("2026-11-10T10:00", at="2026-11-10T10:30", channel="online", category="service_quality",
             complainant__name="李雷", subject="态度差", description="售票员态度差", location="徐家汇站")
    desk.log("2026-10-30T17:00", channel="phone", category="facilities", complainant__name="王芳",
             subject="闸机故障", description="闸机不开", location="人民广场站")
    return desk.store.root


@pytest.fixture(scope="module")
def zh_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _store(tmp_path_factory.mktemp("zh"), "zh")


@pytest.fixture(scope="module")
def en_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _store(tmp_path_factory.mktemp("en"), "en")


def report(cli, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("--store", root, "--now", NOW, "report", "--period", "2026-11", *args)


def test_markdown_in_chinese_written_to_a_file(cli, zh_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "2026-11.md"
    result = report(cli, zh_store, "--group-by", "department,location", "--output", target)
    assert result.code == 0, result
    assert result.out == "" and str(target) in result.err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 投诉统计报告 2026-11\n")
    assert "- **统计期间**: 2026-11 (2026-11-01 – 2026-11-30)" in text
    assert "- **对比期间**: 2026-10 (2026-10-01 – 2026-10-31)" in text
    assert "- **统计口径**: 本期受理的投诉" in text
    assert "| 受理数 | 2 | 1 | +1 |" in text
    assert "| 按时率 | 50.0% | 100.0% | −50.0 个百分点 |" in text  # b: registered 30 minutes late
    assert "## 各时限按时情况" in text and "| 登记 | 2 | 1 | 50.0% | 100.0% | −50.0 个百分点 |" in text
    assert "## 各类型受理数" in text and "| 设施设备 | 1 | ██████████████████████████████ |" in text
    assert "## 每周受理数" in text and "`▁▁█▁█▁`" in text
    assert "## 按责任部门" in text and "## 按投诉地点" in text
    # a department typed with a pipe and markup stays one cell of text
    assert "| 车站运营部\\|&lt;b>一部&lt;/b> | 1 (+1) |" in text
    assert "| 人民广场站 | 1 (±0) | 1 (±0) |" in text
    assert "| (未填) |" in text  # b has no department


def test_markdown_to_stdout_in_english(cli, en_store: Path) -> None:
    result = report(cli, en_store, "--format", "markdown", "--basis", "closed")
    assert result.code == 0, result
    assert result.out.startswith("# Complaint report 2026-11\n")
    assert "- **complaints counted**: closed in the period" in result.out
    assert "| complaints counted | 0 | 0 | ±0 |" in result.out
    assert "| facilities and equipment | 1 | ██████████████████████████████ |" in result.out


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_one_printable_file_with_inline_charts(cli, zh_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "2026-11.html"
    result = report(cli, zh_store, "--group-by", "department", "--output", target)  # format from the suffix
    assert result.code == 0, result
    page = target.read_text(encoding="utf-8")
    parsed = _Tags()
    parsed.feed(page)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert '<meta charset="utf-8">' in page and "@media print" in page and "@page" in page
    assert parsed.tags.count("svg") == 2 and "rect" in parsed.tags
    # nothing is fetched when the file is opened: no scripts, no links, no sources
    assert not {"script", "link", "img", "iframe"} & set(parsed.tags)
    assert not [value for name, value in parsed.attributes if name in ("src", "href")]
    text = "".join(parsed.text)
    assert "投诉统计报告 2026-11" in text and "设施设备" in text and "按时率" in text
    assert "车站运营部|<b>一部</b>" in text  # shown as typed, never as markup
    assert "<b>一部</b>" not in page
    assert "−50.0 个百分点" in text


def test_csv_and_json_carry_every_figure(cli, zh_store: Path, tmp_path: Path) -> None:
    result = report(cli, zh_store, "--format", "csv", "--group-by", "category")
    assert result.code == 0, result
    rows = list(csv.DictReader(io.StringIO(result.out)))
    overall = {row["figure"]: row for row in rows if row["grouping"] == "overall"}
    assert overall["received"]["value"] == "2" and overall["received"]["previous"] == "1"
    assert overall["received"]["figure_label"] == "受理数"
    assert overall["on_time_rate"]["value"] == "0.5" and overall["on_time_rate"]["change"] == "-0.5"
    facilities = {row["figure"]: row["value"] for row in rows if row["group"] == "facilities"}
    assert facilities["received"] == "1" and facilities["open_at_end"] == "2"  # a, and c from October
    assert {row["group_label"] for row in rows if row["grouping"] == "category"} == {"设施设备", "服务质量"}
    target = tmp_path / "r.csv"
    assert report(cli, zh_store, "--output", target).code == 0
    assert target.read_bytes().startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    result = report(cli, zh_store, "--format", "json")
    data = json.loads(result.out)
    assert data["title"] == "投诉统计报告 2026-11" and data["language"] == "zh"
    assert data["figures"]["received"] == {"label": "受理数", "value": 2, "previous": 1, "change": 1}
    assert data["figures"]["clock.registration.rate"]["value"] == 0.5
    assert data["groups"]["category"][0]["label"] in ("设施设备", "服务质量")
    assert data["categories"][0] == {"label": "服务质量", "received": 1}
    assert [week["received"] for week in data["weekly"]] == [0, 0, 1, 0, 1, 0]
    assert data["as_of"] == "2026-12-01T00:00:00+08:00"


def test_terminal_tables_chart_and_sparkline(cli, en_store: Path) -> None:
    result = report(cli, en_store, "--group-by", "owner")
    assert result.code == 0, result
    out = result.out
    assert "Complaint report 2026-11" in out and "on-time rate" in out
    assert "facilities and equipment" in out and "█" in out
    assert "Received, by week  ▁▁█▁█▁" in out
    assert "By owner" in out and "李四" in out and "(none)" in out


def test_terminal_in_chinese(cli, zh_store: Path) -> None:
    result = report(cli, zh_store, "--group-by", "location")
    assert result.code == 0, result
    for text in ("投诉统计报告 2026-11", "统计口径: 本期受理的投诉", "按时率", "−50.0 个百分点",
                 "各类型受理数", "设施设备", "每周受理数  ▁▁█▁█▁", "按投诉地点", "人民广场站", "徐家汇站"):
        assert text in result.out, text


@pytest.mark.parametrize(("args", "says"), [
    (("--period", "2026-13"), "--period"),
    (("--period", "2026-11", "--since", "2026-11-01"), "not both"),
    (("--period", "2026-11", "--group-by", "colour"), "--group-by"),
    (("--period", "2026-11", "--basis", "opened"), "--basis"),
    (("--period", "2026-11", "--format", "pdf"), "--format"),
    (("--period", "2026-11", "--output", "report.txt"), "terminal table"),
    (("--since", "2026-11-05", "--until", "2026-11-01"), "no day"),
    ((), "--period"),
])
def test_usage_errors(cli, en_store: Path, args: tuple[str, ...], says: str) -> None:
    result = cli("--store", en_store, "--now", NOW, "report", *args)
    assert result.code == 2, result
    assert says in result.err
