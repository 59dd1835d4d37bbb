"""Policies: the workflow, conditions and clocks of one kind of complaint handling, in YAML.

`load_policy(ref)` loads a built-in policy by name or a file by path, checks all of it and raises
`ProblemsFound` with every problem as `file:line: message`.
"""

from complaintctl.policy.loader import builtin_policies, fingerprint, load_policy, policy_source
from complaintctl.policy.model import (
    Action,
    Bilingual,
    Clock,
    Fact,
    FieldSpec,
    Label,
    Limit,
    LimitVariant,
    OnBreach,
    Policy,
    Requirement,
    State,
)

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
