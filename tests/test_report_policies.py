"""The report's policy-dependent figures in the other shipped policies: the wedding's costs and who
bore them, manufacturing's dispositions and corrective actions, the service standard's escalations,
corrective actions and compensation, tourism's rejected plans and appeals (README "Reports")."""

from __future__ import annotations

import pytest
from reportkit import Desk, changes, figures


def test_wedding_costs_by_kind_and_by_who_bore_them(tmp_path_factory: pytest.TempPathFactory) -> None:
    desk = Desk.make(tmp_path_factory.mktemp("wedding"), "wedding", office="WD")
    couple = {"complainant__name": "新人甲", "reference": "ORD-1", "subject": "布置与方案不符",
              "description": "花艺不对", "category": "venue_decor", "channel": "phone"}
    w1 = desk.log("2026-05-04T10:00", **couple)
    desk.act(w1, "assign", "2026-05-04T10:10", to="张经理")
    desk.act(w1, "gather_staff", "2026-05-04T10:30", by="张经理", staff="花艺组")
    desk.act(w1, "decide_solution", "2026-05-04T15:00", by="张经理", solution="退还差价并重新布置",
             responsible_party="花艺组")
    desk.act(w1, "respond", "2026-05-04T16:00", method="phone")
    desk.act(w1, "agree", "2026-05-04T17:00")
    desk.act(w1, "record_cost", "2026-05-05T10:00", amount=500, kind="compensation", borne_by="公司")
    desk.act(w1, "record_cost", "2026-05-05T11:00", amount="300", kind="重新服务费用", borne_by="花艺供应商")
    desk.act(w1, "appoint_tracker", "2026-05-05T12:00", tracker="小李")
    desk.act(w1, "complete", "2026-05-06T12:00", by="小李", done="已重新布置")
    desk.act(w1, "follow_up", "2026-05-07T10:00", by="小李", satisfaction="very_satisfied")
    desk.act(w1, "close", "2026-05-07T11:00", by="小李")
    w2 = desk.log("2026-05-20T10:00", **{**couple, "reference": "ORD-2", "category": "hosting"})
    desk.act(w2, "assign", "2026-05-20T10:30", to="张经理")
    desk.act(w2, "gather_staff", "2026-05-20T11:00", by="张经理", staff="主持人")
    desk.act(w2, "decide_solution", "2026-05-20T15:00", by="张经理", solution="道歉",
             responsible_party="主持组")
    desk.act(w2, "respond", "2026-05-20T18:00")  # more than 2 hours after the decision
    desk.act(w2, "adjust_solution", "2026-05-21T10:00", by="张经理", solution="道歉并退款",
             responsible_party="主持组")
    desk.act(w2, "record_cost", "2026-05-21T11:00", amount=200, kind="compensation", borne_by="公司")
    desk.act(w2, "record_cost", "2026-06-02T11:00", amount=999, kind="other", borne_by="公司")  # June
    report = desk.report("2026-05", now="2026-06-10T09:00")
    now = figures(report)
    assert now["costs.total"] == 1000
    assert (now["costs.kind.compensation"], now["costs.kind.redo_service"]) == (700, 300)
    assert (now["costs.borne_by.公司"], now["costs.borne_by.花艺供应商"]) == (700, 300)
    assert "costs.kind.other" not in now  # recorded in June, after the cutoff
    assert (now["rejections"], now["on_time"], now["timed"]) == (1, 1, 2)  # w2's answer came late
    assert (now["clock.response.timed"], now["clock.response.on_time"]) == (2, 1)
    assert (now["success_rate"], now["satisfaction_mean"]) == (1.0, 5.0)
    assert figures(report, "category", "hosting")["costs.total"] == 200
    assert changes(report)["costs.kind.compensation"] == 700  # nothing in April
    # the June cost belongs to a complaint received in May, still open: a report on the complaints
    # received in June does not count it, nor one on those closed in June
    june = desk.report("2026-06", now="2026-06-10T09:00")
    assert figures(june)["costs.total"] == 0 and figures(june)["open_at_end"] == 1


