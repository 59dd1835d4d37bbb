"""Working through git: one commit per action, the merge driver's set-up, the pre-commit hook, undo.

Git is the distributed engine; this module only drives the `git` binary. Every commit complaintctl
makes touches exactly the files of its action (`git commit --only -- PATHS`, so whatever else a person
has staged stays staged), is authored by the acting person and ends with the trailer
`Complaintctl-Action: ACTION`, which is how `undo` recognises its own commits.

Author: the acting person's name; the e-mail from the store's people list, else
`NAME@complaintctl.invalid` (deterministic, and visibly not an address). Committer: git's configured
identity; when git has none (`git var GIT_COMMITTER_IDENT` fails), the author, so an action's commit
never fails for lack of an identity.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from complaintctl.base.errors import (
    ENVIRONMENT_ERRNOS,
    ComplaintctlError,
    EnvironmentFailure,
    InvalidData,
    ProblemsFound,
    Refused,
)
from complaintctl.base.fsutil import atomic_write
from complaintctl.base.messages import t
from complaintctl.base.safetext import for_terminal
from complaintctl.store.directory import COMPLAINTS_DIR, Store
from complaintctl.store.settings import SETTINGS_FILE

TRAILER = "Complaintctl-Action"
ID_TRAILER = "Complaintctl-Id"
DRIVER = "complaintctl"  # the name of the merge driver in .gitattributes and the repository's config
ATTRIBUTES_LINE = f"{COMPLAINTS_DIR}/**/*.yaml merge={DRIVER}"
HOOK_MARK = "# installed by `complaintctl git install`"
SKIP_HOOK = "COMPLAINTCTL_CHECKED"  # set on complaintctl's own commits: the action was just validated
GIT_LOCK = "git"  # store lock around write-then-commit, so two actions never share or lose a commit
SUBJECT_WIDTH = 100


class NotARepository(InvalidData):
    """The store is not inside a git work tree."""


class GitFailed(InvalidData):
    """git itself refused (a hook, a broken repository, an index lock held by another program)."""


def git(root: Path, *args: str, env: Mapping[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in `root` with literal pathspecs (a file name is never a pattern)."""
    try:
        done = subprocess.run(["git", "--literal-pathspecs", "-C", str(root), *args], capture_output=True,
                              text=True, timeout=120, check=False,
                              env={**os.environ, **env} if env else None)
    except OSError as error:
        raise GitFailed(t("git.failed", command=args[0], problem=error)) from error
    if check and done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        for code, key in ENVIRONMENT_ERRNOS.items():  # git's own words for the machine's refusals
            if os.strerror(code) in said:
                raise EnvironmentFailure(t(key, path=root) + f" (git {args[0]}: {said.splitlines()[-1]})")
        raise GitFailed(t("git.failed", command=args[0], problem=said))
    return done


def toplevel(root: Path) -> Path | None:
    """The top of the work tree holding `root`, or None when it is in none (or git is not installed)."""
    try:
        done = git(root, "rev-parse", "--show-toplevel", check=False)
    except GitFailed:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def require_repository(store: Store) -> Path:
    top = toplevel(store.root)
    if top is None:
        raise NotARepository(t("git.not_repo", path=store.root))
    return top


# -- commits ------------------------------------------------------------------------------------

def author(store: Store, person: str) -> tuple[str, str]:
    found = store.settings.person(person)
    email = found.email if found is not None and found.email else f"{person}@complaintctl.invalid"
    # git refuses <, > and newlines in an identity; a person's name never needs them.
    name = " ".join(person.replace("<", "").replace(">", "").split()) or "complaintctl"
    return name, email.replace("<", "").replace(">", "").strip()


