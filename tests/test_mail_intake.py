"""E-mail intake (issue 21): `log --from-mail` and `intake maildir` on real messages and a real Maildir."""

from __future__ import annotations

import hashlib
import json
import mailbox
import os
import re
from pathlib import Path
from typing import Any

import pytest

from complaintctl.app import mailintake
from complaintctl.store.directory import Store
from tests.mailkit import SUBJECTS, message

NOW = "2026-11-20T17:00:00+08:00"


@pytest.fixture
def tourism(tmp_path: Path, cli: Any) -> Path:
    """An empty tourism store (it has an `email` channel with its own 48-hour clock), Chinese."""
    root = tmp_path / "tourism"
    assert cli("init", root, "--policy", "tourism", "--office", "TR", "--language", "zh").code == 0
    os.chdir(root)
    return root


def show(cli: Any, complaint_id: str) -> dict[str, Any]:
    result = cli("--now", NOW, "show", complaint_id, "--json")
    assert result.code == 0, result
    data: dict[str, Any] = json.loads(result.out)
    return data


def records(root: Path) -> list[Path]:
    return sorted((root / "complaints").glob("*/*/*.yaml"))


def logged_id(root: Path) -> str:
    (only,) = records(root)
    return only.stem


def check_clean(cli: Any) -> str:
    result = cli("check")
    assert result.code == 0, result
    return result.err


@pytest.mark.parametrize("charset", sorted(SUBJECTS))
def test_a_message_becomes_a_complaint_in_each_chinese_encoding(tourism: Path, cli: Any, tmp_path: Path,
                                                                 charset: str) -> None:
    subject = SUBJECTS[charset]
    body = f"{subject}。\n十一月十五日的行程中,导游中途离团两小时。"
    raw = message(message_id="<first@example.com>", subject=subject, body=body, charset=charset,
                  sender="张三", address="zhang@example.com", date="Fri, 20 Nov 2026 16:00:00 +0800")
    eml = tmp_path / "complaint.eml"
    eml.write_bytes(raw)

    result = cli("--now", NOW, "log", "--from-mail", eml)

    assert result.code == 0, result
    data = show(cli, logged_id(tourism))
    intake = data["intake"]
    assert intake["subject"] == subject
    assert intake["description"] == body + "\n"
    assert intake["complainant"] == {"name": "张三", "email": "zhang@example.com"}
    assert intake["channel"] == "email"
    assert intake["received_at"] == "2026-11-20T16:00:00+08:00"  # the message's Date, not now
    assert intake["source"] == "mail:<first@example.com>"
    assert intake["missing"] == ["category"]
    # the e-mail clock runs from the Date: 48 hours
    email_reply = next(row for row in data["deadlines"] if row["name"] == "email_reply")
    assert email_reply["due"] == "2026-11-22T16:00:00+08:00"
    assert "待补充:category" in result.out
    assert "category" in check_clean(cli)  # a warning, not an error


def test_gb2312_label_on_gbk_text_is_read_as_gb18030(tourism: Path, cli: Any, tmp_path: Path) -> None:
    # Mail clients label GBK text as gb2312; 镕 is not in GB2312, so only its superset decodes it.
    subject = "朱镕基路酒店"
    raw = message(message_id="<label@example.com>", subject=subject, body=subject, charset="gbk")
    raw = raw.replace(b"=?gbk?", b"=?gb2312?").replace(b'charset="gbk"', b'charset="gb2312"')
    assert b"gb2312" in raw and b"gbk" not in raw
    (tmp_path / "m.eml").write_bytes(raw)
    assert cli("--now", NOW, "log", "--from-mail", tmp_path / "m.eml").code == 0
    intake = show(cli, logged_id(tourism))["intake"]
    assert (intake["subject"], intake["description"]) == (subject, subject)


def test_html_only_message_is_rendered_to_text(tourism: Path, cli: Any) -> None:
    html = ("<html><head><style>p {color: red}</style><title>投诉</title></head><body>"
            "<p>您好:</p><p>导游&nbsp;中途离团 &amp; 未退款。<br>请处理。</p>"
            "<script>alert(1)</script><ul><li>行程单</li><li>发票</li></ul></body></html>")
    raw = message(message_id="<html@example.com>", html=html)
    result = cli("--now", NOW, "log", "--from-mail", "-", stdin=raw.decode("ascii"))
    assert result.code == 0, result
    description = show(cli, logged_id(tourism))["intake"]["description"]
    assert description == "您好:\n\n导游 中途离团 & 未退款。\n请处理。\n\n- 行程单\n- 发票\n"


