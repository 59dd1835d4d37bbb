"""Every figure of `complaintctl report` on a metro store of known complaints, against values worked
out by hand (China's calendar, 09:00–18:00, a working day = 9 h), for a month, a quarter, a year and a
span, overall and in each grouping, and against the previous period.

The store (times in Shanghai):
  H  2025-06-01 received, closed 06-03, phone 139…01 (more than 30 days before P1: not a repeat)
  G  2026-03-10 received, closed 03-12
  P1 Mon 10-12 10:00 → closed Wed 10-14 16:00 very satisfied; every deadline met (24 h = 2.667 wd)
  P2 Tue 10-20 09:30 → assigned Thu 10-22 (dispatch due Wed 10-21 18:00: breached) → closed Tue 10-27
     15:00 satisfied (50.5 h = 5.611 wd)
  E  Wed 10-28 10:00 → closed Tue 11-03 11:00 very satisfied (37 h); open at the end of October
  A  Mon 11-02 10:00 phone 138…01, facilities, 人民广场站 → closed Thu 11-05 15:00 satisfied (32 h)
  B  Tue 11-03 09:00 online, same phone as A (a repeat), severity major; logged 09:20 (registration
     breached); opinion sent back once; unsatisfied, reopened, closed Thu 11-12 11:00 very satisfied
     (65 h)
  C  Wed 11-18 14:00 by letter (no registration clock), e-mail only; approved 11-20, finished and
     closed in December (after the November cutoff)
  D  Thu 11-26 10:00 never assigned: dispatch due Fri 11-27 18:00, breached; the sweep escalated it
  F  Mon 11-30 23:00, assigned only on 12-01 (as of November it has no owner or department)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportkit import Desk, changes, figures

from complaintctl.report import present
from complaintctl.report.figures import NO_GROUP, percentile

NOW = "2026-12-10T09:00"
H = 3600


def close_path(desk: Desk, cid: str, times: list[str], satisfaction: str, cause: str,
               by: str = "李四") -> None:
    """propose, approve, finish, report_result, respond, visit, close at the seven given times."""
    propose, approve, finish, result, respond, visit, close = times
    desk.act(cid, "propose", propose, by=by, opinion="处理", cause=cause)
    desk.act(cid, "approve", approve)
    desk.act(cid, "finish", finish, by=by)
    desk.act(cid, "report_result", result, by=by, result="已处理")
    desk.act(cid, "respond", respond, answer="已答复")
    desk.act(cid, "visit", visit, satisfaction=satisfaction)
    desk.act(cid, "close", close)


def intake(**fields: str) -> dict[str, str]:
    base = {"subject": "投诉", "description": "情况说明", "complainant__name": "张三",
            "category": "facilities", "location": "人民广场站", "channel": "phone"}
    base.update(fields)
    return base


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    d = Desk.make(tmp_path_factory.mktemp("metro"), "metro")
    h = d.log("2025-06-01T10:00", **intake(complainant__phone="13900000001"))
    d.act(h, "assign", "2025-06-01T11:00", to="李四", department="车站运营部")
    close_path(d, h, ["2025-06-02T10:00", "2025-06-02T11:00", "2025-06-02T12:00", "2025-06-02T13:00",
                      "2025-06-02T14:00", "2025-06-03T10:00", "2025-06-03T11:00"], "satisfied", "management")
    g = d.log("2026-03-10T10:00", **intake(category="environment"))
    d.act(g, "assign", "2026-03-10T11:00", to="李四", department="车站运营部")
    close_path(d, g, ["2026-03-11T10:00", "2026-03-11T11:00", "2026-03-11T12:00", "2026-03-11T13:00",
                      "2026-03-11T14:00", "2026-03-12T10:00", "2026-03-12T11:00"], "satisfied", "management")
    p1 = d.log("2026-10-12T10:00", at="2026-10-12T10:05", **intake(complainant__phone="13900000001"))
    d.act(p1, "assign", "2026-10-12T11:00", to="李四", department="车站运营部")
    close_path(d, p1, ["2026-10-13T10:00", "2026-10-13T11:00", "2026-10-13T12:00", "2026-10-13T13:00",
                       "2026-10-13T14:00", "2026-10-14T10:00", "2026-10-14T16:00"], "very_satisfied",
               "equipment_failure")
    p2 = d.log("2026-10-20T09:30", at="2026-10-20T09:35",
               **intake(category="service_quality", complainant__phone="13900000003"))
    d.act(p2, "assign", "2026-10-22T10:00", to="陈晨", department="设备维修部")
    close_path(d, p2, ["2026-10-23T10:00", "2026-10-23T11:00", "2026-10-26T10:00", "2026-10-26T11:00",
                       "2026-10-26T12:00", "2026-10-27T10:00", "2026-10-27T15:00"], "satisfied",
               "staff_attitude", by="陈晨")
    e = d.log("2026-10-28T10:00", at="2026-10-28T10:02",
              **intake(category="environment", location="南京东路站", complainant__phone="13900000002"))
    d.act(e, "assign", "2026-10-28T11:00", to="孙磊", department="安全保卫部")
    close_path(d, e, ["2026-10-29T10:00", "2026-10-29T11:00", "2026-11-02T10:00", "2026-11-02T11:00",
                      "2026-11-02T12:00", "2026-11-03T10:00", "2026-11-03T11:00"], "very_satisfied",
               "management", by="孙磊")
    a = d.log("2026-11-02T10:00", at="2026-11-02T10:05", **intake(complainant__phone="13800000001"))
    d.act(a, "assign", "2026-11-02T11:00", to="李四", department="车站运营部")
    close_path(d, a, ["2026-11-03T11:00", "2026-11-03T12:00", "2026-11-04T12:00", "2026-11-04T13:00",
                      "2026-11-04T14:00", "2026-11-05T14:00", "2026-11-05T15:00"], "satisfied",
               "equipment_failure")
    b = d.log("2026-11-03T09:00", at="2026-11-03T09:20",
              **intake(channel="online", category="service_quality", location="徐家汇站", severity="major",
                       complainant__phone="138-0000-0001"))
    d.act(b, "assign", "2026-11-03T10:00", to="陈晨", department="设备维修部")
    d.act(b, "propose", "2026-11-04T10:00", by="陈晨", opinion="道歉", cause="staff_attitude")
    d.act(b, "reject", "2026-11-04T12:00", reason="不充分")
    d.act(b, "propose", "2026-11-05T10:00", by="陈晨", opinion="道歉并培训", cause="staff_attitude")
    d.act(b, "approve", "2026-11-05T11:00")
    d.act(b, "finish", "2026-11-06T10:00", by="陈晨")
    d.act(b, "report_result", "2026-11-06T11:00", by="陈晨", result="已培训")
    d.act(b, "respond", "2026-11-06T12:00", answer="已答复")
    d.act(b, "visit", "2026-11-09T10:00", satisfaction="unsatisfied")
    d.act(b, "reopen", "2026-11-09T11:00", reason="仍不满意")
    close_path(d, b, ["2026-11-10T10:00", "2026-11-10T11:00", "2026-11-11T10:00", "2026-11-11T11:00",
                      "2026-11-11T12:00", "2026-11-12T10:00", "2026-11-12T11:00"], "very_satisfied",
               "staff_attitude", by="陈晨")
    c = d.log("2026-11-18T14:00", at="2026-11-18T14:05",
              **intake(channel="letter", category="safety", complainant__email="C@Example.com"))
    d.act(c, "assign", "2026-11-19T10:00", to="刘洋", department="客运服务部")
    close_path(d, c, ["2026-11-20T10:00", "2026-11-20T11:00", "2026-12-02T10:00", "2026-12-02T11:00",
                      "2026-12-02T12:00", "2026-12-03T10:00", "2026-12-03T11:00"], "satisfied", "management",
               by="刘洋")
    dd = d.log("2026-11-26T10:00", at="2026-11-26T10:03",
               **intake(location="徐家汇站", complainant__phone="13700000001"))
    d.act(dd, "escalate", "2026-11-28T09:00", by="sweep", clock="dispatch", due="2026-11-27T18:00:00+08:00",
          level="breach", to="周静")
    f = d.log("2026-11-30T23:00", at="2026-11-30T23:05",
              **intake(category="other", complainant__phone="13600000001"))
    d.act(f, "assign", "2026-12-01T10:00", to="李四", department="车站运营部")
    return d


def test_a_month_and_the_month_before(desk: Desk) -> None:
    report = desk.report("2026-11", now=NOW)
    now, before = figures(report), figures(report, previous=True)
    # counts: received A B C D F; closed in November A B E; open at the end C D F
    assert (now["received"], now["closed"], now["open_at_end"], now["complaints"]) == (5, 3, 3, 5)
    assert (before["received"], before["closed"], before["open_at_end"]) == (3, 2, 1)
    # on time: B (registration) and D (dispatch, still running past its due time) breached
    assert (now["timed"], now["on_time"], now["on_time_rate"]) == (5, 3, 0.6)
    assert (now["clock.registration.timed"], now["clock.registration.on_time"]) == (4, 3)  # C: a letter
    dispatch = (now["clock.dispatch.timed"], now["clock.dispatch.on_time"], now["clock.dispatch.rate"])
    assert dispatch == (5, 4, 0.8)
    assert (now["clock.initial_opinion.timed"], now["clock.initial_opinion.on_time"]) == (3, 3)
    later = (now["clock.review.timed"], now["clock.result_report.timed"], now["clock.answer.timed"])
    assert later == (3, 2, 2)
    # handling: A 32 h, B 65 h (C closed in December, after the cutoff)
    assert now["handled"] == 2
    assert now["handling_days_median"] == round(97 / 18, 2)
    assert now["handling_days_p90"] == round((32 + 0.9 * 33) / 9, 2)
    # satisfaction: A satisfied (4), B very satisfied after the reopening (5)
    assert (now["rated"], now["satisfaction_mean"], now["satisfaction_rate"]) == (2, 4.5, 1.0)
    assert (now["satisfaction.satisfied"], now["satisfaction.very_satisfied"]) == (1, 1)
    assert "satisfaction.unsatisfied" not in now  # B's first answer was cleared by the reopening
    assert (now["finished"], now["successes"], now["success_rate"]) == (2, 2, 1.0)
    assert (now["repeats"], now["repeat_rate"]) == (1, 0.2)  # B, A's phone written differently
    assert (now["escalated"], now["escalation_rate"]) == (1, 0.2)  # D
    assert (now["reopened"], now["reopenings"], now["rejections"]) == (1, 1, 1)
    assert now["costs.total"] == 0 and now["corrective.recorded"] == 0
    # October, as it stood on 1 November: P1 and P2 closed, E open (its visit came in November)
    assert (before["timed"], before["on_time"], before["on_time_rate"]) == (3, 2, round(2 / 3, 4))
    assert before["handling_days_median"] == round((24 + 50.5) / 2 / 9, 2)
    assert before["handling_days_p90"] == round((24 + 0.9 * 26.5) / 9, 2)
    assert (before["rated"], before["satisfaction_mean"]) == (2, 4.5)
    assert (before["repeats"], before["escalated"]) == (0, 0)
    delta = changes(report)
    assert (delta["received"], delta["closed"], delta["open_at_end"]) == (2, 1, 2)
    assert delta["on_time_rate"] == round(0.6 - round(2 / 3, 4), 4)
    assert delta["handling_days_median"] == round(round(97 / 18, 2) - round(74.5 / 18, 2), 4)
    assert delta["repeat_rate"] == 0.2 and delta["satisfaction_mean"] == 0
    # weeks from Monday 10-26 (1 November is a Sunday): A B | - | C | D | F
    assert [(monday.isoformat(), n) for monday, n in report.current.weekly] == [
        ("2026-10-26", 0), ("2026-11-02", 2), ("2026-11-09", 0), ("2026-11-16", 1), ("2026-11-23", 1),
        ("2026-11-30", 1)]


def test_groupings_of_a_month(desk: Desk) -> None:
    report = desk.report("2026-11", now=NOW, groupings=["category", "department", "owner", "channel", "cause",
                                                          "location", "severity"])
    facilities = figures(report, "category", "facilities")
    assert (facilities["received"], facilities["open_at_end"], facilities["on_time_rate"]) == (2, 1, 0.5)
    assert facilities["handling_days_median"] == round(32 / 9, 2)
    environment = figures(report, "category", "environment")  # E: closed in November, received before
    assert (environment["received"], environment["closed"], environment["complaints"]) == (0, 1, 0)
    assert environment["on_time_rate"] is None
    # F was assigned in December: in November it has no department and no owner
    station = figures(report, "department", "车站运营部")
    assert (station["received"], station["closed"]) == (1, 1)
    assert figures(report, "department", NO_GROUP)["received"] == 2  # D and F
    assert figures(report, "owner", NO_GROUP)["open_at_end"] == 2
    assert figures(report, "owner", "陈晨")["rejections"] == 1
    assert figures(report, "channel", "online")["received"] == 1
    assert figures(report, "channel", "letter")["clock.dispatch.timed"] == 1
    assert "clock.registration.timed" not in figures(report, "channel", "letter")
    staff = figures(report, "cause", "staff_attitude")
    assert (staff["received"], staff["reopenings"], staff["satisfaction_mean"]) == (1, 1, 5.0)
    management = figures(report, "cause", "management")  # C (received) and E (closed)
    assert (management["received"], management["closed"], management["open_at_end"]) == (1, 1, 1)
    assert figures(report, "location", "徐家汇站")["escalated"] == 1
    assert figures(report, "location", "人民广场站")["received"] == 3
    assert figures(report, "severity", "major")["on_time_rate"] == 0.0
    assert figures(report, "severity", "normal")["received"] == 4
    # the previous month by group, and the change in a group
    assert figures(report, "category", "service_quality", previous=True)["on_time"] == 0  # P2
    assert figures(report, "department", "设备维修部", previous=True)["received"] == 1


def test_basis_closed_counts_what_was_closed_in_the_period(desk: Desk) -> None:
    report = desk.report("2026-11", now=NOW, basis="closed")
    now = figures(report)
    assert (now["complaints"], now["received"], now["closed"]) == (3, 5, 3)  # A, B, E
    assert now["handled"] == 3
    assert now["handling_days_median"] == round(37 / 9, 2)
    assert (now["satisfaction.very_satisfied"], now["satisfaction.satisfied"]) == (2, 1)
    assert (now["timed"], now["on_time"]) == (3, 2)
    before = figures(report, previous=True)
    assert (before["complaints"], before["handled"]) == (2, 2)  # P1, P2


def test_a_quarter_not_yet_over_is_reported_as_of_now(desk: Desk) -> None:
    report = desk.report("2026-Q4", now=NOW)
    assert report.current.cutoff.isoformat() == "2026-12-10T09:00:01+08:00"
    now = figures(report)
    assert (now["received"], now["closed"], now["open_at_end"]) == (8, 6, 2)  # D and F still open
    assert now["handled"] == 6
    # C: Wed 11-18 14:00 → Thu 12-03 11:00 = 4 h + 10 working days (11-19 … 12-02) + 2 h = 96 h
    hours = [24, 50.5, 37, 32, 65, 96]
    assert now["handling_days_median"] == round((37 + 50.5) / 2 / 9, 2)
    assert now["handling_days_p90"] == round((65 + 0.5 * 31) / 9, 2)
    assert percentile([h / 9 for h in hours], 0.9) == pytest.approx((65 + 0.5 * 31) / 9)
    assert (now["satisfaction_rate"], now["success_rate"]) == (1.0, 1.0)
    assert figures(report, previous=True)["received"] == 0
    assert changes(report)["received"] == 8
    assert changes(report)["on_time_rate"] is None  # nothing to compare with


def test_a_year_and_the_year_before(desk: Desk) -> None:
    report = desk.report("2026", now=NOW)
    now, before = figures(report), figures(report, previous=True)
    assert (now["received"], now["closed"], now["open_at_end"]) == (9, 7, 2)  # G, P1, P2, E, A, B, C, D, F
    assert (before["received"], before["closed"], before["open_at_end"]) == (1, 1, 0)  # H
    assert now["repeats"] == 1  # H was more than 30 days before P1
    assert changes(report)["received"] == 8
    assert present.category_counts(report) == [
        ("service quality", 2), ("facilities and equipment", 3), ("safety management", 1),
        ("environment and hygiene", 2), ("other (management)", 1)]


def test_a_span_of_days_and_the_span_before(desk: Desk) -> None:
    report = desk.report(now=NOW, since="2026-11-02", until="2026-11-04")
    assert report.current.period.label == "2026-11-02..2026-11-03"
    assert report.previous.period.label == "2026-10-31..2026-11-01"
    now = figures(report)
    assert (now["received"], now["closed"], now["open_at_end"]) == (2, 1, 2)  # A, B; E closed 11-03
    assert figures(report, previous=True)["received"] == 0


def test_a_cutoff_between_events_folds_what_happened_until_then(desk: Desk) -> None:
    # 1–9 November, as of 10 November 00:00: B's opinion was sent back (11-04) and it was reopened
    # after an unsatisfied visit (11-09), which forgets that answer; it closed only on 11-12
    report = desk.report(now=NOW, since="2026-11-01", until="2026-11-10", groupings=["cause", "owner"])
    now = figures(report)
    assert (now["received"], now["closed"], now["open_at_end"]) == (2, 2, 1)  # A and E closed; B open
    assert (now["rejections"], now["reopened"], now["reopenings"]) == (1, 1, 1)
    assert (now["rated"], now["satisfaction.satisfied"]) == (1, 1)  # A's answer only
    assert (now["finished"], now["success_rate"]) == (1, 1.0)
    assert figures(report, "cause", "staff_attitude")["open_at_end"] == 1
    assert figures(report, "owner", "陈晨")["reopenings"] == 1


def test_an_empty_period_has_no_rates(desk: Desk) -> None:
    report = desk.report("2024-02", now=NOW)
    now = figures(report)
    assert now["received"] == 0 and now["on_time_rate"] is None and now["handling_days_median"] is None


def test_periods_parse_and_step_back(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    from walkkit import instant

    from complaintctl.base.errors import UsageError
    from complaintctl.report.periods import parse_period, span

    tz = ZoneInfo("Asia/Shanghai")
    assert parse_period("2026-01", tz).previous().label == "2025-12"
    assert parse_period("2026-Q1", tz).previous().label == "2025-Q4"
    assert parse_period("2026q3", tz).start.isoformat() == "2026-07-01T00:00:00+08:00"
    assert parse_period("2026-Q3", tz).end.isoformat() == "2026-10-01T00:00:00+08:00"
    assert parse_period("2025", tz).previous().label == "2024"
    for bad in ("2026-13", "2026-Q5", "26", "next month"):
        with pytest.raises(UsageError):
            parse_period(bad, tz)
    with pytest.raises(UsageError):
        span("2026-11-05", "2026-11-05", tz, instant(NOW))
    assert span("2026-11-05", None, tz, instant(NOW)).label == "2026-11-05..2026-12-10"
