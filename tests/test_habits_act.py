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


def test_act_alone_shows_each_steps_conditions_and_follows_the_role_guard(tmp_path, cli) -> None:
    from walkkit import Walk

    centre, manager, post = "王五", "赵六", "李四"
    walk = Walk.make(tmp_path, "metro", {centre: ["centre"], manager: ["manager"], post: ["department"]},
                     office="MT")
    walk.log("2026-10-08T09:00", by=centre, channel="phone", complainant__name="张三", subject="闸机",
             description="扣两次费", category="service_quality", location="人民广场站")
    walk.act("assign", "2026-10-08T10:00", by=centre, to=post, department="车站运营部")
    walk.act("propose", "2026-10-09T11:00", by=post, opinion="退款", cause="equipment_failure")
    walk.act("approve", "2026-10-12T10:00", by=manager)
    walk.act("finish", "2026-10-13T17:00", by=post)
    walk.act("report_result", "2026-10-14T11:00", by=post, result="已退款")
    walk.act("respond", "2026-10-15T16:00", by=centre, answer="已退款并致歉", method="phone")
    root = walk.store.root
    as_centre = cli("--store", root, "--now", "2026-10-16T09:00", "act", walk.id, "--by", centre)
    assert as_centre.code == 0, as_centre
    assert "condition: a complaint is closed only after the follow-up visit" in as_centre.out
    centre_steps = {line.split()[0] for line in as_centre.out.splitlines()
                    if line.startswith("  ") and not line.startswith("      ")}
    as_post = cli("--store", root, "--now", "2026-10-16T09:00", "act", walk.id, "--by", post)
    post_steps = {line.split()[0] for line in as_post.out.splitlines()
                  if line.startswith("  ") and not line.startswith("      ")}
    assert "close" in centre_steps and "close" not in post_steps  # the centre's step, not the department's
