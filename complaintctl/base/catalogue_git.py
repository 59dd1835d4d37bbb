"""The catalogue's texts of working through git (commits, the merge driver, resolve, undo, the pre-commit
hook), in English and Simplified Chinese. Data only; `catalogue.CATALOGUE` includes them."""

from __future__ import annotations

GIT_TEXTS: dict[str, tuple[str, str]] = {
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
}
