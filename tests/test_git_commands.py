"""Issue 6: --commit and auto_commit, what a commit holds, the merge driver's set-up, the pre-commit
hook, `check PATHS`, `git merge-driver` as git runs it, and `undo`."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import LOG_ARGS, run_main
from gitkit import Clone, git, isolate, office, out

from complaintctl.records import yamlio

NOW = "2026-11-20T17:00:00+08:00"
LATER = "2026-11-20T17:30:00+08:00"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _git_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


@pytest.fixture
def pushed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Clone, str]:
    """A store with one complaint, committed and pushed."""
    remote, a = office(tmp_path, capsys)
    complaint = a.ok("log", *LOG_ARGS, "--received", "2026-11-20T16:00", "--commit", now=NOW).split()[1]
    git(a.root, "push", "-q")
    return remote, a, complaint


def last_commit(root: Path) -> dict[str, str]:
    fields = out(root, "log", "-1", "--format=%an%x00%ae%x00%cn%x00%s%x00%B").split("\x00")
    files = out(root, "show", "--name-only", "--format=", "HEAD").split()
    return {"author": fields[0], "email": fields[1], "committer": fields[2], "subject": fields[3],
            "message": fields[4], "files": " ".join(files)}


def test_an_act_commit_adds_only_the_lines_of_the_new_event(pushed) -> None:
    _, a, complaint = pushed
    stdout = a.ok("assign", complaint, "--to", "李四", "--department", "车站运营部", "--commit", now=LATER)
    assert "committed as " in stdout
    commit = last_commit(a.root)
    assert commit["subject"] == f"assign {complaint}: 李四 (车站运营部)"
    assert (commit["author"], commit["email"]) == ("王五", "wangwu@example.com")
    assert commit["committer"] == "王五"  # git has no identity here: the author stands in
    assert "\n\nComplaintctl-Action: assign\nComplaintctl-Id: " + complaint in commit["message"]
    assert commit["files"] == str(a.record(complaint).relative_to(a.root))
    patch = out(a.root, "log", "-1", "-p", "--format=")
    changed = [line for line in patch.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["+  - at: 2026-11-20T17:30:00+08:00", "+    by: 王五", "+    action: assign",
                       "+    to: 李四", "+    department: 车站运营部"]


def test_every_writing_command_commits_and_leaves_other_staged_changes_alone(pushed, tmp_path) -> None:
    _, a, complaint = pushed
    (a.root / "notes.txt").write_text("mine\n", encoding="utf-8")
    git(a.root, "add", "notes.txt")
    evidence = tmp_path / "ticket.jpg"
    evidence.write_bytes(b"jpeg")
    steps = [
        (("note", complaint, "客户来电"), f"note {complaint}: 客户来电"),
        (("attach", complaint, str(evidence)), f"attach {complaint}: ticket.jpg"),
        (("assign", complaint, "--to", "李四", "--department", "站务"), f"assign {complaint}: 李四 (站务)"),
        (("act", complaint, "propose", "opinion=退款", "cause=other", "--by", "李四"),
         f"propose {complaint}: opinion=退款, cause=other"),
    ]
    for minute, (args, subject) in enumerate(steps, start=31):
        a.ok(*args, "--commit", now=f"2026-11-20T17:{minute}:00+08:00")
        assert last_commit(a.root)["subject"] == subject
    assert "evidence/" in out(a.root, "show", "--name-only", "--format=", "HEAD~2")
    assert out(a.root, "diff", "--cached", "--name-only") == "notes.txt\n"  # still staged, never committed
    assert out(a.root, "status", "--porcelain", "complaints", "evidence") == ""
    assert last_commit(a.root)["author"] == "李四"
    assert last_commit(a.root)["email"] == "李四@complaintctl.invalid"


def test_auto_commit_commits_without_the_option(pushed) -> None:
    _, a, complaint = pushed
    settings = a.root / "complaintctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "auto_commit: true\n", encoding="utf-8")
    git(a.root, "commit", "-q", "-am", "auto_commit")
    a.ok("note", complaint, "自动提交", now=LATER)
    assert last_commit(a.root)["subject"] == f"note {complaint}: 自动提交"
    assert out(a.root, "status", "--porcelain") == ""


def test_outside_git_the_action_is_kept_with_a_warning(tmp_path: Path, capsys) -> None:
    root = tmp_path / "plain"
    code, _, err = run_main(capsys, "init", str(root), "--policy", "metro", "--language", "en")
    assert code == 0, err
    plain = Clone(root, capsys)
    code, stdout, stderr = plain("log", *LOG_ARGS, "--commit", now=NOW)
    assert code == 0 and stdout.startswith("logged ")
    assert "warning: " in stderr
    assert "not in a git repository; the change is recorded but not committed" in stderr
    assert len(list((root / "complaints").rglob("*.yaml"))) == 1


def test_init_git_registers_the_driver_the_attributes_and_the_hook(tmp_path: Path, capsys) -> None:
    _, a = office(tmp_path, capsys)
    driver = out(a.root, "config", "merge.complaintctl.driver").strip()
    client = a.root / ".git" / "complaintctl" / "merge-driver"
    assert driver == f"sh {client} %O %A %B %P"
    assert f"{sys.executable} -m complaintctl git merge-driver" in client.read_text(encoding="utf-8")
    assert stat.S_IMODE(client.parent.stat().st_mode) == 0o700  # its FIFOs take requests to write files
    attributes = (a.root / ".gitattributes").read_text(encoding="utf-8")
    assert "complaints/**/*.yaml merge=complaintctl" in attributes
    assert out(a.root, "check-attr", "merge", "complaints/2026/11/MT-261120-AAAA-1.yaml").endswith(
        ": merge: complaintctl\n")
    hook = a.root / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK)
    assert "complaintctl --store . check $files" in hook.read_text(encoding="utf-8")
    # again: nothing doubled; someone else's hook is left alone
    hook.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    stdout = a.ok("git", "install")
    assert "left " in stdout and hook.read_text(encoding="utf-8") == "#!/bin/sh\nexit 0\n"
    assert (a.root / ".gitattributes").read_text(encoding="utf-8").count("merge=complaintctl") == 1


def test_the_hook_checks_the_staged_records(pushed) -> None:
    _, a, complaint = pushed
    path = a.record(complaint)
    shown = str(path.relative_to(a.root))
    path.write_text(path.read_text(encoding="utf-8").replace("channel: phone", "channel: pigeon"),
                    encoding="utf-8")
    git(a.root, "add", shown)
    refused = git(a.root, "commit", "-m", "by hand", ok=False)
    assert refused.returncode != 0
    assert f"{shown}:5: channel: 'pigeon' is not allowed" in refused.stdout + refused.stderr
    path.write_text(path.read_text(encoding="utf-8").replace("channel: pigeon", "channel: online"),
                    encoding="utf-8")
    git(a.root, "commit", "-q", "-am", "by hand, right")


def test_check_takes_paths(pushed) -> None:
    _, a, complaint = pushed
    other = a.ok("log", *LOG_ARGS, now=NOW).split()[1]
    broken = a.record(other)
    broken.write_text(broken.read_text(encoding="utf-8").replace("channel: phone", "channel: pigeon"),
                      encoding="utf-8")
    os.chdir(a.root)
    assert a.ok("check", str(a.record(complaint).relative_to(a.root)), "complaintctl.yaml").startswith(
        "1 records checked")
    code, stdout, _ = a("check", str(broken))
    assert code == 1 and f"{broken.relative_to(a.root)}:5:" in stdout
    code, stdout, stderr = a("check", "complaints/2026")  # a folder: the records in it
    assert code == 1 and "1 problems in 2 records" in stderr
    code, _, stderr = a("check", "/etc/hostname")
    assert code == 2 and "is not in the store" in stderr


def test_check_names_both_files_of_a_duplicate_id(pushed) -> None:
    _, a, complaint = pushed
    path = a.record(complaint)
    copy = path.with_name(complaint[:-1] + "7.yaml")
    copy.write_bytes(path.read_bytes())
    code, stdout, _ = a("check")
    assert code == 1
    first, second = str(path.relative_to(a.root)), str(copy.relative_to(a.root))
    assert f"{second}:1: duplicate id {complaint}, also in {first}" in stdout
    assert f"{second}:1: id {complaint} does not match the file name" in stdout


def test_the_merge_driver_runs_as_git_runs_it(pushed, tmp_path) -> None:
    _, a, complaint = pushed
    path = a.record(complaint)
    base = path.read_text(encoding="utf-8")
    note = "  - at: 2026-11-20T17:3{m}:00+08:00\n    by: 王五\n    action: note\n    text: n{m}\n"
    files = {name: tmp_path / f".merge_file_{name}" for name in ("o", "a", "b")}
    files["o"].write_text(base, encoding="utf-8")
    files["a"].write_text(base + note.format(m=2), encoding="utf-8")
    files["b"].write_text(base + note.format(m=1), encoding="utf-8")
    shown = str(path.relative_to(a.root))
    installed = out(a.root, "config", "merge.complaintctl.driver").strip()
    documented = f"{sys.executable} -m complaintctl git merge-driver %O %A %B %P"
    # the installed client three times (the first merges itself and starts the server, the others are
    # the server's), and the documented command
    for template in (installed, installed, installed, documented):
        command = template
        for key, value in (("%O", files["o"]), ("%A", files["a"]), ("%B", files["b"]), ("%P", shown)):
            command = command.replace(key, str(value))
        files["a"].write_text(base + note.format(m=2), encoding="utf-8")
        files["b"].write_text(base + note.format(m=1), encoding="utf-8")
        done = subprocess.run(command, shell=True, cwd=a.root, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert files["a"].read_text(encoding="utf-8") == base + note.format(m=1) + note.format(m=2)
        # a side that is no record (here: a conflict left from before) is merged line by line by git
        files["b"].write_text(base + "<<<<<<< x\n", encoding="utf-8")
        done = subprocess.run(command, shell=True, cwd=a.root, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and "merged line by line" in done.stderr, done.stderr
        assert "CONFLICT (complaint history)" in done.stderr
        if template == installed:
            time.sleep(1)  # the server the first run started is up for the next
    served = (a.root / ".git" / "complaintctl" / "server.pid").read_text(encoding="utf-8")
    os.kill(int(served), 0)  # the server ran (it leaves after a few idle seconds)


def test_the_merge_driver_client_merges_itself_when_its_server_is_gone(pushed, tmp_path) -> None:
    """A server killed with `kill -9` leaves its pid file, its FIFO and a reply FIFO behind: the client
    merges the record itself (the plain command), and the next server clears what was left."""
    _, a, complaint = pushed
    path = a.record(complaint)
    base = path.read_text(encoding="utf-8")
    note = "  - at: 2026-11-20T17:3{m}:00+08:00\n    by: 王五\n    action: note\n    text: n{m}\n"
    folder = a.root / ".git" / "complaintctl"
    dead = subprocess.Popen(["true"])
    dead.wait()
    (folder / "server.pid").write_text(f"{dead.pid}\n", encoding="utf-8")
    os.mkfifo(folder / "requests")
    os.mkfifo(folder / f"reply.{dead.pid}")
    files = {name: tmp_path / f".merge_file_{name}" for name in ("o", "a", "b")}
    files["o"].write_text(base, encoding="utf-8")
    shown = str(path.relative_to(a.root))
    for _ in range(2):  # itself, then (a new server started meanwhile, or itself again) the same result
        files["a"].write_text(base + note.format(m=2), encoding="utf-8")
        files["b"].write_text(base + note.format(m=1), encoding="utf-8")
        done = subprocess.run(["sh", str(folder / "merge-driver"), *(str(files[k]) for k in "oab"), shown],
                              cwd=a.root, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert files["a"].read_text(encoding="utf-8") == base + note.format(m=1) + note.format(m=2)
        time.sleep(1)
    assert not (folder / f"reply.{dead.pid}").exists()  # the new server cleared the dead client's FIFO
    assert int((folder / "server.pid").read_text(encoding="utf-8")) != dead.pid
    if Path("/proc/self").is_dir():  # a server killed, its pid since taken by another program (this one)
        server = int((folder / "server.pid").read_text(encoding="utf-8"))
        os.kill(server, signal.SIGKILL)
        while Path(f"/proc/{server}").exists() and "Z" not in _state(server):
            time.sleep(0.05)
        assert (folder / "requests").is_fifo()  # left behind, with nobody reading it
        (folder / "server.pid").write_text(f"{os.getpid()}\n", encoding="utf-8")
        files["a"].write_text(base + note.format(m=2), encoding="utf-8")
        done = subprocess.run(["sh", str(folder / "merge-driver"), *(str(files[k]) for k in "oab"), shown],
                              cwd=a.root, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert files["a"].read_text(encoding="utf-8") == base + note.format(m=1) + note.format(m=2)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


# -- undo --------------------------------------------------------------------------------------------

def test_undo_drops_your_last_unpushed_commit(pushed) -> None:
    _, a, complaint = pushed
    before = a.text(complaint)
    head = out(a.root, "rev-parse", "HEAD")
    a.ok("note", complaint, "写错了", "--commit", now=LATER)
    stdout = a.ok("undo")
    assert stdout.startswith("undid ") and f"note {complaint}: 写错了" in stdout
    assert out(a.root, "rev-parse", "HEAD") == head and a.text(complaint) == before
    assert out(a.root, "status", "--porcelain") == ""
    # a complaint logged and committed, then undone: gone from the tree and the index
    other = a.ok("log", *LOG_ARGS, "--commit", now=LATER).split()[1]
    a.ok("undo")
    assert not list((a.root / "complaints").rglob(f"{other}.yaml"))
    assert out(a.root, "status", "--porcelain") == ""


@pytest.mark.parametrize("case", ["pushed", "someone else", "not complaintctl", "dirty", "merge"])
def test_undo_refuses_saying_why(pushed, case: str) -> None:
    remote, a, complaint = pushed
    if case == "pushed":
        expected = "it is already pushed (origin/main)"
    elif case == "someone else":
        a.ok("note", complaint, "x", "--by", "周静", "--commit", now=LATER)
        expected = "it was made by 周静, not 王五"
    elif case == "not complaintctl":
        (a.root / "README").write_text("x\n", encoding="utf-8")
        git(a.root, "add", "README")
        git(a.root, "commit", "-q", "-m", "readme")
        expected = "it was not made by complaintctl"
    elif case == "dirty":
        a.ok("note", complaint, "x", "--commit", now=LATER)
        path = a.record(complaint)
        path.write_text(path.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
        expected = "has uncommitted changes"
    else:
        git(a.root, "checkout", "-q", "-b", "side")
        a.ok("note", complaint, "side", "--commit", now=LATER)
        git(a.root, "checkout", "-q", "main")
        (a.root / "README").write_text("x\n", encoding="utf-8")
        git(a.root, "add", "README")
        git(a.root, "commit", "-q", "-m", "readme")
        git(a.root, "merge", "-q", "--no-edit", "side")
        expected = "it is a merge"
    head = out(a.root, "rev-parse", "HEAD")
    code, _, stderr = a("undo")
    assert code == 1 and expected in stderr, stderr
    assert out(a.root, "rev-parse", "HEAD") == head


def test_pre_commit_framework_hook_is_declared() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hooks = yamlio.load_plain("hooks:\n" + "".join(f"  {line}\n" for line in text.splitlines()))
    (hook,) = hooks["hooks"]
    assert hook["id"] == "complaintctl-check" and hook["entry"] == "complaintctl check"
    assert hook["language"] == "python" and hook["files"] == r"^complaints/.*\.yaml$"


def test_a_store_in_a_folder_of_a_larger_repository(tmp_path: Path, capsys) -> None:
    top = tmp_path / "office"
    git(tmp_path, "init", "-q", str(top))
    root = top / "records" / "complaints-store"
    code, _, err = run_main(capsys, "init", str(root), "--policy", "metro", "--language", "en")
    assert code == 0, err
    store = Clone(root, capsys)
    assert "installed " in store.ok("git", "install")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "store")
    complaint = store.ok("log", *LOG_ARGS, "--commit", now=NOW).split()[1]
    store.ok("note", complaint, "x", "--commit", now=LATER)
    assert out(top, "show", "--name-only", "--format=", "HEAD").startswith("records/complaints-store/")
    store.ok("undo")
    assert "text: x" not in store.text(complaint) and out(top, "status", "--porcelain") == ""
    path = store.record(complaint)
    path.write_text(path.read_text(encoding="utf-8") + "<<<<<<< ours\n", encoding="utf-8")
    git(top, "add", "-A")
    refused = git(top, "commit", "-m", "by hand", ok=False)
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr  # git passes a hook's output on to stderr
    assert f"{path.relative_to(root)}:" in said and "unresolved merge conflict" in said


def test_the_git_tests_take_no_identity_from_the_machine(pushed) -> None:
    """What `isolate` promises: git finds no committer here, whatever the machine would lend it (the
    login and host names, a mail server's /etc/mailname); so the act commit's committer above is the
    person acting on every machine."""
    _, a, _ = pushed
    found = subprocess.run(["git", "-C", str(a.root), "var", "GIT_COMMITTER_IDENT"], capture_output=True,
                           text=True, check=False)
    assert found.returncode != 0, found.stdout


def test_undo_refuses_a_commit_pushed_by_url(pushed) -> None:
    """A push to the remote's URL, not its name, moves no remote-tracking branch; undo asks every
    configured remote what it holds, and refuses."""
    remote, a, complaint = pushed
    a.ok("note", complaint, "已回电", "--commit", now=LATER)
    git(a.root, "push", "-q", str(remote), "HEAD:main")
    assert out(a.root, "branch", "-r", "--contains", "HEAD") == ""  # no tracking branch knows it
    head = out(a.root, "rev-parse", "HEAD")
    code, _, stderr = a("undo")
    assert code == 1 and "it is already pushed (origin)" in stderr, stderr
    assert out(a.root, "rev-parse", "HEAD") == head


def test_an_escape_sequence_in_complaint_text_never_reaches_git_log(pushed) -> None:
    """A commit's subject quotes the complaint (`note ID: text`); `git log` prints it raw, so it is
    written with control characters shown as escapes."""
    from complaintctl.git import repo as gitrepo
    from complaintctl.store.directory import Store

    _, a, complaint = pushed
    path = a.record(complaint)
    path.write_text(path.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")
    store = Store.open(a.root)
    gitrepo.commit(store, [path], "王五", f"note {complaint}: \x1b]0;pwned\x07 ok", "note",
                   body="line one\x1b[2J\nline two")
    message = out(a.root, "log", "-1", "--format=%B")
    assert "\x1b" not in message and "\x07" not in message
    assert f"note {complaint}: \\x1b]0;pwned\\x07 ok" in message and "line one\\x1b[2J\nline two" in message
