#!/usr/bin/env bash
# Rebuild the example store examples/metro from nothing, with the complaintctl CLI only.
#
#     bash examples/make_metro.sh            # uses `complaintctl` on PATH
#     COMPLAINTCTL=/work/venv/bin/complaintctl bash examples/make_metro.sh
#
# The example's "now" is 2026-11-23T10:00:00+08:00 (a Monday). Each step below is typed with
# `--now` set to the moment it was done, so no event carries `recorded_at`, except where a step is
# written down later than it happened (`--at`), as a real office does. At the example's now:
#
#   id                 stage                                       overdue clock
#   MT-261123-EX26-1   just logged (this morning)                  -
#   MT-261120-EX26-1   dispatched                                  - (opinion due Wed 25)
#   MT-261119-EX26-1   letter logged, never dispatched             dispatch (due Fri 20 18:00)
#   MT-261118-EX26-1   opinion proposed, not reviewed              review (due Fri 20 18:00)
#   MT-261117-EX26-1   opinion rejected, then proposed again       - (review due Tue 24)
#   MT-261116-EX26-1   dispatched, no opinion yet                  initial_opinion (due Thu 19 18:00)
#   MT-261116-EX26-2   result reported to the centre               - (answer due Mon 23 18:00)
#   MT-261116-EX26-3   opinion approved, being handled             -
#   MT-261112-EX26-1   handling finished, result not reported      result_report (due Fri 20 18:00)
#   MT-261111-EX26-1   complainant answered                        -
#   MT-261109-EX26-1   follow-up visit made (typed in later)       -
#   MT-261103-EX26-1   reopened after an unsatisfied visit         - (new opinion due Wed 25)
#   MT-261102-EX26-1   closed                                      -
#   MT-260929-EX26-1   closed (handled across National Day)        -
#
#   complaintctl --store examples/metro --now 2026-11-23T10:00 list --overdue
#
# Ids are `MT-YYMMDD-<clone tag>-N`; the clone tag is normally drawn at random once per clone and
# kept in the untracked `.complaintctl/clone-tag`. This script pins it to EX26 so that a rebuild
# gives byte-identical files and `git diff examples/metro` shows only real changes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
store="$here/metro"
ctl=${COMPLAINTCTL:-complaintctl}
unset COMPLAINTCTL_NOW COMPLAINTCTL_STORE COMPLAINTCTL_USER

rm -rf "$store"
"$ctl" init "$store" --policy metro --office MT --language zh >/dev/null

# Who works here (roles from policies/metro.yaml: centre, department, manager). With a people list,
# only these names may act, and each only in the steps its roles allow.
cat >>"$store/complaintctl.yaml" <<'EOF'
people:
  # 客户投诉处理中心（设在客服部）
  - name: 王五
    roles: [centre]
    email: wangwu@example.com
  - name: 赵敏
    roles: [centre]
    email: zhaomin@example.com
  # 客服部经理，兼投诉处理中心主任
  - name: 周静
    roles: [manager, centre]
    email: zhoujing@example.com
  # 各部门投诉处理专岗
  - name: 李四
    roles: [department]
    email: lisi@example.com       # 车站运营部
  - name: 陈晨
    roles: [department]
    email: chenchen@example.com   # 设备维修部
  - name: 刘洋
    roles: [department]
    email: liuyang@example.com    # 客运服务部
  - name: 孙磊
    roles: [department]
    email: sunlei@example.com     # 安全保卫部
EOF

mkdir -p "$store/.complaintctl"
echo EX26 >"$store/.complaintctl/clone-tag"

# ct NOW ARGS...: run complaintctl on the store as if it were NOW (store time zone, Asia/Shanghai).
ct() {
    local now=$1
    shift
    "$ctl" --store "$store" --now "$now" "$@"
}

# new NOW ARGS...: log a complaint and print its id.
new() {
    ct "$@" --json | sed -n 's/^  "id": "\(.*\)",$/\1/p'
}