def test_the_message_and_its_attachments_are_evidence_with_their_sha256(tourism: Path, cli: Any,
                                                                        tmp_path: Path) -> None:
    photo, pdf = os.urandom(3000), b"%PDF-1.4 itinerary"
    raw = message(message_id="<att@example.com>", attachments=[("照片 1.jpg", photo), ("行程单.pdf", pdf)])
    (tmp_path / "m.eml").write_bytes(raw)
    assert cli("--now", NOW, "log", "--from-mail", tmp_path / "m.eml").code == 0
    history = show(cli, logged_id(tourism))["history"]
    (attach,) = [event for event in history if event["action"] == "attach"]
    files = attach["files"]
    expected = [raw, photo, pdf]
    assert [Path(item["path"]).name for item in files][1:] == ["照片 1.jpg", "行程单.pdf"]
    assert Path(files[0]["path"]).suffix == ".eml"
    for item, data in zip(files, expected, strict=True):
        stored = (tourism / item["path"]).read_bytes()
        assert stored == data
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["size"] == len(data)


def test_replies_become_notes_and_duplicates_are_taken_once(tourism: Path, cli: Any, tmp_path: Path) -> None:
    first = message(message_id="<t1@example.com>", subject="导游中途离团")
    reply = message(message_id="<t2@example.com>", subject="Re: 导游中途离团", body="补充:行程单见附件。",
                    date="Fri, 20 Nov 2026 16:20:00 +0800", in_reply_to="<t1@example.com>",
                    references=["<t1@example.com>"], attachments=[("行程单.pdf", b"%PDF")])
    # Outlook-style: only In-Reply-To, naming the reply (a note), not the first message
    again = message(message_id="<t3@example.com>", subject="Re: Re: 导游中途离团", body="还有发票。",
                    date="Fri, 20 Nov 2026 16:40:00 +0800", in_reply_to="<t2@example.com>")
    for number, raw in enumerate([first, reply, again, first, reply, again], start=1):
        (tmp_path / f"{number}.eml").write_bytes(raw)
        result = cli("--now", NOW, "log", "--from-mail", tmp_path / f"{number}.eml")
        assert result.code == 0, result
        if number > 3:
            assert "此前已收录" in result.out
    complaint = logged_id(tourism)
    history = show(cli, complaint)["history"]
    notes = [event for event in history if event["action"] == "note"]
    assert len(notes) == 2
    assert "补充:行程单见附件。" in notes[0]["text"]
    assert notes[0]["text"].rstrip().endswith("mail:<t2@example.com>")
    assert "还有发票。" in notes[1]["text"]
    attached = [Path(item["path"]).name for event in history if event["action"] == "attach"
                for item in event["files"]]
    assert len([name for name in attached if name.endswith(".eml")]) == 3
    assert "行程单.pdf" in attached
    record = Store.open(tourism).read(complaint)
    assert mailintake.message_ids_of(record) == ["<t1@example.com>", "<t2@example.com>", "<t3@example.com>"]
    check_clean(cli)


def test_metro_has_no_email_channel_so_mail_comes_in_online(store: Path, cli: Any, tmp_path: Path) -> None:
    raw = message(message_id="<metro@example.com>", subject="闸机重复扣费",
                  body="在人民广场站出站时被扣两次费。")
    (tmp_path / "m.eml").write_bytes(raw)
    result = cli("--now", NOW, "log", "--from-mail", tmp_path / "m.eml")
    assert result.code == 0, result
    complaint = logged_id(store)
    data = show(cli, complaint)
    assert data["intake"]["channel"] == "online"
    assert data["intake"]["missing"] == ["category", "location"]
    # the registration clock runs from the message's Date all the same (10 minutes: breached by now)
    registration = next(row for row in data["deadlines"] if row["name"] == "registration")
    assert registration["due"] == "2026-11-20T16:10:00+08:00"
    warnings = check_clean(cli)
    assert "category" in warnings and "location" in warnings
    assert data["to_complete"] == ["category", "location"]
    assert re.search(r"to complete +category, location\n", cli("--now", NOW, "show", complaint).out)
    assert "to complete" in cli("--now", NOW, "list").out
    # the office completes it: the warnings go
    done = cli("--now", NOW, "act", complaint, "edit", "category=facilities", "location=人民广场站")
    assert done.code == 0, done
    warnings = check_clean(cli)
    assert complaint not in warnings
    assert show(cli, complaint)["to_complete"] == []
    assert "to complete" not in cli("--now", NOW, "show", complaint).out
    assert "to complete" not in cli("--now", NOW, "list").out