def test_manufacturing_dispositions_and_corrective_actions(tmp_path_factory: pytest.TempPathFactory) -> None:
    # one person with every role: a compensation needs the general manager's (5.3.2.4)
    roles = ["customer_service", "department", "sales", "qa", "qa_manager", "deputy_gm", "general_manager",
             "production", "finance"]
    desk = Desk.make(tmp_path_factory.mktemp("manufacturing"), "manufacturing", {"王五": roles}, office="MF")
    quality = {"complainant__name": "客户甲", "subject": "批次不良", "description": "外观不良",
               "category": "product_quality", "channel": "sales"}
    m1 = desk.log("2026-05-06T10:00", **quality)
    desk.act(m1, "transfer_to_qa", "2026-05-06T11:00", to="品管小王", department="品管部")
    desk.act(m1, "find_cause", "2026-05-07T10:00", cause="company_fault", analysis="模具磨损")
    desk.act(m1, "qa_manager_review", "2026-05-07T11:00")
    desk.act(m1, "dispose", "2026-05-07T14:00", disposition="compensation", quarantine="yes", amount="2,000")
    desk.act(m1, "approve_disposition", "2026-05-08T10:00")
    desk.act(m1, "capa", "2026-05-08T11:00", measures="更换模具", action_owner="生产部",
             due="2026-06-30T18:00")
    desk.act(m1, "review_capa", "2026-05-08T12:00", capa_review="同意")  # 5.4: QA manager, deputy GM
    desk.act(m1, "approve_capa", "2026-05-08T13:00", capa_approval="批准")
    desk.act(m1, "carry_out", "2026-05-11T10:00", done="已赔付")
    desk.act(m1, "verify", "2026-05-20T10:00", effective="yes")
    desk.act(m1, "capa", "2026-05-21T10:00", measures="增加巡检", action_owner="品管部",
             due="2026-05-25T18:00")
    m2 = desk.log("2026-05-12T10:00", **quality)
    desk.act(m2, "transfer_to_qa", "2026-05-12T11:00", to="品管小王")
    desk.act(m2, "find_cause", "2026-05-13T10:00", cause="company_fault", analysis="来料不良")
    desk.act(m2, "qa_manager_review", "2026-05-13T11:00")
    desk.act(m2, "dispose", "2026-05-13T14:00", disposition="replacement", quarantine="yes")
    desk.act(m2, "approve_disposition", "2026-05-14T10:00")
    desk.act(m2, "carry_out", "2026-05-15T10:00", done="已补货")
    desk.act(m2, "capa", "2026-05-15T11:00", measures="加严来料检验", action_owner="采购部",
             due="2026-06-15T18:00")
    desk.act(m2, "review_capa", "2026-05-15T12:00", capa_review="同意")
    desk.act(m2, "approve_capa", "2026-05-15T13:00", capa_approval="批准")
    desk.act(m2, "verify", "2026-05-22T10:00", effective="no")
    report = desk.report("2026-05", now="2026-06-10T09:00", groupings=["category", "owner"])
    now = figures(report)
    assert (now["corrective.recorded"], now["corrective.open"], now["corrective.overdue"]) == (3, 1, 1)
    assert (now["corrective.done"], now["corrective.verified"]) == (1, 1)
    assert (now["costs.total"], now["costs.kind.compensation"], now["costs.borne_by.-"]) == (2000, 2000, 2000)
    assert figures(report, "owner", "品管小王")["corrective.recorded"] == 3
    # as of 20 May, M1's first action was verified that day... at 10:00, after the cutoff of 20 May 00:00
    early = figures(desk.report(since="2026-05-01", until="2026-05-20", now="2026-06-10T09:00"))
    assert (early["corrective.recorded"], early["corrective.open"], early["corrective.verified"]) == (2, 2, 0)