# -- closed before the holiday season, handled across National Day (10-01..10-07 off, 10-10 worked)
id=$(new 2026-09-29T15:12 log --by 赵敏 --channel phone --received 2026-09-29T15:05 \
    --subject 列车空调温度过低 --category facilities --location '1号线 莘庄站' \
    -d '9月29日早高峰乘坐1号线（莘庄往富锦路方向），车厢内空调温度过低，多名乘客感到寒冷，向车站反映后无人处理。' \
    --name 吴女士 --phone 13900001111 --demands 调整列车空调温度设置 \
    --service-time '2026-09-29 08:10')
ct 2026-09-30T09:40 assign "$id" --to 陈晨 --department 设备维修部 --by 赵敏 >/dev/null
ct 2026-10-09T16:20 act "$id" propose --by 陈晨 cause=management \
    opinion='经查1号线部分列车空调未按秋季模式设定；拟统一调整为秋季模式，并加强对乘务员的提示。' >/dev/null
ct 2026-10-10T10:05 act "$id" approve --by 周静 comment=同意，请一周内完成调整。 >/dev/null
ct 2026-10-14T17:30 act "$id" finish --by 陈晨 measures=已将1号线全部列车空调切换为秋季模式（26℃）。 >/dev/null
ct 2026-10-15T10:00 act "$id" report_result --by 陈晨 result=空调设定已全部调整，抽查12列车温度正常。 >/dev/null
ct 2026-10-16T11:15 act "$id" respond --by 赵敏 method=电话 \
    answer=已电话告知吴女士空调温度已调整，并对给您带来的不便致歉。 >/dev/null
ct 2026-10-20T15:00 act "$id" visit --by 赵敏 satisfaction=satisfied notes=吴女士表示近几日乘车温度适宜。 >/dev/null
ct 2026-10-20T15:10 close "$id" --by 赵敏 summary=已调整空调模式，投诉人满意。 >/dev/null

# -- closed: wet floor without warning signs
id=$(new 2026-11-02T08:47 log --by 王五 --channel online --received 2026-11-02T08:41 \
    --subject 站厅地面湿滑无警示标志 --category environment --location 龙阳路站 \
    -d '11月2日早上龙阳路站站厅（2号口附近）地面刚拖过很湿，没有放置“小心地滑”警示牌，我差点滑倒。' \
    --name 黄先生 --email huang.x@example.com --demands 设置警示标志，改进保洁作业时间)
ct 2026-11-02T09:30 assign "$id" --to 刘洋 --department 客运服务部 --by 王五 >/dev/null
ct 2026-11-03T14:00 act "$id" propose --by 刘洋 cause=management at_fault_department=保洁外包单位 \
    opinion='保洁人员高峰时段湿拖地且未放警示牌；拟要求保洁单位调整作业时间并对当班人员考核。' >/dev/null
ct 2026-11-04T09:20 act "$id" approve --by 王五 >/dev/null
ct 2026-11-05T16:40 act "$id" finish --by 刘洋 measures=保洁作业改至早高峰后，每台保洁车配备警示牌两块。 >/dev/null
ct 2026-11-06T10:10 act "$id" report_result --by 刘洋 result=已整改，保洁单位当班人员按合同考核。 \
    at_fault_department=保洁外包单位 accountability=按保洁服务合同扣减当月服务分2分 >/dev/null
ct 2026-11-06T15:30 act "$id" respond --by 王五 method=电子邮件 answer=已回复整改措施并致歉。 >/dev/null
ct 2026-11-10T10:00 act "$id" visit --by 王五 satisfaction=very_satisfied notes=黄先生称已看到警示牌。 >/dev/null
ct 2026-11-10T10:05 close "$id" --by 王五 summary=整改到位，投诉人非常满意。 >/dev/null

# -- reopened: double-charged at the gate, the refund never arrived, visit unsatisfied
id=$(new 2026-11-03T19:02 log --by 赵敏 --channel phone --received 2026-11-03T18:55 \
    --subject 闸机重复扣费 --category service_quality --location 徐家汇站 \
    -d '11月3日18点左右在徐家汇站9号口出站，刷交通卡被扣两次费（各4元）。' \
    --name 钱先生 --phone 13700002222 --demands 退还多扣的4元 --amount 4)