def test_options_fill_what_the_message_cannot_give(store: Path, cli: Any, tmp_path: Path) -> None:
    (tmp_path / "m.eml").write_bytes(message(message_id="<opt@example.com>"))
    result = cli("--now", NOW, "log", "--from-mail", tmp_path / "m.eml", "--category", "facilities",
                 "--location", "人民广场站")
    assert result.code == 0, result
    intake = show(cli, logged_id(store))["intake"]
    assert (intake["category"], intake["location"]) == ("facilities", "人民广场站")
    assert "missing" not in intake
    assert "category" not in check_clean(cli)


def test_a_person_at_a_terminal_is_asked_for_the_missing_fields(store: Path) -> None:
    from datetime import datetime

    asked: list[str] = []
    answers = {"category": "safety", "location": "徐家汇站"}

    def ask(name: str) -> str:
        asked.append(name)
        return answers[name]

    opened = Store.open(store)
    taken = mailintake.take_one(opened, message(message_id="<ask@example.com>"), by="王五",
                                now=datetime.fromisoformat(NOW), ask=ask)
    assert asked == ["category", "location"]
    intake = opened.read(taken.complaint_id).intake
    assert (intake["category"], intake["location"], intake.get("missing")) == ("safety", "徐家汇站", None)


def test_a_message_without_sender_is_refused(tourism: Path, cli: Any, tmp_path: Path) -> None:
    raw = message(message_id="<nosender@example.com>").replace(b"From: ", b"X-Old-From: ")
    (tmp_path / "m.eml").write_bytes(raw)
    result = cli("--now", NOW, "log", "--from-mail", tmp_path / "m.eml")
    assert result.code == 2
    assert "发件人" in result.err
    assert records(tourism) == []


# -- a Maildir -------------------------------------------------------------------------------------------

def maildir_with(folder: Path, messages: list[bytes]) -> list[str]:
    box = mailbox.Maildir(folder, factory=None, create=True)
    return [box.add(raw) for raw in messages]


def mixed_messages() -> list[bytes]:
    found = [message(message_id=f"<enc-{charset}@example.com>", subject=subject, body=subject,
                     charset=charset, address=f"{charset}@example.com")
             for charset, subject in sorted(SUBJECTS.items())]
    found.append(message(message_id="<html-only@example.com>", html="<p>酒店<b>不符</b></p>"))
    found.append(message(message_id="<reply@example.com>", subject="Re: 导游中途离团", body="补充",
                         in_reply_to="<enc-utf-8@example.com>", attachments=[("补充.pdf", b"%PDF")]))
    found.append(message(message_id="<enc-utf-8@example.com>", subject="重复投递"))  # delivered twice
    found.append(b"")  # an empty file
    found.append(b"Subject: no sender\n\nhello\n")
    return found


def test_intake_maildir_takes_each_message_once_and_sets_bad_ones_aside(tourism: Path, cli: Any,
                                                                       tmp_path: Path) -> None:
    folder = tmp_path / "Maildir"
    keys = maildir_with(folder, mixed_messages())

    result = cli("--now", NOW, "intake", "maildir", folder)

    assert result.code == 0, result
    assert len(records(tourism)) == 5  # four encodings and the HTML one
    assert list((folder / "new").iterdir()) == []
    taken = sorted(path.name for path in (folder / "cur").iterdir())
    assert taken == sorted(f"{key}:2,S" for key in keys[:7])
    rejected = folder / ".complaintctl-rejected"
    assert sorted(path.name for path in (rejected / "cur").iterdir()) == sorted(f"{k}:2," for k in keys[7:])
    reasons = {path.name: path.read_text(encoding="utf-8") for path in rejected.glob("*.reason")}
    assert "邮件内容为空" in reasons[f"{keys[7]}.reason"]
    assert "发件人" in reasons[f"{keys[8]}.reason"]
    assert mailbox.Maildir(folder, create=False).get_folder("complaintctl-rejected") is not None
    known = mailintake.known_messages(Store.open(tourism))
    assert set(known) == {f"<enc-{c}@example.com>" for c in SUBJECTS} | {"<html-only@example.com>",
                                                                         "<reply@example.com>"}
    assert known["<reply@example.com>"] == known["<enc-utf-8@example.com>"]
    assert "此前已收录" in result.out and "已移至 .complaintctl-rejected" in result.out
    check_clean(cli)

    again = cli("--now", NOW, "intake", "maildir", folder)  # nothing new: quiet
    assert (again.code, again.out, again.err) == (0, "", "")


