"""The per-user cache: keyed by content, rebuilt when unreadable, never required."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaintctl.base import cache


def test_built_once_then_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLAINTCTL_CACHE", str(tmp_path / "c"))
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"answer": 42}

    assert cache.remember("thing", [b"input"], build) == {"answer": 42}
    assert cache.remember("thing", [b"input"], build) == {"answer": 42}
    assert len(calls) == 1
    assert cache.remember("thing", [b"other input"], build) == {"answer": 42}
    assert len(calls) == 2


def test_a_damaged_entry_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLAINTCTL_CACHE", str(tmp_path / "c"))
    cache.remember("thing", ["x"], lambda: [1, 2, 3])
    (entry,) = (tmp_path / "c").glob("thing-*.pickle")
    entry.write_bytes(b"\x80\x05garbage")
    assert cache.remember("thing", ["x"], lambda: [4]) == [4]
    assert cache.remember("thing", ["x"], lambda: [5]) == [4]  # rewritten


def test_off_and_unwritable_mean_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLAINTCTL_CACHE", "off")
    assert cache.remember("thing", ["x"], lambda: 1) == 1
    assert cache.remember("thing", ["x"], lambda: 2) == 2
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("COMPLAINTCTL_CACHE", str(blocker / "c"))
    assert cache.remember("thing", ["x"], lambda: 3) == 3


def test_a_cached_policy_is_the_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from complaintctl.policy import files, loader

    monkeypatch.setenv("COMPLAINTCTL_CACHE", str(tmp_path / "c"))
    fresh = loader.load_policy_file(files.BUILTIN_DIR / "metro.yaml")
    files.clear_cache()
    first = files.load_policy("metro")
    files.clear_cache()
    second = files.load_policy("metro")  # from the pickle
    assert first == fresh and second == fresh
    assert loader.fingerprint(second) == loader.fingerprint(fresh)
    assert loader.policy_source(second) == files.BUILTIN_DIR / "metro.yaml"