ct 2026-11-04T09:15 assign "$id" --to 李四 --department 车站运营部 --by 赵敏 >/dev/null
ct 2026-11-05T11:00 act "$id" propose --by 李四 cause=equipment_failure \
    opinion=经查为9号口闸机读卡延迟导致重复扣费，拟退还4元并报修闸机。 >/dev/null
ct 2026-11-05T15:30 act "$id" approve --by 赵敏 >/dev/null
ct 2026-11-09T10:00 act "$id" finish --by 李四 measures=已提交退款申请，闸机读卡模块已更换。 >/dev/null
ct 2026-11-10T09:30 act "$id" report_result --by 李四 result=退款申请已提交，预计5个工作日到账。 >/dev/null
ct 2026-11-10T14:00 act "$id" respond --by 赵敏 method=电话 answer=已告知退款将于5个工作日内退回交通卡。 >/dev/null
ct 2026-11-20T10:30 act "$id" visit --by 赵敏 satisfaction=unsatisfied notes=钱先生称至今未收到退款。 >/dev/null
ct 2026-11-20T11:00 reopen "$id" --by 周静 reason=投诉人不满意：退款逾期未到账，需查明原因。 >/dev/null
ct 2026-11-20T11:20 assign "$id" --to 陈晨 --department 设备维修部 --coordinator 王五 --by 周静 >/dev/null
ct 2026-11-20T11:25 note "$id" 退款由AFC清分系统处理，请设备维修部与车站运营部共同核查。 --by 周静 >/dev/null

# -- answered
id=$(new 2026-11-11T13:26 log --by 王五 --channel online --received 2026-11-11T13:20 \
    --subject 换乘指引标识错误 --category service_quality --location 人民广场站 \
    -d '人民广场站1号线往8号线的换乘指引箭头指向了出站方向，很多乘客走错路。' \
    --name 郑女士 --contact '微信 zheng_2026' --demands 更正指引标识)
ct 2026-11-11T15:00 assign "$id" --to 李四 --department 车站运营部 --by 王五 >/dev/null
ct 2026-11-13T10:30 act "$id" propose --by 李四 cause=management \
    opinion=站内改造后临时导向牌未更新，拟更换为正式导向标识。 >/dev/null
ct 2026-11-13T16:00 act "$id" approve --by 王五 comment=同意。 >/dev/null
ct 2026-11-18T17:00 act "$id" finish --by 李四 measures=已更换换乘通道导向标识三处。 >/dev/null
ct 2026-11-19T10:00 act "$id" report_result --by 李四 result=换乘指引已更正。 >/dev/null
ct 2026-11-20T11:00 act "$id" respond --by 王五 method=微信 answer=已更正换乘标识，感谢您的反馈。 >/dev/null

# -- visited (satisfied, not yet closed); the visit was a phone call on Friday evening, typed on Monday
id=$(new 2026-11-09T09:05 log --by 赵敏 --channel phone --received 2026-11-09T08:58 \
    --subject 自动扶梯突然停止运行 --category facilities --severity major --location 徐家汇站 \
    -d '11月9日早上徐家汇站11号口上行扶梯运行中突然停止，乘客前冲，险些摔倒。' \
    --name 冯先生 --phone 13600003333 --demands 查明原因，保证扶梯安全 \
    --service-time '2026-11-09 08:40')
ct 2026-11-09T09:40 assign "$id" --to 陈晨 --department 设备维修部 --by 赵敏 >/dev/null
ct 2026-11-10T16:00 act "$id" propose --by 陈晨 cause=equipment_failure \
    opinion=梯级链安全开关误动作，拟全面检修并更换开关。 >/dev/null
