"""The merge driver as git runs it, once per record, made cheap: a small shell client and a merge server.

Git starts the merge driver once for every record both sides changed; a pull after two offices swept
the same thousand complaints runs it a thousand times. A Python start with the application's imports
costs 0.3-1 s on an office machine, so `git install` registers a POSIX shell client instead
(`client_script`, written into the repository's git folder) that hands each record to one Python
process, this module's server, and prints what it answers. The first record of a merge finds no server:
the client starts one in the background and merges that record itself with `complaintctl git
merge-driver`; the following records go to the server. The server leaves after `IDLE_SECONDS` without a
request. Whatever goes wrong on the way (no server, a lost request, a path with a tab or a newline), the
client falls back to `complaintctl git merge-driver`, which does exactly what the server does:
`run_driver`, the one function both call, around `repo.merge_driver` (the merge itself, `git.merge`).

The protocol: a FIFO `requests` in the client's folder (mode 0700: only the user can reach it) takes one
line per record: `REPLY<TAB>CWD<TAB>%O<TAB>%A<TAB>%B<TAB>%P`; the server answers on the client's own
FIFO `REPLY` with the exit code on the first line and what to print on stderr after it. Closing down,
the server first removes `server.pid` and the FIFO's name, so that no new client writes to it, then
serves what is already in the FIFO for `GRACE_SECONDS` before it exits.
"""

from __future__ import annotations

import contextlib
import os
import select
import shlex
import stat
import sys
import time
from pathlib import Path

from complaintctl.base.errors import ComplaintctlError, LockTimeout
from complaintctl.base.fsutil import FileLock, atomic_write
from complaintctl.base.messages import set_language, t
from complaintctl.base.safetext import for_terminal

IDLE_SECONDS = 10.0  # git starts the next record's driver within milliseconds; a pause is the end
GRACE_SECONDS = 5.0
REQUESTS, PID_FILE, SERVER_LOCK, REPLY_PREFIX = "requests", "server.pid", "server.lock", "reply."
END = "--complaintctl-merge-end--"  # the line after an answer's message
CLIENT_MARK = "# installed by `complaintctl git install`: the merge driver's client"


def run_driver(base: Path, ours: Path, theirs: Path, name: str, cwd: Path) -> tuple[int, str]:
    """What `complaintctl git merge-driver` does for one record: merge into `ours`; returns the exit
    code (0 merged, 1 conflicts kept) and the lines for stderr."""
    from complaintctl.git import repo
    from complaintctl.store.directory import Store

    with contextlib.suppress(ComplaintctlError, OSError):  # the merge below copes without a store
        set_language(Store.find(None, {}, (cwd / name).parent).settings.language)
    outcome = repo.merge_driver(base, ours, theirs, name, cwd)
    said = []
    if outcome.as_text:
        said.append(for_terminal(t("git.merge_as_text", path=name, problem=outcome.as_text)))
    if outcome.reasons:
        said.append(for_terminal(t("git.merge_conflict", path=name, reasons="; ".join(outcome.reasons),
                                   id=outcome.complaint_id)))
    return (1 if outcome.reasons else 0), "".join(line + "\n" for line in said)


def client_script(python: str) -> str:
    """The shell client git runs as the merge driver (`sh SCRIPT %O %A %B %P`); its folder is the
    server's. Per record it starts one process (mkfifo): everything else is the shell's own."""
    py = shlex.quote(python)
    return f"""#!/bin/sh
{CLIENT_MARK}
# (complaintctl/git/mergeserver.py). It hands the record to complaintctl's merge server, starting one
# when none runs, and falls back to `complaintctl git merge-driver` itself. Run `complaintctl git
# install` again after moving or reinstalling complaintctl.
here=${{0%/*}}
reply="$here/{REPLY_PREFIX}$$"
direct() {{ rm -f "$reply"; exec {py} -m complaintctl git merge-driver "$@"; }}
case "$PWD$1$2$3$4" in *'	'*|*'
'*) direct "$@" ;; esac
mkfifo -m 600 "$reply" 2>/dev/null || direct "$@"
exec 3<>"$reply"
pid=
[ ! -f "$here/{PID_FILE}" ] || read -r pid < "$here/{PID_FILE}"
restart() {{ {py} -m complaintctl.git.mergeserver "$here" </dev/null >/dev/null 2>&1 & direct "$@"; }}
if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null || [ ! -p "$here/{REQUESTS}" ]; then restart "$@"; fi
if [ -d /proc/self ]; then  # the pid of a server killed with kill -9, since taken by another program
    command=
    IFS= read -r command 2>/dev/null < "/proc/$pid/cmdline"
    case "$command" in *complaintctl.git.mergeserver*) ;; *) restart "$@" ;; esac
fi
printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' "$reply" "$PWD" "$1" "$2" "$3" "$4" 1<>"$here/{REQUESTS}"
code=
IFS= read -r code <&3
case "$code" in 0|1) ;; *) direct "$@" ;; esac
while IFS= read -r line <&3 && [ "$line" != "{END}" ]; do
    printf '%s\\n' "$line" >&2
done
exit "$code"
"""


