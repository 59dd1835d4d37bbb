"""Issue 18: broken records and hostile input never make a traceback, and never stop the office.

Hypothesis breaks records in the ways a bad day does (truncated, bytes that are not UTF-8, control
characters, conflict markers, wrong types, garbage YAML, a file moved to another month) and runs
`check`, `list`, `show`, `sweep --dry-run`, `report` and `export` over a store holding them beside good
records: over all examples, more than 1,000 broken records. Every command ends with a clean message or
succeeds, and every good complaint is still listed and swept. Hostile `log --from` files likewise.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import LOG_ARGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaintctl.cli import main

NOW = "2026-11-20T17:00:00+08:00"
LATER = "2026-11-27T10:00:00+08:00"  # every good complaint's dispatch is overdue by then
PER_EXAMPLE = 40
EXAMPLES = 26  # 26 x 40 = 1,040 broken records


def invoke(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main([str(arg) for arg in args])
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    else:  # pragma: no cover - main always exits
        code = -1
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def clean(code: int, err: str, allowed: set[int]) -> None:
    assert code in allowed, (code, err[-2000:])
    assert "Traceback" not in err and "hit a bug" not in err, err[-2000:]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], str]:
    """A metro store with three good complaints, and the text of a good record to break."""
    root = tmp_path_factory.mktemp("fuzz") / "store"
    assert invoke("init", root, "--policy", "metro", "--office", "MT", "--language", "en")[0] == 0
    good = []
    for day in (2, 3, 4):
        code, out, err = invoke("--store", root, "--now", NOW, "log", *LOG_ARGS, "--received",
                                f"2026-11-{day:02d}T10:00")
        assert code == 0, err
        good.append(out.split()[1])
    sample = next((root / "complaints").rglob(f"{good[0]}.yaml")).read_text(encoding="utf-8")
    return root, good, sample


MUTATIONS = ("truncate", "bytes", "control", "markers", "wrong_type", "garbage", "swap_lines", "moved")


@st.composite
def broken(draw: st.DrawFn, sample: str) -> tuple[str, bytes]:
    """(how it was broken, the bytes of a record that is not what a record must be)."""
    how = draw(st.sampled_from(MUTATIONS))
    text = sample
    if how == "truncate":
        cut = draw(st.integers(1, len(text) - 2))
        return how, text[:cut].encode()
    if how == "bytes":
        at = draw(st.integers(0, len(text)))
        return how, text[:at].encode() + draw(st.binary(min_size=1, max_size=8)) + text[at:].encode()
    if how == "control":
        at = draw(st.integers(0, len(text)))
        controls = st.characters(max_codepoint=0x9F, categories=("Cc",))
        junk = draw(st.text(controls, min_size=1, max_size=4))
        return how, (text[:at] + junk + text[at:]).encode("utf-8", "surrogatepass")
    if how == "markers":
        lines = text.splitlines(keepends=True)
        at = draw(st.integers(0, len(lines)))
        markers = ["<<<<<<< ours\n", "=======\n", ">>>>>>> theirs\n"]
        return how, "".join([*lines[:at], *markers, *lines[at:]]).encode()
    if how == "wrong_type":
        key = draw(st.sampled_from(["history:\n", "received_at: ", "channel: ", "  - at: ", "    action: "]))
        value = draw(st.sampled_from(["5", "[]", "{}", "~", "yes", "'", "!!binary x", "&a x", "*a"]))
        return how, text.replace(key, f"{key.rstrip()} {value}\n{key}" if key.endswith("\n") else
                                 f"{key}{value}\n#", 1).encode()
    if how == "garbage":
        return how, draw(st.text(min_size=0, max_size=200)).encode("utf-8", "surrogatepass")
    if how == "swap_lines":
        lines = text.splitlines(keepends=True)
        first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        lines[first], lines[second] = lines[second], lines[first]
        return how, "".join(lines).encode()
    return how, text.encode()  # moved: a good text in the wrong month's folder, under a new name


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=st.data())
def test_broken_records_never_stop_the_office(office: tuple[Path, list[str], str],
                                              data: st.DataObject) -> None:
    root, good, sample = office
    folder = root / "complaints" / "2026" / "10"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for number in range(PER_EXAMPLE):
        how, content = data.draw(broken(sample))
        name = f"MT-261001-FUZZ-{number + 1}" if how != "moved" else f"MT-261130-FUZZ-{number + 1}"
        body = content if how != "moved" else content.replace(good[0].encode(), name.encode())
        (folder / f"{name}.yaml").write_bytes(body)

    base = ("--store", root, "--now", LATER)
    code, out, err = invoke(*base, "list", "--format", "ids")
    clean(code, err, {0})
    assert set(good) <= set(out.split())
    code, out, err = invoke(*base, "sweep", "--dry-run", "--json")
    clean(code, err, {0, 65})
    assert set(good) <= {item["id"] for item in json.loads(out)["recorded"]}
    code, out, err = invoke(*base, "report", "--period", "2026", "--format", "json")
    clean(code, err, {0})
    assert json.loads(out)["figures"]["received"]["value"] >= len(good)
    code, out, err = invoke(*base, "export", "--format", "json")
    clean(code, err, {0})
    assert set(good) <= {row["id"] for row in json.loads(out)}
    clean(*invoke(*base, "check")[::2], {0, 1})
    for path in sorted(folder.glob("*.yaml"))[:5]:
        clean(*invoke(*base, "show", path.stem)[::2], {0, 1, 2})
    clean(*invoke(*base, "show", good[1])[::2], {0})


SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
JSONISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=12), inner, max_size=3), max_leaves=8)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(fields=st.dictionaries(st.sampled_from(["subject", "description", "channel", "category", "id",
                                               "history", "source", "complainant", "received_at", "location",
                                               "amount", "severity"]) | st.text(max_size=15),
                              JSONISH, max_size=6))
def test_hostile_log_from_input_is_refused_cleanly(office: tuple[Path, list[str], str],
                                                   fields: dict[str, object]) -> None:
    root, _, _ = office
    text = json.dumps(fields, ensure_ascii=False, allow_nan=True)
    code, _, err = invoke("--store", root, "--now", NOW, "log", "--from", "-", stdin=text)
    clean(code, err, {0, 1, 2})
