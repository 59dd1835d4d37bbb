"""Loading policies: YAML and pydantic problems with their lines, refs, cache, and the shipped files."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from complaintctl.base.errors import NotFound, Problem, ProblemsFound
from complaintctl.policy import files, loader
from complaintctl.policy.loader import (
    builtin_policies,
    fingerprint,
    load_policy,
    load_policy_file,
    parse_policy,
    policy_source,
)
from complaintctl.policy.model import Limit, Policy

DATA = Path(__file__).parent / "data" / "policies"
MINIMAL = (DATA / "minimal.yaml").read_text("utf-8")
SHIPPED_DIR = Path(__file__).parent.parent / "policies"
SHIPPED = sorted(SHIPPED_DIR.glob("*.yaml"))
FIVE = ("manufacturing", "metro", "service", "tourism", "wedding")


def variant(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, old
    return MINIMAL.replace(old, new)


def problems_of(text: str) -> list[str]:
    with pytest.raises(ProblemsFound) as caught:
        parse_policy(text, "p.yaml")
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    loader.clear_cache()


@pytest.fixture
def builtin_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "builtin"
    folder.mkdir()
    (folder / "minimal.yaml").write_text(MINIMAL, "utf-8")
    monkeypatch.setattr(loader, "BUILTIN_DIR", folder)
    monkeypatch.setattr(files, "BUILTIN_DIR", folder)
    return folder


# -- a valid policy ----------------------------------------------------------------------------------


def test_minimal_policy_loads() -> None:
    policy = load_policy_file(DATA / "minimal.yaml")
    assert policy.policy == "minimal"
    assert policy.initial == "received"
    assert policy.final_states == frozenset({"closed"})
    assert policy.state("closed").final
    assert policy.action("assign").fields["to"].type == "person"
    assert [a.name for a in policy.actions_from("assigned")] == ["close"]
    assert policy.clock("handling").limit == Limit.of("working_days", 7)
    assert policy.clock("handling").limits[0].limit.as_mapping() == {"hours": 24}
    assert policy.report.repeat_window is not None
    assert str(policy.report.repeat_window) == "30 calendar days"


def test_accessors() -> None:
    policy = parse_policy(MINIMAL)
    assert policy.label("category", "service", "zh") == "服务"
    assert policy.label("category", "service", "en") == "service"
    assert policy.label("state", "closed", "zh") == "已结案"
    assert policy.label("action", "assign", "en") == "assign"
    assert policy.label("clock", "handling", "zh") == "处理"
    assert policy.label("role", "gone", "zh") == "gone"  # unknown code: the code itself
    assert policy.codes("severity") == ("normal", "major")
    with pytest.raises(NotFound):
        policy.action("nope")
    with pytest.raises(NotFound):
        policy.state("nope")
    fact = policy.action("close").requires[0].when[0]
    assert fact.test == ("in", ("major",))
    assert policy.schema().model_config.get("frozen")
    with pytest.raises(AttributeError):
        policy.initial = "closed"  # type: ignore[misc]


# -- pydantic problems come back with their line -------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  - {code: phone, en: phone, zh: 电话}", "  - {code: phone, en: phone, zh: 电话, colour: red}",
         ["p.yaml:14: channels[0]: unknown key 'colour'"]),
        ("    to: closed\n", "    to: closed\n    colr: red\n",
         ["p.yaml:37: actions[1]: unknown key 'colr'"]),
        ("archive: {years: 5}", "archive: {years: 5}\nreports: {}",
         ["p.yaml:63: unknown key 'reports'"]),
        ("initial: received", "initial: 5", ["p.yaml:21: initial: Input should be a valid string (got 5)"]),
        ("      to: {type: person, required: true}", "      to: {type: persn, required: true}",
         ["p.yaml:30: actions[0].fields.to.type: Input should be 'text', 'number', 'money', "
          "'person', 'datetime', 'bool', 'choice' or 'files' (got 'persn')"]),
        ("    limit: {working_days: 7}", "    limit: {working_days: seven}",
         ["p.yaml:53: clocks[0].limit: a limit's working_days must be a number >= 0, not 'seven'"]),
        ("    limit: {working_days: 7}", "    limit: {weeks: 1}",
         ["p.yaml:53: clocks[0].limit: unknown limit unit 'weeks' (one of minutes, hours, "
          "working_hours, working_days, calendar_days)"]),
        ("    limit: {working_days: 7}", "    limit: {hours: 1, minutes: 5}",
         ["p.yaml:53: clocks[0].limit: a limit is a mapping with exactly one of minutes, hours, "
          "working_hours, working_days, calendar_days"]),
        ("repeat_window: {calendar_days: 30}", "repeat_window: {calendar_days: 1.5}",
         ["p.yaml:61: report.repeat_window: calendar_days must be a whole number, not 1.5"]),
        ("need: [{fact: result, equals: ok}]", "need: [{fact: result, equals: ok, set: true}]",
         ["p.yaml:39: actions[1].requires[0].need[0]: a fact needs exactly one test of in, "
          "not_in, equals, set, at_least, at_most (found equals, set)"]),
        ("      to: {type: person, required: true}", "      to: {type: choice}",
         ["p.yaml:30: actions[0].fields.to: a choice field needs `values`"]),
        ("        message: {en: needs a good result, zh: 须结果良好}\n", "",
         ["p.yaml:38: actions[1].requires[0]: missing key 'message'"]),
        ("initial: received\n", "", ["p.yaml: missing key 'initial'"]),
    ],
)  # fmt: skip
def test_validation_problem_lines(old: str, new: str, expected: list[str]) -> None:
    assert problems_of(variant(old, new)) == expected


def test_all_problems_at_once() -> None:
    text = variant("initial: received", "initial: 5").replace("zh: 电话}", "zh: 电话, x: 1}")
    assert problems_of(text) == [
        "p.yaml:14: channels[0]: unknown key 'x'",
        "p.yaml:21: initial: Input should be a valid string (got 5)",
    ]


# -- YAML-level problems -------------------------------------------------------------------------


def test_explicit_tags_are_refused() -> None:
    text = variant("title: {en: Minimal, zh: 最小}", "title: !!map {en: Minimal, zh: !x 最小}")
    assert problems_of(text) == [
        "p.yaml:3: explicit YAML tag !x not allowed",
        "p.yaml:3: explicit YAML tag tag:yaml.org,2002:map not allowed",
    ]


def test_yaml_syntax_and_duplicate_keys() -> None:
    assert problems_of(variant("zh: 最小}", "zh: 最小")) == [
        "p.yaml:4: YAML: while parsing a flow mapping expected ',' or '}', but got ':'"
    ]
    found = problems_of(variant("en: Minimal,", "en: Minimal, en: again,"))
    assert len(found) == 1 and found[0].startswith("p.yaml:3: YAML:") and "duplicate key" in found[0]


def test_one_document_one_mapping_not_empty() -> None:
    assert problems_of(MINIMAL + "---\npolicy: other\n") == [
        "p.yaml:67: a policy file holds one YAML document"
    ]
    assert problems_of("- a\n- b\n") == ["p.yaml:1: a policy is a mapping of keys"]
    assert problems_of("# nothing\n") == ["p.yaml: empty policy file"]


def test_anchors_allowed_but_bombs_refused() -> None:
    text = variant("    from: [assigned]\n    to: closed", "    from: &after [assigned]\n    to: closed")
    text = text.replace("    from: [closed]", "    from: *after")
    text = text.replace("{type: person, required: true}", "{type: person, required: &yes true}")
    text = text.replace("    counts_as: reopening", "    counts_as: reopening\n    restarts: *yes")
    policy = parse_policy(text)
    assert policy.action("reopen").from_ == ("assigned",)
    assert policy.action("reopen").restarts is True
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [{', '.join(['*' + previous] * 9)}]\n"
    assert problems_of(bomb) == ["p.yaml: more than 50000 YAML nodes (an alias bomb?)"]
    many = "policy: x\nz: &z 1\nl: [" + ", ".join(["*z"] * 101) + "]\n"
    assert problems_of(many) == ["p.yaml:3: more than 100 YAML aliases"]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"policy: \xff\n")
    with pytest.raises(ProblemsFound) as caught:
        load_policy_file(path, display="bad.yaml")
    assert str(caught.value).startswith("bad.yaml: not UTF-8")


# -- refs, cache, fingerprint ---------------------------------------------------------------------


def test_path_relative_to_base_dir(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(MINIMAL, "utf-8")
    policy = load_policy("mine.yaml", base_dir=tmp_path)
    assert policy_source(policy) == tmp_path / "mine.yaml"
    assert fingerprint(policy) == hashlib.sha256(MINIMAL.encode()).hexdigest()
    with pytest.raises(NotFound):
        load_policy("other.yaml", base_dir=tmp_path)


def test_problems_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(variant("initial: received", "initial: nowhere"), "utf-8")
    with pytest.raises(ProblemsFound) as caught:
        load_policy("mine.yaml", base_dir=tmp_path)
    assert caught.value.problems == [Problem(str(path), 21, "initial state 'nowhere' is not a state")]


def test_builtin_by_name(builtin_dir: Path) -> None:
    assert builtin_policies() == ["minimal"]
    policy = load_policy("minimal")
    assert policy_source(policy) == builtin_dir / "minimal.yaml"
    with pytest.raises(NotFound, match="built-in: minimal"):
        load_policy("nosuch")


def test_builtin_name_must_match_file(builtin_dir: Path) -> None:
    (builtin_dir / "other.yaml").write_text(MINIMAL, "utf-8")
    with pytest.raises(ProblemsFound) as caught:
        load_policy("other")
    assert str(caught.value) == (
        "policies/other.yaml:2: policy 'minimal' must be named like its file ('other')"
    )


def test_cache_per_mtime_and_size(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(MINIMAL, "utf-8")
    first = load_policy(str(path))
    assert load_policy(str(path)) is first
    path.write_text(MINIMAL.replace("zh: 最小", "zh: 最小的"), "utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = load_policy(str(path))
    assert second is not first
    assert second.title.zh == "最小的"
    assert fingerprint(second) != fingerprint(first)


def test_fingerprint_of_a_policy_not_from_a_file() -> None:
    policy = parse_policy(MINIMAL)
    assert len(fingerprint(policy)) == 64
    with pytest.raises(NotFound):
        policy_source(policy)


# -- the shipped policies ------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_policy_loads_without_problems(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "BUILTIN_DIR", SHIPPED_DIR)
    policy = load_policy(path.stem)  # as a built-in: the name must match the file
    assert isinstance(policy, Policy)
    for name in ("assign", "close", "reopen"):
        assert policy.has_action(name)
    assert policy.title.en and policy.title.zh


def test_the_five_policies_are_shipped_in_the_package() -> None:
    missing = [name for name in FIVE if not (SHIPPED_DIR / f"{name}.yaml").is_file()]
    if missing:
        pytest.skip(f"not written yet: {', '.join(missing)}")
    assert set(FIVE) <= set(builtin_policies())  # through complaintctl/policies
    assert policy_source(load_policy("metro")).resolve() == (SHIPPED_DIR / "metro.yaml").resolve()


def test_python_names_are_not_yaml_keys() -> None:
    text = variant("    from: [assigned]\n    to: closed", "    from_: [assigned]\n    to: closed")
    assert problems_of(text) == [
        "p.yaml:32: actions[1]: missing key 'from'",
        "p.yaml:35: actions[1]: unknown key 'from_'",
    ]