def identity_env(store: Store, person: str) -> dict[str, str]:
    name, email = author(store, person)
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email}
    if git(store.root, "var", "GIT_COMMITTER_IDENT", check=False).returncode != 0:
        env.update(GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    return env


def commit(store: Store, paths: Iterable[Path], person: str, subject: str, action: str, *,
           body: str = "", complaint_id: str | None = None, lock: bool = True) -> str:
    """Commit exactly `paths` (new or changed) as `person`; returns the short hash of the commit.

    `lock=False` when the caller already holds the store's git lock (around its write)."""
    require_repository(store)
    relative = sorted({store.display_path(Path(path)) for path in paths})
    trailers = f"{TRAILER}: {action}\n" + (f"{ID_TRAILER}: {complaint_id}\n" if complaint_id else "")
    # The subject quotes complaint text, and `git log` prints it raw: no escape sequence goes in.
    subject, body = for_terminal(subject.strip(), newlines=False, tabs=False), for_terminal(body.strip())
    message = subject + "\n\n" + (body + "\n\n" if body else "") + trailers
    held = store.store_lock(GIT_LOCK) if lock else None
    if held is not None:
        held.acquire()
    try:
        git(store.root, "add", "--", *relative)
        git(store.root, "commit", "-q", "--only", "-m", message, "--", *relative,
            env={**identity_env(store, person), SKIP_HOOK: "1"})
        return git(store.root, "rev-parse", "--short", "HEAD").stdout.strip()
    finally:
        if held is not None:
            held.release()


def _short(text: object, width: int = 60) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= width else line[:width - 1] + "…"


def action_subject(action: str, complaint_id: str, event: Mapping[str, Any], intake: Mapping[str, Any]
                   ) -> str:
    """`assign MT-261120-ZT08-1: 李四 (车站运营部)`: what a `git log --oneline` reader needs."""
    own = {key: value for key, value in event.items()
           if key not in ("at", "by", "action", "recorded_at") and value not in (None, "")}
    if action == "log":
        what = _short(intake.get("subject", ""))
    elif action == "assign":
        what = str(own.get("to", "")) + (f" ({own['department']})" if own.get("department") else "")
    elif action == "note":
        what = _short(own.get("text", ""))
    elif action == "attach":
        files = own.get("files") or []
        what = ", ".join(Path(str(item.get("path", ""))).name for item in files if isinstance(item, Mapping))
    else:
        what = ", ".join(f"{key}={_short(value, 40)}" for key, value in own.items())
    subject = f"{action} {complaint_id}" + (f": {what}" if what else "")
    return _short(subject, SUBJECT_WIDTH)


# -- undo ---------------------------------------------------------------------------------------

@dataclass
class Undone:
    commit: str
    subject: str
    paths: list[str]


def _trailer_action(message: str) -> str | None:
    for line in reversed(message.strip().splitlines()):
        key, sep, value = line.partition(":")
        if sep and key.strip() == TRAILER:
            return value.strip()
    return None


def undo(store: Store, person: str) -> Undone:
    """Drop the last commit when it is complaintctl's, by `person`, and in no remote-tracking branch.

    An unpushed commit exists only in this clone, so it is taken out of history (`reset --soft`, then
    its files restored from its parent) rather than reverted: the shared history never shows an
    action and its undoing. A pushed one may already be in another office's clone; rewriting or
    reverting it there would fight the append-only history, so it is refused."""
    require_repository(store)
    root = store.root
    with store.store_lock(GIT_LOCK):
        head = git(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
        if head.returncode != 0:
            raise Refused(t("git.undo_nothing"))
        sha = head.stdout.strip()
        fields = git(root, "log", "-1", "--format=%h%x00%an%x00%P%x00%s%x00%B", sha).stdout
        short, author_name, parents, subject, message = fields.split("\x00", 4)
        if len(parents.split()) > 1:
            raise Refused(t("git.undo_merge", commit=short))
        if _trailer_action(message) is None:
            raise Refused(t("git.undo_not_ours", commit=short, subject=subject))
        if author_name != author(store, person)[0]:
            raise Refused(t("git.undo_other_person", commit=short, author=author_name, person=person))
        remotes = git(root, "for-each-ref", "--contains", sha, "--format=%(refname:short)",
                      "refs/remotes").stdout.split() or _remotes_holding(root, sha)
        if remotes:
            raise Refused(t("git.undo_pushed", commit=short, subject=subject, remote=remotes[0]))
        paths = [p for p in git(root, "diff-tree", "--root", "--no-commit-id", "--name-only", "-r", "-z",
                                "--relative", sha).stdout.split("\x00") if p]
        if paths:
            dirty = git(root, "status", "--porcelain", "--", *paths).stdout.strip()
            if dirty:
                raise Refused(t("git.undo_dirty", commit=short, changes=dirty.splitlines()[0].strip()))
        _drop_head(root, sha, paths, bool(parents.strip()))
    return Undone(short, subject, paths)


LS_REMOTE_SECONDS = 15


def _remotes_holding(root: Path, sha: str) -> list[str]:
    """The configured remotes with a branch or tag at `sha`, asked directly (`git ls-remote`): a push
    by URL (`git push https://… main`) updates no remote-tracking branch. A remote that does not answer
    in time (offline) is taken as not holding it: the tracking branches said so already."""
    found = []
    for remote in git(root, "remote").stdout.split():
        try:
            listed = subprocess.run(["git", "-C", str(root), "ls-remote", remote], capture_output=True,
                                    text=True, timeout=LS_REMOTE_SECONDS, check=False,
                                    env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
        except (OSError, subprocess.SubprocessError):
            continue
        if listed.returncode == 0 and any(line.split("\t")[0] == sha for line in listed.stdout.splitlines()):
            found.append(remote)
    return found


def _drop_head(root: Path, sha: str, paths: Sequence[str], has_parent: bool) -> None:
    if has_parent:
        git(root, "reset", "-q", "--soft", f"{sha}~1")
    else:  # the very first commit: back to an unborn branch
        git(root, "update-ref", "-d", "HEAD", sha)
    existed = [p for p in paths if has_parent
               and git(root, "cat-file", "-e", f"HEAD:./{p}", check=False).returncode == 0]
    added = [p for p in paths if p not in existed]
    if existed:
        git(root, "checkout", "HEAD", "--", *existed)
    if added:
        git(root, "rm", "-q", "--cached", "--", *added)
        for name in added:
            target = root / name
            target.unlink(missing_ok=True)
            _prune_empty(target.parent, root)


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


# -- installing the merge driver and the hook ---------------------------------------------------

def driver_command(python: str) -> str:
    """The merge driver's plain command line (what the client falls back to, and what a clone without
    a POSIX shell can register by hand). An absolute interpreter path, so git finds complaintctl from a
    cron job, an IDE or a shell whose PATH lacks it."""
    return f"{shlex.quote(python)} -m complaintctl git merge-driver %O %A %B %P"


def client_command(store: Store, python: str) -> str:
    """The merge driver git runs: the shell client of the merge server (`git.mergeserver`), written
    into this clone's git folder, which is cheap per record."""
    from complaintctl.git import mergeserver

    folder = Path(git(store.root, "rev-parse", "--git-path", "complaintctl").stdout.strip())
    folder = folder if folder.is_absolute() else store.root / folder
    script = mergeserver.install_client(folder.resolve(), python)
    return f"sh {shlex.quote(str(script))} %O %A %B %P"


def install(store: Store, python: str) -> list[str]:
    """Register the merge driver (.gitattributes, the repository's config) and the pre-commit hook;
    returns what was done, as messages. Safe to run again (after moving or upgrading complaintctl)."""
    top = require_repository(store)
    done: list[str] = []
    attributes = store.root / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if ATTRIBUTES_LINE not in text.splitlines():
        lead = "" if not text or text.endswith("\n") else "\n"
        atomic_write(attributes, text + lead + "# complaint records merge as histories (complaintctl)\n"
                     + ATTRIBUTES_LINE + "\n")
        done.append(t("git.installed_attributes", path=store.display_path(attributes)))
    git(store.root, "config", "--local", f"merge.{DRIVER}.name", "complaintctl: merge complaint histories")
    git(store.root, "config", "--local", f"merge.{DRIVER}.driver", client_command(store, python))
    done.append(t("git.installed_driver"))
    hook = Path(git(store.root, "rev-parse", "--git-path", "hooks/pre-commit").stdout.strip())
    hook = hook if hook.is_absolute() else store.root / hook
    if hook.exists() and HOOK_MARK not in hook.read_text(encoding="utf-8", errors="replace"):
        done.append(t("git.hook_exists", path=hook))
    else:
        hook.parent.mkdir(parents=True, exist_ok=True)
        store_dir = os.path.relpath(store.root.resolve(), top.resolve())
        atomic_write(hook, hook_script(python, store_dir))
        hook.chmod(0o755)
        done.append(t("git.installed_hook", path=hook))
    return done


def hook_script(python: str, store_dir: str) -> str:
    records = COMPLAINTS_DIR if store_dir == "." else f"{store_dir}/{COMPLAINTS_DIR}"
    return f"""#!/bin/sh
{HOOK_MARK}: refuse a commit whose staged complaint
# records do not pass `complaintctl check`. Run `complaintctl git install` again after moving or
# reinstalling complaintctl.
set -f
# complaintctl's own commits: the action was validated against the policy as it was written
[ -z "${{{SKIP_HOOK}}}" ] || exit 0
cd "$(git rev-parse --show-toplevel)" || exit 1
files=$(git diff --cached --name-only --diff-filter=ACMR -- {shlex.quote(records)} | grep '\\.yaml$')
[ -n "$files" ] || exit 0
exec {shlex.quote(python)} -m complaintctl --store {shlex.quote(store_dir)} check $files
"""


# -- the merge driver and resolving its conflicts -----------------------------------------------

@dataclass
class DriverOutcome:
    complaint_id: str
    reasons: list[str]  # why parts were kept as conflicts; empty: merged cleanly
    as_text: str | None = None  # why git's line merge was used instead (a side is no readable record)


def _store_above(path: Path) -> Store | None:
    for folder in path.parents:
        if (folder / SETTINGS_FILE).is_file():
            return Store.open(folder)
    return None


def merge_driver(base: Path, ours: Path, theirs: Path, name: str, cwd: Path) -> DriverOutcome:
    """What `git merge` runs for a record both sides changed: merge into `ours` (git's %A)."""
    from complaintctl.git import merge

    complaint_id = Path(name).stem
    texts = [path.read_text(encoding="utf-8") if path.is_file() else "" for path in (base, ours, theirs)]
    try:
        store = _store_above(cwd / name)
        if store is None:
            raise merge.Unmergeable(t("store.not_found"))
        found = store
        result = merge.merge(texts[0], texts[1], texts[2], lambda: (found.policy, found.calendar), name)
    except (merge.Unmergeable, ComplaintctlError, UnicodeDecodeError) as error:
        done = git(cwd, "merge-file", "-L", merge.OURS, "-L", "base", "-L", merge.THEIRS,
                   str(ours), str(base), str(theirs), check=False)
        if done.returncode > 127:  # negative on error, else the number of conflicts
            raise GitFailed(t("git.failed", command="merge-file", problem=done.stderr.strip())) from error
        reasons = [t("git.why_lines")] if done.returncode > 0 else []
        return DriverOutcome(complaint_id, reasons, as_text=str(error).splitlines()[0])
    if result.text != texts[1]:
        atomic_write(ours, result.text)
    return DriverOutcome(complaint_id, result.conflicts)


@dataclass
class Resolved:
    complaint_id: str
    path: str
    staged: bool


def resolve(store: Store, query: str, side: str) -> Resolved:
    """Keep `side` (ours or theirs) of every conflict in a record; stage it when git is merging it."""
    from complaintctl.git import merge
    from complaintctl.records.record import Record
    from complaintctl.store.check import check_record

    complaint_id = store.resolve(query)
    path = store.record_path(complaint_id)
    shown = store.display_path(path)
    text = path.read_text(encoding="utf-8")
    if not merge.has_markers(text):
        raise Refused(t("git.resolve_nothing", path=shown))
    try:
        kept = merge.pick(text, side, shown, _side_history(store, shown, side))
        problems = [p for p in check_record(store, Record.parse(kept, path, shown), shown)
                    if not p.message.startswith("warning: ")]
    except ProblemsFound as error:
        problems = error.problems
    if problems:
        first = problems[0]
        raise Refused(t("git.resolve_invalid", side=side, path=shown,
                        problem=f"line {first.line}: {first.message}" if first.line else first.message))
    atomic_write(path, kept)
    staged = toplevel(store.root) is not None and _conflicted_in_index(store.root, shown)
    if staged:
        git(store.root, "add", "--", shown)
    return Resolved(complaint_id, shown, staged)


def _side_history(store: Store, shown: str, side: str) -> list[Any]:
    """The history of one side of a merge in progress as that side had it (git's index stage 2 is
    ours, 3 theirs); empty when git has no such stage (no merge, or the file was added since)."""
    from complaintctl.records import yamlio

    if toplevel(store.root) is None:
        return []
    stage = git(store.root, "show", f":{2 if side == 'ours' else 3}:./{shown}", check=False)
    if stage.returncode != 0:
        return []
    try:
        history = yamlio.load_plain(stage.stdout, shown).get("history")
    except ComplaintctlError:
        return []
    return history if isinstance(history, list) else []


def _conflicted_in_index(root: Path, shown: str) -> bool:
    """Git is merging the file, or the index holds it with its markers (someone ran `git add`)."""
    if git(root, "ls-files", "-u", "--", shown).stdout.strip():
        return True
    from complaintctl.git import merge

    staged = git(root, "show", f":./{shown}", check=False)
    return staged.returncode == 0 and merge.has_markers(staged.stdout)
