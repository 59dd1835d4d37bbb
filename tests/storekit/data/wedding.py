"""Wedding company (policy `wedding`, office WD): couples' complaints about their wedding day."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from storekit.data import PolicyData

PEOPLE = (
    ("苏晴", ("reception",), "suqing"),
    ("陈曦", ("reception",), "chenxi"),
    ("周婷", ("frontline",), "zhouting"),
    ("黄磊", ("frontline",), "huanglei"),
    ("王强", ("department_head",), "wangqiang"),
    ("李娜", ("department_head",), "lina"),
    ("张斌", ("department_head",), "zhangbin"),
    ("赵雅", ("department_head",), "zhaoya"),
    ("刘畅", ("investigator",), "liuchang"),
    ("马丽", ("tracker",), "mali"),
    ("孙浩", ("tracker", "reception"), "sunhao"),
    ("何敏", ("finance",), "hemin"),
    ("郭峰", ("management",), "guofeng"),
)
DEPARTMENTS = {
    "策划部": ("王强",),
    "场地布置部": ("李娜",),
    "摄影摄像部": ("张斌",),
    "主持化妆部": ("赵雅",),
}
HOTELS = ("金陵饭店三楼宴会厅", "香格里拉大酒店大宴会厅", "万达文华酒店草坪", "湖滨花园酒店",
          "希尔顿酒店二楼宴会厅", "城南婚礼堂", "海景度假酒店户外草坪")
PACKAGES = ("浪漫经典婚礼套餐", "中式传统婚礼套餐", "户外草坪婚礼套餐", "轻奢定制婚礼套餐",
            "婚礼跟拍摄像套餐")
INVOLVED = {"venue_decor": "布置组组长", "safety": "布置组组长", "staff_service": "婚礼督导",
            "fees": "签约策划师", "planning": "策划师", "other": "车队负责人"}
HOSTS = ("主持人阿杰", "主持人小雨", "主持人老陈")
PHOTOGRAPHERS = ("摄影师大伟", "摄像师小林", "摄影师阿K")
STYLISTS = ("化妆师丽丽", "造型师安妮")

TOPICS = {
    "planning": ("策划部", (
        ("婚礼流程混乱", "婚礼当天在{hotel}，流程和彩排时说的不一样，冷场了好几次。", "退还部分策划费"),
        ("策划方案与约定不符", "签约时确定的{package}中的环节，当天被删减了。", "按约定补偿"),
    )),
    "venue_decor": ("场地布置部", (
        ("鲜花用了假花", "合同写明{hotel}主桌和路引用鲜花，当天有一半是仿真花。", "退还鲜花差价"),
        ("布置未按效果图完成", "{hotel}的仪式区布置和效果图差别很大，背景板颜色不对。", "赔偿并道歉"),
        ("布置进场迟到", "布置团队比约定晚到两个小时，宾客入场时还在搭建。", "赔偿损失"),
    )),
    "hosting": ("主持化妆部", (
        ("主持人念错新人名字", "{host}在仪式上两次念错新郎的名字，很尴尬。", "主持人道歉并退还主持费"),
        ("主持人临时换人", "约定的{host}临时换成了别人，事先没有通知。", "退还差价"),
    )),
    "photo_video": ("摄影摄像部", (
        ("婚礼照片交付延迟", "婚礼已过去两个月，{photographer}拍的照片还没有交付。", "尽快交付并补偿"),
        ("婚礼视频漏拍交换戒指", "婚礼视频里没有交换戒指的镜头，{photographer}说设备出了问题。",
         "免费补拍并赔偿"),
        ("照片修图质量差", "交付的精修照片修图粗糙，人脸变形。", "重新修图"),
    )),
    "makeup": ("主持化妆部", (
        ("新娘妆容脱妆严重", "{stylist}化的妆不到中午就脱妆，敬酒时很狼狈。", "退还化妆费"),
        ("跟妆师提前离场", "合同约定全天跟妆，{stylist}晚宴前就离开了。", "退还跟妆费用"),
    )),
    "staff_service": ("策划部", (
        ("督导态度恶劣", "婚礼督导对双方父母说话态度很差，还和宾客发生争执。", "公司书面道歉"),
        ("工作人员在现场吸烟", "{hotel}现场有工作人员在宴会厅门口吸烟。", "处理相关人员"),
    )),
    "safety": ("场地布置部", (
        ("舞台灯架倒塌", "{hotel}仪式中舞台侧面灯架倒下，险些砸到伴娘。", "彻查安全隐患并赔偿"),
        ("冷焰火烫伤宾客", "入场时冷焰火离通道太近，一位宾客的手被烫伤。", "赔偿医药费"),
    )),
    "fees": ("策划部", (
        ("婚礼结束后追加收费", "婚礼结束后公司又收了{amount}元的加时费，事先没有说明。", "退还追加费用"),
        ("定金退还困难", "因疫情取消婚礼，定金{amount}元至今未退。", "按合同退还定金"),
    )),
    "other": ("策划部", (
        ("婚车迟到", "约定的婚车迟到四十分钟，耽误了接亲吉时。", "退还婚车费用"),
    )),
}

TEXTS = {
    "gather_staff.staff": ("{involved}", "{involved}、婚礼督导", "{involved}及当天督导"),
    "gather_staff.findings": ("当事人承认{subject}属实。", "初步了解情况属实，需进一步核实。",
                              "当事人称事出有因，需调取现场视频。"),
    "hold_meeting.departments_present": ("策划部、场地布置部", "策划部、摄影摄像部、主持化妆部",
                                         "策划部、财务部"),
    "hold_meeting.minutes": ("确定由策划部牵头，各部门配合处理。", "会议决定先向新人致歉，再商定补偿方案。"),
    "investigate.findings": ("查阅服务记录及现场视频，{subject}情况属实。",
                             "与服务人员沟通并回访新人，情况基本属实。",
                             "经核实，部分情况与新人描述有出入。"),
    "investigate.evidence": ("现场视频.mp4、服务记录.pdf", "婚礼合同.pdf、布置效果图.jpg",
                             "聊天记录截图.png"),
    "solution": ("退还相关费用{amount}元，并书面致歉。", "免费补拍一组外景并赠送相册。",
                 "赔偿{amount}元，责任人扣罚绩效。",
                 "重新精修全部照片，七日内交付。"),
    "responsible_party": ("{department}", "{department}", "{department}及外包供应商"),
    "milestones": ("三日内退款，七日内完成补拍。", "本周内交付修改后的照片。", "两个工作日内完成赔付。"),
    "respond.notes": ("已向新人说明解决方案，新人表示考虑一下。", "新人希望补偿再多一些。",
                      "新人当场表示接受。"),
    "adjust_solution.opinion": ("新人认为补偿金额偏低。", "新人希望补拍改为退款。"),
    "agree.opinion": ("新人同意该方案。", "新人接受调整后的方案。", "新人同意，但希望尽快落实。"),
    "complete.done": ("已退还{amount}元。", "补拍已完成，照片已交付。", "已书面致歉并完成赔付。"),
    "follow_up.notes": ("新人表示满意，感谢处理。", "新人认可处理结果。"),
    "follow_up.notes@unsatisfied": ("新人认为处理太慢，仍不满意。", "新人对补拍效果不满意。"),
    "record_cost.borne_by": ("公司", "{department}", "外包供应商", "当事员工"),
    "record_cost.notes": ("按合同约定赔付。", "由责任部门承担一半。"),
    "close.case_notes": ("{subject}：现场管理疏漏，已完善督导检查表。",
                         "{subject}：供应商管理问题，已更换供应商。",
                         "{subject}：沟通不到位，已加强签约前确认。"),
    "reopen.reason": ("新人对处理结果仍有异议。", "新人不同意解决方案，要求重新处理。"),
}
NOTES = ("已电话联系新人了解情况。", "新人发来现场照片。", "新人来电催问处理进度。", "已调取婚礼现场视频。",
         "已联系酒店了解当天情况。")


def context(rng: random.Random) -> dict[str, Any]:
    return {"hotel": rng.choice(HOTELS), "package": rng.choice(PACKAGES), "host": rng.choice(HOSTS),
            "photographer": rng.choice(PHOTOGRAPHERS), "stylist": rng.choice(STYLISTS),
            "amount": rng.choice((500, 800, 1000, 1500, 2000, 3000, 5000))}


def intake(rng: random.Random, ctx: dict[str, Any], category: str, channel: str) -> dict[str, Any]:
    wedding = date(2021, 1, 1) + timedelta(days=rng.randrange(2100))
    fields: dict[str, Any] = {"reference": f"HQ{wedding:%Y%m%d}{rng.randint(1, 40):02d}",
                              "service.item": ctx["package"], "location": ctx["hotel"]}
    staff = {"hosting": "host", "photo_video": "photographer", "makeup": "stylist"}.get(category)
    if staff:
        fields["service.staff"] = ctx[staff]
    ctx["involved"] = ctx[staff] if staff else INVOLVED.get(category, "婚礼督导")
    if rng.random() < 0.6:
        fields["service.time"] = wedding.isoformat()
    if category in ("fees", "venue_decor") or rng.random() < 0.2:
        fields["amount"] = ctx["amount"]
    return fields


DATA = PolicyData(
    policy="wedding", office="WD", tags=("W8PM", "ZK3D"),
    people=PEOPLE, departments=DEPARTMENTS, topics=TOPICS,
    category_weights={"planning": 15, "venue_decor": 20, "hosting": 10, "photo_video": 25, "makeup": 10,
                      "staff_service": 8, "safety": 3, "fees": 7, "other": 2},
    channel_weights={"phone": 35, "online": 25, "email": 10, "in_person": 15, "verbal": 15},
    severity_weights={"normal": 80, "complex": 20},
    context=context, intake=intake, loggers={"verbal": ("frontline",), "*": ("reception",)},
    texts=TEXTS, notes=NOTES,
    choices={"satisfaction": {"very_satisfied": 3, "satisfied": 6, "unsatisfied": 1},
             "respond.method": {"phone": 6, "email": 1, "face_to_face": 3},
             "kind": {"compensation": 5, "redo_service": 4, "other": 1}},
    person_roles={"assign.to": ("department_head",), "coordinator": ("management", "department_head"),
                  "tracker": ("tracker",)},
    optional_share={"coordinator": 0.05, "department": 0.9, "findings": 0.7, "milestones": 0.7,
                    "method": 0.9, "notes": 0.5, "opinion": 0.6, "case_notes": 0.8},
    action_weights={"investigate": 10.0, "hold_meeting": 2.0, "appoint_tracker": 4.0, "record_cost": 2.0,
                    "adjust_solution": 2.0, "reopen": 1.0},
    prefer_fields=("tracker",),
    office_channels=("email",),
)