def test_an_unknown_person_is_refused_before_any_message_moves(tourism: Path, cli: Any,
                                                               tmp_path: Path) -> None:
    (tourism / "complaintctl.yaml").write_text(
        (tourism / "complaintctl.yaml").read_text(encoding="utf-8")
        + "people:\n  - name: 王五\n    roles: [reception]\n", encoding="utf-8")
    folder = tmp_path / "Maildir"
    maildir_with(folder, [message(message_id="<p@example.com>")])
    result = cli("--now", NOW, "intake", "maildir", folder, "--by", "陌生人")
    assert result.code == 1
    assert "陌生人" in result.err
    assert len(list((folder / "new").iterdir())) == 1 and records(tourism) == []


def test_a_reply_to_a_broken_record_waits_in_new_and_the_rest_goes_on(tourism: Path, cli: Any,
                                                                      tmp_path: Path) -> None:
    folder = tmp_path / "Maildir"
    maildir_with(folder, [message(message_id="<b1@example.com>")])
    assert cli("--now", NOW, "intake", "maildir", folder).code == 0
    (broken,) = records(tourism)
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good + "<<<<<<< ours\n", encoding="utf-8")  # a merge left half-done
    (reply,) = maildir_with(folder, [message(message_id="<b2@example.com>", in_reply_to="<b1@example.com>")])
    maildir_with(folder, [message(message_id="<b3@example.com>", subject="另一件投诉",
                                  address="w@example.com")])

    result = cli("--now", NOW, "intake", "maildir", folder)

    assert result.code == 1
    assert reply in result.err and "new/" in result.err
    assert [path.name for path in (folder / "new").iterdir()] == [reply]
    assert len(records(tourism)) == 2  # the other message was taken
    broken.write_text(good, encoding="utf-8")
    again = cli("--now", NOW, "intake", "maildir", folder)
    assert again.code == 0 and "b2" not in again.out and broken.stem in again.out
    assert list((folder / "new").iterdir()) == []


def test_not_a_maildir(tourism: Path, cli: Any, tmp_path: Path) -> None:
    result = cli("--now", NOW, "intake", "maildir", tmp_path / "nowhere")
    assert result.code == 1 and "Maildir" in result.err


