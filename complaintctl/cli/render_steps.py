"""What `act ID` prints with no action: the steps possible now, each with its fields (name, label, type,
required or not, the choices of a choice field), aligned for Chinese labels."""

from __future__ import annotations

import typer

from complaintctl.app.steps import FieldNeed, Possible
from complaintctl.base.messages import t
from complaintctl.base.safetext import for_terminal
from complaintctl.cli.render import width


def _pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def _field_line(need: FieldNeed, name_columns: int, label_columns: int) -> str:
    parts = [_pad(need.name, name_columns), _pad(need.label, label_columns),
             t(f"field.kind.{need.kind}"), t("steps.required" if need.required else "steps.optional")]
    line = "  ".join(parts)
    if need.choices:
        shown = ", ".join(f"{code} {label}" if label != code else code for code, label in need.choices)
        line += "; " + t("steps.choices", choices=shown)
    return line


def possible(found: Possible) -> None:
    if not found.steps:
        typer.echo(for_terminal(t("steps.none", id=found.complaint_id, state=found.state)))
        return
    lines = [t("steps.header", id=found.complaint_id, state=found.state)]
    step_columns = max(width(step.name) for step in found.steps)
    for step in found.steps:
        lines.append(f"  {_pad(step.name, step_columns)}  {step.label}")
        lines.extend(f"      {t('steps.condition', condition=condition)}" for condition in step.conditions)
        if not step.fields:
            lines.append(f"      {t('steps.no_fields')}")
            continue
        name_columns = max(width(need.name) for need in step.fields)
        label_columns = max(width(need.label) for need in step.fields)
        lines.extend(f"      {_field_line(need, name_columns, label_columns)}" for need in step.fields)
    lines.append(t("steps.how", id=found.complaint_id))
    typer.echo(for_terminal("\n".join(lines)))
