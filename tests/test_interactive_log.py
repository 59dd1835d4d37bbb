"""The interactive `log` under a pseudo-terminal: the choices shown and numbered, every answer checked as it
is typed (asked again at once with the reason), and nothing typed lost when the form is left half-way or
the write path refuses the complaint (saved as a `log --from` document, with the way to resume)."""

from __future__ import annotations

from pathlib import Path

from conftest import NOW, record_file
from ptykit import Terminal

from complaintctl.records.record import Record


def test_every_answer_is_checked_as_it_is_typed(store: Path) -> None:
    terminal = Terminal("--now", NOW, "log", "--subject", "gate charged twice", cwd=store)
    terminal.expect("Ctrl-C")
    choices = terminal.expect("channel: ")
    assert " 1  phone" in choices  # numbered, with the code and the label
    terminal.type("42")
    assert "42" in terminal.expect("please type it again")
    terminal.type("1")
    terminal.expect("name: ")
    terminal.type("张三")
    terminal.expect("phone (optional, Enter to skip): ")
    terminal.type("13x")
    assert "not a phone number" in terminal.expect("please type it again")
    terminal.type("138 0013 8000")
    terminal.expect("content: ")
    terminal.type("charged twice at the gate")
    terminal.expect("category: ")
    terminal.type("")
    assert "required" in terminal.expect("please type it again")
    terminal.type("facilities and equipment")  # a label
    terminal.expect("location: ")
    terminal.type("People's Square")
    terminal.expect("Received")
    terminal.type("the day before never")
    assert "not a time" in terminal.expect("please type it again")
    terminal.type("today 09:14")
    assert terminal.finish() == 0, terminal.seen
    complaint_id = next(word for word in terminal.seen.split() if word.startswith("MT-"))
    record = Record.read(record_file(store, complaint_id))
    assert record.intake["channel"] == "phone" and record.intake["category"] == "facilities"
    assert record.intake["complainant"]["phone"] == "138 0013 8000"
    assert record.intake["received_at"].startswith("2026-11-20T09:14")


def test_a_chinese_store_asks_in_chinese_and_keeps_what_was_typed_at_end_of_input(tmp_path: Path,
                                                                                  cli) -> None:
    root = tmp_path / "zh"
    assert cli("init", root, "--policy", "metro", "--office", "MT", "--language", "zh").code == 0
    terminal = Terminal("--now", NOW, "log", "--channel", "电话", cwd=root)
    assert "'电话'" in terminal.expect("请重新输入")  # a wrong option is said at once and asked again
    assert " 1  phone      客服热线12345" in terminal.expect("投诉渠道: ")
    terminal.type("客服热线12345")
    terminal.expect("投诉人姓名: ")
    terminal.type("李四")
    terminal.expect("联系电话(选填,直接回车跳过): ")
    terminal.type("")
    terminal.expect("投诉事由: ")
    terminal.type("电梯停运")
    terminal.expect("投诉内容: ")
    terminal.end_of_input()
    assert terminal.finish() == 130
    assert "已保存" in terminal.seen and "complaintctl log --from" in terminal.seen
    (draft,) = (root / ".complaintctl" / "drafts").glob("log-*.yaml")
    text = draft.read_text(encoding="utf-8")
    assert "李四" in text and "电梯停运" in text
    assert not list((root / "complaints").glob("*/*/*.yaml"))
    resumed = cli("--store", root, "--now", NOW, "log", "--from", draft, "--description", "停了一小时",
                  "--category", "facilities", "--location", "人民广场站")
    assert resumed.code == 0, resumed
    (written,) = (root / "complaints").glob("*/*/*.yaml")
    assert Record.read(written).intake["complainant"]["name"] == "李四"


def test_an_interruption_keeps_what_was_typed(store: Path) -> None:
    terminal = Terminal("--now", NOW, "log", "--channel", "phone", cwd=store)
    terminal.expect("name: ")
    terminal.type("王芳")
    terminal.expect("phone")
    terminal.interrupt()
    assert terminal.finish() == 130
    (draft,) = (store / ".complaintctl" / "drafts").glob("log-*.yaml")
    assert "王芳" in draft.read_text(encoding="utf-8")


def test_a_refusal_by_the_write_path_keeps_what_was_typed(store: Path) -> None:
    # registered (--at) after now: every answer is good, the write path refuses at the end
    terminal = Terminal("--now", NOW, "log", "--at", "2026-11-21T09:00", "--channel", "phone",
                        "--subject", "s", "--description", "d", "--category", "safety", "--location", "x",
                        cwd=store)
    terminal.expect("name: ")
    terminal.type("赵六")
    terminal.expect("phone")
    terminal.type("")
    terminal.expect("Received")
    terminal.type("")
    assert terminal.finish() != 0
    assert "complaintctl log --from" in terminal.seen
    (draft,) = (store / ".complaintctl" / "drafts").glob("log-*.yaml")
    assert "赵六" in draft.read_text(encoding="utf-8")
