"""Policies: the workflow, conditions and clocks of one kind of complaint handling, in YAML.

`load_policy(ref)` loads a built-in policy by name or a file by path, checks all of it and raises
`ProblemsFound` with every problem as `file:line: message`.
"""

from typing import Any

__all__ = [
    "Action",
    "Bilingual",
    "Clock",
    "Fact",
    "FieldSpec",
    "Label",
    "Limit",
    "LimitVariant",
    "OnBreach",
    "Policy",
    "Requirement",
    "State",
    "builtin_policies",
    "fingerprint",
    "load_policy",
    "policy_source",
]


_FROM_LOADER = {"builtin_policies", "fingerprint", "load_policy", "policy_source"}


def __getattr__(name: str) -> Any:
    # Lazily, so that importing `complaintctl.policy.model` does not load the YAML parser and checks.
    if name in _FROM_LOADER:
        from complaintctl.policy import loader

        return getattr(loader, name)
    if name in __all__:
        from complaintctl.policy import model

        return getattr(model, name)
    raise AttributeError(name)
