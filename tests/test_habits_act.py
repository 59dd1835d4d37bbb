"""`act ID` with no action lists the steps the policy allows now, with the fields each takes, from the
engine's view (and the role guard when the store lists people)."""

from __future__ import annotations

from conftest import NOW


def test_act_alone_lists_the_possible_steps_and_their_fields(cli, logged: str) -> None:
    listed = cli("--now", NOW, "act", logged)
    assert listed.code == 0, listed
    lines = listed.out.splitlines()
    assert lines[0].startswith(f"{logged}: ")
    assert any(line.split()[0] == "assign" for line in lines[1:] if line.startswith("  ") and
               not line.startswith("      "))
    assert any(line.split()[:1] == ["to"] and "required" in line for line in lines)
    assert any(line.split()[:1] == ["coordinator"] and "optional" in line for line in lines)
    assert "propose" not in listed.out  # not possible before the complaint is assigned

    assert cli("--now", NOW, "act", logged, "assign", "to=李四", "department=站务").code == 0
    after = cli("--now", NOW, "act", logged)
    steps = [line.split()[0] for line in after.out.splitlines()
             if line.startswith("  ") and not line.startswith("      ")]
    assert "propose" in steps
    cause = next(line for line in after.out.splitlines() if line.split()[:1] == ["cause"])
    assert "equipment_failure" in cause  # a choice field shows its choices


def test_act_alone_in_a_chinese_store_speaks_chinese(cli, tmp_path) -> None:
    import os

    root = tmp_path / "zh"
    assert cli("init", root, "--policy", "metro", "--office", "MT", "--language", "zh").code == 0
    os.chdir(root)
    logged = cli("--now", NOW, "log", "--channel", "phone", "--subject", "闸机", "--description", "扣费",
                 "--category", "service_quality", "--name", "张三", "--phone", "13800138000",
                 "--location", "人民广场站")
    complaint_id = logged.out.split()[1]
    listed = cli("--now", NOW, "act", complaint_id)
    assert "必填" in listed.out and "现在可以" in listed.out
    assert "required" not in listed.out


def test_act_alone_on_a_closed_complaint_says_nothing_is_possible(cli, logged: str, monkeypatch) -> None:
    from complaintctl.app import steps

    real = steps.engine.possible_actions
    monkeypatch.setattr(steps.engine, "possible_actions", lambda view, who=None: [])
    listed = cli("--now", NOW, "act", logged)
    monkeypatch.setattr(steps.engine, "possible_actions", real)
    assert listed.code == 0
    assert "no step of the policy is possible now" in listed.out
