"""The texts of e-mail intake and calendars (`mailintake`, `calendars` and their commands): key →
(English, Simplified Chinese). Data only; `catalogue` takes them into the one CATALOGUE."""

from __future__ import annotations

INTAKE_TEXTS: dict[str, tuple[str, str]] = {
    # reading a message
    "mail.empty": ("the message is empty", "邮件内容为空"),
    "mail.no_headers": ("not an e-mail message (no headers)", "不是电子邮件(没有邮件头)"),
    "mail.no_sender": ("the message names no sender address (From)", "邮件没有发件人地址(From)"),
    "mail.nothing": ("the message has no subject, no text and no attachment", "邮件没有主题、正文和附件"),
    "mail.unreadable": ("cannot read the message {source}: {problem}", "无法读取邮件 {source}:{problem}"),
    "mail.no_channel": ("policy {policy} has no e-mail or online channel (its channels: {channels}); "
                        "name one with --channel",
                        "政策 {policy} 没有邮件或在线渠道(其渠道:{channels});请用 --channel 指定"),
    "mail.not_maildir": ("{path} is not a Maildir (no new/ and cur/ folders)",
                         "{path} 不是 Maildir 邮箱目录(没有 new/ 和 cur/ 子目录)"),
    "mail.left": ("left in new/ for the next run: {problem}", "留在 new/ 中,下次运行时再处理:{problem}"),
    "mail.no_date": ("(no date)", "(无日期)"),
    # a reply, as a note
    "mail.reply_head": ("Reply by e-mail from {sender}, sent {date}.", "邮件回复:{sender},发送于 {date}。"),
    "mail.reply_subject": ("Subject: {subject}", "主题:{subject}"),
    "mail.reply_attachments": ("Attachments (kept as evidence): {names}", "附件(已存为证据):{names}"),
    "mail.reply_source": ("Message: {source}", "邮件编号:{source}"),
    # what was done
    "mail.logged": ("{name}: logged {id} from {sender}: {subject}",
                    "{name}:已登记 {id},来自 {sender}:{subject}"),
    "mail.to_complete": ("  to complete: {fields} (`complaintctl act {id} edit FIELD=VALUE`)",
                         "  待补充:{fields}(`complaintctl act {id} edit 字段=值`)"),
    "mail.noted": ("{name}: reply from {sender} noted on {id}", "{name}:{sender} 的回复已记入 {id}"),
    "mail.duplicate": ("{name}: taken in before, into {id}", "{name}:此前已收录于 {id}"),
    "mail.completed": ("{name}: its evidence attached to {id} (an earlier run stopped before)",
                       "{name}:已为 {id} 补存证据(上次运行中途停止)"),
    "mail.rejected": ("{name}: set aside in {folder}: {reason}", "{name}:已移至 {folder}:{reason}"),
    "mail.failed": ("{name}: {reason}", "{name}:{reason}"),
    "mail.one_noted": ("reply noted on {id}", "回复已记入 {id}"),
    "mail.one_duplicate": ("this message was taken in before, into {id}", "此邮件此前已收录于 {id}"),
    "mail.one_completed": ("this message was taken into {id} before; its evidence is attached now",
                           "此邮件此前已收录于 {id};现已补存证据"),
    "intake.to_complete": ("{id}: {field} is still to complete (the intake could not give it): "
                           "`complaintctl act {id} edit {field}=VALUE`",
                           "{id}:{field} 尚待补充(受理时无法获得):`complaintctl act {id} edit {field}=值`"),
    "label.to_complete": ("to complete", "待补充"),
    "export.column.missing": ("to complete", "待补充"),
    "export.column.archived_at": ("personal data removed", "个人信息脱敏时间"),
    # calendars
    "calendar.name": ("Complaint deadlines ({office})", "投诉处理期限({office})"),
    "calendar.name_person": ("Complaint deadlines of {person} ({office})",
                             "{person} 的投诉处理期限({office})"),
    "calendar.summary": ("{id} {clock}: {subject}", "{id} {clock}:{subject}"),
    "calendar.complaint": ("Complaint {id}: {subject}", "投诉 {id}:{subject}"),
    "calendar.clock": ("Deadline: {clock} ({state})", "时限:{clock}({state})"),
    "calendar.due": ("Due: {due}", "截止:{due}"),
    "calendar.status": ("Status: {status}", "状态:{status}"),
    "calendar.owner": ("Owner: {owner}", "责任人:{owner}"),
    "calendar.nobody": ("not assigned yet", "尚未分配"),
    "calendar.show": ("Details: complaintctl show {id}", "详情:complaintctl show {id}"),
    "calendar.one_target": ("--output and --vdir: give one of them", "--output 与 --vdir 只能指定其一"),
    "calendar.wrote": ("wrote {count} deadline(s) to {path}", "已将 {count} 个期限写入 {path}"),
    "calendar.vdir": ("{path}: {count} open deadline(s), {written} written, {removed} removed",
                      "{path}:{count} 个未到期限,写入 {written} 个,删除 {removed} 个"),
}