def test_service_escalations_corrective_actions_and_compensation(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    desk = Desk.make(tmp_path_factory.mktemp("service"), "service", office="SV")
    person = {"complainant__name": "顾客甲", "subject": "收费不透明", "description": "多收费",
              "category": "C", "channel": "phone"}
    s1 = desk.log("2026-05-06T10:00", **person)
    desk.act(s1, "assess", "2026-05-06T10:10", severity="major", risk="high")
    desk.act(s1, "assign", "2026-05-06T10:20", to="处理员", department="客服部")
    desk.act(s1, "escalate_to_superior", "2026-05-06T11:00", to="主管", reason="涉及退费权限")
    desk.act(s1, "investigate", "2026-05-07T10:00", findings="计费错误", direct_cause="系统",
             indirect_cause="配置", root_cause="变更未评审")
    desk.act(s1, "plan", "2026-05-07T11:00", step="退费", step_owner="处理员", compensation=100)
    desk.act(s1, "plan", "2026-05-07T12:00", step="补偿", step_owner="处理员", compensation=150)
    desk.act(s1, "implement", "2026-05-08T10:00", done="已退费")
    desk.act(s1, "corrective_action", "2026-05-08T11:00", measure="变更评审", action_owner="质量员",
             due="2026-05-30T18:00")
    desk.act(s1, "respond", "2026-05-08T12:00", result="已退费", reasons="计费错误")
    desk.act(s1, "evaluate", "2026-05-09T10:00", effective="true")
    desk.act(s1, "visit", "2026-05-11T10:00", satisfaction="satisfied")
    desk.act(s1, "close", "2026-05-11T11:00", outcome="resolved", compensation=120)
    s2 = desk.log("2026-05-20T10:00", **person)
    desk.act(s2, "escalate", "2026-05-26T10:00", by="sweep", clock="resolution",
             due="2026-05-27T18:00:00+08:00", level="warning", to="处理员")  # a warning is not an escalation
    report = desk.report("2026-05", now="2026-06-10T09:00", groupings=["severity"])
    now = figures(report)
    assert (now["escalated"], now["escalation_rate"]) == (1, 0.5)
    assert now["costs.total"] == 120  # the compensation paid at closing replaces the planned ones
    assert (now["corrective.recorded"], now["corrective.verified"], now["corrective.open"]) == (1, 1, 0)
    assert (now["success_rate"], now["satisfaction_rate"]) == (1.0, 1.0)
    assert figures(report, "severity", "major")["escalated"] == 1
    assert figures(report, "severity", "normal")["received"] == 1


def test_tourism_rejected_plans_and_appeals(tmp_path_factory: pytest.TempPathFactory) -> None:
    desk = Desk.make(tmp_path_factory.mktemp("tourism"), "tourism", office="TR")
    t1 = desk.log("2026-05-06T10:00", complainant__name="游客甲", complainant__email="a@example.com",
                  subject="行程变更", description="未告知", category="in_sale", channel="email")
    desk.act(t1, "acknowledge", "2026-05-06T12:00", reply="已收到")
    desk.act(t1, "assign", "2026-05-06T14:00", to="导游部小张", department="导游部")
    desk.act(t1, "investigate", "2026-05-07T10:00", by="导游部小张", report="属实")
    desk.act(t1, "propose_plan", "2026-05-07T11:00", by="导游部小张", plan="赔偿", compensation=300)
    desk.act(t1, "reject_plan", "2026-05-07T12:00", reason="过高")
    desk.act(t1, "propose_plan", "2026-05-07T14:00", by="导游部小张", plan="赔偿", compensation=200)
    desk.act(t1, "approve_plan", "2026-05-07T15:00")
    desk.act(t1, "respond", "2026-05-08T10:00", by="导游部小张", result="赔偿200元")
    desk.act(t1, "confirm", "2026-05-08T12:00", confirmed="no", satisfaction="unsatisfied")
    desk.act(t1, "reopen", "2026-05-09T10:00", reason="赔偿不足")
    desk.act(t1, "investigate", "2026-05-11T10:00", by="导游部小张", report="复核")
    desk.act(t1, "propose_plan", "2026-05-11T11:00", by="导游部小张", plan="追加赔偿", compensation=250)
    desk.act(t1, "approve_plan", "2026-05-11T12:00")
    desk.act(t1, "respond", "2026-05-12T10:00", by="导游部小张", result="赔偿250元")
    desk.act(t1, "confirm", "2026-05-12T12:00", confirmed="yes", satisfaction="satisfied")
    desk.act(t1, "close", "2026-05-12T15:00", by="导游部小张")
    t2 = desk.log("2026-05-25T10:00", complainant__name="游客甲", complainant__email="A@example.com ",
                  subject="又一次", description="导游迟到", category="in_sale", channel="phone")
    del t2
    report = desk.report("2026-05", now="2026-06-10T09:00")
    now = figures(report)
    assert (now["rejections"], now["reopened"], now["reopenings"]) == (1, 1, 1)
    assert now["costs.total"] == 250 and now["costs.kind.compensation"] == 250
    assert (now["satisfaction.satisfied"], now["successes"], now["finished"]) == (1, 1, 1)
    # the tourism policy sets no repeat window: the repeat figures are unknown, not zero
    assert (now["repeats"], now["repeat_rate"]) == (None, None)
    # t1 received Wed 05-06 10:00, closed Tue 05-12 15:00: 8 + 9 + 9 + 9 (Sat 05-09, a make-up
    # working day after Labour Day) + 9 + 6 = 50 h
    assert now["handling_days_median"] == round(50 / 9, 2)
    assert (now["clock.email_reply.timed"], now["clock.email_reply.on_time"]) == (1, 1)
    assert now["clock.investigation.timed"] == 1
