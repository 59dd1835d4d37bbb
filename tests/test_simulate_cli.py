"""`complaintctl policy simulate NAME --received TIME …` through the real CLI, in process."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import init_store, run_main

from complaintctl.worktime.arithmetic import Calendar


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return init_store(tmp_path, capsys, "metro")


def simulate(capsys: pytest.CaptureFixture[str], store: Path, *args: str) -> list[dict[str, object]]:
    code, out, err = run_main(capsys, "--store", str(store), "--now", "2026-09-30T12:00", "policy",
                              "simulate", *args, "--json")
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def dues(rows: list[dict[str, object]]) -> dict[object, object]:
    return {row["name"]: row["due"] for row in rows}


def test_metro_phone_complaint_before_national_day(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    # By hand, China calendar 2026, working hours 09:00-18:00:
    # - registration: 10 minutes of wall-clock time from 17:00 -> Wed 2026-09-30 17:10.
    # - dispatch: 1 working day, started by the log event, which the simulation puts at the receipt
    #   (17:00 on Wed Sep 30). The start day never counts. Thu Oct 1 - Wed Oct 7 are off (国庆节 Oct 1-3,
    #   Sun Oct 4, 国庆节（补假） Oct 5, and the rest days Oct 6-7 swapped with Sun Sep 20 and Sat Oct 10).
    #   The first working day after Sep 30 is therefore Thu Oct 8, and the limit ends at its close:
    #   2026-10-08T18:00+08:00 (not Oct 9: one working day is the close of the *first* working day after
    #   the start day, as DOMAIN.md's example 7 working days -> Thu Oct 15 also shows).
    rows = simulate(capsys, store, "metro", "--received", "2026-09-30T17:00", "--channel", "phone")
    assert dues(rows) == {
        "registration": "2026-09-30T17:10:00+08:00",
        "dispatch": "2026-10-08T18:00:00+08:00",
    }
    assert {row["name"]: row["limit"] for row in rows} == {"registration": "10 minutes",
                                                           "dispatch": "1 working day"}
    assert not any(row["provisional"] for row in rows)


def test_metro_in_person_registration_is_due_at_once(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    rows = simulate(capsys, store, "metro", "--received", "2026-09-30T17:00", "--channel", "in_person")
    # 受理二.3 "立即": the policy's short limit, 10 minutes like the hotline (never zero)
    assert dues(rows)["registration"] == "2026-09-30T17:10:00+08:00"
    assert dues(rows)["dispatch"] == "2026-10-08T18:00:00+08:00"


def test_metro_letter_has_no_registration_clock(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    rows = simulate(capsys, store, "metro", "--received", "2026-09-30T17:00", "--channel", "letter")
    assert list(dues(rows)) == ["dispatch"]


def test_tourism_email_gets_the_48_hour_reply_clock(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    rows = simulate(capsys, store, "tourism", "--received", "2026-09-30T17:00", "--channel", "email")
    # 48 hours of wall-clock time, holidays or not; handling: 7 working days (DOMAIN.md's example)
    assert dues(rows) == {
        "email_reply": "2026-10-02T17:00:00+08:00",
        "handling": "2026-10-15T18:00:00+08:00",
    }
    phone = simulate(capsys, store, "tourism", "--received", "2026-09-30T17:00", "--channel", "phone")
    assert "email_reply" not in dues(phone)


def test_tourism_complex_complaint_gets_the_extension_notice_clock(
        capsys: pytest.CaptureFixture[str], store: Path) -> None:
    rows = simulate(capsys, store, "tourism", "--received", "2026-09-30T17:00", "--severity", "complex")
    # 10 working days: Oct 8, 9, 10 (make-up Saturday), 12-16, 19, 20
    assert dues(rows)["extension_notice"] == "2026-10-20T18:00:00+08:00"


def test_without_a_store_the_default_calendar_is_used(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMPLAINTCTL_STORE", raising=False)
    code, out, err = run_main(capsys, "--now", "2026-09-30T12:00", "policy", "simulate", "metro",
                              "--received", "2026-09-30T17:00", "--json")
    assert code == 0, err
    assert dues(json.loads(out))["dispatch"] == "2026-10-08T18:00:00+08:00"


def test_unknown_codes_are_refused(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    code, _, err = run_main(capsys, "--store", str(store), "policy", "simulate", "metro",
                            "--received", "2026-09-30T17:00", "--channel", "pigeon")
    assert code == 2
    assert "--channel: 'pigeon' is not allowed" in err and "phone, online, in_person" in err


def _estimated_year() -> int:
    """2027, while the holidays package only estimates it (its 调休 schedule is not published yet)."""
    cal = Calendar()
    return next(y for y in range(2027, 2100) if cal.is_provisional(date(y, 10, 14)))


def test_an_estimated_year_marks_the_due_as_provisional(
        capsys: pytest.CaptureFixture[str], store: Path) -> None:
    year = _estimated_year()
    received = f"{year}-09-30T17:00"
    rows = simulate(capsys, store, "metro", "--received", received, "--channel", "phone")
    assert all(row["provisional"] for row in rows)
    code, out, err = run_main(capsys, "--store", str(store), "policy", "simulate", "metro",
                              "--received", received, "--channel", "phone")
    assert code == 0, err
    header, *lines = out.splitlines()
    assert header.split() == ["clock", "limit", "due"] and len(lines) >= 2
    for line in lines[:2]:
        assert line.endswith(" *"), line
    assert any(line.startswith("dispatch to department") for line in lines)
    # the year before is published: no mark
    code, out, _ = run_main(capsys, "--store", str(store), "policy", "simulate", "metro",
                            "--received", "2026-09-30T17:00")
    assert code == 0 and "*" not in out
