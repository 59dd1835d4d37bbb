"""The catalogue's texts of the command-line habits (issue 20): `act ID` alone, the interactive `log`,
`edit ID` in $EDITOR and shell completion, in English and Simplified Chinese. Data only;
`catalogue.CATALOGUE` includes them."""

from __future__ import annotations

HABITS_TEXTS: dict[str, tuple[str, str]] = {
    # act ID, with no action: what is possible now
    "steps.header": ("{id}: {state}; possible now:", "{id}:当前状态 {state};现在可以:"),
    "steps.none": ("{id}: {state}; no step of the policy is possible now",
                   "{id}:当前状态 {state};现在没有可执行的步骤"),
    "steps.condition": ("condition: {condition}", "条件:{condition}"),
    "steps.no_fields": ("no fields", "无需填写字段"),
    "steps.required": ("required", "必填"),
    "steps.optional": ("optional", "选填"),
    "steps.choices": ("one of: {choices}", "可选:{choices}"),
    "steps.how": ("take one with: complaintctl act {id} STEP FIELD=VALUE ...",
                  "执行方法:complaintctl act {id} 步骤 字段=值 ..."),
    "field.kind.text": ("text", "文本"),
    "field.kind.number": ("number", "数字"),
    "field.kind.money": ("amount", "金额"),
    "field.kind.person": ("person", "人员"),
    "field.kind.datetime": ("date and time", "日期时间"),
    "field.kind.bool": ("yes/no", "是/否"),
    "field.kind.choice": ("choice", "选项"),
    "field.kind.files": ("files", "文件"),
    # the interactive log
    "ask.intro": ("New complaint ({policy}). Ctrl-C stops; what you typed is kept.",
                  "登记新投诉({policy})。按 Ctrl-C 可中止,已输入的内容会保留。"),
    "ask.choices": ("{label} (type the number, the code or the label):", "{label}(输入编号、代码或名称):"),
    "ask.again": ("{problem}; please type it again", "{problem};请重新输入"),
    "ask.required": ("{label} is required", "{label} 为必填项"),
    "ask.optional_hint": (" (optional, Enter to skip)", "(选填,直接回车跳过)"),
    "ask.bad_phone": ("{value!r} is not a phone number (digits, spaces, + - ( ) only, 5 to 20 digits)",
                      "{value!r} 不是电话号码(只能有数字、空格和 + - ( ),5 到 20 位数字)"),
    "ask.bad_email": ("{value!r} is not an e-mail address", "{value!r} 不是电子邮件地址"),
    "ask.bad_time": ("{value!r} is not a time: {problem}", "{value!r} 不是有效时间:{problem}"),
    "ask.saved": ("what you typed is saved in {path}; resume with: complaintctl log --from {path}",
                  "已输入的内容已保存到 {path};继续登记:complaintctl log --from {path}"),
    "ask.not_saved": ("what you typed could not be saved ({problem})", "已输入的内容无法保存({problem})"),
    "ask.received": ("Received (empty: now; e.g. 'today 09:14')",
                     "收到时间(留空为现在;例如 09:14 或 2026-11-20 16:00)"),
    # edit ID in $EDITOR
    "edit.form_head": ("# {id}: correct the fields below and save; an empty value clears nothing.\n"
                       "# Lines starting with # are ignored. Leave the file unchanged to record nothing.",
                       "# {id}:修改下列字段后保存;留空不会清除原值。\n"
                       "# 以 # 开头的行会被忽略。不作修改直接退出则不记录任何内容。"),
    "edit.error_head": ("# ERROR: {problem}\n# Correct it and save again, or empty the file to give up.",
                        "# 错误:{problem}\n# 请改正后再次保存;清空文件则放弃修改。"),
    "edit.unchanged": ("{id}: nothing changed; nothing recorded", "{id}:没有改动,未记录"),
    "edit.given_up": ("{id}: edit given up; nothing recorded", "{id}:已放弃修改,未记录"),
    "edit.no_editor": ("no editor: set EDITOR (or VISUAL), e.g. EDITOR=nano",
                       "没有可用的编辑器:请设置 EDITOR(或 VISUAL),例如 EDITOR=nano"),
    "edit.editor_failed": ("the editor {editor!r} failed: {problem}", "编辑器 {editor!r} 运行失败:{problem}"),
    "edit.bad_line": ("line {line}: {text!r} is not 'field: value'",
                      "第 {line} 行:{text!r} 不是“字段: 值”的格式"),
    "edit.unknown_field": ("line {line}: {field!r} is not a field of the form",
                           "第 {line} 行:表单中没有字段 {field!r}"),
    "edit.done": ("{id}: edit recorded ({fields})", "{id}:已记录修改({fields})"),
    # completion
    "completion.shell_unknown": ("shell {shell!r} has no completion here; use one of: {shells}",
                                 "不支持为 {shell!r} 提供补全;可用:{shells}"),
    "completion.installed": ("{shell} completion installed in {path}; it takes effect in a new shell",
                             "已为 {shell} 安装补全:{path};新开终端后生效"),
    "completion.rc_line": ("added to {path}: {line}", "已在 {path} 中加入:{line}"),
}
