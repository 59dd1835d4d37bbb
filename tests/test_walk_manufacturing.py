"""Acceptance walk of the shipped manufacturing policy (seed 004): the 7-step procedure, its loops, the
quality procedure of Part 2 and the visit guards, driven through `complaintctl.app.operations` on a store made
by `complaintctl init`. Every due time is computed by hand on the China calendar, 09:00-18:00
Asia/Shanghai (2026: Oct 1-7 off for 国庆, Saturday Oct 10 a make-up working day)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from walkkit import Desk, instant

from complaintctl.app import operations
from complaintctl.base.errors import Refused

PEOPLE = {
    "客服": ["customer_service"],
    "销售": ["sales"],
    "生产": ["department"],
    "品管": ["qa"],
    "品管经理": ["qa_manager"],
    "副总": ["deputy_gm"],
    "总经理": ["general_manager"],
    "财务": ["finance"],
}


def intake(category: str, channel: str = "phone") -> dict[str, Any]:
    return {"channel": channel, "complainant.name": "张三", "complainant.phone": "13800138000",
            "subject": "门窗漏水", "description": "新装的门窗下雨漏水。", "category": category}


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    return Desk(tmp_path / "store", "manufacturing", PEOPLE, office="MF")


def investigate_founded(desk: Desk, day: str, department: str = "生产部") -> None:
    desk.act(f"{day}T09:30", "客服", "assign", to="客服")
    desk.act(f"{day}T10:00", "客服", "find_founded", finding="属实", department=department)


# -- Part 1: the 7 steps ------------------------------------------------------------------------------


def test_main_path_seven_steps(desk: Desk) -> None:
    # Step 1: received Wed 2026-09-30 10:00. Answer promised within 5 working days: the day of receipt
    # does not count; Oct 1-7 off; Thu 8 (1), Fri 9 (2), Sat 10 make-up (3), Mon 12 (4), Tue 13 (5) -> 18:00.
    view = desk.log("2026-09-30T10:00", "客服", intake("service_quality"))
    assert view.status == "received"
    assert desk.dues("2026-09-30T10:00") == {"answer": ("2026-10-13T18:00:00+08:00", "running")}

    # Step 2: investigation (first working day after the holiday), founded -> the responsible department.
    view = desk.act("2026-10-08T09:30", "客服", "assign", to="客服")
    assert (view.status, view.owner) == ("investigating", "客服")
    view = desk.act("2026-10-08T16:00", "客服", "find_founded", finding="安装不当", department="生产部")
    assert (view.status, view.department) == ("founded", "生产部")
    assert view.value("finding") == "安装不当"
    view = desk.act("2026-10-09T09:15", "客服", "respond", answer="投诉成立，正在处理")
    assert view.status == "founded"
    assert desk.dues("2026-10-09T09:15") == {"answer": ("2026-10-13T18:00:00+08:00", "met")}

    # Step 3: transfer slip Fri Oct 9 15:00; solution within 3 working days:
    # Sat 10 make-up (1), Mon 12 (2), Tue 13 (3) -> 2026-10-13 18:00.
    view = desk.act("2026-10-09T15:00", "客服", "transfer", to="生产", slip="T-001")
    assert view.status == "transferred"
    assert desk.dues("2026-10-09T15:00") == {"answer": ("2026-10-13T18:00:00+08:00", "met"),
                                             "solution": ("2026-10-13T18:00:00+08:00", "running")}
    # The department works on the make-up Saturday.
    view = desk.act("2026-10-10T11:00", "生产", "propose_solution", solution="更换密封条")
    assert view.status == "proposed"
    assert desk.dues("2026-10-10T11:00")["solution"] == ("2026-10-13T18:00:00+08:00", "met")

    # Step 4: the customer agrees.
    view = desk.act("2026-10-12T10:00", "客服", "agree", opinion="同意")
    assert view.status == "agreed"

    # Step 5: carried out Fri Oct 16 17:00. Step 6: first visit within 5 working days of completion:
    # Sat 17/Sun 18 off; Mon 19 (1) .. Fri 23 (5) -> 2026-10-23 18:00.
    view = desk.act("2026-10-16T17:00", "生产", "carry_out", done="已更换")
    assert view.status == "completed"
    assert desk.dues("2026-10-16T17:00")["first_visit"] == ("2026-10-23T18:00:00+08:00", "running")
    # Not visited by Mon Oct 26 09:00: breached.
    assert desk.dues("2026-10-26T09:00")["first_visit"] == ("2026-10-23T18:00:00+08:00", "breached")
    view = desk.act("2026-10-19T10:00", "客服", "visit", satisfaction="satisfied")
    assert view.status == "visited"
    assert desk.dues("2026-10-19T10:00")["first_visit"] == ("2026-10-23T18:00:00+08:00", "met")

    # Step 7: satisfied -> closed; a service-quality complaint closes after one visit.
    view = desk.act("2026-10-19T11:00", "客服", "close", returned_to_department="true")
    assert view.status == "closed" and view.final
    assert (view.rejections, view.reopenings) == (0, 0)
    assert desk.dues("2026-10-30T09:00") == {"answer": ("2026-10-13T18:00:00+08:00", "met"),
                                             "solution": ("2026-10-13T18:00:00+08:00", "met"),
                                             "first_visit": ("2026-10-23T18:00:00+08:00", "met")}
    assert "closed for good" in desk.refused("2026-10-20T09:00", "客服", "respond", answer="again")


def test_unfounded_ends_rejected_with_the_finding(desk: Desk) -> None:
    # Received Fri 2026-11-20 16:00: answer due 5 working days later, Mon 23 .. Fri 27 -> 18:00.
    desk.log("2026-11-20T16:00", "客服", intake("service_quality"))
    assert desk.dues("2026-11-21T10:00") == {"answer": ("2026-11-27T18:00:00+08:00", "running")}
    desk.act("2026-11-23T09:00", "客服", "assign", to="客服")
    view = desk.act("2026-11-24T10:00", "客服", "find_unfounded", finding="客户自行改装导致漏水")
    assert view.status == "rejected" and view.final
    assert view.value("finding") == "客户自行改装导致漏水"
    event = desk.store.read(desk.id).history[-1]
    assert (event["action"], event["finding"]) == ("find_unfounded", "客户自行改装导致漏水")
    # Returning the finding to the customer is the answer.
    assert desk.dues("2026-11-30T09:00") == {"answer": ("2026-11-27T18:00:00+08:00", "met")}
    summary = operations.summary(desk.store, desk.store.read(desk.id), view, instant("2026-11-25T09:00"))
    assert summary["possible_actions"] == []
    assert "it is unfounded" in desk.refused("2026-11-25T09:00", "客服", "reopen", reason="x")
    assert "closed for good" in desk.refused("2026-11-25T09:00", "客服", "respond", answer="x")


def test_unfounded_needs_the_finding(desk: Desk) -> None:
    desk.log("2026-11-20T16:00", "客服", intake("service_quality"))
    desk.act("2026-11-23T09:00", "客服", "assign", to="客服")
    assert "finding" in desk.refused("2026-11-23T10:00", "客服", "find_unfounded")


def test_customer_disagrees_back_to_the_department_then_engineering_needs_two_visits(desk: Desk) -> None:
    # Received Mon 2026-11-16 09:00: answer due Mon 23 18:00 (Tue 17 .. Fri 20, Mon 23).
    desk.log("2026-11-16T09:00", "客服", intake("engineering_quality"))
    investigate_founded(desk, "2026-11-16", department="工程部")
    # Transfer Tue 17 10:00: solution due Wed 18 (1), Thu 19 (2), Fri 20 (3) 18:00.
    desk.act("2026-11-17T10:00", "客服", "transfer", to="生产")
    desk.act("2026-11-18T10:00", "生产", "propose_solution", solution="局部返修")
    # Fri 20 17:00 the customer refuses: back to the department, counted as a rejection; the refusal is an
    # answer to the customer; a new 3 working days from Fri 20: Mon 23, Tue 24, Wed 25 -> 18:00.
    view = desk.act("2026-11-20T17:00", "客服", "disagree", opinion="要求整体更换")
    assert view.status == "transferred"
    assert view.rejections == 1
    assert desk.dues("2026-11-20T17:00") == {"answer": ("2026-11-23T18:00:00+08:00", "met"),
                                             "solution": ("2026-11-25T18:00:00+08:00", "running")}
    assert len(view.clocks["solution"]) == 2
    # Nothing from the department by Thu 26 09:00: the second run is breached.
    assert desk.dues("2026-11-26T09:00")["solution"] == ("2026-11-25T18:00:00+08:00", "breached")

    desk.act("2026-11-23T10:00", "生产", "propose_solution", solution="整体更换")
    view = desk.act("2026-11-23T15:00", "客服", "agree")
    assert view.status == "agreed" and view.rejections == 1
    assert desk.dues("2026-11-23T15:00")["solution"] == ("2026-11-25T18:00:00+08:00", "met")
    # Carried out Tue 24 10:00: first visit due Wed 25, Thu 26, Fri 27, Mon 30, Tue Dec 1 -> 18:00.
    desk.act("2026-11-24T10:00", "生产", "carry_out", done="已整体更换")
    assert desk.dues("2026-11-24T10:00")["first_visit"] == ("2026-12-01T18:00:00+08:00", "running")
    desk.act("2026-11-25T10:00", "客服", "visit", satisfaction="satisfied")
    # Engineering quality: at least 2 visits (第六步).
    message = desk.refused("2026-11-25T11:00", "客服", "close")
    assert "engineering-quality complaint needs at least 2 follow-up visits" in message
    view = desk.act("2026-11-30T10:00", "客服", "visit", satisfaction="very_satisfied")
    assert view.cycle_counts["visit"] == 2
    view = desk.act("2026-11-30T11:00", "客服", "close")
    assert view.status == "closed"
    summary = operations.summary(desk.store, desk.store.read(desk.id), view, instant("2026-11-30T11:00"))
    assert (summary["rejections"], summary["reopenings"]) == (1, 0)


def test_unsatisfied_reopens_at_step_two_and_visits_count_again(desk: Desk) -> None:
    # Received Mon 2026-11-16 09:00 -> answer due Mon 23 18:00.
    desk.log("2026-11-16T09:00", "客服", intake("service_quality"))
    investigate_founded(desk, "2026-11-16")
    desk.act("2026-11-16T11:00", "客服", "respond", answer="已立案")
    desk.act("2026-11-17T10:00", "客服", "transfer", to="生产")
    desk.act("2026-11-18T10:00", "生产", "propose_solution", solution="上门维修")
    desk.act("2026-11-18T15:00", "客服", "agree")
    desk.act("2026-11-20T10:00", "生产", "carry_out", done="已维修")
    view = desk.act("2026-11-27T10:00", "客服", "visit", satisfaction="unsatisfied")
    assert view.cycle_counts["visit"] == 1
    message = desk.refused("2026-11-27T11:00", "客服", "close")
    assert "satisfied or very satisfied" in message

    # Reopen Fri Nov 27 16:00: back to step 2, counted; a new answer promise of 5 working days:
    # Mon 30, Tue Dec 1, Wed 2, Thu 3, Fri 4 -> 18:00. count.visit starts again at 0.
    view = desk.act("2026-11-27T16:00", "客服", "reopen", reason="仍然漏水")
    assert view.status == "investigating"
    assert view.reopenings == 1
    assert view.cycle_counts["visit"] == 0 and view.total_counts["visit"] == 1
    assert desk.dues("2026-11-27T16:00")["answer"] == ("2026-12-04T18:00:00+08:00", "running")
    assert len(view.clocks["answer"]) == 2

    view = desk.act("2026-11-30T10:00", "客服", "find_founded", finding="密封胶老化", department="生产部")
    assert view.status == "founded"
    # Transfer Mon Nov 30 11:00: solution due Tue Dec 1, Wed 2, Thu 3 -> 18:00.
    desk.act("2026-11-30T11:00", "客服", "transfer", to="生产")
    desk.act("2026-12-01T10:00", "生产", "propose_solution", solution="更换密封胶")
    desk.act("2026-12-01T15:00", "客服", "agree")
    # Carried out Wed Dec 2 10:00: first visit due Thu 3, Fri 4, Mon 7, Tue 8, Wed 9 -> 18:00.
    view = desk.act("2026-12-02T10:00", "生产", "carry_out", done="已更换")
    assert view.status == "completed"
    assert desk.dues("2026-12-02T10:00") == {"answer": ("2026-12-04T18:00:00+08:00", "met"),
                                             "solution": ("2026-12-03T18:00:00+08:00", "met"),
                                             "first_visit": ("2026-12-09T18:00:00+08:00", "running")}
    # The visit of the first cycle does not count in the second.
    message = desk.refused("2026-12-02T11:00", "客服", "close")
    assert "at least 1 follow-up visit" in message
    desk.act("2026-12-03T10:00", "客服", "visit", satisfaction="satisfied")
    view = desk.act("2026-12-03T11:00", "客服", "close")
    assert view.status == "closed" and view.reopenings == 1


# -- Visit guards ---------------------------------------------------------------------------------------


def carried_out(desk: Desk, category: str) -> None:
    desk.log("2026-11-16T09:00", "客服", intake(category))
    investigate_founded(desk, "2026-11-16")
    desk.act("2026-11-16T11:00", "客服", "transfer", to="生产")
    desk.act("2026-11-17T10:00", "生产", "propose_solution", solution="返修")
    desk.act("2026-11-17T11:00", "客服", "agree")
    desk.act("2026-11-18T10:00", "生产", "carry_out", done="已返修")


def test_engineering_quality_closed_only_after_two_visits(desk: Desk) -> None:
    carried_out(desk, "engineering_quality")
    assert "at least 2 follow-up visits" in desk.refused("2026-11-18T11:00", "客服", "close")
    desk.act("2026-11-19T10:00", "客服", "visit", satisfaction="satisfied")
    assert "at least 2 follow-up visits" in desk.refused("2026-11-19T11:00", "客服", "close")
    desk.act("2026-11-24T10:00", "客服", "visit", satisfaction="satisfied")
    assert desk.act("2026-11-24T11:00", "客服", "close").status == "closed"


def test_service_quality_closed_after_one_visit(desk: Desk) -> None:
    carried_out(desk, "service_quality")
    assert "at least 1 follow-up visit" in desk.refused("2026-11-18T11:00", "客服", "close")
    desk.act("2026-11-19T10:00", "客服", "visit", satisfaction="very_satisfied")
    assert desk.act("2026-11-19T11:00", "客服", "close").status == "closed"


def test_close_needs_the_customer_service_role(desk: Desk) -> None:
    carried_out(desk, "service_quality")
    desk.act("2026-11-19T10:00", "客服", "visit", satisfaction="satisfied")
    with pytest.raises(Refused, match="customer_service"):
        desk.act("2026-11-19T11:00", "生产", "close")


# -- Part 2: quality problems -----------------------------------------------------------------------


def test_product_quality_goes_to_qa_within_half_a_working_day_then_capa_and_verification(desk: Desk) -> None:
    # Received Fri 2026-11-20 16:00 through sales. QA slip within half a working day (4.5 h):
    # Fri 16:00-18:00 (2 h), Mon 09:00 + 2.5 h -> Mon 2026-11-23 11:30.
    # Answer: 5 working days, Mon 23 .. Fri 27 -> 18:00.
    view = desk.log("2026-11-20T16:00", "销售", intake("product_quality", channel="sales"))
    assert view.status == "received"
    assert desk.dues("2026-11-20T16:00") == {"answer": ("2026-11-27T18:00:00+08:00", "running"),
                                             "qa_transfer": ("2026-11-23T11:30:00+08:00", "running")}
    # Still running over the weekend, breached at 11:31 on Monday.
    assert desk.dues("2026-11-23T11:30")["qa_transfer"][1] == "running"
    assert desk.dues("2026-11-23T11:31")["qa_transfer"][1] == "breached"

    view = desk.act("2026-11-23T10:00", "销售", "transfer_to_qa", to="品管", slip="Q-17",
                    samples="samples/photo1.jpg")
    assert (view.status, view.owner) == ("qa_analysis", "品管")
    assert desk.dues("2026-11-23T10:00")["qa_transfer"] == ("2026-11-23T11:30:00+08:00", "met")

    view = desk.act("2026-11-23T14:00", "品管", "find_cause", cause="company_fault", analysis="焊接工艺缺陷",
                    stock_checked="true")
    assert view.status == "cause_found"
    assert "only a customer-misuse finding" in desk.refused("2026-11-23T14:30", "销售", "explain_misuse",
                                                           explanation="x")
    view = desk.act("2026-11-23T15:00", "品管经理", "qa_manager_review", comment="同意")
    assert view.status == "cause_found"

    # A discount without the general manager is refused, with the reason; with the GM it is accepted.
    message = desk.refused("2026-11-23T16:00", "销售", "dispose", disposition="discount", quarantine="true",
                           amount="500")
    assert "discount or compensation needs the general manager's approval" in message
    view = desk.act("2026-11-23T16:30", "总经理", "dispose", disposition="discount", quarantine="true",
                    amount="500", details="折价 5%")
    assert view.status == "disposed"
    assert (view.value("disposition"), view.value("amount")) == ("discount", 500)

    view = desk.act("2026-11-24T09:30", "副总", "approve_disposition", comment="批准")
    assert view.status == "approved"
    view = desk.act("2026-11-24T10:00", "销售", "respond", answer="同意折价 5%")
    assert desk.dues("2026-11-24T10:00")["answer"] == ("2026-11-27T18:00:00+08:00", "met")

    # Finance carries out the discount Tue Nov 24 11:00: first visit due Wed 25 .. Tue Dec 1 18:00.
    view = desk.act("2026-11-24T11:00", "财务", "carry_out", done="已折价")
    assert view.status == "completed"
    assert desk.dues("2026-11-24T11:00")["first_visit"] == ("2026-12-01T18:00:00+08:00", "running")

    # A company fault stays open until CAPA is recorded and verified.
    assert "verify its effect before closing" in desk.refused("2026-11-24T12:00", "客服", "close")
    assert "corrective action before verifying" in desk.refused("2026-11-24T12:00", "品管", "verify",
                                                                effective="true")
    view = desk.act("2026-11-24T14:00", "品管", "capa", measures="改进焊接工艺", action_owner="生产部",
                    due="2026-12-31 18:00", sent_to_customer="true")
    assert view.status == "completed"
    assert view.value("due") == "2026-12-31T18:00:00+08:00"
    assert "verify its effect before closing" in desk.refused("2026-11-24T15:00", "客服", "close")
    # 5.4: approved by the QA manager, then the deputy GM (not a yes/no field any QA person sets)
    assert "approved by the QA manager and the deputy GM" in desk.refused(
        "2026-11-24T15:00", "品管经理", "verify", effective="true")
    desk.act("2026-11-24T15:10", "品管经理", "review_capa", capa_review="同意")
    desk.act("2026-11-24T15:20", "副总", "approve_capa", capa_approval="批准")
    view = desk.act("2026-11-30T10:00", "品管经理", "verify", effective="true", notes="连续两批无缺陷")
    assert view.status == "completed" and view.value("effective") is True

    view = desk.act("2026-11-30T11:00", "客服", "visit", satisfaction="satisfied")
    assert desk.dues("2026-11-30T11:00")["first_visit"] == ("2026-12-01T18:00:00+08:00", "met")
    view = desk.act("2026-11-30T14:00", "客服", "close")
    assert view.status == "closed"


def to_cause_found(desk: Desk, cause: str) -> None:
    desk.log("2026-11-20T16:00", "销售", intake("product_quality", channel="sales"))
    desk.act("2026-11-23T10:00", "销售", "transfer_to_qa", to="品管")
    desk.act("2026-11-23T14:00", "品管", "find_cause", cause=cause, analysis="分析")


@pytest.mark.parametrize("disposition", ["return", "replacement"])
def test_return_and_replacement_need_no_general_manager(desk: Desk, disposition: str) -> None:
    to_cause_found(desk, "company_fault")
    view = desk.act("2026-11-23T16:00", "品管", "dispose", disposition=disposition, quarantine="true")
    assert (view.status, view.value("disposition")) == ("disposed", disposition)
    # The deputy GM approves only after the QA manager's review.
    assert "QA manager reviews the disposition" in desk.refused("2026-11-23T16:30", "副总",
                                                               "approve_disposition")
    desk.act("2026-11-23T17:00", "品管经理", "qa_manager_review")
    assert desk.act("2026-11-23T17:30", "副总", "approve_disposition").status == "approved"


@pytest.mark.parametrize("who", ["销售", "品管"])
@pytest.mark.parametrize("disposition", ["discount", "compensation"])
def test_discount_and_compensation_refused_without_the_general_manager(desk: Desk, disposition: str,
                                                                        who: str) -> None:
    to_cause_found(desk, "company_fault")
    message = desk.refused("2026-11-23T16:00", who, "dispose", disposition=disposition, quarantine="true",
                           amount="2000")
    assert "needs the general manager's approval" in message
    view = desk.act("2026-11-23T16:30", "总经理", "dispose", disposition=disposition, quarantine="true",
                    amount="2000")
    assert (view.status, view.value("disposition")) == ("disposed", disposition)


def test_customer_misuse_is_explained_after_the_qa_manager_review(desk: Desk) -> None:
    to_cause_found(desk, "customer_misuse")
    assert "follows a company-fault finding" in desk.refused("2026-11-23T15:00", "品管", "dispose",
                                                             disposition="return", quarantine="false")
    assert "QA manager must review" in desk.refused("2026-11-23T15:00", "销售", "explain_misuse",
                                                    explanation="操作不当")
    desk.act("2026-11-23T15:30", "品管经理", "qa_manager_review")
    view = desk.act("2026-11-23T16:00", "销售", "explain_misuse", explanation="请按说明书操作")
    assert view.status == "explained"
    # Explaining is the answer (received Fri 20 16:00 -> due Fri 27 18:00).
    assert desk.dues("2026-11-23T16:00") == {"answer": ("2026-11-27T18:00:00+08:00", "met"),
                                             "qa_transfer": ("2026-11-23T11:30:00+08:00", "met")}
    assert desk.act("2026-11-24T10:00", "客服", "close").status == "closed"


def test_service_problems_are_not_sent_to_qa(desk: Desk) -> None:
    # A service complaint has no QA clock, and may not go to QA (5.1.1).
    desk.log("2026-11-20T16:00", "销售", intake("service_quality", channel="sales"))
    assert set(desk.dues("2026-11-20T16:00")) == {"answer"}
    message = desk.refused("2026-11-23T10:00", "销售", "transfer_to_qa", to="品管")
    assert "only quality problems go to QA" in message


def test_reopen_gives_a_new_answer_promise_even_when_the_first_was_not_kept(desk: Desk) -> None:
    # Received Fri 2026-11-20 16:00: answer due Fri 27 18:00. The company-fault path never stops the
    # answer clock unless someone uses `respond`.
    to_cause_found(desk, "company_fault")
    desk.act("2026-11-23T15:00", "品管经理", "qa_manager_review")
    desk.act("2026-11-23T16:00", "品管", "dispose", disposition="return", quarantine="true")
    desk.act("2026-11-23T17:00", "副总", "approve_disposition")
    desk.act("2026-11-24T10:00", "生产", "carry_out", done="已退货")
    desk.act("2026-11-25T11:00", "客服", "visit", satisfaction="unsatisfied")
    # Reopened Wed Nov 25 12:00: a new promise of 5 working days, Thu 26, Fri 27, Mon 30, Tue Dec 1,
    # Wed Dec 2 -> 18:00 (got: the old run, due Fri Nov 27 18:00).
    view = desk.act("2026-11-25T12:00", "客服", "reopen", reason="退货后仍不满意")
    assert view.status == "investigating"
    assert desk.dues("2026-11-25T12:00")["answer"] == ("2026-12-02T18:00:00+08:00", "running")
