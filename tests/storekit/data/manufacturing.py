"""Equipment maker (policy `manufacturing`, office MF): customers' complaints about products,
installation works and service, handled by the 7 steps or, for quality problems, by QA."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from storekit.data import PolicyData

PEOPLE = (
    ("陈丽", ("customer_service",), "chenli"),
    ("王芳", ("customer_service",), "wangfang"),
    ("刘强", ("sales",), "liuqiang"),
    ("赵鹏", ("sales",), "zhaopeng"),
    ("孙建国", ("qa",), "sunjianguo"),
    ("李雪", ("qa",), "lixue"),
    ("周明", ("qa_manager", "qa"), "zhouming"),
    ("吴海", ("deputy_gm",), "wuhai"),
    ("郑东", ("general_manager",), "zhengdong"),
    ("马超", ("production", "department"), "machao"),
    ("黄伟", ("department",), "huangwei"),
    ("林涛", ("department",), "lintao"),
    ("何静", ("finance",), "hejing"),
)
DEPARTMENTS = {
    "生产部": ("马超",),
    "工程部": ("黄伟",),
    "售后服务部": ("林涛",),
    "品管部": ("孙建国", "李雪"),
    "客户服务部": ("陈丽", "王芳"),
}
COMPANIES = ("宁波华锐机械有限公司", "苏州恒达精密制造有限公司", "东莞永兴塑胶制品厂",
             "佛山顺达五金有限公司", "无锡新光电子有限公司", "青岛海晟食品有限公司",
             "合肥博远汽车配件有限公司", "天津通和化工有限公司")
PRODUCTS = ("HX-200型螺杆空压机", "JD-75型冷干机", "LG-15型储气罐", "PM-30型变频空压机", "XF-5型精密过滤器")
SITES = ("一号厂房空压站", "二期车间", "新建仓库", "动力车间", "喷涂车间")

TOPICS = {
    "engineering_quality": ("工程部", (
        ("管道安装漏气", "{site}的压缩空气管道安装完成后多处漏气，压力达不到设计要求。",
         "返工并承担停产损失"),
        ("设备基础施工不合格", "{site}的{product}基础平整度不够，运行时振动很大。", "重新施工"),
        ("安装工期延误", "合同约定的安装工期已超过两周，{site}至今未完成调试。", "尽快完工并赔偿"),
    )),
    "service_quality": ("售后服务部", (
        ("售后响应慢", "{product}故障报修后三天才有人联系，影响生产。", "缩短响应时间并赔偿"),
        ("维修人员服务态度差", "上门维修的工程师态度敷衍，问题没修好就走了。", "更换维修人员"),
        ("保养未按合同执行", "合同约定每季度上门保养一次，本年度只来过一次。", "补做保养"),
    )),
    "product_quality": ("生产部", (
        ("设备频繁停机", "{product}投入使用不到三个月，频繁高温停机。", "更换设备"),
        ("来货外观不良", "本批{product}到货时外壳有明显划伤和变形。", "退换货"),
        ("排气量达不到标称值", "{product}实测排气量比铭牌标称值低约百分之十五。", "退货或折价"),
        ("控制器故障", "{product}控制器屏幕黑屏，无法启动。", "免费维修并延长保修"),
    )),
    "other": ("客户服务部", (
        ("发票信息错误", "收到的增值税发票抬头错误，无法入账。", "重开发票"),
        ("交货延迟", "订购的{product}比合同交期晚了二十天。", "按合同支付违约金"),
    )),
}

TEXTS = {
    "respond.answer": ("已收到{mr}的投诉，正在调查，五个工作日内给予答复。", "已电话告知{mr}处理进度。",
                       "已邮件回复{mr}，说明处理流程和联系人。"),
    "find_unfounded.finding": ("经现场核查，故障系客户未按说明书操作所致，不属于质量问题。",
                               "经核实，交货时间符合合同约定，投诉不成立。"),
    "find_founded.finding": ("经现场核查，{subject}情况属实。", "调查属实，责任在{department}。"),
    "investigation_form": ("客户投诉调查表.xlsx", "客户投诉调查表.pdf、现场照片.jpg"),
    "transfer.slip": ("CD{slip}",),
    "propose_solution.solution": ("派工程师三日内到现场返工，承担返工费用。", "更换故障部件并延长保修一年。",
                                  "补做保养两次并赠送易损件一套。"),
    "propose_solution.reply": ("{department}已确认问题原因。", "已安排专人负责。"),
    "agree.opinion": ("{mr}同意该方案。", "{mr}同意，要求本周内完成。"),
    "disagree.opinion": ("{mr}认为方案不能解决根本问题。", "{mr}要求赔偿停产损失。"),
    "opinion_form": ("客户意见表.pdf",),
    "transfer_to_qa.department": ("品管部",),
    "transfer_to_qa.slip": ("QC{slip}",),
    "transfer_to_qa.samples": ("不良样品照片.jpg、检测数据.xlsx", "故障录像.mp4",
                               "铭牌照片.jpg、运行记录.pdf"),
    "find_cause.analysis@customer_misuse": ("拆机检查发现散热器积尘严重，为客户未按期保养所致。",
                                            "进气口被杂物堵塞，系现场使用环境不当。",
                                            "客户自行调整了压力参数。"),
    "find_cause.analysis@company_fault": ("经检测，温控阀批次不良导致高温停机。",
                                          "经测试，装配时密封圈漏装导致排气量不足。",
                                          "运输包装防护不足导致外壳划伤。"),
    "qa_manager_review.comment": ("同意分析结论。", "同意，请同步排查同批次产品。"),
    "explain_misuse.explanation": ("已向{mr}说明故障系未按期保养所致，并提供保养指导。",
                                   "已向{mr}说明正确操作方法，免费上门培训一次。"),
    "dispose.details": ("同批次产品全部复检。", "补发合格品，不良品退回。", "按合同金额折价处理。"),
    "approve_disposition.comment": ("同意处理意见。", "同意，费用由责任部门承担。"),
    "carry_out.done": ("已补发合格产品并现场调试正常。", "已完成返工，试压合格。", "已退款{amount}元。",
                       "已更换控制器，运行正常。"),
    "carry_out.return_inspection": ("退货品抽样检验，确认温控阀不良。", "退货检验合格率百分之六十。"),
    "capa.measures": ("更换温控阀供应商，来料全检三个月。", "装配工序增加密封圈检查点。",
                      "改进出厂包装防护。"),
    "capa.action_owner": ("生产部", "品管部", "采购部", "工程部"),
    "review_capa.capa_review": ("同意，按期落实。", "措施可行，同意实施。"),
    "approve_capa.capa_approval": ("批准。", "同意，请销售部反馈客户确认。"),
    "verify.notes": ("连续三个月未再发生同类问题。", "抽检五十台均合格。", "改善后仍有个别不良，继续跟踪。"),
    "survey": ("客户满意度调查表.pdf",),
    "reopen.reason": ("{mr}对处理结果不满意，问题仍未解决。", "回访时{mr}反映故障再次出现。"),
}
NOTES = ("已电话联系{mr}了解现场情况。", "{mr}发来故障照片。", "已调取该批次生产记录。",
         "{mr}来电催问处理进度。",
         "已与业务员核实合同条款。")


def context(rng: random.Random) -> dict[str, Any]:
    return {"company": rng.choice(COMPANIES), "product": rng.choice(PRODUCTS), "site": rng.choice(SITES),
            "slip": f"{rng.randint(2021, 2026)}{rng.randrange(10**4):04d}",
            "amount": rng.choice((2000, 5000, 8000, 12000, 20000, 35000))}


def intake(rng: random.Random, ctx: dict[str, Any], category: str, channel: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"service.item": ctx["product"]}
    if category == "engineering_quality" or rng.random() < 0.3:
        fields["location"] = f"{ctx['company'][:2]}{ctx['site']}"
    if rng.random() < 0.8:
        fields["reference"] = f"HT{rng.randint(2020, 2026)}{rng.randrange(10**4):04d}"
    if rng.random() < 0.4:
        fields["service.time"] = (date(2020, 6, 1) + timedelta(days=rng.randrange(2200))).isoformat()
    if category == "product_quality" and rng.random() < 0.5:
        fields["amount"] = ctx["amount"]
    return fields


DATA = PolicyData(
    policy="manufacturing", office="MF", tags=("M2FD", "QN6T"),
    people=PEOPLE, departments=DEPARTMENTS, topics=TOPICS,
    category_weights={"engineering_quality": 20, "service_quality": 30, "product_quality": 40, "other": 10},
    channel_weights={"phone": 40, "email": 20, "in_person": 5, "letter": 5, "sales": 30},
    severity_weights={"normal": 85, "major": 12, "urgent": 3},
    context=context, intake=intake, loggers={"sales": ("sales",), "*": ("customer_service",)},
    texts=TEXTS, notes=NOTES,
    choices={"find_cause.cause": {"customer_misuse": 3, "company_fault": 7},
             "dispose.disposition": {"return": 2, "replacement": 4, "discount": 2, "compensation": 2},
             "satisfaction": {"very_satisfied": 3, "satisfied": 6, "unsatisfied": 1},
             "effective": {True: 9, False: 1}, "quarantine": {True: 9, False: 1}},
    person_roles={"assign.to": ("customer_service",), "transfer.to": ("department",),
                  "transfer_to_qa.to": ("qa",), "coordinator": ("customer_service",)},
    optional_share={"coordinator": 0.03, "department": 0.6, "investigation_form": 0.4, "slip": 0.7,
                    "reply": 0.5, "opinion": 0.6, "samples": 0.6, "stock_checked": 0.7, "amount": 0.6,
                    "details": 0.5, "return_inspection": 0.3, "notes": 0.6, "survey": 0.5,
                    "returned_to_department": 0.7},
    action_weights={"find_unfounded": 0.15, "transfer_to_qa@product_quality": 4.0,
                    "assign@product_quality": 0.2, "transfer_to_qa": 0.0, "qa_manager_review": 4.0,
                    "disagree": 1.0, "reopen": 1.0},
    office_channels=("letter", "email"),
)
