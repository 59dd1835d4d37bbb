"""Every user-facing text of complaintctl, in English and Simplified Chinese.

`t(key, **fields)` formats the text in the current language. The shell picks the language once (the store's
`language` setting, else the locale); the core only asks for texts by key.
"""

from __future__ import annotations

import locale
import os

LANGUAGES = ("en", "zh")
_language = "en"

CATALOGUE: dict[str, tuple[str, str]] = {
    # errors: store and settings
    "store.not_found": (
        "not in a complaint store (no complaintctl.yaml here or above); make one with "
        "`complaintctl init DIR --policy metro`, or name one with --store or COMPLAINTCTL_STORE",
        "这里不是投诉台账目录(本目录及上级目录都没有 complaintctl.yaml);用 "
        "`complaintctl init 目录 --policy metro` 新建,或用 --store / COMPLAINTCTL_STORE 指定",
    ),
    "store.named_missing": ("no complaint store at {path} (no complaintctl.yaml)",
                            "{path} 不是投诉台账目录(没有 complaintctl.yaml)"),
    "store.exists": ("{path} already holds a complaint store", "{path} 已经是投诉台账目录"),
    "store.created": ("made a complaint store in {path} (policy {policy}, office {office})",
                      "已在 {path} 新建投诉台账(政策 {policy},机构代码 {office})"),
    "store.git_initialised": ("initialised a git repository there", "并已初始化 git 仓库"),
    "settings.invalid": ("{path}: {problem}", "{path}:{problem}"),
    "policy.unknown": ("unknown policy {name!r}; built-in policies: {known}",
                       "未知的政策 {name!r};内置政策:{known}"),
    # ids
    "id.malformed": ("{value!r} is not a complaint id (like MT-261120-K7QF-1)",
                     "{value!r} 不是投诉编号(形如 MT-261120-K7QF-1)"),
    "id.bad_query": ("{value!r} is not an id or part of one: use letters, digits and dashes",
                     "{value!r} 不是投诉编号或其一部分:只能含字母、数字和连字符"),
    "id.unknown": ("no complaint matches {value!r}", "没有与 {value!r} 匹配的投诉"),
    "id.ambiguous": ("{value!r} matches {count} complaints: {candidates}",
                     "{value!r} 匹配 {count} 件投诉:{candidates}"),
    # times
    "time.unreadable": ("{field}: cannot read {value!r} as a time (use ISO 8601 such as "
                        "2026-11-20T16:00, or 'today 09:14', '09:14', '-30m')",
                        "{field}:无法识别时间 {value!r}(请用 ISO 8601,如 2026-11-20T16:00,"
                        "或 'today 09:14'、'09:14'、'-30m')"),
    "time.future": ("{field} {value} is in the future (now is {now})",
                    "{field} {value} 晚于当前时间({now})"),
    "time.before_received": ("{field} {value} is before the complaint was received ({received})",
                             "{field} {value} 早于投诉受理时间({received})"),
    "time.before_last": ("{field} {value} is before the last event of the complaint ({last}); events are "
                         "appended in time order",
                         "{field} {value} 早于该投诉最后一条记录的时间({last});记录须按时间顺序追加"),
    # actions and guards
    "action.unknown": ("{policy} has no action {action!r}; possible now: {possible}",
                       "政策 {policy} 没有动作 {action!r};当前可执行:{possible}"),
    "action.wrong_state": ("cannot {action} {id}: it is {state}; {action} is allowed when {allowed}",
                           "不能对 {id} 执行 {action}:当前状态为 {state};{action} 仅可在 {allowed} 时执行"),
    "action.final": ("{id} is {state} (closed for good); reopen it first if the policy allows",
                     "{id} 已处于 {state}(终结状态);如政策允许,请先重新打开"),
    "action.role": ("{person} may not {action}: it needs the role {roles} (their roles: {theirs})",
                    "{person} 无权执行 {action}:需要角色 {roles}(其角色:{theirs})"),
    "action.unknown_person": ("{person} is not in the store's people list ({path})",
                              "{person} 不在台账的人员名单中({path})"),
    "field.missing": ("{action}: the field {field} is required", "{action}:必须填写 {field}"),
    "field.unknown": ("{action}: unknown field {field}; its fields: {known}",
                      "{action}:未知字段 {field};可用字段:{known}"),
    "field.choice": ("{field}: {value!r} is not allowed; choose one of {allowed}",
                     "{field}:不允许 {value!r};可选:{allowed}"),
    "field.number": ("{field}: {value!r} is not a number", "{field}:{value!r} 不是数字"),
    "field.bool": ("{field}: {value!r} is not yes/no", "{field}:{value!r} 不是 是/否"),
    "field.bad_pair": ("{value!r} is not FIELD=VALUE", "{value!r} 不是 字段=值 的形式"),
    "extend.not_extendable": ("{id}: the clock {clock} cannot be extended; clocks that can: {clocks}",
                              "{id}:时限 {clock} 不可延期;可延期的时限:{clocks}"),
    "extend.not_running": ("{id}: the clock {clock} is not running", "{id}:时限 {clock} 未在计时"),
    "extend.not_later": ("{id}: an extension must move {clock} later than its due time {due}",
                         "{id}:延期后的期限必须晚于 {clock} 当前期限 {due}"),
    "intake.missing": ("the field {field} is required by the {policy} policy",
                       "{policy} 政策要求填写 {field}"),
    "intake.missing_many": ("these fields are required by the {policy} policy: {fields}",
                            "{policy} 政策要求填写以下字段:{fields}"),
    "intake.unknown": ("unknown intake field {field}; known fields: {known}",
                       "未知的受理字段 {field};可用字段:{known}"),
    "intake.bad_from": ("{source}: expected a YAML or JSON mapping of intake fields",
                        "{source}:应为受理字段的 YAML 或 JSON 映射"),
    "intake.unreadable": ("{source}: cannot read it: {problem}", "{source}:无法读取:{problem}"),
    "index.refreshed": ("index: {records} complaint(s); {derived} derived, {removed} removed "
                        "in {seconds} s{rebuilt}",
                        "索引：{records} 件投诉；重新推导 {derived} 件，删除 {removed} 件，"
                        "用时 {seconds} 秒{rebuilt}"),
    "index.rebuilt": (" (rebuilt)", "（已重建）"),
    "index.broken": ("{count} record(s) do not load; run `complaintctl check`",
                     "{count} 个记录无法读取；请运行 `complaintctl check`"),
    "record.gone": ("{path} went away while it was being read (a pull or a merge meanwhile?); "
                    "run the command again",
                    "{path} 在读取时被移走（同时有 pull 或合并？）；请重新运行该命令"),
    "record.broken": ("{path}: {problem}; run `complaintctl check`",
                      "{path}:{problem};请运行 `complaintctl check`"),
    "attach.missing": ("no such file: {path}", "文件不存在:{path}"),
    # check
    "check.clean": ("{count} records checked, no problems", "已检查 {count} 份记录,未发现问题"),
    "check.found": ("{problems} problems in {count} records", "{count} 份记录中发现 {problems} 个问题"),
    "check.no_people": ("the store has no people list: anyone may take any action",
                        "台账未设置人员名单:任何人都可以执行任何动作"),
    "check.duplicate_id": ("duplicate id {id}, also in {other}", "投诉编号 {id} 重复,另见 {other}"),
    "check.id_path": ("id {id} does not match the file name or folder (expected {expected})",
                      "编号 {id} 与文件名或目录不符(应为 {expected})"),
    "check.first_event": ("the first event must be log", "第一条记录必须是 log(受理登记)"),
    "check.event_order": ("event at {at} is earlier than the event before it ({before})",
                          "时间为 {at} 的记录早于前一条记录({before})"),
    "check.event_before_received": ("event at {at} is before the complaint was received ({received})",
                                    "时间为 {at} 的记录早于受理时间({received})"),
    "check.bad_instant": ("{field}: {value!r} is not an instant with a UTC offset",
                          "{field}:{value!r} 不是带时区偏移的时间"),
    "check.policy_mismatch": ("record is under policy {record} but the store uses {store}",
                              "记录使用政策 {record},但台账使用 {store}"),
    # output
    "log.created": ("logged {id}", "已登记 {id}"),
    "action.done": ("{id}: {action} recorded; now {state}", "{id}:已记录 {action};当前状态 {state}"),
    "attach.done": ("{id}: attached {count} file(s)", "{id}:已附加 {count} 个文件"),
    "note.done": ("{id}: note added", "{id}:已添加备注"),
    "bug": ("complaintctl hit a bug: {error}. Run again with --debug for the traceback and report it.",
            "complaintctl 出现程序错误:{error}。请加 --debug 重新运行以查看详细信息并报告。"),
    "interrupted": ("interrupted", "已中断"),
    # labels used in tables
    "label.id": ("id", "编号"), "label.status": ("status", "状态"), "label.owner": ("owner", "责任人"),
    "label.department": ("department", "责任部门"), "label.coordinator": ("coordinator", "协调人"),
    "label.subject": ("subject", "主题"), "label.category": ("category", "类型"),
    "label.channel": ("channel", "渠道"), "label.severity": ("severity", "紧急程度"),
    "label.received": ("received", "受理时间"), "label.deadline": ("next deadline", "最近期限"),
    "label.due": ("due", "期限"), "label.clock": ("clock", "时限"), "label.state": ("state", "状态"),
    "label.left": ("time left", "剩余"), "label.late": ("late by", "已超时"),
    "label.overdue": ("overdue", "超期"), "label.yes": ("yes", "是"),
    "label.history": ("history", "处理记录"), "label.possible": ("possible now", "当前可执行"),
    "label.deadlines": ("deadlines", "期限"), "label.intake": ("intake", "受理信息"),
    "label.provisional": ("provisional: that year's official holiday schedule is not published yet",
                          "暂定:该年度官方放假安排尚未公布"),
    "clock.running": ("running", "计时中"), "clock.met": ("met", "按时完成"),
    "clock.breached": ("breached", "已超时"), "clock.paused": ("paused", "暂停"),
    "clock.stopped": ("stopped", "已停止"),
    "none": ("none", "无"),
    # explain: how each due time was reached
    "explain.no_clock": ("{policy} has no clock {clock!r}; its clocks: {clocks}",
                         "政策 {policy} 没有时限 {clock!r};其时限:{clocks}"),
    "explain.not_started": ("not started: it starts at {starts}, which has not happened "
                            "(or it does not apply)",
                            "未开始:在 {starts} 时开始计时,尚未发生(或不适用)"),
    "explain.or": (" or ", " 或 "),
    "explain.run": ("run {number} of {count}: ", "第 {number} 轮(共 {count} 轮):"),
    "explain.started": ("started {at} by {event}; limit {limit}", "{at} 由 {event} 开始计时;时限 {limit}"),
    "explain.weekdays": ("Mon Tue Wed Thu Fri Sat Sun", "周一 周二 周三 周四 周五 周六 周日"),
    "explain.counted": ("counted {duration}: {note}", "计入 {duration}:{note}"),
    "explain.skipped": ("skipped: {reason}", "跳过:{reason}"),
    "explain.reason.weekend": ("weekend", "周末"),
    "explain.reason.company_closure": ("company closure", "单位停工"),
    "explain.due_by_limit": ("→ due {due}", "→ 期限 {due}"),
    "explain.due_by_limit_alone": ("→ due {due} by the limit alone", "→ 仅按时限计算,期限 {due}"),
    "explain.due": ("due {due}{mark}: {state}", "期限 {due}{mark}:{state}"),
    "explain.stopped": ("stopped {at} by {event}", "{at} 由 {event} 停止计时"),
    "explain.final_state": ("a final state", "终结状态"),
    "explain.extended": ("extended {at} by {person}: {before} → {after}",
                         "{at} 由 {person} 延期:{before} → {after}"),
    "explain.extended_because": ("extended {at} by {person}: {before} → {after} ({reason})",
                                 "{at} 由 {person} 延期:{before} → {after}(原因:{reason})"),
    "explain.paused": ("paused {paused} → {resumed} (waiting on the complainant)",
                       "暂停 {paused} → {resumed}(等待投诉人答复)"),
    "explain.paused_when_overdue": ("{span}: it was already overdue when the wait began, "
                                    "so the due time stays",
                                    "{span}:开始等待时已超时,期限不变"),
    "explain.paused_left": ("{span}: {left} left then, counted again from the resume",
                            "{span}:当时剩余 {left},恢复后重新计时"),
    "explain.due_moved": ("due {before} → {after}", "期限 {before} → {after}"),
    "explain.paused_since_overdue": ("paused since {since} (waiting on the complainant); "
                                     "it was already overdue then",
                                     "自 {since} 起暂停(等待投诉人答复);当时已超时"),
    "explain.paused_since": ("paused since {since} (waiting on the complainant): {left} left, "
                             "counted again from the resume",
                             "自 {since} 起暂停(等待投诉人答复):剩余 {left},恢复后重新计时"),
    "explain.working_time": ("{hours}h{minutes:02d} of working time", "{hours}h{minutes:02d} 工作时间"),
    # explain --changes: which due times an uncommitted change of the rules moves
    "explain.needs_git": ("explain --changes needs git: {error}", "explain --changes 需要 git:{error}"),
    "explain.not_committed": ("explain --changes: the store is not in git, "
                              "or complaintctl.yaml is not committed",
                              "explain --changes:台账不在 git 仓库中,或 complaintctl.yaml 尚未提交"),
    "explain.cannot_compare": ("{path}: cannot compare ({error})", "{path}:无法比较({error})"),
    "explain.new_clock": ("{id}  {clock}: new clock, due {due}", "{id}  {clock}:新增时限,期限 {due}"),
    "explain.moved": ("{id}  {clock}: {before} → {after} ({shift})",
                      "{id}  {clock}:{before} → {after}({shift})"),
    "explain.no_longer_runs": ("{id}  {clock}: no longer runs (was due {before})",
                               "{id}  {clock}:不再计时(原期限 {before})"),
    "explain.moved_count": ("{count} deadline(s) of open complaints move", "未结投诉中有 {count} 个期限变动"),
    "explain.none_moved": ("no deadline of an open complaint moves", "未结投诉的期限均无变动"),
    "explain.unreadable": ("{count} record(s) could not be compared", "{count} 份记录无法比较"),
    # sweep
    "sweep.locked": ("another sweep is running (lock {path} held for more than {seconds}s); try again",
                     "另一个巡检正在运行(锁 {path} 已被占用超过 {seconds} 秒);请稍后重试"),
    "sweep.not_git": ("--commit: {path} is not in a git repository", "--commit:{path} 不在 git 仓库中"),
    "sweep.git_failed": ("--commit: git failed: {problem}", "--commit:git 执行失败:{problem}"),
    "sweep.no_password": ("the SMTP password variable {variable} is not set",
                          "未设置 SMTP 密码环境变量 {variable}"),
    "sweep.level_breach": ("breached", "已超时"), "sweep.level_warning": ("warning", "即将超时"),
    "sweep.late": ("late by {duration}", "已超时 {duration}"),
    "sweep.due_in": ("due in {duration}", "剩余 {duration}"),
    "sweep.severity_raised": ("severity raised to {severity}", "紧急程度升为 {severity}"),
    "sweep.nobody": ("(nobody named)", "(未指定责任人)"),
    "sweep.dry_run": ("dry run: nothing was recorded or mailed", "试运行:未写入记录,也未发送邮件"),
    "sweep.recorded": ("recorded {count} escalation(s) at {now}", "已于 {now} 记录 {count} 条升级"),
    "sweep.would_record": ("would record {count} escalation(s) at {now}", "将于 {now} 记录 {count} 条升级"),
    "sweep.quiet": ("{scanned} complaints, {open} open: nothing new at {now}",
                    "共 {scanned} 件投诉,{open} 件未结:{now} 无新情况"),
    "sweep.notice_sent": ("notice sent to {person} <{email}> ({count} item(s))",
                          "已向 {person} <{email}> 发送通知({count} 项)"),
    "sweep.notice_failed": ("notice to {person} <{email}> failed: {error}; the next sweep retries it",
                            "向 {person} <{email}> 发送通知失败:{error};下次巡检时重试"),
    "sweep.notice_deferred": ("{count} notice(s) wait for working hours",
                              "{count} 项通知将在工作时间发送"),
    "sweep.overdue": ("{count} clock(s) overdue", "{count} 项时限已超时"),
    "sweep.skipped": ("skipped {count} complaint(s) with events after {now}",
                      "跳过 {count} 件有晚于 {now} 记录的投诉"),
    "sweep.committed": ("committed as {commit}", "已提交 {commit}"),
    "sweep.mail_subject": ("complaints: {breaches} overdue, {warnings} nearly due",
                           "投诉时限提醒:{breaches} 项已超时,{warnings} 项即将超时"),
    "sweep.mail_greeting": ("{person},\n\nthese complaints need you:", "{person}:\n\n以下投诉需要您处理:"),
    "sweep.mail_footer": ("-- complaintctl sweep, {now}", "-- complaintctl 巡检,{now}"),
    # git (issue 6): commits, the merge driver, resolve, undo, the pre-commit hook
    "git.not_repo": ("{path} is not in a git repository; make it one with `git init` (or `complaintctl init "
                     "--git`)", "{path} 不在 git 仓库中;请用 `git init`(或 `complaintctl init --git`)初始化"),
    "git.failed": ("git {command} failed: {problem}", "git {command} 执行失败:{problem}"),
    "git.not_committed": ("warning: {path} is not in a git repository; the change is recorded but not "
                          "committed", "警告:{path} 不在 git 仓库中;本次操作已记录,但未提交"),
    "git.commit_failed": ("{id}: the change is recorded but not committed: {problem}",
                          "{id}:本次操作已记录,但提交失败:{problem}"),
    "git.committed": ("committed as {commit}", "已提交 {commit}"),
    "git.installed_attributes": ("{path}: complaint records now merge through complaintctl (commit this "
                                 "file so every clone has it)",
                                 "{path}:投诉记录将由 complaintctl 合并(请提交此文件,使各副本一致)"),
    "git.installed_driver": ("registered the merge driver `complaintctl` in this clone's git config "
                             "(each clone runs `complaintctl git install` once)",
                             "已在本副本的 git 配置中注册合并驱动 `complaintctl`(每个副本各运行一次 "
                             "`complaintctl git install`)"),
    "git.installed_hook": ("installed {path}: a commit's staged records must pass `complaintctl check`",
                           "已安装 {path}:提交前暂存的记录须通过 `complaintctl check`"),
    "git.hook_exists": ("left {path} alone: it is not complaintctl's hook; add `complaintctl check` to it "
                        "yourself",
                        "未改动 {path}:它不是 complaintctl 安装的钩子;请自行加入 `complaintctl check`"),
    "git.merge_conflict": ("CONFLICT (complaint history): {path}: {reasons}; keep one side with "
                           "`complaintctl git resolve {id} --keep ours|theirs`, or edit the file and run "
                           "`complaintctl check`",
                           "冲突(投诉记录):{path}:{reasons};用 `complaintctl git resolve {id} --keep "
                           "ours|theirs` 保留一方,或手工编辑后运行 `complaintctl check`"),
    "git.merge_as_text": ("{path}: not a readable record on both sides ({problem}); merged line by line",
                          "{path}:双方并非都是可读的投诉记录({problem});已按行合并"),
    "git.bad_side": ("--keep must be ours or theirs, not {value!r}",
                     "--keep 只能是 ours 或 theirs,不能是 {value!r}"),
    "git.resolve_nothing": ("{path} has no conflict markers: nothing to resolve",
                            "{path} 中没有冲突标记:无需解决"),
    "git.resolve_invalid": ("keeping {side} in {path} does not give a valid record: {problem}",
                            "在 {path} 中保留 {side} 一方得不到有效记录:{problem}"),
    "git.resolved": ("{id}: kept {side}; {path} is written and staged: commit to conclude the merge",
                     "{id}:已保留 {side} 一方;{path} 已写入并暂存:请提交以完成合并"),
    "git.resolved_unstaged": ("{id}: kept {side}; {path} is written",
                              "{id}:已保留 {side} 一方;已写入 {path}"),
    "git.undo_nothing": ("nothing to undo: the repository has no commit yet", "无可撤销:仓库中还没有提交"),
    "git.undo_not_ours": ("will not undo {commit} ({subject}): it was not made by complaintctl",
                          "不撤销 {commit}({subject}):它不是 complaintctl 的提交"),
    "git.undo_merge": ("will not undo {commit}: it is a merge", "不撤销 {commit}:它是合并提交"),
    "git.undo_other_person": ("will not undo {commit}: it was made by {author}, not {person}",
                              "不撤销 {commit}:它由 {author} 提交,而不是 {person}"),
    "git.undo_pushed": ("will not undo {commit} ({subject}): it is already pushed ({remote}) and other "
                        "clones may have it; record a new action that corrects it (e.g. `complaintctl "
                        "note ID TEXT`)",
                        "不撤销 {commit}({subject}):它已推送({remote}),其他副本可能已有;请用新的操作"
                        "更正(如 `complaintctl note 编号 说明`)"),
    "git.undo_dirty": ("will not undo {commit}: a file it changed has uncommitted changes ({changes})",
                       "不撤销 {commit}:它改动的文件还有未提交的修改({changes})"),
    "git.undone": ("undid {commit}: {subject}", "已撤销 {commit}:{subject}"),
    "git.check_conflict": ("unresolved merge conflict; keep one side with `complaintctl git resolve {id} "
                           "--keep ours|theirs`, or edit the file",
                           "合并冲突未解决;用 `complaintctl git resolve {id} --keep ours|theirs` 保留一方,"
                           "或手工编辑该文件"),
    "git.check_outside": ("{path} is not in the store {store}", "{path} 不在投诉台账 {store} 中"),
    "git.why_intake": ("intake changed differently on each side: {fields}",
                       "双方对受理信息的修改不同:{fields}"),
    "git.why_closed": ("both sides closed it", "双方都已结案"),
    "git.why_edits": ("edited differently: {fields}", "双方更正的内容不同:{fields}"),
    "git.why_policy": ("the policy does not allow the merged history",
                       "合并后的处理记录不符合政策"),
    "git.why_two_complaints": ("two complaints under one id", "两件不同的投诉使用了同一编号"),
    "git.why_lines": ("conflicting lines", "行冲突"),
    "git.why_bad_time": ("an event's time {value!r} is unreadable", "记录时间 {value!r} 无法识别"),
    "git.why_bad_history": ("{side}: history is not a list of events", "{side}:history 不是记录列表"),
    # report, export and import (issue 7)
    "report.bad_period": ("--period: cannot read {value!r}; use a month (2026-11), a quarter (2026-Q3) or a "
                          "year (2026)",
                          "--period:无法识别 {value!r};请用月份(2026-11)、季度(2026-Q3)或年份(2026)"),
    "report.no_period": ("name the period: --period 2026-11 | 2026-Q3 | 2026, or --since DAY [--until DAY]",
                         "请指定统计期间:--period 2026-11 | 2026-Q3 | 2026,或 --since 日期 [--until 日期]"),
    "report.empty_span": ("--since {since} --until {until}: the period holds no day (--until is excluded)",
                          "--since {since} --until {until}:期间内没有任何一天(不含 --until 当天)"),
    "report.period_and_span": ("give either --period or --since/--until, not both",
                               "--period 与 --since/--until 只能二选一"),
    "report.format_needs_file": ("--format {format} writes a file: name it with --output FILE",
                                 "--format {format} 须写入文件:请用 --output 文件 指定"),
    "report.table_to_file": ("--output {path}: a terminal table is not written to a file; use --format "
                             "markdown, html, csv or json (or a file name ending in .md, .html, .csv, .json)",
                             "--output {path}:终端表格不写入文件;请用 --format markdown、html、csv 或 json"
                             "(或以 .md、.html、.csv、.json 结尾的文件名)"),
    "report.written": ("wrote {path}", "已写入 {path}"),
    "report.title": ("Complaint report {period}", "投诉统计报告 {period}"),
    "report.label.period": ("period", "统计期间"),
    "report.label.previous": ("compared with", "对比期间"),
    "report.label.basis": ("complaints counted", "统计口径"),
    "report.label.policy": ("policy", "处理制度"),
    "report.label.as_of": ("as of", "数据截至"),
    "report.label.generated": ("generated", "生成时间"),
    "report.basis.received": ("received in the period", "本期受理的投诉"),
    "report.basis.closed": ("closed in the period", "本期结案的投诉"),
    "report.col.figure": ("figure", "指标"),
    "report.col.current": ("this period", "本期"),
    "report.col.previous": ("previous", "上期"),
    "report.col.change": ("change", "变化"),
    "report.col.group": ("group", "分组"),
    "report.col.week": ("week of", "周(起始日)"),
    "report.col.count": ("received", "受理数"),
    "report.points": ("pt", "个百分点"),
    "report.weeks_span": ("weeks from {first} to {last}; most in a week: {most}",
                          "{first} 至 {last} 各周;单周最多 {most} 件"),
    "report.no_value": ("(none)", "(未填)"),
    "report.section.summary": ("Summary", "概况"),
    "report.section.clocks": ("On time, by deadline", "各时限按时情况"),
    "report.section.satisfaction": ("Satisfaction", "满意度"),
    "report.section.costs": ("Costs", "费用"),
    "report.section.corrective": ("Corrective actions", "纠正预防措施"),
    "report.section.categories": ("Received, by category", "各类型受理数"),
    "report.section.weekly": ("Received, by week", "每周受理数"),
    "report.section.group": ("By {grouping}", "按{grouping}"),
    "report.group.category": ("category", "投诉类型"),
    "report.group.department": ("department", "责任部门"),
    "report.group.owner": ("owner", "责任人"),
    "report.group.channel": ("channel", "投诉渠道"),
    "report.group.cause": ("cause", "投诉原因"),
    "report.group.location": ("location", "投诉地点"),
    "report.group.severity": ("severity", "投诉等级"),
    "report.short.received": ("recv", "受理"),
    "report.short.closed": ("closed", "结案"),
    "report.short.open_at_end": ("open", "未结"),
    "report.short.on_time_rate": ("on time", "按时率"),
    "report.short.handling_days_median": ("days (med)", "时长中位"),
    "report.short.handling_days_p90": ("days (p90)", "时长P90"),
    "report.short.satisfaction_mean": ("score", "满意分"),
    "report.short.satisfaction_rate": ("satisfied", "满意率"),
    "report.short.success_rate": ("success", "成功率"),
    "report.short.repeat_rate": ("repeat", "重复率"),
    "report.short.escalation_rate": ("escalated", "升级率"),
    "report.short.costs_total": ("costs", "费用"),
    "report.figure.complaints": ("complaints counted", "统计投诉数"),
    "report.figure.received": ("received", "受理数"),
    "report.figure.closed": ("closed", "结案数"),
    "report.figure.open_at_end": ("open at the end", "期末未结数"),
    "report.figure.timed": ("with a deadline", "有处理时限的投诉"),
    "report.figure.on_time": ("on time (no deadline missed)", "按时(未超任何时限)"),
    "report.figure.on_time_rate": ("on-time rate", "按时率"),
    "report.figure.clock_timed": ("{clock}: timed", "{clock}:计时投诉数"),
    "report.figure.clock_on_time": ("{clock}: on time", "{clock}:按时数"),
    "report.figure.clock_rate": ("{clock}: on-time rate", "{clock}:按时率"),
    "report.figure.handled": ("closed, with a handling time", "已结案(计算办理时长)"),
    "report.figure.handling_days_median": ("handling time, median (working days)", "办理时长中位数(工作日)"),
    "report.figure.handling_days_p90": ("handling time, 90th percentile (working days)",
                                        "办理时长第90百分位(工作日)"),
    "report.figure.rated": ("satisfaction answers", "满意度回访数"),
    "report.figure.satisfaction_mean": ("satisfaction, mean score (1–5)", "满意度平均分(1–5)"),
    "report.figure.satisfaction_rate": ("satisfaction rate", "满意率"),
    "report.figure.answer": ("answered: {answer}", "回访结果:{answer}"),
    "report.figure.finished": ("closed, of those counted", "统计投诉中已结案"),
    "report.figure.successes": ("closed with the complainant satisfied", "结案且投诉人满意"),
    "report.figure.success_rate": ("success rate", "成功率"),
    "report.figure.repeats": ("repeat complaints", "重复投诉数"),
    "report.figure.repeat_rate": ("repeat-complaint rate", "重复投诉率"),
    "report.figure.escalated": ("escalated", "升级投诉数"),
    "report.figure.escalation_rate": ("escalation rate", "升级率"),
    "report.figure.reopened": ("complaints reopened", "重新处理的投诉数"),
    "report.figure.reopenings": ("reopenings", "重新处理次数"),
    "report.figure.rejections": ("opinions or plans sent back", "处理意见/方案退回次数"),
    "report.figure.costs_total": ("costs, total", "费用合计"),
    "report.figure.cost_kind": ("costs: {kind}", "费用:{kind}"),
    "report.figure.cost_payer": ("borne by {who}", "承担方:{who}"),
    "report.figure.corrective_recorded": ("corrective actions", "纠正措施数"),
    "report.figure.corrective_open": ("corrective actions open", "未完成的纠正措施"),
    "report.figure.corrective_overdue": ("open and past their due date", "未完成且已逾期"),
    "report.figure.corrective_done": ("done, found not effective", "已完成但验证未见效"),
    "report.figure.corrective_verified": ("verified effective", "已验证有效"),
    "export.column.id": ("complaint id", "投诉编号"),
    "export.column.complainant.name": ("name", "投诉人姓名"),
    "export.column.complainant.phone": ("phone", "联系电话"),
    "export.column.complainant.email": ("e-mail", "电子邮箱"),
    "export.column.complainant.contact": ("other contact", "其他联系方式"),
    "export.column.received_at": ("received at", "投诉时间"),
    "export.column.location": ("location", "投诉地点"),
    "export.column.subject": ("subject", "投诉事由"),
    "export.column.description": ("content", "投诉内容"),
    "export.column.registered_at": ("registered at", "受理时间"),
    "export.column.department": ("department", "处理部门"),
    "export.column.status": ("progress", "处理进度"),
    "export.column.result": ("result", "处理结果"),
    "export.column.channel": ("channel", "投诉渠道"),
    "export.column.category": ("category", "投诉类型"),
    "export.column.severity": ("severity", "投诉等级"),
    "export.column.risk": ("risk", "风险等级"),
    "export.column.demands": ("demands", "投诉诉求"),
    "export.column.reference": ("order or reference", "订单/参考编号"),
    "export.column.service.item": ("service item", "服务项目"),
    "export.column.service.staff": ("service staff", "服务人员"),
    "export.column.service.time": ("service time", "服务时间"),
    "export.column.amount": ("amount involved", "涉及金额"),
    "export.column.owner": ("owner", "责任人"),
    "export.column.coordinator": ("coordinator", "协调人"),
    "export.column.registered_by": ("registered by", "登记人"),
    "export.column.closed_at": ("closed at", "结案时间"),
    "export.column.cause": ("cause", "投诉原因"),
    "export.column.satisfaction": ("satisfaction", "满意度"),
    "export.column.rejections": ("sent back", "退回次数"),
    "export.column.reopenings": ("reopenings", "重新处理次数"),
    "export.column.costs": ("costs", "费用合计"),
    "export.column.policy": ("policy", "处理制度"),
    "export.column.office": ("office", "机构代码"),
    "export.column.source": ("imported from", "导入来源"),
    "export.column.history": ("history (JSON)", "处理记录(JSON)"),
    "export.sheet": ("ledger", "台账"),
    "export.needs_output": ("--format xlsx writes a workbook: name the file with --output FILE.xlsx",
                            "--format xlsx 生成 Excel 工作簿:请用 --output 文件.xlsx 指定文件"),
    "export.written": ("wrote {count} complaints to {path}", "已将 {count} 件投诉写入 {path}"),
    "export.redacted": ("names, phone numbers and e-mail addresses are replaced by pseudonyms (key: {path}); "
                        "free text may still name people: read it before the file leaves the office",
                        "姓名、电话和电子邮箱已替换为化名(密钥:{path});自由文本中仍可能出现人名,文件外发前请核对"),
    "export.cell_too_long": ("{id}: its {field} is {length} characters, more than an Excel cell holds "
                             "(32,767); export this store as csv or json",
                             "{id}:{field} 有 {length} 个字符,超过 Excel 单元格上限(32,767);"
                             "请导出为 csv 或 json"),
    "import.unsupported": ("{path}: import reads .csv and .xlsx files",
                           "{path}:只能导入 .csv 和 .xlsx 文件"),
    "import.unreadable": ("{path}: cannot read it as a workbook: {problem}",
                          "{path}:无法读取该工作簿:{problem}"),
    "import.no_header": ("{path}: no header row", "{path}:没有表头行"),
    "import.bad_map": ("--map {value!r}: expected COLUMN=FIELD (or COLUMN= to leave the column out)",
                       "--map {value!r}:应为 列名=字段(或 列名= 表示忽略该列)"),
    "import.map_unknown_field": ("--map {value!r}: unknown field {field}; fields: {fields}",
                                 "--map {value!r}:未知字段 {field};可用字段:{fields}"),
    "import.map_unknown_column": ("--map {value!r}: {path} has no column {column}",
                                  "--map {value!r}:{path} 中没有列 {column}"),
    "import.duplicate_column": ("{path}: the columns {first} and {second} are both {field}",
                                "{path}:列 {first} 与 {second} 都对应字段 {field}"),
    "import.unknown_columns": ("{path}: unknown columns: {columns}; name the field of each with --map "
                               "COLUMN=FIELD, or leave it out with --map COLUMN= (fields: {fields})",
                               "{path}:无法识别的列:{columns};请用 --map 列名=字段 指定对应字段,"
                               "或用 --map 列名= 忽略该列(可用字段:{fields})"),
    "import.no_received": ("{path}: no column gives the time of receipt (received_at, 投诉时间); name it "
                           "with --map COLUMN=received_at",
                           "{path}:没有投诉时间列(received_at、投诉时间);请用 --map 列名=received_at 指定"),
    "import.policy_mismatch": ("policy: the row is a {row} complaint; this store's policy is {store}",
                               "处理制度:该行是 {row} 制度下的投诉,本台账的制度为 {store}"),
    "import.bad_history": ("history: not a JSON list of events starting with log: {problem}",
                           "处理记录:不是以 log 开头的 JSON 事件列表:{problem}"),
    "import.event": ("{field}: event {number} ({action} at {at}): {problem}",
                     "{field}:第 {number} 条事件({at} {action}):{problem}"),
    "import.duplicate_row": ("the same complaint as row {row} ({source})",
                             "与第 {row} 行是同一件投诉({source})"),
    "import.this_row": ("the row", "该行"),
    "import.note": ("imported from {file}, row {row}: {details}", "导入自 {file} 第 {row} 行:{details}"),
    "import.bad_rows": ("{count} bad row(s): nothing imported; fix them, or import the other rows with "
                        "--skip-bad",
                        "有 {count} 行有误,未导入任何投诉;请改正,或加 --skip-bad 导入其余各行"),
    "import.skipped_bad": ("skipped {count} bad row(s)", "已跳过 {count} 个有误的行"),
    "import.imported": ("imported {count} complaint(s) from {path}", "已从 {path} 导入 {count} 件投诉"),
    "import.would_import": ("would import {count} complaint(s) from {path} (dry run: nothing written)",
                            "将从 {path} 导入 {count} 件投诉(试运行,未写入)"),
    "import.row_imported": ("row {row}: {id}", "第 {row} 行:{id}"),
    "import.already": ("skipped {count} row(s) imported before", "已跳过 {count} 个此前导入过的行"),
    "import.changed": ("row {row}: imported before as {id}, and the row has changed since; the record is "
                       "left as it is (correct it with `complaintctl act {id} edit FIELD=VALUE` or a note)",
                       "第 {row} 行:此前已导入为 {id},且该行之后有改动;记录保持不变(如需更正,请用 "
                       "`complaintctl act {id} edit 字段=值` 或添加备注)"),
}


def set_language(language: str | None) -> str:
    """Use `language`, else the locale; returns the language chosen."""
    global _language
    _language = language if language in LANGUAGES else _from_locale()
    return _language


def current_language() -> str:
    return _language


def _from_locale() -> str:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith("zh") else "en"


def t(key: str, **fields: object) -> str:
    english, chinese = CATALOGUE[key]
    return (chinese if _language == "zh" else english).format(**fields)


def pick(label: object, language: str | None = None) -> str:
    """The text of a bilingual label (`{en: .., zh: ..}` or an object with en/zh) in the language."""
    language = language or _language
    if isinstance(label, dict):
        return str(label.get(language) or label.get("en") or label.get("zh") or "")
    value = getattr(label, language, None) or getattr(label, "en", None) or getattr(label, "zh", "")
    return str(value or "")
