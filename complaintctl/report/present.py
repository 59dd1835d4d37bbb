"""Labels and number formats of a report, in the store's language: shared by every renderer, so the
terminal, Markdown, HTML and CSV say the same thing in the same words."""

from __future__ import annotations

from dataclasses import dataclass

from complaintctl.base.messages import current_language, t
from complaintctl.report.figures import NO_GROUP, Figures, Report, Section, Value, change

#: The figures of the per-group tables (the summary shows every figure).
GROUP_COLUMNS = (
    "complaints", "received", "closed", "open_at_end", "on_time_rate", "handling_days_median",
    "handling_days_p90", "satisfaction_mean", "satisfaction_rate", "success_rate", "repeat_rate",
    "escalation_rate", "reopenings", "rejections", "costs.total", "corrective.open",
)  # fmt: skip


@dataclass
class Row:
    key: str
    label: str
    current: Value
    previous: Value
    change: Value


def is_rate(key: str) -> bool:
    return key.endswith("_rate") or key.endswith(".rate")


def is_money(key: str) -> bool:
    return key.startswith("costs.")


def is_decimal(key: str) -> bool:
    return key.startswith("handling_days") or key == "satisfaction_mean"


def value_text(key: str, value: Value) -> str:
    if value is None:
        return "–"
    if is_rate(key):
        return f"{value * 100:.1f}%"
    if is_money(key):
        return f"{value:,.2f}"
    if is_decimal(key):
        return f"{value:.2f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def change_text(key: str, value: Value) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "±0"
    sign = "+" if value > 0 else "−"
    size = abs(value)
    if is_rate(key):
        return f"{sign}{size * 100:.1f} {t('report.points')}"
    if is_money(key):
        return f"{sign}{size:,.2f}"
    if is_decimal(key):
        return f"{sign}{size:.2f}"
    return f"{sign}{size:g}" if isinstance(size, float) else f"{sign}{size}"


def grouping_label(name: str) -> str:
    return t(f"report.group.{name}")


def group_label(report: Report, grouping: str, key: str) -> str:
    """A group's name as people read it: the policy's label of a code, or the text itself."""
    language = current_language()
    if key == NO_GROUP:
        return t("report.no_value")
    policy = report.rules.policy
    if grouping in ("category", "channel", "severity"):
        return policy.label(grouping, key, language)  # type: ignore[arg-type]
    if grouping == "cause":
        return report.rules.choice_label("cause", key, language)
    return key


def figure_label(report: Report, key: str) -> str:
    language = current_language()
    policy = report.rules.policy
    if key.startswith("clock."):
        _, clock, part = key.split(".", 2)
        return t(f"report.figure.clock_{part}", clock=policy.label("clock", clock, language))
    if key.startswith("satisfaction."):
        answer = report.rules.choice_label("satisfaction", key.split(".", 1)[1], language)
        return t("report.figure.answer", answer=answer)
    if key.startswith("costs.kind."):
        kind = report.rules.money_label(key.split(".", 2)[2], language)
        return t("report.figure.cost_kind", kind=kind)
    if key.startswith("costs.borne_by."):
        payer = key.split(".", 2)[2]
        return t("report.figure.cost_payer", who=payer if payer != "-" else t("report.no_value"))
    return t(f"report.figure.{key.replace('.', '_')}")


def flat(report: Report, figures: Figures) -> dict[str, Value]:
    return figures.flat(report.clock_order, report.answer_order, report.repeat_window is not None)


def rows(report: Report, current: Figures, previous: Figures | None) -> list[Row]:
    """Every figure of `current`, with the same figure of `previous` and the change."""
    now = flat(report, current)
    before = flat(report, previous) if previous is not None else {}
    keys = list(now) + [key for key in before if key not in now]
    found = []
    for key in keys:
        value = now.get(key, 0 if _countable(key) else None)
        earlier = before.get(key, 0 if _countable(key) and previous is not None else None)
        found.append(Row(key, figure_label(report, key), value, earlier, change(value, earlier)))
    return found


def _countable(key: str) -> bool:
    """A figure that is 0 where it does not appear (a cost kind, an answer nobody gave)."""
    return key.startswith(("costs.", "satisfaction.", "corrective.")) and key != "satisfaction_mean" \
        or key.startswith("clock.") and not is_rate(key)


def summary(report: Report) -> list[Row]:
    return rows(report, report.current.overall, report.previous.overall)


