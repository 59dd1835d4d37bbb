"""The Mermaid diagram and the plain-data summary of a policy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from complaintctl.policy.loader import load_policy_file, parse_policy
from complaintctl.policy.model import Policy
from complaintctl.policy.render import mermaid, mermaid_label, policy_summary

DATA = Path(__file__).parent / "data" / "policies"
MINIMAL = (DATA / "minimal.yaml").read_text("utf-8")
SHIPPED = sorted((Path(__file__).parent.parent / "policies").glob("*.yaml"))

_ID = r"[A-Za-z][A-Za-z0-9_]*"
# Entity codes, or characters other than quotes, colons, semicolons and '#' (written as #quot; ...).
_LABEL = r'(?:#\w+;|[^":;#\n])*'
LINE_KINDS = {
    "header": re.compile(r"^stateDiagram-v2$"),
    "state": re.compile(rf'^    state "(?P<label>{_LABEL})" as (?P<id>{_ID})$'),
    "start": re.compile(rf"^    \[\*\] --> (?P<to>{_ID})$"),
    "arrow": re.compile(rf"^    (?P<src>{_ID}) --> (?P<to>{_ID}) : (?P<label>{_LABEL})$"),
    "end": re.compile(rf"^    (?P<src>{_ID}) --> \[\*\]$"),
}


def parse_diagram(text: str) -> dict[str, list[re.Match[str]]]:
    """Every line matches one of the line kinds we emit; ids are declared before they are used."""
    assert text.endswith("\n")
    lines = text.rstrip("\n").split("\n")
    assert LINE_KINDS["header"].match(lines[0])
    found: dict[str, list[re.Match[str]]] = {kind: [] for kind in LINE_KINDS}
    declared: set[str] = set()
    for line in lines[1:]:
        for kind, pattern in LINE_KINDS.items():
            match = pattern.match(line)
            if match:
                found[kind].append(match)
                break
        else:
            raise AssertionError(f"not a line we emit: {line!r}")
        groups = match.groupdict()
        if kind == "state":
            assert groups["id"] not in declared, f"id declared twice: {line!r}"
            declared.add(groups["id"])
            assert groups["id"] not in ("state", "end", "note", "direction", "class")
        for key in ("src", "to"):
            if key in groups:
                assert groups[key] in declared, f"undeclared id in {line!r}"
        if "label" in groups:
            assert groups["label"].strip(), f"empty label in {line!r}"
    assert len(found["start"]) == 1
    return found


def check_diagram(policy: Policy, language: str) -> None:
    found = parse_diagram(mermaid(policy, language))
    assert len(found["state"]) == len(policy.states)
    assert len(found["end"]) == len(policy.final_states)
    labels = {m["label"] for m in found["arrow"]}
    for action in policy.actions:
        assert mermaid_label(action.text(language)) in labels, action.name


def test_minimal_diagram() -> None:
    policy = parse_policy(MINIMAL)
    assert mermaid(policy, "en") == (
        "stateDiagram-v2\n"
        '    state "received" as s_received\n'
        '    state "assigned" as s_assigned\n'
        '    state "closed" as s_closed\n'
        "    [*] --> s_received\n"
        "    s_received --> s_assigned : assign\n"
        "    s_assigned --> s_closed : close\n"
        "    s_closed --> s_assigned : reopen\n"
        "    s_closed --> [*]\n"
    )
    assert '    state "已结案" as s_closed\n' in mermaid(policy, "zh")
    check_diagram(policy, "en")
    check_diagram(policy, "zh")


def test_awkward_names_and_labels_are_escaped() -> None:
    text = (
        MINIMAL.replace("name: assigned", "name: 已分配")
        .replace("to: assigned", "to: 已分配")
        .replace("from: [assigned]", "from: [已分配]")
        .replace("en: assign\n", "en: 'assign: \"now\"; #1 <b> {x} 100%'\n")
    )
    policy = parse_policy(text)
    diagram = mermaid(policy, "en")
    assert '    state "assigned" as state1\n' in diagram
    assert (
        "    s_received --> state1 : assign#58; #quot;now#quot;#59; #35;1 #lt;b#gt; #123;x#125; 100#37;\n"
        in diagram
    )
    check_diagram(policy, "en")


def test_label_is_one_line() -> None:
    assert mermaid_label("a\nb  c") == "a b c"


def test_star_and_stay_actions() -> None:
    text = MINIMAL.replace("    from: [assigned]\n    to: closed", "    from: ['*']\n    to: closed")
    text = text.replace("    to: assigned\n    roles", "    roles")  # assign stays in received
    policy = parse_policy(
        text.replace("  - {name: assigned, en: assigned, zh: 已分配}\n", "").replace(
            "    to: assigned\n    counts_as", "    to: received\n    counts_as"
        )
    )
    diagram = mermaid(policy, "en")
    assert "    s_received --> s_received : assign\n" in diagram
    assert "    s_received --> s_closed : close\n" in diagram
    assert "s_closed --> s_closed" not in diagram  # '*' leaves out final states


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_shipped_diagrams_are_well_formed(path: Path, language: str) -> None:
    check_diagram(load_policy_file(path), language)


def test_summary() -> None:
    policy = parse_policy(MINIMAL)
    summary = policy_summary(policy, "zh")
    json.dumps(summary, ensure_ascii=False)
    assert summary["title"] == "最小"
    assert summary["intake"] == {"required": ["complainant.name", "subject"],
                                 "optional": ["severity"]}  # fmt: skip
    assert summary["categories"] == [{"code": "service", "label": "服务", "clause": None}]
    assert [s["name"] for s in summary["states"] if s["initial"]] == ["received"]
    assert [s["name"] for s in summary["states"] if s["final"]] == ["closed"]
    assign, close, reopen = summary["actions"]
    assert assign["label"] == "分配" and assign["from"] == ["received"] and assign["to"] == "assigned"
    assert assign["roles"] == ["centre"] and close["roles"] is None
    assert assign["fields"][0] == {"name": "to", "label": "to", "type": "person", "required": True,
                                   "clause": None, "values": None}  # fmt: skip
    assert assign["fields"][1]["values"][1] == {"code": "bad", "label": "差", "clause": None}
    assert close["requires"] == [{"when": [{"fact": "severity", "in": ["major"]}],
                                  "need": [{"fact": "result", "equals": "ok"}],
                                  "message": "须结果良好", "clause": None}]  # fmt: skip
    assert reopen["counts_as"] == "reopening"
    (clock,) = summary["clocks"]
    assert clock["label"] == "处理"
    assert clock["limit"] == {"unit": "working_days", "amount": 7, "text": "7 working days"}
    assert clock["limits"][0]["limit"]["text"] == "24 hours"
    assert clock["on_breach"] == {"escalate_to": "centre", "raise_severity": "major", "notify": []}
    assert summary["report"]["repeat_window"]["amount"] == 30
    assert summary["archive"] == {"years": 5}
    assert policy_summary(policy, "en")["title"] == "Minimal"


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_summaries_are_json(path: Path) -> None:
    policy = load_policy_file(path)
    for language in ("en", "zh"):
        data = json.loads(json.dumps(policy_summary(policy, language), ensure_ascii=False))
        assert len(data["actions"]) == len(policy.actions)
        assert all(action["label"] for action in data["actions"])