def install_client(folder: Path, python: str) -> Path:
    """Write the client into `folder` (made private: the FIFOs in it take requests to write files)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    script = folder / "merge-driver"
    atomic_write(script, client_script(python))
    script.chmod(0o700)
    return script


def serve(folder: Path, idle: float = IDLE_SECONDS, grace: float = GRACE_SECONDS) -> None:
    """Answer the clients' requests until `idle` seconds pass without one; one server per folder."""
    lock = FileLock(folder / SERVER_LOCK, timeout=0, what="merge server")
    try:
        lock.acquire()
    except LockTimeout:
        return  # another client started one first
    requests = folder / REQUESTS
    try:
        for stale in _waiting(folder):  # left by a client that was killed
            if _client_gone(stale):
                stale.unlink(missing_ok=True)
        requests.unlink(missing_ok=True)  # a FIFO of a server gone, or a file a late client made
        os.mkfifo(requests, 0o600)
        fd = os.open(requests, os.O_RDWR | os.O_NONBLOCK)  # read-write: never an end of file
        atomic_write(folder / PID_FILE, f"{os.getpid()}\n")
        try:
            _loop(fd, folder, idle, grace)
        finally:
            os.close(fd)
    finally:
        (folder / PID_FILE).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            if requests.is_fifo():
                requests.unlink()
        lock.release()


def _loop(fd: int, folder: Path, idle: float, grace: float) -> None:
    pending = b""
    last = time.monotonic()
    closing: float | None = None
    while True:
        now = time.monotonic()
        wait = (last + idle - now) if closing is None else (closing + grace - now)
        if wait <= 0:
            if closing is not None:
                for reply in _waiting(folder):  # wrote too late, or to no FIFO: merges it itself
                    _tell(reply, "99\n")
                return
            closing = now  # no new client finds this server; those that already wrote are served
            (folder / PID_FILE).unlink(missing_ok=True)
            (folder / REQUESTS).unlink(missing_ok=True)
            continue
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            continue
        try:
            pending += os.read(fd, 65536)
        except BlockingIOError:
            continue
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            _answer(line.decode("utf-8", "surrogateescape"))
            last = time.monotonic()


def _answer(line: str) -> None:
    parts = line.split("\t")
    if len(parts) != 6:
        return
    reply, cwd, base, ours, theirs, name = parts
    if not Path(reply).name.startswith(REPLY_PREFIX):
        return
    here = Path(cwd)
    try:
        code, said = run_driver(here / base, here / ours, here / theirs, name, here)
    except Exception:  # noqa: BLE001 - the client merges the record itself, and says what failed
        code, said = 99, ""
    _tell(Path(reply), f"{code}\n{said}{END}\n")


def _tell(reply: Path, answer: str) -> None:
    """Write an answer to a client's FIFO (which the client holds open for reading and writing, so this
    never blocks), then remove the FIFO's name: the client reads it through its descriptor."""
    try:
        out = os.open(reply, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # gone, or not a FIFO any more: nobody to tell
        return
    try:
        if stat.S_ISFIFO(os.fstat(out).st_mode):
            os.set_blocking(out, True)
            os.write(out, answer.encode("utf-8", "surrogateescape"))
    except OSError:
        pass
    finally:
        os.close(out)
        with contextlib.suppress(OSError):
            reply.unlink()


def _waiting(folder: Path) -> list[Path]:
    """The reply FIFOs of clients in the folder (`reply.PID`)."""
    return [path for path in folder.glob(REPLY_PREFIX + "*") if path.is_fifo()]


def _client_gone(path: Path) -> bool:
    try:
        os.kill(int(path.name[len(REPLY_PREFIX):]), 0)
    except ValueError:
        return True
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