def group_keys(report: Report, grouping: str) -> list[str]:
    """The groups of this period (biggest first), then those only the previous period had."""
    current = report.current.groups.get(grouping, {})
    previous = report.previous.groups.get(grouping, {})
    ordered = sorted(current, key=lambda key: (-current[key].received, -current[key].complaints,
                                               key == NO_GROUP, key))
    return ordered + sorted(key for key in previous if key not in current)


def group_rows(report: Report, grouping: str) -> list[tuple[str, str, list[Row]]]:
    """(key, label, rows) for every group, the rows restricted to GROUP_COLUMNS."""
    current = report.current.groups.get(grouping, {})
    previous = report.previous.groups.get(grouping, {})
    found = []
    for key in group_keys(report, grouping):
        all_rows = rows(report, current.get(key) or Figures(), previous.get(key) or Figures())
        by_key = {row.key: row for row in all_rows}
        found.append((key, group_label(report, grouping, key),
                      [by_key[column] for column in GROUP_COLUMNS if column in by_key]))
    return found


def category_counts(report: Report) -> list[tuple[str, int]]:
    """(label, received) per category of the policy, in policy order, then any unknown code: the bar
    chart of every format."""
    language = current_language()
    policy = report.rules.policy
    counts = {key: figures.received for key, figures in report.current.groups["category"].items()}
    found = [(category.text(language), counts.pop(category.code, 0)) for category in policy.categories]
    found.extend((group_label(report, "category", key), count) for key, count in sorted(counts.items())
                 if count)
    return found


def title(report: Report) -> str:
    return t("report.title", period=report.current.period.label)


def basis_text(report: Report) -> str:
    return t(f"report.basis.{report.basis}")


def header_lines(report: Report) -> list[tuple[str, str]]:
    """(label, text) lines under the title: period, previous period, basis, policy, cutoff, generated."""
    from complaintctl.worktime.times import format_instant

    language = current_language()
    current, previous = report.current, report.previous
    tz = current.period.tz
    return [
        (t("report.label.period"), f"{current.period.label} ({_span(current)})"),
        (t("report.label.previous"), f"{previous.period.label} ({_span(previous)})"),
        (t("report.label.basis"), basis_text(report)),
        (t("report.label.policy"), report.rules.policy.title.text(language)),
        (t("report.label.as_of"), format_instant(current.cutoff, tz)),
        (t("report.label.generated"), format_instant(report.generated_at, tz)),
    ]


def _span(section: Section) -> str:
    from dateutil.relativedelta import relativedelta

    period = section.period
    return f"{period.first.isoformat()} – {(period.after + relativedelta(days=-1)).isoformat()}"


def weekly(report: Report) -> list[tuple[str, int]]:
    return [(monday.isoformat(), count) for monday, count in report.current.weekly]


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(counts: list[int]) -> str:
    """One character per week, the highest week a full block (a week with none, the lowest)."""
    top = max(counts, default=0)
    if top == 0:
        return SPARKS[0] * len(counts)
    return "".join(SPARKS[min(len(SPARKS) - 1, round(count / top * (len(SPARKS) - 1)))] for count in counts)


def split(summary_rows: list[Row]) -> dict[str, list[Row]]:
    """The summary's rows by section: the headline figures, then each breakdown."""
    sections: dict[str, list[Row]] = {"summary": [], "clocks": [], "satisfaction": [], "costs": [],
                                      "corrective": []}
    for row in summary_rows:
        if row.key.startswith("clock."):
            sections["clocks"].append(row)
        elif row.key.startswith("satisfaction."):
            sections["satisfaction"].append(row)
        elif row.key.startswith("costs.") and row.key != "costs.total":
            sections["costs"].append(row)
        elif row.key.startswith("corrective.") and row.key != "corrective.recorded":
            sections["corrective"].append(row)
        else:
            sections["summary"].append(row)
    return sections


@dataclass
class ClockLine:
    label: str
    timed: Value
    on_time: Value
    rate: Value
    previous_rate: Value
    change: Value


def clock_lines(report: Report, clock_rows: list[Row]) -> list[ClockLine]:
    """One line per clock: timed, on time, rate, the previous rate and the change in points."""
    by_key = {row.key: row for row in clock_rows}
    language = current_language()
    found = []
    for clock in dict.fromkeys(row.key.split(".")[1] for row in clock_rows):
        rate = by_key[f"clock.{clock}.rate"]
        found.append(ClockLine(report.rules.policy.label("clock", clock, language),
                               by_key[f"clock.{clock}.timed"].current,
                               by_key[f"clock.{clock}.on_time"].current,
                               rate.current, rate.previous, rate.change))
    return found
