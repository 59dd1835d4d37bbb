"""The catalogue of every user-facing text: key → (English, Simplified Chinese), those kept apart by
topic included (`catalogue_checks`, `catalogue_git`, `catalogue_report`, `catalogue_intake`,
`catalogue_office`). Data
only; `messages.t` formats an entry in the current language."""

from __future__ import annotations

from complaintctl.base.catalogue_checks import CHECKS
from complaintctl.base.catalogue_git import GIT_TEXTS
from complaintctl.base.catalogue_habits import HABITS_TEXTS
from complaintctl.base.catalogue_intake import INTAKE_TEXTS
from complaintctl.base.catalogue_office import OFFICE_TEXTS
from complaintctl.base.catalogue_report import REPORT_TEXTS

CATALOGUE: dict[str, tuple[str, str]] = {
    **CHECKS,
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
    "time.unfilable": ("{field} {value}: complaintctl files complaints received from {first} to {last} "
                       "(an id carries the year in two digits); check the year",
                       "{field} {value}:只能登记 {first} 年至 {last} 年受理的投诉(投诉编号中的年份只有两位);"
                       "请检查年份"),
    "time.before_received": ("{field} {value} is before the complaint was received ({received})",
                             "{field} {value} 早于投诉受理时间({received})"),
    "time.before_last_person": ("{field} {value} is before the last event a person recorded ({last}); an "
                                "action done earlier may be entered after the sweep's escalations, never "
                                "before a person's own record",
                                "{field} {value} 早于该投诉最后一条人工记录的时间({last});"
                                "补录的操作可以早于系统自动升级记录,但不能早于人工记录"),
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
    "intake.reserved": ("{source}: {field} is set by complaintctl, not by the document; leave it out",
                        "{source}:{field} 由 complaintctl 设定,不能由文件提供;请删去"),
    "intake.not_scalar": ("{source}: {field} must be a single value (text, a number, yes/no), not a "
                          "list or a mapping",
                          "{source}:{field} 须为单个值(文字、数字、是/否),不能是列表或映射"),
    "intake.unreadable": ("{source}: cannot read it: {problem}", "{source}:无法读取:{problem}"),
    "index.refreshed": ("index: {records} complaint(s); {derived} derived, {removed} removed "
                        "in {seconds} s{rebuilt}",
                        "索引：{records} 件投诉；重新推导 {derived} 件，删除 {removed} 件，"
                        "用时 {seconds} 秒{rebuilt}"),
    "index.rebuilt": (" (rebuilt)", "（已重建）"),
    "index.broken": ("{count} record(s) do not load; run `complaintctl check`",
                     "{count} 个记录无法读取；请运行 `complaintctl check`"),

    "record.not_utf8": ("{path}:{line}: not UTF-8 text (byte {offset}); save the file as UTF-8",
                        "{path}:{line}:不是 UTF-8 文本(第 {offset} 字节);请以 UTF-8 编码保存该文件"),
    "record.unreadable": ("cannot be read: {problem}", "无法读取:{problem}"),
    "records.left_out": ("{count} record(s) left out: they do not load (see above; `complaintctl check`)",
                         "有 {count} 份记录无法读取,已略过(见上;可运行 `complaintctl check`)"),
    "record.broken": ("{path}: {problem}; run `complaintctl check`",
                      "{path}:{problem};请运行 `complaintctl check`"),
    "attach.missing": ("no such file: {path}", "文件不存在:{path}"),
    "attach.symlink": ("{path} is a symbolic link: attach the file itself (links are not followed)",
                       "{path} 是符号链接:请附加文件本身(不跟随链接)"),
    "attach.not_regular": ("{path} is not a regular file (a directory or a device): attach files",
                           "{path} 不是普通文件(是目录或设备):请附加文件"),
    "attach.outside": ("{path} leads outside the store (to {target}): nothing is written there; make it "
                       "a plain folder",
                       "{path} 指向台账之外({target}):不会在那里写入;请改为普通目录"),
    # the environment (exit 74): disk full, read-only, permissions
    "env.no_space": ("{path}: no space left on the device; free some space and run the command again "
                     "(nothing was written half)",
                     "{path}:磁盘空间已满;请腾出空间后重新运行(没有写入不完整的内容)"),
    "env.read_only": ("{path}: the file system is read-only; commands that only read (list, show, "
                      "report, check, export, sweep --dry-run) work here, the others need a writable "
                      "copy of the store",
                      "{path}:文件系统为只读;只读的命令(list、show、report、check、export、"
                      "sweep --dry-run)可以使用,其他命令需要可写的台账副本"),
    "env.permission": ("{path}: permission denied; ask whoever owns the store for access, or work in a "
                       "copy of your own",
                       "{path}:没有权限;请向台账的所有者申请权限,或在自己的副本中操作"),
    "env.not_permitted": ("{path}: the operation is not permitted (an immutable or append-only file? "
                          "`lsattr` shows it)",
                          "{path}:不允许该操作(文件被设为不可修改或只可追加?可用 `lsattr` 查看)"),
    "env.io": ("{path}: input/output error (a failing disk or a lost network share)",
               "{path}:输入/输出错误(磁盘故障或网络共享断开)"),
    "env.cannot_open": ("{path}: cannot be opened: its folder is missing or cannot be written",
                        "{path}:无法打开:其所在目录不存在或不可写"),
    "env.unnamed": ("a file of the store", "台账中的文件"),
    # check
    "check.clean": ("{count} records checked, no problems", "已检查 {count} 份记录,未发现问题"),
    "check.found": ("{problems} problems in {count} records", "{count} 份记录中发现 {problems} 个问题"),
    "check.temporary_removed": ("removed: the temporary file of a write that was interrupted (the "
                                "record kept its last complete version)",
                                "已删除:被中断的写入留下的临时文件(记录保持其上一个完整版本)"),
    "check.temporary_recent": ("the temporary file of a write in progress, or interrupted less than "
                               "{seconds:g} s ago; a later check removes it if it stays",
                               "正在进行(或 {seconds:g} 秒内被中断)的写入的临时文件;"
                               "若一直留着,以后的检查会删除它"),
    "check.temporary_left": ("the temporary file of an interrupted write, which could not be removed "
                             "({problem}); delete it",
                             "被中断的写入留下的临时文件,无法删除({problem});请手工删除"),
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
    # `log`'s option of each intake field (records/intake.py)
    "log.option.channel": ("How it came in (see `policy show`).", "投诉渠道(见 `policy show`)。"),
    "log.option.complainant.name": ("The complainant's name.", "投诉人姓名。"),
    "log.option.complainant.phone": ("The complainant's phone.", "投诉人电话。"),
    "log.option.complainant.email": ("The complainant's e-mail.", "投诉人电子邮箱。"),
    "log.option.complainant.contact": ("Other contact (WeChat, address).", "其他联系方式(微信、地址)。"),
    "log.option.subject": ("One line saying what it is about.", "一句话说明投诉事由。"),
    "log.option.description": ("What happened, in full.", "投诉内容:事情经过。"),
    "log.option.category": ("The policy's category code.", "投诉类型(政策中的代码)。"),
    "log.option.severity": ("normal, major, urgent (or the policy's).",
                            "投诉等级:一般、重要、紧急(或政策所定)。"),
    "log.option.risk": ("low, medium, high, where the policy asks.", "风险等级:低、中、高(政策要求时)。"),
    "log.option.demands": ("What the complainant asks for.", "投诉人的诉求。"),
    "log.option.reference": ("Order or reference number.", "订单号或参考编号。"),
    "log.option.location": ("Station, venue, site.", "投诉地点:车站、场地、现场。"),
    "log.option.service.item": ("The service or product involved.", "涉及的服务项目或产品。"),
    "log.option.service.staff": ("The staff involved.", "涉及的服务人员。"),
    "log.option.service.time": ("When the service took place.", "服务时间。"),
    "log.option.amount": ("The amount involved.", "涉及金额。"),
    "action.done": ("{id}: {action} recorded; now {state}", "{id}:已记录 {action};当前状态 {state}"),
    "attach.done": ("{id}: attached {count} file(s)", "{id}:已附加 {count} 个文件"),
    "note.done": ("{id}: note added", "{id}:已添加备注"),
    "bug": ("complaintctl hit a bug: {error}. Run again with --debug for the traceback and report it.",
            "complaintctl 出现程序错误:{error}。请加 --debug 重新运行以查看详细信息并报告。"),
    "interrupted": ("interrupted", "已中断"),
    # labels used in tables
    "label.handle": ("handle", "短号"),
    "label.limit": ("limit", "时限要求"),
    "simulate.starts_with": ("starts at: {actions}", "开始于:{actions}"),
    "label.id": ("id", "编号"), "label.status": ("status", "状态"), "label.owner": ("owner", "责任人"),
    "label.department": ("department", "责任部门"), "label.coordinator": ("coordinator", "协调人"),
    "label.subject": ("subject", "主题"), "label.category": ("category", "类型"),
    "label.channel": ("channel", "渠道"), "label.severity": ("severity", "紧急程度"),
    "label.received": ("received", "受理时间"), "label.deadline": ("next deadline", "最近期限"),
    "label.due": ("due", "期限"), "label.clock": ("clock", "时限"), "label.state": ("state", "状态"),
    "label.left": ("time left", "剩余"), "label.late": ("late by", "已超时"),
    "label.overdue": ("overdue", "超期"), "label.yes": ("yes", "是"),
    "label.history": ("history", "处理记录"), "label.possible": ("possible now", "当前可执行"),
    "label.blocked": ("not now", "暂不可执行"), "label.withdrawn": ("withdrawn", "已撤销"),
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
    "explain.not_applying": ("does not apply to this complaint: it applies only when {conditions}",
                             "不适用于该投诉:仅当 {conditions} 时适用"),
    "explain.condition_now": ("{condition} (now: {value})", "{condition}(当前:{value})"),
    "explain.not_started_final": ("not started: the complaint was closed before it applied",
                                  "未开始:该投诉在适用前已结案"),
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
}
# kept apart by topic, so that no module of the catalogue grows past the size every module keeps to
for _texts in (GIT_TEXTS, REPORT_TEXTS, INTAKE_TEXTS, OFFICE_TEXTS, HABITS_TEXTS):
    CATALOGUE.update(_texts)
