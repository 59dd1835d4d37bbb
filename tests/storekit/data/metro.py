"""Metro (policy `metro`, office MT): complaints about stations, trains and staff of a city metro."""

from __future__ import annotations

import random
from typing import Any

from storekit.data import PolicyData

PEOPLE = (
    ("王五", ("centre",), "wangwu"),
    ("赵敏", ("centre",), "zhaomin"),
    ("钱磊", ("centre",), "qianlei"),
    ("周静", ("manager", "centre"), "zhoujing"),
    ("李四", ("department",), "lisi"),
    ("陈晨", ("department",), "chenchen"),
    ("刘洋", ("department",), "liuyang"),
    ("孙磊", ("department",), "sunlei"),
    ("何芳", ("department",), "hefang"),
    ("郑雪", ("department",), "zhengxue"),
)
DEPARTMENTS = {  # department → its complaint posts
    "车站运营部": ("李四", "郑雪"),
    "设备维修部": ("陈晨",),
    "客运服务部": ("刘洋",),
    "安全保卫部": ("孙磊",),
    "票务管理部": ("何芳",),
}
STATIONS = (
    "人民广场站", "徐家汇站", "静安寺站", "陕西南路站", "南京东路站", "南京西路站", "世纪大道站", "莘庄站",
    "虹桥火车站站", "龙阳路站", "中山公园站", "上海火车站站", "陆家嘴站", "漕河泾开发区站", "五角场站",
    "浦东国际机场站", "上海体育馆站", "宜山路站", "曹杨路站", "淮海中路站", "新天地站", "豫园站",
    "老西门站", "东方体育中心站", "七宝站", "江湾体育场站", "上海南站站", "张江高科站", "金科路站", "川沙站",
)
STAFF = ("站务员小王", "值班站长老张", "安检员小李", "客服中心售票员", "保洁员", "列车司机")

TOPICS = {
    "service_quality": ("车站运营部", (
        ("闸机重复扣费", "在{station}出站时刷卡被扣两次费，每次{fare}元。", "退还多扣的{fare}元"),
        ("站务员服务态度差", "在{station}询问换乘路线时，站务员态度冷淡、不耐烦。", "当事人道歉"),
        ("出站补票多收费", "在{station}客服中心补票，被按最高票价收费，实际应补{fare}元。", "退还多收的费用"),
        ("换乘指引标识不清", "{station}换乘{line}的指引标识不清楚，走错了两次。", "更正指引标识"),
        ("失物招领处理不当", "在{line}列车上遗失背包，到{station}查询时工作人员推诿。", "协助查找遗失物品"),
    )),
    "facilities": ("设备维修部", (
        ("无障碍电梯停用", "{station}的无障碍电梯停用多日，没有维修公告，轮椅乘客无法进出站。",
         "尽快修复并公告维修期限"),
        ("自动扶梯突然停止", "{station}上行扶梯运行中突然停止，乘客前冲，险些摔倒。",
         "查明原因，保证扶梯安全"),
        ("自动售票机吞币", "在{station}自动售票机投币{fare}元，未出票也未退币。", "退还{fare}元"),
        ("屏蔽门反复开关", "{station}{line}站台屏蔽门反复开关，列车延误约5分钟。", "加强设备维护"),
        ("列车空调温度过低", "乘坐{line}列车，车厢空调温度过低，多名乘客感到寒冷。", "调整空调温度"),
    )),
    "safety": ("安全保卫部", (
        ("安检员未对大件行李过机", "{station}安检点对携带大件行李的乘客未要求过机即放行。",
         "严格执行安检规定"),
        ("安检人员翻包粗暴", "在{station}安检时，安检人员翻包动作粗暴，弄坏了物品。", "赔偿并道歉"),
        ("站台乘客拥挤无人疏导", "早高峰{station}{line}站台严重拥挤，没有工作人员疏导。",
         "高峰时段增派疏导人员"),
    )),
    "environment": ("客运服务部", (
        ("车厢内呕吐物未清理", "乘坐{line}列车，车厢内有呕吐物，连续几站无人清理。", "加强列车保洁"),
        ("站厅地面湿滑无警示", "{station}站厅地面刚拖过很湿，没有放置警示牌，差点滑倒。", "设置警示标志"),
        ("卫生间脏乱", "{station}卫生间地面积水、异味严重，洗手液长期缺失。", "改善卫生间环境"),
    )),
    "other": ("票务管理部", (
        ("乘车优惠政策执行不一", "在{station}出示老年卡，工作人员称不能享受优惠，与规定不符。",
         "统一执行优惠政策"),
        ("官网运营时刻信息错误", "官网公布的{line}末班车时间与实际不符，导致错过末班车。", "更正运营信息"),
    )),
}