ct 2026-11-11T09:00 act "$id" approve --by 周静 comment=涉及乘客安全，请优先处理。 >/dev/null
ct 2026-11-13T18:00 act "$id" finish --by 陈晨 measures=更换梯级链安全开关，特种设备检测合格。 >/dev/null
ct 2026-11-16T09:30 act "$id" report_result --by 陈晨 result=扶梯已恢复运行，检测报告已存档。 >/dev/null
ct 2026-11-17T10:00 act "$id" respond --by 赵敏 method=电话 answer=已告知冯先生检修结果并致歉。 >/dev/null
ct 2026-11-23T09:10 act "$id" visit --by 赵敏 --at 2026-11-20T17:30 satisfaction=satisfied \
    notes=冯先生表示近期乘坐扶梯正常。 >/dev/null

# -- handling finished, the result not reported yet (overdue)
id=$(new 2026-11-12T20:14 log --by 王五 --channel online --received 2026-11-12T20:09 \
    --subject 站台屏蔽门反复开关 --category facilities --location 世纪大道站 \
    -d '11月12日晚高峰世纪大道站2号线站台屏蔽门反复开关多次，列车延误约5分钟。' \
    --name 褚先生 --email chu@example.com)
ct 2026-11-13T09:10 assign "$id" --to 陈晨 --department 设备维修部 --by 王五 >/dev/null
ct 2026-11-16T14:00 act "$id" propose --by 陈晨 cause=equipment_failure \
    opinion=屏蔽门门机控制器故障，拟更换控制器并排查同批次设备。 >/dev/null
ct 2026-11-17T09:30 act "$id" approve --by 王五 >/dev/null
ct 2026-11-19T16:00 act "$id" finish --by 陈晨 measures=已更换控制器，同批次8台完成排查。 >/dev/null

# -- dispatched, no opinion yet (overdue): rude staff
id=$(new 2026-11-16T10:21 log --by 赵敏 --channel phone --received 2026-11-16T10:15 \
    --subject 站务员服务态度恶劣 --category service_quality --location 静安寺站 \
    -d '11月15日晚在静安寺站询问换乘路线，站务员不耐烦并大声呵斥。' \
    --name 秦女士 --phone 13200007777 --demands 当事人道歉 \
    --service-staff '站务员（工号0427）' --service-time '2026-11-15 21:30')
ct 2026-11-16T14:00 assign "$id" --to 李四 --department 车站运营部 --by 赵敏 >/dev/null
ct 2026-11-18T16:00 note "$id" 已调取监控，正在约谈当班站务员。 --by 李四 >/dev/null

# -- result reported to the centre; the answer is due today
id=$(new 2026-11-16T12:40 log --by 赵敏 --channel phone --received 2026-11-16T12:35 \
    --subject 出站补票多收费 --category service_quality --location 虹桥火车站站 \
    -d '交通卡余额不足出站补票，客服中心按最高票价收取10元，实际应补2元。' \
    --name 蒋女士 --phone 13500004444 --demands 退还多收的8元 --amount 8)
ct 2026-11-16T14:00 assign "$id" --to 李四 --department 车站运营部 --by 赵敏 >/dev/null
ct 2026-11-17T11:00 act "$id" propose --by 李四 cause=staff_attitude at_fault_person=客服中心当班站务员 \
    opinion=当班站务员未核实进站记录即按最高票价补票，拟退还8元并进行业务培训。 >/dev/null
ct 2026-11-17T15:00 act "$id" approve --by 赵敏 >/dev/null
ct 2026-11-19T11:00 act "$id" finish --by 李四 measures=已退还8元，当班人员参加补票业务培训。 >/dev/null
ct 2026-11-20T16:30 act "$id" report_result --by 李四 result=已退款并完成培训。 \
    at_fault_person=客服中心当班站务员 accountability=通报批评 >/dev/null

# -- approved, being handled: a lost phone
id=$(new 2026-11-16T17:45 log --by 赵敏 --at 2026-11-16T17:20 --channel in_person \
    --subject 遗失手机未找到 --category service_quality --location 莘庄站 \
    -d '乘客称将手机遗落在1号线列车座位上，到莘庄站失物招领处查询，被告知未找到且态度敷衍。' \
    --name 卫先生 --phone 13400005555 --demands 协助查找手机)
