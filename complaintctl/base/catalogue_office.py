"""The catalogue's texts of an office's housekeeping: `archive` (the end of a record's retention) and
what the sweep says of notices it deferred or a commit that failed after recording. English and
Simplified Chinese. Data only; `catalogue.CATALOGUE` includes them."""

from __future__ import annotations

OFFICE_TEXTS: dict[str, tuple[str, str]] = {
    # archive: the policy's retention (README "Retention")
    "archive.past_retention": ("{id}: kept past its retention (until {until}); `complaintctl archive` may "
                               "now replace its personal data",
                               "{id}:已超过保存期限(至 {until});"
                               "可用 `complaintctl archive` 对其个人信息脱敏"),
    "archive.no_retention": ("the policy {policy} names no retention (`archive: {{years: N}}`): nothing is "
                             "archived",
                             "政策 {policy} 未规定保存期限(`archive: {{years: N}}`):不脱敏任何记录"),
    "archive.open": ("{id} is not closed: an open complaint is kept whole for ever",
                     "{id} 尚未结案:未结案的投诉一律完整保存"),
    "archive.too_young": ("{id} must be kept whole until {until} ({years} year(s) after closing on {closed})",
                          "{id} 须完整保存至 {until}(结案 {closed} 后 {years} 年)"),
    "archive.already": ("{id} was archived on {at}", "{id} 已于 {at} 脱敏"),
    "archive.not_read_back": ("{id}: the archived record would not read back as written; nothing written",
                              "{id}:脱敏后的记录无法原样读回;未写入"),
    "archive.would": ("would replace the personal data of {count} record(s) past their retention:",
                      "将对 {count} 份超过保存期限的记录进行个人信息脱敏:"),
    "archive.done": ("replaced the personal data of {count} record(s) past their retention:",
                     "已对 {count} 份超过保存期限的记录进行个人信息脱敏:"),
    "archive.line": ("  {id}  closed {closed}, kept until {until}", "  {id}  结案 {closed},保存至 {until}"),
    "archive.nothing": ("no record is past its retention ({years} year(s) after closing) at {now}",
                        "截至 {now} 没有超过保存期限(结案后 {years} 年)的记录"),
    "archive.history_note": ("git history still holds the earlier text: README.md, \"Retention\", says how "
                             "to purge it", "git 历史中仍保留原文:清除方法见 README.md 的“Retention”一节"),
    "archive.commit_subject": ("archive: personal data of {count} record(s) past retention replaced",
                               "归档:{count} 份超过保存期限的记录已脱敏"),
    "archive.committed": ("committed as {commit}", "已提交 {commit}"),
    "archive.not_committed": ("--commit: {path} is not in a git repository; the records are written",
                              "--commit:{path} 不在 git 仓库中;记录已写入"),
    "archive.commit_failed": ("--commit: the records are written but git failed: {problem}",
                              "--commit:记录已写入,但 git 提交失败:{problem}"),
    # import: what was overdue already is history (issue 20.7)
    "import.historical": ("{count} deadline(s) had passed already: recorded as historical breaches (reports "
                          "count them; the sweep neither escalates nor mails them)",
                          "{count} 项时限在导入前已超时:记为历史超时(计入报表;巡检不再升级,也不发邮件)"),
    # the sweep outside working hours, and a commit that fails after recording (issue 20.8)
    "sweep.deferred_until": ("notice deferred until {when}", "通知推迟至 {when} 发送"),
    "sweep.notice_deferred_to": ("notice to {person} <{email}> deferred until {when} ({count} item(s)): "
                                 "outside working hours",
                                 "给 {person} <{email}> 的通知推迟至 {when} 发送({count} 项):非工作时间"),
}
