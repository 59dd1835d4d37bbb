"""The sweep's notices, against a real SMTP server on loopback (aiosmtpd): one digest per person, the
right complaints, recorded on each complaint; a server that is down fails the notice, not the sweep,
and the next sweep sends it once; notices about working-time clocks wait for working hours."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aiosmtpd")

from aiosmtpd.controller import Controller  # noqa: E402
from test_sweep import act, at, escalations, log, make_store, run_cli  # noqa: E402

from complaintctl.app import sweep  # noqa: E402
from complaintctl.app.notify import smtp_mailer  # noqa: E402
from complaintctl.store.directory import Store  # noqa: E402

EMAILS = {"王五": "wangwu@example.com", "周静": "zhoujing@example.com", "李四": "lisi@example.com"}


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def by_person(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for message in self.messages:
            address = message["X-Envelope-To"]
            assert address not in found, f"two digests to {address}"
            body = message.get_body(("plain",))
            assert body is not None
            found[address] = body.get_content()
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def server(port: int):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox
    controller.stop()


def metro_store(tmp_path: Path, port: int) -> Store:
    smtp = (f"smtp:\n  host: 127.0.0.1\n  port: {port}\n  security: none\n"
            "  sender: complaints@example.com\n  timeout: 5\n")
    store = make_store(tmp_path / "s", "metro", extra=smtp)
    # make_store gives ASCII-less names a made-up address; use the real ones
    settings = store.root / "complaintctl.yaml"
    text = settings.read_text(encoding="utf-8")
    for person in store.settings.people or ():
        text = text.replace(f"email: {person.email}", f"email: {EMAILS[person.name]}")
    settings.write_text(text, encoding="utf-8")
    return Store.open(store.root)


def two_overdue(store: Store) -> tuple[str, str]:
    a = log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")  # dispatch → 周静 (manager)
    b = log(store, "2026-11-20T09:00", "王五", logged="2026-11-20T09:05")
    act(store, b, "assign", "2026-11-20T09:30", "王五", to="李四", department="车站运营部")
    return a, b  # on Thu 2026-11-26 09:00: a's dispatch and b's opinion (→ 王五, 周静) are breached


def run_sweep(store: Store, now: str) -> sweep.SweepResult:
    settings = store.settings.smtp
    assert settings is not None
    labels = {clock.name: clock.en for clock in store.policy.clocks}
    return sweep.sweep(store, at(now), mailer=smtp_mailer(settings, at(now), store.tz, labels))


def test_one_digest_per_person_with_their_complaints(tmp_path: Path, port: int, server: Inbox) -> None:
    store = metro_store(tmp_path, port)
    a, b = two_overdue(store)
    code, out, err = run_cli("--store", store.root, "--now", "2026-11-26T09:00", "sweep")
    assert code == 0, err
    assert "notice sent to 周静 <zhoujing@example.com> (2 item(s))" in out
    digests = server.by_person()
    assert sorted(digests) == ["wangwu@example.com", "zhoujing@example.com"]
    assert a in digests["zhoujing@example.com"] and b in digests["zhoujing@example.com"]
    assert b in digests["wangwu@example.com"] and a not in digests["wangwu@example.com"]
    assert "late by" in digests["zhoujing@example.com"]  # the store's language: English here
    message = server.messages[0]
    assert message["From"] == "complaints@example.com"
    assert message["Subject"].startswith("complaints: ")
    assert escalations(store, a)[0]["notified"] == ["周静"]
    assert escalations(store, b)[0]["notified"] == ["王五", "周静"]

    code, out, err = run_cli("--store", store.root, "--now", "2026-11-26T10:00", "sweep")
    assert (code, out, err) == (0, "", "")
    assert len(server.messages) == 2  # a re-run never mails twice


def test_digest_in_chinese_for_a_chinese_store(tmp_path: Path, port: int, server: Inbox) -> None:
    store = metro_store(tmp_path, port)
    settings = store.root / "complaintctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: en", "language: zh"),
                        encoding="utf-8")
    two_overdue(store)
    code, _, err = run_cli("--store", store.root, "--now", "2026-11-26T09:00", "sweep")
    assert code == 0, err
    body = server.by_person()["zhoujing@example.com"]
    assert "以下投诉需要您处理" in body and "已超时" in body and "转派部门" in body
    assert "投诉时限提醒" in server.messages[0]["Subject"]


def test_server_down_records_the_breach_then_sends_once_when_back(tmp_path: Path, port: int) -> None:
    store = metro_store(tmp_path, port)
    a, b = two_overdue(store)
    code, out, err = run_cli("--store", store.root, "--now", "2026-11-26T09:00", "sweep")
    assert code == 0, err  # the sweep did its job; the notice failed
    assert "recorded 2 escalation(s)" in out
    assert "notice to 周静 <zhoujing@example.com> failed" in err and "next sweep retries it" in err
    assert [e["level"] for e in escalations(store, a)] == ["breach"]
    assert "notified" not in escalations(store, a)[0] and "notified" not in escalations(store, b)[0]

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        code, out, err = run_cli("--store", store.root, "--now", "2026-11-26T09:10", "sweep")
        assert code == 0, err
        assert "notice sent to 周静" in out and "notice sent to 王五" in out
        digests = inbox.by_person()
        assert sorted(digests) == ["wangwu@example.com", "zhoujing@example.com"]
        assert a in digests["zhoujing@example.com"] and b in digests["zhoujing@example.com"]
        # the receipt is a second escalate event with the same key: nothing earlier is rewritten
        events = escalations(store, b)
        assert [(e["level"], e["due"], e.get("notified")) for e in events] == [
            ("breach", "2026-11-25T18:00:00+08:00", None),
            ("breach", "2026-11-25T18:00:00+08:00", ["王五", "周静"])]
        assert "severity" not in events[1]
        assert run_cli("--store", store.root, "--now", "2026-11-26T09:20", "sweep") == (0, "", "")
        assert len(inbox.messages) == 2
    finally:
        controller.stop()
    code, out, err = run_cli("--store", store.root, "check")
    assert code == 0, out + err


def test_working_time_notices_wait_for_working_hours(tmp_path: Path, port: int, server: Inbox) -> None:
    store = metro_store(tmp_path, port)
    a = log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")  # dispatch due Mon 18:00
    result = run_sweep(store, "2026-11-23T22:00")
    assert [(e.id, e.level) for e in result.recorded] == [(a, "breach")]
    assert len(result.deferred) == 1 and server.messages == []
    assert run_sweep(store, "2026-11-24T08:59").notices == []
    result = run_sweep(store, "2026-11-24T09:01")
    assert result.recorded == [] and [n.person for n in result.notices if n.sent] == ["周静"]
    assert len(server.messages) == 1
    assert run_sweep(store, "2026-11-24T09:30").notices == []


def test_day_and_night_clocks_notify_at_once(tmp_path: Path, port: int, server: Inbox) -> None:
    smtp = (f"smtp:\n  host: 127.0.0.1\n  port: {port}\n  security: none\n"
            "  sender: complaints@example.com\n")
    store = make_store(tmp_path / "w", "wedding", extra=smtp)
    d = log(store, "2026-11-23T10:00", "Rita")  # solution: 24 hours → warning Tue 05:12
    run_sweep(store, "2026-11-23T11:01")  # the gather clock's breach, in working hours
    server.messages.clear()
    result = run_sweep(store, "2026-11-24T05:30")
    assert [(e.id, e.clock, e.level) for e in result.recorded] == [(d, "solution", "warning")]
    assert [n.person for n in result.notices if n.sent] == ["Mia"] and len(server.messages) == 1


def test_a_policy_may_let_notices_go_at_any_hour(tmp_path: Path, port: int, server: Inbox) -> None:
    source = Path(__file__).resolve().parents[1] / "policies" / "metro.yaml"
    store = metro_store(tmp_path, port)
    (store.root / "metro-24h.yaml").write_text(
        source.read_text(encoding="utf-8") + "\nnotices: {working_hours_only: false}\n", encoding="utf-8")
    settings = store.root / "complaintctl.yaml"
    text = settings.read_text(encoding="utf-8").replace("policy: metro", "policy: metro-24h.yaml")
    settings.write_text(text, encoding="utf-8")
    store = Store.open(store.root)
    log(store, "2026-11-20T16:00", "王五", logged="2026-11-20T16:05")
    result = run_sweep(store, "2026-11-23T22:00")
    assert result.deferred == [] and len(server.messages) == 1
