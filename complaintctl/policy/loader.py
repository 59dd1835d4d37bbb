"""Loading a policy file: YAML (round-trip, to know lines), pydantic validation, then `checks`.

Every problem found is collected and raised at once: `ProblemsFound([Problem(path, line, msg)])`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, DocumentStartEvent
from ruamel.yaml.scalarbool import ScalarBoolean

from complaintctl.base.errors import NotFound, Problem, ProblemsFound
from complaintctl.policy.checks import Issue, Loc, run_checks
from complaintctl.policy.files import BUILTIN_DIR as BUILTIN_DIR
from complaintctl.policy.files import builtin_policies as builtin_policies
from complaintctl.policy.files import clear_cache as clear_cache
from complaintctl.policy.files import load_policy as load_policy
from complaintctl.policy.files import resolve_policy as resolve_policy
from complaintctl.policy.model import Policy

MAX_ALIASES = 100  #: anchors and aliases are allowed (for shared condition lists), within these bounds
MAX_NODES = 50_000
MAX_BYTES = 1_000_000


def _display(path: Path) -> str:
    """How a policy file is named in problems: `policies/x.yaml` for built-ins, else the path."""
    if path.parent == BUILTIN_DIR:
        return f"policies/{path.name}"
    return str(path)


def load_policy_file(path: Path, *, display: str | None = None) -> Policy:
    """Load one file, no cache. `display` is the name used in problems (default: the path)."""
    name = display if display is not None else str(path)
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise ProblemsFound([Problem(name, 0, f"a policy file is at most {MAX_BYTES} bytes")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProblemsFound([Problem(name, 0, f"not UTF-8: {error}")]) from None
    expected = path.stem if path.parent == BUILTIN_DIR else None
    policy = parse_policy(text, name, expected_name=expected)
    policy._source = path
    policy._sha256 = hashlib.sha256(data).hexdigest()
    return policy


def parse_policy(text: str, name: str = "<policy>", *, expected_name: str | None = None) -> Policy:
    """Validate and check a policy given as YAML text; `name` is used in problems. A built-in
    policy's `policy:` must be its file name (`expected_name`)."""
    root = _read_yaml(text, name)
    plain = _plain(root, name)
    if not isinstance(plain, dict):
        raise ProblemsFound([Problem(name, 1, "a policy is a mapping of keys")])
    try:
        policy = Policy.model_validate(plain)
    except ValidationError as error:
        errors = error.errors()
        # A list whose items failed is also reported as too short: keep only the items' errors.
        inner = [tuple(item["loc"]) for item in errors]
        errors = [
            item
            for item in errors
            if not (
                item["type"] == "too_short"
                and any(
                    len(loc) > len(item["loc"]) and loc[: len(item["loc"])] == tuple(item["loc"])
                    for loc in inner
                )
            )
        ]
        raise ProblemsFound([_from_pydantic(root, item, name) for item in errors]) from None
    issues = run_checks(policy)
    if expected_name is not None and policy.policy != expected_name:
        issues.append(
            Issue(
                ("policy",),
                f"policy {policy.policy!r} must be named like its file ({expected_name!r})",
            )
        )
    if issues:
        raise ProblemsFound([Problem(name, _line(root, issue.loc), issue.message) for issue in issues])
    return policy


def policy_source(policy: Policy) -> Path:
    """The file a policy was loaded from."""
    if policy._source is None:
        raise NotFound(f"policy {policy.policy} was not loaded from a file")
    return policy._source


def fingerprint(policy: Policy) -> str:
    """sha256 of the policy file's bytes (of its canonical JSON when not loaded from a file)."""
    if policy._sha256:
        return policy._sha256
    return hashlib.sha256(policy.model_dump_json(by_alias=True).encode()).hexdigest()


# -- YAML ------------------------------------------------------------------------------------------


def _read_yaml(text: str, name: str) -> Any:
    yaml = YAML(typ="rt")
    problems: list[Problem] = []
    aliases = documents = 0
    try:
        for event in yaml.parse(StringIO(text)):
            line = event.start_mark.line + 1
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents == 2:
                    problems.append(Problem(name, line, "a policy file holds one YAML document"))
            if getattr(event, "tag", None) is not None:
                problems.append(Problem(name, line, f"explicit YAML tag {event.tag!s} not allowed"))
            if isinstance(event, AliasEvent):
                aliases += 1
                if aliases == MAX_ALIASES + 1:
                    problems.append(Problem(name, line, f"more than {MAX_ALIASES} YAML aliases"))
        if problems:
            raise ProblemsFound(problems)
        root = YAML(typ="rt").load(StringIO(text))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise ProblemsFound([Problem(name, line, f"YAML: {message}")]) from None
    except YAMLError as error:
        raise ProblemsFound([Problem(name, 0, f"YAML: {error}")]) from None
    if root is None:
        raise ProblemsFound([Problem(name, 0, "empty policy file")])
    return root


def _plain(root: Any, name: str) -> Any:
    """Plain dicts, lists and scalars, aliases expanded within MAX_NODES (no alias bombs)."""
    budget = [MAX_NODES]

    def walk(node: Any) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            message = f"more than {MAX_NODES} YAML nodes (an alias bomb?)"
            raise ProblemsFound([Problem(name, 0, message)])
        if isinstance(node, dict):
            return {str(key) if not isinstance(key, str) else key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        if isinstance(node, bool | ScalarBoolean):  # ScalarBoolean (an anchored bool) is an int
            return bool(node)
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        if isinstance(node, str):
            return str(node)
        return node

    return walk(root)


# -- locations -------------------------------------------------------------------------------------


def _line(root: Any, loc: Loc | Sequence[str | int]) -> int:
    """1-based line of the deepest node of `loc` present in the YAML; elements that do not match
    (pydantic's union tags, a missing key) are skipped. 0 when nothing matched."""
    return _walk(root, loc)[0]


def _walk(root: Any, loc: Loc | Sequence[str | int]) -> tuple[int, list[str | int]]:
    node, line, found = root, 0, []
    for part in loc:
        position: Any = None
        if isinstance(node, dict) and part in node:
            position = node.lc.key(part) if isinstance(node, CommentedBase) else None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            position = node.lc.item(part) if isinstance(node, CommentedBase) else None
        else:
            continue
        node = node[part]
        found.append(part)
        if position is not None:
            line = position[0] + 1
    return line, found


def _dotted(parts: Sequence[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _from_pydantic(root: Any, error: ErrorDetails, name: str) -> Problem:
    loc = tuple(error["loc"])
    line, found = _walk(root, loc)
    kind, message = error["type"], error["msg"]
    if kind == "extra_forbidden":
        where, message = found[:-1], f"unknown key {loc[-1]!r}"
    elif kind == "missing":
        where, message = found, f"missing key {loc[-1]!r}"
    else:
        where = found
        message = message.removeprefix("Value error, ")
        got = error.get("input")
        if kind != "value_error" and (got is None or isinstance(got, str | int | float)):
            message = f"{message} (got {got!r})"
    prefix = f"{_dotted(where)}: " if where else ""
    return Problem(name, line, prefix + message)