def test_killed_intake_then_rerun_takes_every_message_exactly_once(tourism: Path, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "Maildir"
    count = 30
    raws = [message(message_id=f"<kill-{n}@example.com>", subject=f"投诉 {n}", body=f"第 {n} 件",
                    address=f"c{n}@example.com", attachments=[(f"{n}.txt", os.urandom(20_000))])
            for n in range(count)]
    maildir_with(folder, raws)
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "complaintctl", "--now", NOW, "intake", "maildir", str(folder)]
    process = subprocess.Popen(command, cwd=tourism, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(records(tourism)) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    left = len(list((folder / "new").iterdir()))
    assert process.returncode == -signal.SIGKILL and 0 < left < count, "the run was not killed part-way"

    rerun = subprocess.run(command, cwd=tourism, env=env, capture_output=True, text=True, timeout=120,
                           check=False)

    assert rerun.returncode == 0, rerun.stderr
    assert list((folder / "new").iterdir()) == []
    assert len(list((folder / "cur").iterdir())) == count
    opened = Store.open(tourism)
    sources = sorted(opened.read(path.stem).intake["source"] for path in records(tourism))
    assert sources == sorted(f"mail:<kill-{n}@example.com>" for n in range(count))
    for path in records(tourism):
        history = opened.read(path.stem).history
        attached = [item for event in history if event["action"] == "attach" for item in event["files"]]
        assert len(attached) == 2, history  # the message and its one attachment, once
    checked = subprocess.run([sys.executable, "-m", "complaintctl", "check"], cwd=tourism, env=env,
                             capture_output=True, text=True, timeout=120, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr



def test_commit_puts_each_message_record_and_evidence_in_one_commit(tmp_path: Path, capsys: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.gitkit import isolate, office, out

    isolate(monkeypatch, tmp_path)
    _, clone = office(tmp_path, capsys)
    folder = tmp_path / "Maildir"
    maildir_with(folder, [message(message_id="<c1@example.com>", subject="闸机重复扣费",
                                  attachments=[("ticket.jpg", b"jpeg")]),
                          message(message_id="<c2@example.com>", subject="Re: 闸机重复扣费", body="补充",
                                  in_reply_to="<c1@example.com>")])
    printed = clone.ok("intake", "maildir", str(folder), "--commit", now=NOW)
    assert printed.count("committed as") == 2
    subjects = out(clone.root, "log", "-2", "--format=%s").splitlines()
    assert subjects[1].startswith("log MT-") and subjects[1].endswith(": 闸机重复扣费")
    assert subjects[0].startswith("note MT-")
    files = out(clone.root, "show", "--name-only", "--format=", "HEAD~1").split()
    assert any(name.endswith(".yaml") for name in files) and any("ticket.jpg" in name for name in files)
    assert out(clone.root, "status", "--porcelain", "complaints", "evidence") == ""


def test_the_quick_scan_finds_what_parsing_finds(tourism: Path, cli: Any, tmp_path: Path) -> None:
    first = message(message_id="<q1@example.com>", body="正文最后一行写着 mail:<fake@example.com>")
    reply = message(message_id="<q2@example.com>", in_reply_to="<q1@example.com>",
                    body="引用:\nmail:<also-fake@example.com>\n谢谢")
    for number, raw in enumerate([first, reply]):
        (tmp_path / f"{number}.eml").write_bytes(raw)
        assert cli("--now", NOW, "log", "--from-mail", tmp_path / f"{number}.eml").code == 0
    opened = Store.open(tourism)
    complaint = logged_id(tourism)
    assert mailintake.known_messages(opened) == {"<q1@example.com>": complaint, "<q2@example.com>": complaint}
    # a hand edit that quotes the source: the record is parsed in full, with the same answer
    path = records(tourism)[0]
    path.write_text(path.read_text(encoding="utf-8").replace("source: mail:<q1@example.com>",
                                                             "source: 'mail:<q1@example.com>'"),
                    encoding="utf-8")
    assert mailintake.known_messages(opened) == {"<q1@example.com>": complaint, "<q2@example.com>": complaint}
    assert mailintake.message_ids_of(opened.read(complaint)) == ["<q1@example.com>", "<q2@example.com>"]


def test_received_and_at_override_the_date_and_backdate_the_events(tourism: Path, cli: Any,
                                                                   tmp_path: Path) -> None:
    (tmp_path / "m.eml").write_bytes(message(message_id="<late@example.com>", date="not a date"))
    result = cli("--now", NOW, "log", "--from-mail", tmp_path / "m.eml", "--received", "2026-11-20T15:00",
                 "--at", "2026-11-20T16:30", "--category", "in_sale")
    assert result.code == 0, result
    data = show(cli, logged_id(tourism))
    assert data["intake"]["received_at"] == "2026-11-20T15:00:00+08:00"
    assert [(event["action"], event["at"]) for event in data["history"]] == [
        ("log", "2026-11-20T16:30:00+08:00"), ("attach", "2026-11-20T16:30:00+08:00")]
    assert data["history"][0]["recorded_at"] == "2026-11-20T17:00:00+08:00"


def test_an_exported_ledger_imports_with_its_fields_to_complete_and_its_messages(tourism: Path, cli: Any,
                                                                                 tmp_path: Path) -> None:
    first = message(message_id="<x1@example.com>")
    reply = message(message_id="<x2@example.com>", in_reply_to="<x1@example.com>", body="补充")
    for number, raw in enumerate([first, reply]):
        (tmp_path / f"{number}.eml").write_bytes(raw)
        assert cli("--now", NOW, "log", "--from-mail", tmp_path / f"{number}.eml").code == 0
    assert cli("--now", NOW, "export", "--format", "csv", "--output", tmp_path / "ledger.csv").code == 0
    other = tmp_path / "other"
    assert cli("init", other, "--policy", "tourism", "--office", "TX", "--language", "zh").code == 0
    os.chdir(other)
    imported = cli("--now", NOW, "import", tmp_path / "ledger.csv")
    assert imported.code == 0, imported
    complaint = logged_id(other)
    assert show(cli, complaint)["to_complete"] == ["category"]
    assert "category" in check_clean(cli)
    assert mailintake.known_messages(Store.open(other)) == {"<x1@example.com>": complaint,
                                                            "<x2@example.com>": complaint}
    again = cli("--now", NOW, "log", "--from-mail", tmp_path / "0.eml")
    assert again.code == 0 and complaint in again.out and len(records(other)) == 1


def test_alternative_parts_and_a_forwarded_message(tourism: Path, cli: Any, tmp_path: Path) -> None:
    from email.message import EmailMessage

    forwarded = EmailMessage()
    forwarded["From"] = "hotel@example.com"
    forwarded["Subject"] = "预订确认"
    forwarded.set_content("确认单")
    outer = EmailMessage()
    outer["From"] = "李四 <lisi@example.com>"
    outer["Subject"] = "酒店与确认单不符"
    outer["Date"] = "Fri, 20 Nov 2026 15:30:00 +0800"
    outer["Message-ID"] = "<alt@example.com>"
    outer.set_content("纯文本正文")
    outer.add_alternative("<p>HTML 正文</p>", subtype="html")
    outer.add_attachment(forwarded)  # message/rfc822
    outer.add_attachment(b"jpeg", maintype="image", subtype="jpeg", filename="房间.jpg")
    (tmp_path / "m.eml").write_bytes(bytes(outer))
    assert cli("--now", NOW, "log", "--from-mail", tmp_path / "m.eml").code == 0
    data = show(cli, logged_id(tourism))
    assert data["intake"]["description"] == "纯文本正文"  # the plain alternative, not the HTML one
    (attach,) = [event for event in data["history"] if event["action"] == "attach"]
    names = [Path(item["path"]).name for item in attach["files"]]
    assert names[1:] == ["attached-3.eml", "房间.jpg"]
    assert b"Subject: " in (tourism / attach["files"][1]["path"]).read_bytes()


def test_a_message_with_only_an_attachment_is_logged_with_its_description_to_complete(
        tourism: Path, cli: Any, tmp_path: Path) -> None:
    raw = message(message_id="<only@example.com>", body="", attachments=[("投诉信.pdf", b"%PDF")])
    (tmp_path / "m.eml").write_bytes(raw)
    assert cli("--now", NOW, "log", "--from-mail", tmp_path / "m.eml").code == 0
    data = show(cli, logged_id(tourism))
    assert data["to_complete"] == ["description", "category"]
    check_clean(cli)


@pytest.mark.parametrize("stop_at", ["attach", "move"])
def test_a_run_stopped_between_record_and_move_is_finished_by_the_next(
        tourism: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop_at: str) -> None:
    from datetime import datetime

    from complaintctl.app import operations

    folder = tmp_path / "Maildir"
    maildir_with(folder, [message(message_id="<w@example.com>", attachments=[("a.pdf", b"%PDF")])])
    opened = Store.open(tourism)
    now = datetime.fromisoformat(NOW)

    def power_cut(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # what a kill leaves: nothing after this point happened

    target = (operations, "attach") if stop_at == "attach" else (os, "rename")
    with monkeypatch.context() as patched:
        patched.setattr(*target, power_cut)
        with pytest.raises(KeyboardInterrupt):
            mailintake.intake_maildir(opened, folder, by="王五", now=now)
    assert len(list((folder / "new").iterdir())) == 1 and len(records(tourism)) == 1

    (handled,) = mailintake.intake_maildir(opened, folder, by="王五", now=now)

    assert handled.taken is not None
    assert handled.taken.kind == ("completed" if stop_at == "attach" else "duplicate")
    history = opened.read(logged_id(tourism)).history
    assert [event["action"] for event in history] == ["log", "attach"]
    assert len(history[1]["files"]) == 2
    assert list((folder / "new").iterdir()) == [] and len(list((folder / "cur").iterdir())) == 1
