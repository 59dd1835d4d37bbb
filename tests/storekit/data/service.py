"""Home services platform (policy `service`, office SV): repairs, cleaning and moving booked online."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from storekit.data import PolicyData

PEOPLE = (
    ("许静", ("customer_service",), "xujing"),
    ("杨光", ("customer_service",), "yangguang"),
    ("梁晨", ("handler",), "liangchen"),
    ("宋雨", ("handler",), "songyu"),
    ("冯涛", ("handler",), "fengtao"),
    ("韩梅", ("department", "handler"), "hanmei"),
    ("邓超", ("department", "handler"), "dengchao"),
    ("曹敏", ("department",), "caomin"),
    ("彭博", ("superior",), "pengbo"),
    ("袁芳", ("quality",), "yuanfang"),
)
DEPARTMENTS = {
    "服务运营部": ("梁晨", "韩梅"),
    "售后服务部": ("宋雨", "邓超"),
    "财务结算部": ("冯涛", "曹敏"),
    "客户服务部": ("梁晨", "宋雨"),
}
SERVICES = (("空调清洗", "师傅"), ("家电维修", "维修师傅"), ("日常保洁", "保洁阿姨"), ("搬家服务",
                                                                                       "搬家师傅"),
            ("管道疏通", "师傅"), ("开荒保洁", "保洁员"), ("热水器安装", "安装师傅"))
DISTRICTS = ("朝阳区望京西园", "海淀区五道口", "浦东新区张江", "天河区珠江新城", "南山区科技园", "武侯区玉林",
             "西湖区文三路", "江宁区百家湖", "渝北区龙湖", "雁塔区小寨")

TOPICS = {
    "A": ("客户服务部", (
        ("{worker}态度恶劣", "{district}上门{item}时，{staff}说话很冲，还嫌东西多。", "{worker}道歉"),
        ("客服推诿", "多次致电客服反映{item}的问题，每次都说会有人联系，结果没人回电。", "给出处理结果"),
    )),
    "B": ("服务运营部", (
        ("{item}不彻底", "{item}结束后发现很多地方没做到位，和宣传的标准差很多。", "免费返工"),
        ("上门迟到", "预约的{item}上午九点上门，{staff}十一点才到，也没提前通知。", "补偿并道歉"),
        ("服务中损坏物品", "{staff}做{item}时把地板划伤了一大片。", "赔偿损失"),
    )),
    "C": ("财务结算部", (
        ("乱收费", "{item}下单时报价{price}元，上门后又加收了{amount}元材料费。", "退还加收的费用"),
        ("优惠券无法使用", "平台发放的{item}优惠券下单时提示不可用。", "补发优惠"),
    )),
    "D": ("服务运营部", (
        ("服务项目缩水", "套餐约定的{item}包含三个房间，实际只做了两个。", "补做或退款"),
        ("取消订单不退款", "提前两天取消了{item}订单，平台扣了全部费用。", "按规定退款"),
    )),
    "E": ("售后服务部", (
        ("维修后再次故障", "{item}后不到一周，同样的问题又出现了。", "免费返修"),
        ("保修期内拒绝保修", "{item}还在保修期内，售后却要求另付上门费。", "按保修条款处理"),
    )),
    "F": ("客户服务部", (
        ("个人信息泄露", "下单{item}后频繁接到装修推销电话。", "查明原因"),
        ("App预约功能故障", "App预约{item}时反复提示系统繁忙，无法下单。", "修复问题"),
    )),
}

TEXTS = {
    "assess.risk_notes": ("可能在社交媒体发布差评，影响公司声誉。", "涉及财产损失，存在赔偿风险。",
                          "客户情绪激动，需优先处理。", "影响较小，按一般流程处理。"),
    "urgent_response.notes": ("已电话向{mr}致歉，并安排主管跟进。", "已暂停该{worker}派单，等待调查。"),
    "report_progress.progress": ("已联系{staff}了解情况，正在核实。", "已安排复查，等待结果。",
                                 "赔偿方案待上级审批。", "已与{mr}约定复查时间。"),
    "escalate_to_superior.reason": ("涉及赔偿金额超出部门权限。", "客户要求公司领导出面处理。",
                                    "涉及多个部门，需上级协调。"),
    "investigate.findings": ("经调取服务记录和现场照片，{subject}情况属实。",
                             "与{staff}面谈并回访{mr}，情况基本属实。",
                             "经核查，服务已按标准完成，投诉部分属实。"),
    "investigate.interviews": ("{staff}、派单调度员", "{staff}、片区主管"),
    "investigate.direct_cause": ("{staff}未按操作规范作业。", "派单时间安排过紧。", "报价系统未显示材料费。"),
    "investigate.indirect_cause": ("上岗培训不足。", "调度与服务人员沟通不畅。", "收费标准宣传不清晰。"),
    "investigate.root_cause": ("服务质量检查机制缺失。", "绩效考核只看单量。", "收费规则未统一公示。"),
    "investigate.evidence": ("服务记录.pdf、现场照片.jpg", "通话录音.mp3", "订单截图.png、聊天记录.png"),
    "plan.step": ("安排{worker}上门返工。", "向{mr}退还{amount}元。", "对{staff}进行培训和考核。",
                  "{item}费用减免一半。"),
    "implement.done": ("已完成返工，{mr}现场确认。", "已退款{amount}元。", "已向{mr}当面致歉。"),
    "corrective_action.measure": ("修订{item}服务标准并重新培训。", "上线服务完成后拍照验收功能。",
                                  "在App公示全部收费标准。", "调整派单间隔，预留路上时间。"),
    "evaluate.notes": ("同类投诉环比下降。", "抽查二十单均达标。", "效果不明显，继续改进。"),
    "respond.result": ("已返工并退还部分费用。", "已赔偿损失{amount}元并致歉。", "已对服务人员进行处理。"),
    "respond.reasons": ("经调查，{staff}未按规范作业，责任在我方。", "系收费标准说明不清所致。",
                        "系派单安排不合理导致迟到。"),
    "respond.alternatives": ("可赠送一次免费{item}。", "可改为退还全部服务费。"),
    "visit.opinion": ("{mr}表示满意。", "{mr}希望今后准时上门。", "{mr}认可处理结果。"),
    "visit.opinion@unsatisfied": ("{mr}认为赔偿不足。", "{mr}表示问题仍未解决。"),
    "close.handlers": ("{department}经理、客服专员", "服务运营部主管、质量负责人"),
    "reopen.reason": ("{mr}再次投诉同一问题。", "回访时{mr}不满意，重新处理。"),
}
NOTES = ("已电话联系{mr}了解情况。", "{mr}发来现场照片。", "{mr}来电询问处理进度。", "已调取订单和服务记录。",
         "已联系{staff}核实情况。")


def context(rng: random.Random) -> dict[str, Any]:
    item, worker = rng.choice(SERVICES)
    surname = rng.choice("王李张刘陈杨黄赵周吴")
    return {"item": item, "worker": worker, "staff": f"{surname}{worker}", "district": rng.choice(DISTRICTS),
            "price": rng.choice((99, 159, 199, 299, 399, 599)), "amount": rng.choice((50, 80, 100, 150, 200,
                                                                                      500))}


def intake(rng: random.Random, ctx: dict[str, Any], category: str, channel: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"service.item": ctx["item"], "location": f"{ctx['district']}小区"}
    if category in ("A", "B", "E"):
        fields["service.staff"] = ctx["staff"]
    if rng.random() < 0.6:
        fields["service.time"] = (date(2021, 1, 1) + timedelta(days=rng.randrange(2150))).isoformat()
    if rng.random() < 0.7:
        fields["reference"] = f"SO{rng.randint(21, 26)}{rng.randrange(10**8):08d}"
    if category in ("B", "C") and rng.random() < 0.6:
        fields["amount"] = ctx["amount"]
    if rng.random() < 0.3:
        fields["risk"] = rng.choice(("low", "low", "medium", "high"))
    return fields


DATA = PolicyData(
    policy="service", office="SV", tags=("S5VJ", "P0RW", "E3HN"),
    people=PEOPLE, departments=DEPARTMENTS, topics=TOPICS,
    category_weights={"A": 20, "B": 35, "C": 15, "D": 10, "E": 15, "F": 5},
    channel_weights={"phone": 35, "online": 30, "email": 10, "in_person": 8, "on_site": 7, "referral": 10},
    severity_weights={"normal": 85, "major": 12, "urgent": 3},
    context=context, intake=intake, loggers={"*": ("customer_service",)}, texts=TEXTS, notes=NOTES,
    choices={"assess.severity": {"normal": 75, "major": 18, "urgent": 7},
             "assess.risk": {"low": 60, "medium": 30, "high": 10},
             "urgent_response.measure": {"suspend_service": 2, "refund": 3, "compensation": 2, "other": 1,
                                         "none": 2},
             "apologised": {True: 19, False: 1}, "demand_met": {True: 7, False: 3},
             "on_site": {True: 4, False: 6}, "effective": {True: 8, False: 2},
             "satisfaction": {"very_satisfied": 3, "satisfied": 6, "unsatisfied": 1},
             "close.outcome": {"resolved": 8, "partly_resolved": 2, "unresolved": 0.3}},
    person_roles={"assign.to": ("handler",), "coordinator": ("superior", "department"),
                  "escalate_to_superior.to": ("superior",), "step_owner": ("handler", "department"),
                  "action_owner": ("handler", "department", "quality")},
    optional_share={"coordinator": 0.05, "department": 0.8, "risk_notes": 0.5, "measure": 0.8,
                    "on_site": 0.4, "interviews": 0.5, "due": 0.6, "compensation": 0.3, "demand_met": 0.7,
                    "alternatives": 0.3, "opinion": 0.6, "handlers": 0.5},
    action_weights={"urgent_response": 0.1, "plan": 4.0, "corrective_action": 1.5, "evaluate": 1.0,
                    "report_progress": 1.0,
                    "escalate_to_superior": 0.5, "reopen": 1.0},
    office_channels=("email", "referral"),
)
