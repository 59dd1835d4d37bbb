"""Typed fields of policy actions and of the intake: turning what a person typed into the value a record
holds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import t
from complaintctl.records.intake import BY_KEY

if TYPE_CHECKING:
    from complaintctl.policy.model import Policy

_TRUE = ("true", "yes", "y", "1", "是", "对", "确认")
_FALSE = ("false", "no", "n", "0", "否", "不")


def coerce(name: str, spec: Any, value: Any) -> Any:
    """`spec` is a policy FieldSpec (type, values)."""
    kind = spec.type
    if kind in ("number", "money"):
        return number(name, value)
    if kind == "bool":
        return _bool(name, value)
    if kind == "choice":
        return choose(name, spec.values or (), value)
    if kind == "files":
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        return [part.strip() for part in str(value).split(",") if part.strip()]
    if kind == "datetime":
        return str(value).strip()  # checked and normalised by the shell, which knows the store's zone
    text = str(value)
    return text.strip() if "\n" not in text else text


def intake_value(policy: Policy, key: str, value: Any, shown: str | None = None) -> Any:
    """The value of the intake field `key` as a record holds it, by the field's kind (`records.intake`);
    `shown` names the field in an error (a ledger's column heading), else its key."""
    kind = BY_KEY[key].kind
    name = shown or key
    if kind == "code":
        return choose(name, policy.labels(key), value)
    if kind == "money":
        return number(name, value)
    if kind == "as_told":
        return str(value)
    if kind == "fields":
        return required_fields(policy, name, value)
    text = str(value)
    return text.strip() if "\n" not in text else text.rstrip() + "\n"


def required_fields(policy: Policy, name: str, value: Any) -> list[str]:
    """A list of the policy's required intake fields (a list, or as a ledger cell writes it: `a, b`),
    each once."""
    names = [str(item) for item in value] if isinstance(value, list | tuple) else str(value).split(",")
    required = ["channel", *policy.intake.required]
    wrong = [item.strip() for item in names if item.strip() and item.strip() not in required]
    if wrong:
        raise UsageError(t("field.choice", field=name, value=wrong[0], allowed=", ".join(required)))
    return list(dict.fromkeys(item.strip() for item in names if item.strip()))


def choose(name: str, items: Iterable[Any], value: Any) -> str:
    """The code of the item (a policy Label) whose code, English or Chinese label was typed."""
    text = str(value).strip()
    codes = []
    for item in items:
        if text in (item.code, item.en, item.zh):
            return str(item.code)
        codes.append(item.code)
    raise UsageError(t("field.choice", field=name, value=text, allowed=", ".join(codes)))


def number(name: str, value: Any) -> int | float:
    if isinstance(value, bool):
        raise UsageError(t("field.number", field=name, value=value))
    if isinstance(value, int | float):
        return value
    text = str(value).strip().replace(",", "").replace("¥", "").replace("元", "")
    try:
        number = float(text)
    except ValueError as error:
        raise UsageError(t("field.number", field=name, value=value)) from error
    return int(number) if number.is_integer() and "." not in text else number


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise UsageError(t("field.bool", field=name, value=value))
