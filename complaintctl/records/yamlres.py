"""How YAML resolves a plain scalar, without importing ruamel: the implicit resolvers of YAML 1.1 and 1.2
as ruamel.yaml has them, and the two tables `yamlio` loads and dumps with.

`fastread` and `fastwrite` decide with these tables whether a plain scalar is a string; `yamlio` builds
the same tables from ruamel itself, and `tests/test_fastwrite.py` checks that they are equal.
"""

from __future__ import annotations

import re
from typing import Any

MAX_BYTES = 5 * 1024 * 1024
"""Larger files are refused unread: no record, settings or policy file comes anywhere near this."""

# (YAML versions, tag, first characters, pattern), in ruamel's order (the first match wins)
_IMPLICIT: tuple[tuple[tuple[tuple[int, int], ...], str, tuple[str, ...], str], ...] = (
    (((1, 2),), "bool", tuple("tTfF"),
     "^(?:true|True|TRUE|false|False|FALSE)$"),
    (((1, 1),), "bool", tuple("yYnNtTfFoO"),
     "^(?:y|Y|yes|Yes|YES|n|N|no|No|NO\n        |true|True|TRUE|false|False|FALSE\n"
     "        |on|On|ON|off|Off|OFF)$"),
    (((1, 2),), "float", tuple("-+0123456789."),
     "^(?:\n         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?\n"
     "        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)\n        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?\n"
     "        |[-+]?\\.(?:inf|Inf|INF)\n        |\\.(?:nan|NaN|NAN))$"),
    (((1, 1),), "float", tuple("-+0123456789."),
     "^(?:\n         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?\n"
     "        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)\n        |\\.[0-9_]+(?:[eE][-+][0-9]+)?\n"
     "        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*  # sexagesimal float\n"
     "        |[-+]?\\.(?:inf|Inf|INF)\n        |\\.(?:nan|NaN|NAN))$"),
    (((1, 2),), "int", tuple("-+0123456789"),
     "^(?:[-+]?0b[0-1_]+\n        |[-+]?0o?[0-7_]+\n        |[-+]?[0-9_]+\n        |[-+]?0x[0-9a-fA-F_]+)$"),
    (((1, 1),), "int", tuple("-+0123456789"),
     "^(?:[-+]?0b[0-1_]+\n        |[-+]?0?[0-7_]+\n        |[-+]?(?:0|[1-9][0-9_]*)\n"
     "        |[-+]?0x[0-9a-fA-F_]+\n        |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"),
    (((1, 2), (1, 1)), "merge", ("<",),
     "^(?:<<)$"),
    (((1, 2), (1, 1)), "null", ("~", "n", "N", ""),
     "^(?: ~\n        |null|Null|NULL\n        | )$"),
    (((1, 2), (1, 1)), "timestamp", tuple("0123456789"),
     "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\n"
     "        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?\n"
     "        (?:[Tt]|[ \\t]+)[0-9][0-9]?\n        :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?\n"
     "        (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"),
    (((1, 2), (1, 1)), "value", ("=",),
     "^(?:=)$"),
    (((1, 2), (1, 1)), "yaml", ("!", "&", "*"),
     "^(?:!|&|\\*)$"),
)  # fmt: skip
_FLAGS = re.X | re.U
_SIMPLE = {"merge", "value", "yaml"}  # patterns without whitespace: ruamel compiles them without re.X
UNRESOLVED = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:yaml")

Table = dict[str, list[tuple[str, "re.Pattern[str]"]]]


def table(versions: set[tuple[int, int]]) -> Table:
    """Implicit-resolver table of the given YAML versions, without timestamps, by first character."""
    found: Table = {}
    for applies_to, name, first, pattern in _IMPLICIT:
        tag = f"tag:yaml.org,2002:{name}"
        if tag in UNRESOLVED or not versions.intersection(applies_to):
            continue
        regexp = re.compile(pattern, re.U if name in _SIMPLE else _FLAGS)
        for ch in first:
            found.setdefault(ch, []).append((tag, regexp))
    return found


#: What records are loaded with: YAML 1.2 (`yes` is a string, `~` is null), no timestamps.
LOAD_TABLE = table({(1, 2)})
#: What decides quoting when writing: a string is quoted when YAML 1.1 or 1.2 would read it as anything
#: but a string; clock times are quoted alike ('09:00' as well as '18:00', a sexagesimal int in 1.1).
DUMP_TABLE = table({(1, 1), (1, 2)})
for _digit in "0123456789":
    DUMP_TABLE[_digit].insert(0, ("tag:yaml.org,2002:int", re.compile(r"^\d\d?:\d\d(?::\d\d)?$")))


def resolves_as_string(text: str, resolvers: Table = DUMP_TABLE) -> bool:
    """Whether `text`, written as a plain scalar, is read back as a string."""
    candidates: Any = resolvers.get(text[:1], ())
    return not any(regexp.match(text) for _tag, regexp in candidates)
