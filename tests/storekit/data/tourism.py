"""Travel agency (policy `tourism`, office TR): complaints about tours sold, trips and after-sale."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from storekit.data import PolicyData

PEOPLE = (
    ("林晓", ("reception",), "linxiao"),
    ("吴倩", ("reception", "complaint_team"), "wuqian"),
    ("刘敏", ("complaint_team",), "liumin"),
    ("张磊", ("handler",), "zhanglei"),
    ("陈静", ("handler",), "chenjing"),
    ("何伟", ("handler",), "hewei"),
    ("黄丽", ("handler",), "huangli"),
    ("郑凯", ("handler",), "zhengkai"),
    ("孙悦", ("handler",), "sunyue"),
    ("杨帆", ("department_head",), "yangfan"),
    ("宋佳", ("department_head",), "songjia"),
    ("马骏", ("supervisor",), "majun"),
)
DEPARTMENTS = {
    "门店销售部": ("孙悦", "杨帆"),
    "国内游事业部": ("张磊", "陈静", "杨帆"),
    "出境游事业部": ("何伟", "黄丽", "宋佳"),
    "客户服务中心": ("郑凯", "吴倩"),
    "质量管理部": ("郑凯", "刘敏"),
}
ROUTES = (
    ("云南昆明大理丽江6日游", "丽江", "玉龙雪山"), ("海南三亚5日游", "三亚", "蜈支洲岛"),
    ("桂林阳朔4日游", "桂林", "漓江竹筏"), ("西安兵马俑3日游", "西安", "华清宫"),
    ("张家界凤凰古城5日游", "张家界", "天门山"), ("新疆北疆8日游", "乌鲁木齐", "喀纳斯"),
    ("日本东京大阪6日游", "大阪", "京都清水寺"), ("泰国曼谷芭提雅6日游", "曼谷", "大皇宫"),
    ("九寨沟黄龙4日游", "九寨沟", "黄龙"), ("厦门鼓浪屿3日游", "厦门", "鼓浪屿"),
    ("欧洲法意瑞12日游", "巴黎", "卢浮宫"), ("黄山宏村3日游", "黄山", "宏村"),
)
GUIDES = ("导游小刘", "导游王军", "导游阿梅", "领队赵强", "地陪小杨", "全陪李娟")
HOTELS = ("如家快捷酒店", "锦江之星", "当地一家客栈", "郊区农家乐", "汉庭酒店")
PROMISES = ("全程无购物", "赠送接送机", "住宿升级为海景房", "含景区门票", "小团不超过二十人")

TOPICS = {
    "pre_sale": ("门店销售部", (
        ("销售承诺与合同不符", "在门店报名{route}时，销售人员承诺{promise}，合同中却没有写明。",
         "按承诺履行或退还差价"),
        ("报名后被告知满团", "报名{route}并交了定金{deposit}元，出发前一周被告知满团，要求改期。",
         "退还定金并赔偿"),
        ("线路介绍与实际不符", "官网上{route}的介绍写明{promise}，咨询客服后才知道要另外付费。",
         "更正线路介绍"),
        ("报价多次变动", "咨询{route}时报价{price}元，签合同时又加了燃油附加费。", "按最初报价执行"),
    )),
    "in_sale": ("国内游事业部", (
        ("导游强制购物", "参加{route}，{guide}安排了三次购物，不购物就冷嘲热讽。", "退还部分团费并处理导游"),
        ("酒店标准与合同不符", "{route}合同约定住四星酒店，实际入住的是{hotel}。", "退还酒店差价"),
        ("擅自减少景点", "参加{route}，{guide}以时间不够为由取消了{sight}的游览。", "赔偿未游览景点的费用"),
        ("旅游大巴车况差", "{route}的旅游大巴空调故障，车内闷热，司机拒绝更换车辆。", "赔偿并道歉"),
        ("航班变更未及时通知", "{route}回程航班变更，旅行社没有及时通知，在{city}机场滞留五个小时。",
         "赔偿滞留损失"),
    )),
    "after_sale": ("客户服务中心", (
        ("退团扣费过多", "因病取消{route}，旅行社扣了{amount}元损失费，没有提供明细。",
         "提供明细并退还多扣费用"),
        ("发票迟迟未开", "{route}结束已一个月，发票仍未开具。", "尽快开具发票"),
        ("意见反馈无人回复", "上次对{route}提出的意见至今无人回复。", "给出书面答复"),
        ("旅游意外险理赔困难", "在{route}途中扭伤脚踝，理赔材料提交后一直没有进展。", "协助完成理赔"),
    )),
    "other": ("质量管理部", (
        ("个人信息被泄露", "报名{route}后频繁接到推销电话，怀疑个人信息被泄露。", "查明原因并保护个人信息"),
        ("宣传广告夸大", "{route}的宣传海报写着{promise}，实际并非如此。", "停止虚假宣传"),
    )),
}

TEXTS = {
    "acknowledge.reply": ("您好，您的投诉已收到，我们将尽快核实并在规定时间内答复。",
                          "{mr}您好，已收到您的邮件，已转相关部门调查处理。",
                          "已电话回复{mr}，说明受理情况和处理流程。"),
    "investigate.report@pre_sale": ("调取门店销售记录和合同核对，销售人员的承诺未写入合同，情况属实。",
                                    "经与销售人员核实，报名时已告知相关条款，投诉部分属实。"),
    "investigate.report@after_sale": ("经核对退团损失明细，部分扣费依据不足，情况属实。",
                                      "经查，材料已提交，因流程延误未及时处理，情况属实。"),
    "investigate.report": ("经与{guide}及同团游客核实，投诉情况属实。",
                           "调取行程单和合同核对，投诉部分属实。",
                           "经与地接社核实，行程变更未提前告知游客，情况属实。",
                           "经核查，合同已明确约定相关条款，投诉不属实。"),
    "investigate.cause": ("导游违规安排购物", "地接社未按合同安排住宿", "销售人员解释不到位",
                          "航空公司临时调整航班", "操作人员疏忽"),
    "investigate.evidence": ("行程单.pdf、导游陈述.docx", "游客证言.jpg、酒店入住记录.pdf", "旅游合同.pdf"),
    "propose_plan.plan@pre_sale": ("向{mr}致歉，按销售承诺履行或退还差价{amount}元。",
                                   "退还定金并赠送代金券。"),
    "propose_plan.plan@after_sale": ("退还多扣的费用{amount}元并提供明细。",
                                     "三个工作日内办结，并书面致歉。"),
    "propose_plan.plan": ("向{mr}书面致歉，退还差价{amount}元。", "赔偿{mr}未游览景点费用{amount}元并致歉。",
                          "补开发票，并赠送下次出游代金券。", "退还多扣的损失费{amount}元。"),
    "propose_plan.improvement": ("加强导游管理，重申不得强制购物。", "与地接社约定住宿标准违约责任。",
                                 "销售话术培训，合同写明所有承诺。", "建立航班变更通知机制。"),
    "reject_plan.reason": ("补偿金额依据不足，请重新核算。", "方案未包含对导游的处理意见，请补充。",
                           "改进措施不具体，请细化。"),
    "carry_out.done": ("已退还{amount}元至{mr}原支付账户。", "已对{guide}作出停团一个月的处理。",
                       "已与地接社结算并扣减违约金。", "已补开发票并快递寄出。"),
    "respond.result": ("已向{mr}说明调查结果和处理方案，退还{amount}元并书面致歉。",
                       "已电话告知{mr}处理结果，款项已退回。", "已邮件答复{mr}调查结论及改进措施。"),
    "respond.next_steps": ("款项五个工作日内到账。", "后续出游可享受会员优惠。", "如有疑问可联系客服中心。"),
    "confirm.feedback": ("{mr}表示认可处理结果。", "{mr}接受退款方案。", "{mr}希望今后加强导游管理。"),
    "close.summary": ("{mr}确认处理结果，投诉关闭。", "已退款并致歉，客户确认，结案。"),
    "reopen.reason": ("{mr}认为补偿金额过低，提出申诉。", "{mr}对调查结论有异议，要求重新调查。"),
    "extend.reason": ("需与地接社核实，处理时间延长，已告知{mr}预计处理时间。",
                      "涉及航空公司，需等待对方书面说明，已向{mr}说明情况。"),
}
NOTES = ("已电话联系{mr}了解行程情况。", "{mr}补充了酒店照片。", "已联系地接社了解情况。",
         "{mr}来电询问处理进度。", "已调取销售合同和行程单。")


def context(rng: random.Random) -> dict[str, Any]:
    route, city, sight = rng.choice(ROUTES)
    price = rng.choice((1980, 2680, 3580, 4980, 6800, 12800))
    return {"route": route, "city": city, "sight": sight, "guide": rng.choice(GUIDES),
            "hotel": rng.choice(HOTELS), "promise": rng.choice(PROMISES), "price": price,
            "deposit": rng.choice((500, 1000, 2000)), "amount": rng.choice((200, 300, 500, 800, 1200))}


def intake(rng: random.Random, ctx: dict[str, Any], category: str, channel: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"service.item": ctx["route"]}
    if category in ("in_sale", "after_sale"):
        fields["location"] = ctx["city"]
        if rng.random() < 0.6:
            fields["service.staff"] = ctx["guide"]
    if rng.random() < 0.5:
        departure = date(2021, 1, 1) + timedelta(days=rng.randrange(2100))
        fields["service.time"] = departure.isoformat()
    if rng.random() < 0.7:
        fields["reference"] = f"DD{rng.randint(2021, 2026)}{rng.randrange(10**7):07d}"
    if rng.random() < 0.4:
        fields["amount"] = ctx["amount"]
    return fields


DATA = PolicyData(
    policy="tourism", office="TR", tags=("T4KM", "9XQ2", "HB7C"),
    people=PEOPLE, departments=DEPARTMENTS, topics=TOPICS,
    category_weights={"pre_sale": 20, "in_sale": 50, "after_sale": 25, "other": 5},
    channel_weights={"phone": 40, "online": 30, "email": 15, "in_person": 15},
    severity_weights={"normal": 85, "complex": 15},
    context=context, intake=intake, loggers={"*": ("reception", "complaint_team")}, texts=TEXTS, notes=NOTES,
    choices={"confirm.confirmed": {True: 9, False: 1}, "founded": {True: 8, False: 2},
             "reasonable": {True: 8, False: 2},
             "satisfaction": {"very_satisfied": 3, "satisfied": 6, "unsatisfied": 1}},
    person_roles={"assign.to": ("handler",), "coordinator": ("complaint_team", "department_head")},
    optional_share={"coordinator": 0.05, "department": 0.9, "compensation": 0.5, "improvement": 0.6,
                    "next_steps": 0.5, "feedback": 0.6, "satisfaction": 0.8, "summary": 0.7},
    action_weights={"carry_out": 15.0, "reopen": 1.5},
    office_channels=("in_person",),
)
