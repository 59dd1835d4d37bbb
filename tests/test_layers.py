"""The folders of `complaintctl/` are layers: a module imports only from its own package or from the
layers below it (README "Layout"). Imports inside functions count too: a lazy import is still a
dependency. Also: no module over 500 lines, and every module opens with a docstring saying what it owns.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "complaintctl"

#: Bottom to top. Packages of the same rank are peers and import nothing of each other.
LAYERS: dict[str, int] = {
    "base": 0,
    "records": 1,
    "worktime": 2,
    "policy": 3,
    "core": 4,
    "store": 5,
    "git": 6,
    "app": 7,
    "ledger": 8,
    "report": 8,
    "cli": 9,
}
#: Modules directly under complaintctl/: the package's own `__init__` (its version) is below everything,
#: `__main__` runs the command line.
TOP = {"__init__": -1, "__main__": 10}
MAX_LINES = 500
#: Modules allowed over the limit (none now; an entry makes the test fail once the module is split).
OVER_THE_LIMIT: frozenset[str] = frozenset()


def layer_of(module: str) -> tuple[str, int]:
    """The layer of a dotted module name under complaintctl (`complaintctl.core.engine` → core)."""
    parts = module.split(".")
    assert parts[0] == "complaintctl", module
    if len(parts) == 1:
        return "__init__", TOP["__init__"]
    head = parts[1]
    if head in LAYERS:
        return head, LAYERS[head]
    if head in TOP:
        return head, TOP[head]
    raise AssertionError(f"{module}: not in a layer; add its folder to LAYERS")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) of every complaintctl module the tree imports, relative imports resolved."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names
                      if alias.name.startswith("complaintctl")]
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([target] if target else [])])
            if not target.startswith("complaintctl"):
                continue
            if target == "complaintctl":  # `from complaintctl import x`: x may be a subpackage
                found += [(node.lineno, f"complaintctl.{alias.name}") if alias.name in LAYERS
                          else (node.lineno, "complaintctl") for alias in node.names]
            else:
                found.append((node.lineno, target))
    return found


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def violations_of(path: Path, text: str) -> list[str]:
    module = module_name(path)
    own, rank = layer_of(module)
    found = []
    for line, target in imported(ast.parse(text), module, path.name == "__init__.py"):
        other, other_rank = layer_of(target)
        if other == own:
            continue
        if other_rank > rank or other_rank == rank:
            found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {own} (layer {rank}) imports {target} "
                         f"({other}, layer {other_rank})")
    return found


def test_no_module_imports_from_a_layer_above_it() -> None:
    problems = [problem for path in sources() for problem in violations_of(path, path.read_text("utf-8"))]
    assert problems == []


def test_the_check_finds_an_import_from_above() -> None:
    """The guard itself: a core module importing the store, eagerly or lazily, is caught; one importing
    the policy layer below it is not."""
    engine = PACKAGE / "core" / "engine.py"
    lazy = "def f():\n    from complaintctl.store import index\n"
    assert violations_of(engine, "from complaintctl.store.directory import Store\n")
    assert violations_of(engine, lazy)
    assert violations_of(engine, "from complaintctl import app\n")
    assert violations_of(PACKAGE / "report" / "figures.py", "from complaintctl.ledger import export\n")
    assert not violations_of(engine, "from complaintctl.policy.model import Policy\n")
    assert not violations_of(engine, "from complaintctl import __version__\n")


def test_every_module_lies_in_a_layer() -> None:
    for path in sources():
        layer_of(module_name(path))


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_is_small_and_says_what_it_owns(path: Path) -> None:
    text = path.read_text("utf-8")
    over = len(text.splitlines()) > MAX_LINES
    listed = path.relative_to(PACKAGE).as_posix() in OVER_THE_LIMIT
    assert over == listed, f"{path.name}: over {MAX_LINES} lines" if over else f"{path.name}: unlist it"
    if path.name != "__main__.py":
        assert ast.get_docstring(ast.parse(text)), f"{path.name}: no docstring saying what it owns"