ct 2026-11-17T09:10 assign "$id" --to 李四 --department 车站运营部 --by 赵敏 >/dev/null
ct 2026-11-18T15:00 act "$id" propose --by 李四 cause=other \
    opinion=调阅列车及站台监控，联系终点站清客人员，并核查失物登记记录。 >/dev/null
ct 2026-11-19T09:30 act "$id" approve --by 王五 comment=请每日向投诉人通报查找进展。 >/dev/null

# -- opinion rejected, then proposed again (the new opinion awaits review)
id=$(new 2026-11-17T11:06 log --by 王五 --channel phone --received 2026-11-17T11:00 \
    --subject 安检员未对大件行李过机 --category safety --location 南京东路站 \
    -d '11月17日上午南京东路站2号口安检点，安检员对多名携带大件行李的乘客未要求过机即放行。' \
    --name 杨先生 --phone 13300006666 --demands 严格执行安检规定)
ct 2026-11-17T13:30 assign "$id" --to 孙磊 --department 安全保卫部 --by 王五 >/dev/null
ct 2026-11-19T15:00 act "$id" propose --by 孙磊 cause=management opinion=对当班安检员进行口头提醒。 >/dev/null
ct 2026-11-20T10:00 act "$id" reject --by 周静 \
    reason=仅口头提醒不足以整改，请说明安检点的整改措施和责任追究。 >/dev/null
ct 2026-11-23T09:30 act "$id" propose --by 孙磊 cause=management at_fault_department=安检外包单位 \
    opinion=安检点增派一名引导员，大件行李一律过机；对当班安检员按合同考核，全线安检点开展自查。 >/dev/null

# -- opinion proposed, not reviewed (overdue): dirty carriage
id=$(new 2026-11-18T08:57 log --by 王五 --channel online --received 2026-11-18T08:50 \
    --subject 车厢内呕吐物长时间未清理 --category environment --location '2号线 南京西路站' \
    -d '11月18日早8点乘坐2号线，车厢内有呕吐物，连续几站无人清理，气味难闻。' \
    --name 尤先生 --email you@example.com --demands 加强列车保洁)
ct 2026-11-18T09:40 assign "$id" --to 刘洋 --department 客运服务部 --by 王五 >/dev/null
ct 2026-11-19T16:30 act "$id" propose --by 刘洋 cause=management \
    opinion=高峰时段列车保洁响应不及时，拟在终点站增设应急保洁岗。 >/dev/null

# -- letter logged, never dispatched (overdue)
new 2026-11-19T10:20 log --by 赵敏 --channel letter --received 2026-11-19T09:30 \
    --subject 自动售票机吞币未出票 --category facilities --location 徐家汇站 \
    -d '来信反映：11月14日在徐家汇站B厅3号自动售票机投币10元，未出票也未退币。' \
    --name 许先生 --contact '上海市徐汇区某路1号' --demands 退还10元 --amount 10 >/dev/null

# -- dispatched (on time): broken lift
id=$(new 2026-11-20T14:12 log --by 王五 --channel online --received 2026-11-20T14:05 \
    --subject 无障碍电梯停用两周 --category facilities --severity major --location 陕西南路站 \
    -d '陕西南路站2号口无障碍电梯已停用两周，没有任何维修公告，轮椅乘客无法进出站。' \
    --name 何女士 --phone 13100008888 --demands 尽快修复并公告维修期限)
ct 2026-11-20T15:00 assign "$id" --to 陈晨 --department 设备维修部 --by 王五 >/dev/null

# -- just logged, this morning
new 2026-11-23T09:38 log --by 王五 --channel phone --received 2026-11-23T09:32 \
    --subject 闸机重复扣费 --category service_quality --location 人民广场站 \
    -d '今天早上在人民广场站出站时被扣两次费。' \
    --name 张三 --phone 13800138000 --demands 退还多扣的4元 --amount 4 >/dev/null

ct 2026-11-23T10:00 check
