"""`policy simulate`: the deadlines a complaint received at a given instant would get."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import current_language, t
from complaintctl.core import engine
from complaintctl.policy.model import Label, Policy
from complaintctl.store.directory import Store
from complaintctl.worktime.arithmetic import Calendar
from complaintctl.worktime.times import format_instant, parse_instant, system_now


def simulate_receipt(policy: Policy, store: Store | None, *, received: str, channel: str | None,
                     category: str | None, severity: str | None, now_option: str | None
                     ) -> list[dict[str, Any]]:
    calendar = store.calendar if store is not None else Calendar()
    tz = calendar.tz
    now = system_now()
    if now_option:
        now = parse_instant(now_option, tz, now, field="--now")
    instant = parse_instant(received, tz, now, field="--received")
    intake = {
        "received_at": format_instant(instant, tz),
        "channel": _code("--channel", channel, policy.channels),
        "category": _code("--category", category, policy.categories),
        "severity": _code("--severity", severity, policy.severities),
    }
    log_event = {"at": intake["received_at"], "by": "-", "action": "log"}
    view = engine.replay(policy, calendar, intake, [log_event])
    language = current_language()
    rows = []
    for run in view.current_runs():
        if run.start_event not in (engine.RECEIVED, "log"):
            continue
        rows.append({
            "name": run.clock,
            "label": policy.clock(run.clock).text(language),
            "limit": str(run.limit),
            "due": format_instant(run.due, tz),
            "provisional": calendar.is_provisional(run.due.astimezone(tz).date()),
        })
    return rows


def _code(option: str, given: str | None, labels: Sequence[Label]) -> str:
    """The code given (checked against the policy's list), else the policy's first."""
    codes = [label.code for label in labels]
    if given is None:
        return codes[0]
    if given not in codes:
        raise UsageError(t("field.choice", field=option, value=given, allowed=", ".join(codes)))
    return given
