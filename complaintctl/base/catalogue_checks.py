"""The catalogue's texts of the one validation of a record (`core.validate`): what `check` reports and the
write path refuses, in English and Simplified Chinese. Data only; `catalogue.CATALOGUE` includes them
(kept apart so that no module of the catalogue grows past the size every module keeps to)."""

from __future__ import annotations

CHECKS: dict[str, tuple[str, str]] = {
    "check.not_event": ("history: each event is a mapping", "history:每条记录必须是键值映射"),
    "check.no_envelope": ("history: event without {name}", "history:记录缺少 {name}"),
    "check.expected_mapping": ("{field}: expected a mapping", "{field}:应为键值映射"),
    "check.impossible": ("impossible history: {action} is not allowed when the complaint is {state} ({code})",
                         "不可能的处理记录:投诉处于 {state}({code})时不允许 {action}"),
    "validate.control": ("{field}: the control character {char} is not allowed (only newline and tab)",
                         "{field}:不允许控制字符 {char}(只允许换行和制表符)"),
    "validate.surrogate": ("{field}: not valid UTF-8 text (a lone surrogate {char}: a byte of another "
                           "encoding?)",
                           "{field}:不是有效的 UTF-8 文本(孤立代理项 {char},可能混入了其他编码的字节)"),
    "validate.too_big": ("the record would grow to {size} MB, past the {limit} MB a record may hold; put "
                         "long text in a file and attach it (`complaintctl attach {id} FILE`)",
                         "记录将增至 {size} MB,超过单份记录 {limit} MB 的上限;请把长文本存为文件并附加"
                         "(`complaintctl attach {id} 文件`)"),
    "validate.future": ("{field} {value} is later than the real clock ({real}) by more than {minutes} "
                        "minutes; a future --now is only for read-only views and tests",
                        "{field} {value} 比真实时钟({real})晚 {minutes} 分钟以上;"
                        "未来的 --now 只用于查看和测试"),
    "validate.type": ("{field}: {value!r} is not {kind}", "{field}:{value!r} 不是 {kind}"),
    "validate.names": ("a list of names", "名单列表"),
    "validate.files": ("attach: files must be a list of {{path, size, sha256}}",
                       "attach:files 必须是 {{path, size, sha256}} 的列表"),
    "time.future_now": ("--now {now} is later than the real clock ({real}): a future --now is only for "
                        "read-only views and tests; nothing was written",
                        "--now {now} 晚于真实时钟({real}):未来的 --now 只用于查看和测试;未写入任何内容"),
    "time.last_in_future": ("{id}: its last event is dated {last}, later than the real clock ({real}); "
                            "`complaintctl check` reports it",
                            "{id}:最后一条记录的时间 {last} 晚于真实时钟({real});"
                            "`complaintctl check` 会报告此问题"),
    # who may change the facts and extend a clock (README "When the facts change", "Extensions")
    "change.role": ("{person} may not change {field} ({clause}): only {roles} may (their roles: {theirs})",
                    "{person} 无权更改{field}({clause}):只有{roles}可以更改(其角色:{theirs})"),
    "change.state": ("{field} cannot be changed while the complaint is {state} ({clause}); it can be "
                     "changed when it is {allowed}",
                     "投诉处于{state}时不能更改{field}({clause});仅可在{allowed}时更改"),
    "extend.role": ("{person} may not extend {clock} ({clause}): only {roles} may (their roles: {theirs})",
                    "{person} 无权延长{clock}({clause}):只有{roles}可以延期(其角色:{theirs})"),
    "extend.not_allowed": ("{clock} may be extended only where {conditions} ({clause})",
                           "{clock}仅在{conditions}时可以延期({clause})"),
    "extend.too_long": ("{clock} may be extended to {latest} at the latest: {limit} from its start "
                        "({clause})",
                        "{clock}最多延至 {latest}:自起算起 {limit}({clause})"),
    "rule.no_clause": ("the policy", "政策规定"),
    "rule.condition": ("{field}: {values}", "{field}:{values}"),
    "rule.condition_not": ("{field}: not {values}", "{field}:不是{values}"),
    "rule.and": ("; ", ";"),
    "limit.minutes": ("{amount} minutes", "{amount} 分钟"),
    "limit.hours": ("{amount} hours", "{amount} 小时"),
    "limit.working_hours": ("{amount} working hours", "{amount} 个工作小时"),
    "limit.working_days": ("{amount} working days", "{amount} 个工作日"),
    "limit.calendar_days": ("{amount} calendar days", "{amount} 个自然日"),
}
