"""`complaintctl explain` in a store whose `language` is zh: the explanation is written in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_main

from complaintctl.policy.loader import BUILTIN_DIR

run = run_main


def test_a_chinese_store_explains_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "store"
    root.mkdir()
    # tourism, its handling clock standing still while the customer is asked to confirm
    text = (BUILTIN_DIR / "tourism.yaml").read_text(encoding="utf-8")
    old = "    stop: [respond]\n    limit: {working_days: 7}\n"
    assert text.count(old) == 1
    text = text.replace(old, "    stop: [close]\n    pause_in: [responded]\n    limit: {working_days: 7}\n")
    (root / "my-tourism.yaml").write_text(text, encoding="utf-8")
    assert run(capsys, "init", str(root), "--policy", "my-tourism.yaml", "--language", "zh")[0] == 0

    def ok(now: str, *args: str) -> str:
        code, out, err = run(capsys, "--store", str(root), "--now", now, *args)
        assert code == 0, err
        return out

    out = ok("2026-09-30T17:00", "log", "--subject", "导游擅自改变行程", "--description", "行程被更改",
             "--name", "张三", "--channel", "phone", "--category", "in_sale", "--severity", "complex",
             "--by", "王五")
    match = re.search(r"\b([A-Z]+-\d{6}-[0-9A-Z]{4}-\d+)\b", out)
    assert match, out
    complaint = match.group(1)
    for at, action, *pairs in [
        ("2026-10-08T10:00", "assign", "to=李四"),
        ("2026-10-08T10:30", "extend", "clock=handling", "due=2026-10-30T18:00:00+08:00", "reason=需要取证"),
        ("2026-10-08T11:00", "investigate", "report=导游擅自改变行程"),
        ("2026-10-08T11:30", "propose_plan", "plan=退还差价"),
        ("2026-10-08T12:00", "approve_plan"),
        ("2026-10-29T10:00", "respond", "result=已退还差价"),
    ]:
        ok(at, "act", complaint, action, *pairs, "--by", "王五")

    out = ok("2026-10-29T11:00", "explain", complaint)
    lines = out.splitlines()
    assert lines[0].startswith(f"{complaint}: 状态 ")
    assert "  2026-09-30T17:00:00+08:00 由 received 开始计时;时限 10 working days" in lines  # complex: 五.2
    assert "    2026-10-01 周四  跳过:国庆节" in lines
    assert "    2026-10-04 周日  跳过:周末" in lines
    assert "    2026-10-08 周四  计入 9h:working day 1, 09:00-18:00" in lines
    assert "    → 仅按时限计算,期限 2026-10-20T18:00:00+08:00" in lines
    assert ("    2026-10-08T10:30:00+08:00 由 王五 延期:2026-10-20T18:00:00+08:00 → "
            "2026-10-30T18:00:00+08:00(原因:需要取证)") in lines
    # left at 10:00 on Thu Oct 29: 8 h that day and 9 h on Fri Oct 30
    assert ("    自 2026-10-29T10:00:00+08:00 起暂停(等待投诉人答复):剩余 17h00 工作时间,"
            "恢复后重新计时") in lines
    assert "  期限 2026-10-30T18:00:00+08:00:暂停" in lines
    assert "  不适用于该投诉:仅当 投诉渠道 ∈ 邮件投诉(当前:投诉热线（24小时）) 时适用" in lines  # email_reply
    assert "  2026-10-08T11:00:00+08:00 由 investigate 停止计时" in lines
    for english in ("started ", "skipped:", "counted ", "→ due", "extended ", "paused ", "stopped ",
                    "not started", "of working time", " Thu ", " Sun "):
        assert english not in out, english

    code, _, err = run(capsys, "--store", str(root), "explain", complaint, "nope")
    assert code != 0 and "没有时限 'nope'" in err