FIXES = ("退还相关费用并致歉", "更换故障部件并全面排查同类设备", "加强人员培训并调整排班",
         "增设警示标志并调整作业时间", "增派人员并完善应急预案")
OPINIONS = tuple(template.format(fix=fix) for fix in FIXES for template in (
    "经调查核实，情况基本属实，拟{fix}。", "已调取监控核实，拟{fix}，并对相关人员进行教育。",
    "初步查明原因，拟{fix}，一周内完成。"))

TEXTS = {
    "propose.opinion": OPINIONS,
    "propose.at_fault_department": ("{department}",),
    "propose.at_fault_person": ("{station}{staff}",),
    "reject.reason": ("处理意见未说明整改措施，请补充。", "责任未查清，请重新调查。",
                      "仅口头提醒不足以整改。", "未调取监控核实，请补充调查。"),
    "finish.measures": ("已完成整改并复查。", "已更换故障设备，检测合格。", "已对当班人员培训考核。",
                        "已退还费用并向乘客致歉。"),
    "report_result.result": ("处理完毕，整改措施已落实。", "已退款并向投诉人致歉。", "设备已恢复正常运行。",
                             "已对相关人员批评教育，并在全线通报。"),
    "report_result.at_fault_department": ("{department}",),
    "report_result.at_fault_person": ("{station}{staff}",),
    "report_result.accountability": ("对当事人进行批评教育并扣减当月绩效。", "责任班组通报批评。",
                                     "责任人书面检查，纳入年度考核。"),
    "respond.answer": ("已告知处理结果并致歉。", "已答复处理结果及整改措施。", "已告知整改情况，感谢监督。",
                       "已告知退款办理方式。"),
    "respond.method": ("电话", "信函", "微信", "短信"),
    "visit.notes": ("投诉人表示满意。", "投诉人认可处理结果。", "投诉人称问题已解决。"),
    "visit.notes@unsatisfied": ("投诉人称退款未到账。", "投诉人认为问题仍未解决。",
                                "投诉人对整改期限不认可。"),
    "close.summary": ("已整改，投诉人满意，结案。", "处理完毕，回访满意。"),
    "reopen.reason": ("投诉人对处理结果不满意，重新调查处理。", "回访时投诉人称问题仍存在，重新转派。"),
    "comment": ("同意，请尽快落实。", "同意，注意跟进乘客反馈。", "同意该处理意见。"),
}
NOTES = ("已电话联系投诉人了解详细情况。", "已调取车站监控。", "投诉人补充了照片。", "已催办责任部门。",
         "投诉人来电询问处理进度。")


def context(rng: random.Random) -> dict[str, Any]:
    fare = rng.choice((3, 4, 5, 6, 7, 10))
    return {"station": rng.choice(STATIONS), "line": f"{rng.randint(1, 18)}号线", "fare": fare,
            "staff": rng.choice(STAFF), "amount": fare}


def intake(rng: random.Random, ctx: dict[str, Any], category: str, channel: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"location": ctx["station"]}
    if category in ("service_quality", "facilities") and rng.random() < 0.3:
        fields["amount"] = ctx["fare"]
    return fields


DATA = PolicyData(
    policy="metro", office="MT", tags=("K7QF", "R2D8", "BN01"),
    people=PEOPLE, departments=DEPARTMENTS, topics=TOPICS,
    category_weights={"service_quality": 40, "facilities": 30, "safety": 10, "environment": 15, "other": 5},
    channel_weights={"phone": 45, "online": 35, "in_person": 12, "letter": 6, "fax": 2},
    severity_weights={"normal": 90, "major": 8, "urgent": 2},
    context=context, intake=intake, loggers={"*": ("centre",)}, texts=TEXTS, notes=NOTES,
    choices={
        "propose.cause@service_quality": {"staff_attitude": 7, "management": 2, "other": 1},
        "propose.cause@facilities": {"equipment_failure": 8, "management": 1, "other": 1},
        "propose.cause@safety": {"management": 7, "staff_attitude": 2, "other": 1},
        "propose.cause@environment": {"management": 8, "other": 2},
        "propose.cause@other": {"management": 5, "other": 5},
        "visit.satisfaction": {"very_satisfied": 3, "satisfied": 6, "unsatisfied": 1},
    },
    person_roles={"assign.to": ("department",), "coordinator": ("centre",)},
    optional_share={"coordinator": 0.05, "at_fault_department": 0.3, "at_fault_person": 0.2,
                    "accountability": 0.3, "method": 0.8, "notes": 0.7, "summary": 0.8, "measures": 0.9},
    action_weights={"reject": 1.5, "reopen": 1.5},
    office_channels=("letter", "fax"),
)
