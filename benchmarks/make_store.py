"""Generate a realistic metro complaint store quickly, without the CLI.

    python benchmarks/make_store.py DIR --count 100000 [--seed 3] [--now 2026-11-20T18:00+08:00]

Writes `DIR/complaintctl.yaml` (metro policy, office MT, a people list) through `Store.create`, then
one record per complaint as text in the canonical record format (README "Record format"), straight
to disk: Chinese complaints at metro stations, 10 % still open, histories of 3-12 events that follow
the metro policy's state machine (log, assign, propose, reject, approve, finish, report_result,
respond, visit, reopen, close, note), received between 2021-01-01 and --now. Open complaints were
received in the last 90 days; closed ones have the full path to a satisfied visit and `close`.

The records are written without ruamel for speed (about 100,000 a minute); `--verify K` (default 200)
re-reads K of them at random and requires that the canonical dump of each is byte-identical to the
file and that `complaintctl check`'s rules (schema, policy fields, replay through the policy) find
nothing. A store of a few hundred records can also be checked whole with `complaintctl check`.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from complaintctl.settings import Person, StoreSettings  # noqa: E402
from complaintctl.store import Store  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2021, 1, 1, 8, 0, tzinfo=TZ)
OPEN_SHARE = 0.10
TAGS = ("K7QF", "R2D8", "BN01")  # three clones typed the complaints in

CENTRE = ("王五", "赵敏", "钱磊")
MANAGER = "周静"
DEPARTMENTS = {  # department → its complaint post
    "车站运营部": "李四",
    "设备维修部": "陈晨",
    "客运服务部": "刘洋",
    "安全保卫部": "孙磊",
    "票务管理部": "何芳",
}
PEOPLE = (
    [Person(name=n, roles=["centre"], email=f"{e}@example.com")
     for n, e in zip(CENTRE, ("wangwu", "zhaomin", "qianlei"), strict=True)]
    + [Person(name=MANAGER, roles=["manager", "centre"], email="zhoujing@example.com")]
    + [Person(name=n, roles=["department"], email=f"{e}@example.com")
       for n, e in zip(DEPARTMENTS.values(), ("lisi", "chenchen", "liuyang", "sunlei", "hefang"),
                       strict=True)]
)

STATIONS = (
    "人民广场站", "徐家汇站", "静安寺站", "陕西南路站", "南京东路站", "南京西路站", "世纪大道站", "莘庄站",
    "虹桥火车站站", "龙阳路站", "中山公园站", "上海火车站站", "陆家嘴站", "漕河泾开发区站", "五角场站",
    "浦东国际机场站", "上海体育馆站", "宜山路站", "曹杨路站", "淮海中路站", "新天地站", "豫园站",
    "老西门站", "东方体育中心站", "七宝站", "江湾体育场站", "上海南站站", "张江高科站", "金科路站", "川沙站",
)
LINES = tuple(f"{n}号线" for n in range(1, 19))
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯"
            "邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈")
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超",
         "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "雪梅", "志强", "海燕",
         "子涵", "浩然", "欣怡", "宇轩", "梓萱")

# category → (department, [(subject, description template, demands)])
TOPICS = {
    "service_quality": ("车站运营部", [
        ("闸机重复扣费", "在{station}出站时刷卡被扣两次费，每次{fare}元。", "退还多扣的{fare}元"),
        ("站务员服务态度差", "在{station}询问换乘路线时，站务员态度冷淡、不耐烦。", "当事人道歉"),
        ("出站补票多收费", "在{station}客服中心补票，被按最高票价收费，实际应补{fare}元。", "退还多收的费用"),
        ("换乘指引标识不清", "{station}换乘{line}的指引标识不清楚，走错了两次。", "更正指引标识"),
        ("失物招领处理不当", "在{line}列车上遗失背包，到{station}查询时工作人员推诿。", "协助查找遗失物品"),
    ]),
    "facilities": ("设备维修部", [
        ("无障碍电梯停用",
         "{station}的无障碍电梯停用多日，没有维修公告，轮椅乘客无法进出站。",
         "尽快修复并公告维修期限"),
        ("自动扶梯突然停止",
         "{station}上行扶梯运行中突然停止，乘客前冲，险些摔倒。",
         "查明原因，保证扶梯安全"),
        ("自动售票机吞币", "在{station}自动售票机投币{fare}元，未出票也未退币。", "退还{fare}元"),
        ("屏蔽门反复开关", "{station}{line}站台屏蔽门反复开关，列车延误约5分钟。", "加强设备维护"),
        ("列车空调温度过低", "乘坐{line}列车，车厢空调温度过低，多名乘客感到寒冷。", "调整空调温度"),
    ]),
    "safety": ("安全保卫部", [
        ("安检员未对大件行李过机",
         "{station}安检点对携带大件行李的乘客未要求过机即放行。",
         "严格执行安检规定"),
        ("安检人员翻包粗暴", "在{station}安检时，安检人员翻包动作粗暴，弄坏了物品。", "赔偿并道歉"),
        ("站台乘客拥挤无人疏导",
         "早高峰{station}{line}站台严重拥挤，没有工作人员疏导。",
         "高峰时段增派疏导人员"),
    ]),
    "environment": ("客运服务部", [
        ("车厢内呕吐物未清理", "乘坐{line}列车，车厢内有呕吐物，连续几站无人清理。", "加强列车保洁"),
        ("站厅地面湿滑无警示", "{station}站厅地面刚拖过很湿，没有放置警示牌，差点滑倒。", "设置警示标志"),
        ("卫生间脏乱", "{station}卫生间地面积水、异味严重，洗手液长期缺失。", "改善卫生间环境"),
    ]),
    "other": ("票务管理部", [
        ("乘车优惠政策执行不一",
         "在{station}出示老年卡，工作人员称不能享受优惠，与规定不符。",
         "统一执行优惠政策"),
        ("官网运营时刻信息错误", "官网公布的{line}末班车时间与实际不符，导致错过末班车。", "更正运营信息"),
    ]),
}
CATEGORY_WEIGHTS = {"service_quality": 40, "facilities": 30, "safety": 10, "environment": 15, "other": 5}
CHANNEL_WEIGHTS = {"phone": 45, "online": 35, "in_person": 12, "letter": 6, "fax": 2}
CAUSES = {"service_quality": "staff_attitude", "facilities": "equipment_failure", "safety": "management",
          "environment": "management", "other": "other"}

OPINIONS = ("经调查核实，情况基本属实，拟{fix}。", "已调取监控核实，拟{fix}，并对相关人员进行教育。",
            "初步查明原因，拟{fix}，一周内完成。")
FIXES = ("退还相关费用并致歉", "更换故障部件并全面排查同类设备", "加强人员培训并调整排班",
         "增设警示标志并调整作业时间", "增派人员并完善应急预案")
REJECT_REASONS = ("处理意见未说明整改措施，请补充。", "责任未查清，请重新调查。", "仅口头提醒不足以整改。")
MEASURES = ("已完成整改并复查。", "已更换故障设备，检测合格。", "已对当班人员培训考核。", "已退还费用。")
RESULTS = ("处理完毕，整改措施已落实。", "已退款并向投诉人致歉。", "设备已恢复正常运行。")
ANSWERS = (("已电话告知处理结果并致歉。", "电话"), ("已书面答复处理结果。", "信函"),
           ("已通过微信告知整改情况。", "微信"), ("已短信告知处理结果。", "短信"))
VISIT_NOTES = ("投诉人表示满意。", "投诉人认可处理结果。", "投诉人称问题已解决。")
UNSATISFIED_NOTES = ("投诉人称退款未到账。", "投诉人认为问题仍未解决。")
NOTES = ("已电话联系投诉人了解详细情况。", "已调取车站监控。", "投诉人补充了照片。", "已催办责任部门。")
SUMMARIES = ("已整改，投诉人满意，结案。", "处理完毕，回访满意。")


def iso(moment: datetime) -> str:
    return moment.astimezone(TZ).replace(microsecond=0).isoformat()


def next_working_moment(moment: datetime, rng: random.Random, gap_hours: tuple[float, float]) -> datetime:
    """A moment some working hours later, inside 09:00-18:00 on a weekday (holidays ignored)."""
    moment = moment + timedelta(minutes=round(rng.uniform(*gap_hours) * 60))
    local = moment.astimezone(TZ)
    while local.weekday() >= 5 or not 9 <= local.hour < 18:
        if local.hour >= 18 or local.weekday() >= 5:
            local = (local + timedelta(days=1)).replace(hour=9, minute=rng.randrange(60), second=0)
        else:
            local = local.replace(hour=9, minute=rng.randrange(60), second=0)
    return local


def action_plan(rng: random.Random, is_open: bool) -> list[str]:
    """The action names of one history, valid under the metro policy, 3-12 events long."""
    if not is_open:
        plan = ["log", "assign"]
        extras = rng.choice((0, 0, 0, 1, 1, 2, 3))
        if extras >= 2 and rng.random() < 0.6:
            plan += ["propose", "reject"]
            extras -= 2
        if extras and rng.random() < 0.5:
            plan.append("assign")  # dispatched again to another department
            extras -= 1
        plan += ["propose", "approve", "finish", "report_result", "respond"]
        if extras and rng.random() < 0.5:
            plan.append("visit:unsatisfied")  # a second visit, satisfied, follows
            extras -= 1
        plan.append("visit")
        if extras:
            plan.insert(rng.randrange(1, len(plan)), "note")
        return [*plan, "close"]
    if rng.random() < 0.1:  # reopened after an unsatisfied visit, back at a department
        plan = ["log", "assign", "propose", "approve", "finish", "report_result", "respond",
                "visit:unsatisfied", "reopen"]
        return plan + rng.choice(([], ["assign"], ["assign", "propose"]))
    path = ["log", "assign", "propose", "approve", "finish", "report_result", "respond", "visit"]
    plan = path[:rng.randint(3, len(path))]
    if plan[-1] == "propose" and rng.random() < 0.3:
        plan += ["reject", "propose"]
    if rng.random() < 0.3:
        plan.insert(rng.randrange(1, len(plan) + 1), "note")
    return plan[:12]


def history_of(rng: random.Random, plan: list[str], received: datetime, channel: str, category: str,
               department: str) -> list[list[tuple[str, str]]]:
    """Each event as its ordered (key, text) pairs; times increase from the intake."""
    events: list[list[tuple[str, str]]] = []
    centre = rng.choice(CENTRE)
    post = DEPARTMENTS[department]
    at = received
    for step in plan:
        action, _, variant = step.partition(":")
        if action == "log":
            if channel in ("phone", "online"):
                at = received + timedelta(minutes=rng.randint(1, 9))
            elif channel in ("letter", "fax"):
                at = next_working_moment(received, rng, (0.5, 6))
        else:
            at = next_working_moment(at, rng, (0.2, 30))
        by = centre
        fields: list[tuple[str, str]] = []
        if action == "assign":
            if events and any(("action", "assign") in e for e in events):
                department = rng.choice([d for d in DEPARTMENTS if d != department])
                post = DEPARTMENTS[department]
            fields = [("to", post), ("department", department)]
        elif action == "propose":
            by = post
            fields = [("opinion", rng.choice(OPINIONS).format(fix=rng.choice(FIXES))),
                      ("cause", CAUSES[category] if rng.random() < 0.7 else "other")]
        elif action == "reject":
            by = rng.choice((centre, MANAGER))
            fields = [("reason", rng.choice(REJECT_REASONS))]
        elif action == "approve":
            by = rng.choice((centre, MANAGER))
            if rng.random() < 0.3:
                fields = [("comment", "同意，请尽快落实。")]
        elif action == "finish":
            by = post
            fields = [("measures", rng.choice(MEASURES))]
        elif action == "report_result":
            by = post
            fields = [("result", rng.choice(RESULTS))]
        elif action == "respond":
            answer, method = rng.choice(ANSWERS)
            fields = [("answer", answer), ("method", method)]
        elif action == "visit":
            if variant == "unsatisfied":
                fields = [("satisfaction", "unsatisfied"), ("notes", rng.choice(UNSATISFIED_NOTES))]
            else:
                fields = [("satisfaction", rng.choice(("very_satisfied", "satisfied", "satisfied"))),
                          ("notes", rng.choice(VISIT_NOTES))]
        elif action == "reopen":
            by = MANAGER
            fields = [("reason", "投诉人对处理结果不满意，重新调查处理。")]
        elif action == "close":
            fields = [("summary", rng.choice(SUMMARIES))]
        elif action == "note":
            by = rng.choice((centre, post))
            fields = [("text", rng.choice(NOTES))]
        events.append([("at", iso(at)), ("by", by), ("action", action), *fields])
    return events


def record_text(complaint_id: str, intake: list[tuple[str, object]], events: list[list[tuple[str, str]]]
                ) -> str:
    """The canonical text (what `yamlio.dump` writes). Values are chosen never to need quoting,
    except the phone number, which is quoted as the dumper quotes digit strings."""
    lines = [f"id: {complaint_id}"]
    for key, value in intake:
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  {sub}: {text}" for sub, text in value)
        else:
            lines.append(f"{key}: {value}")
    lines.append("history:")
    for event in events:
        first, *rest = event
        lines.append(f"  - {first[0]}: {first[1]}")
        lines.extend(f"    {key}: {text}" for key, text in rest)
    return "\n".join(lines) + "\n"


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate(root: Path, count: int, seed: int, now: datetime) -> list[Path]:
    if root.exists() and any(root.iterdir()):
        raise SystemExit(f"{root} exists and is not empty")
    Store.create(root, StoreSettings(policy="metro", office="MT", timezone="Asia/Shanghai", language="zh",
                                     people=PEOPLE))
    rng = random.Random(seed)
    open_from = now - timedelta(days=90)
    closed_until = now - timedelta(days=14)
    sequence: dict[tuple[str, str], int] = {}
    made_dirs: set[Path] = set()
    paths = []
    for _ in range(count):
        is_open = rng.random() < OPEN_SHARE
        lo, hi = (open_from, now) if is_open else (START, closed_until)
        received = (lo + timedelta(seconds=rng.randrange(int((hi - lo).total_seconds())))).astimezone(TZ)
        received = received.replace(second=0, microsecond=0)
        if not 6 <= received.hour < 23:  # the metro runs (and complaints come in) from 06:00 to 23:00
            received = received.replace(hour=rng.randint(7, 21))
        category = weighted(rng, CATEGORY_WEIGHTS)
        channel = weighted(rng, CHANNEL_WEIGHTS)
        department, topics = TOPICS[category]
        subject, description, demands = rng.choice(topics)
        station, line, fare = rng.choice(STATIONS), rng.choice(LINES), rng.choice((3, 4, 5, 6, 7, 10))
        plan = action_plan(rng, is_open)
        events = history_of(rng, plan, received, channel, category, department)
        last = datetime.fromisoformat(events[-1][0][1])
        if last > now:  # the history ran past now: move it all back by whole weeks (same weekdays, hours)
            shift = timedelta(weeks=-((now - last) // timedelta(weeks=1)))
            received -= shift
            events = [[(k, iso(datetime.fromisoformat(v) - shift)) if k == "at" else (k, v) for k, v in e]
                      for e in events]
        complainant: list[tuple[str, object]] = [("name", rng.choice(SURNAMES) + rng.choice(GIVEN))]
        if channel != "letter" or rng.random() < 0.5:
            complainant.append(("phone", f"'1{rng.choice('3456789')}{rng.randrange(10**9):09d}'"))
        if channel == "online" and rng.random() < 0.4:
            complainant.append(("email", f"user{rng.randrange(10**6)}@example.com"))
        intake: list[tuple[str, object]] = [
            ("policy", "metro"), ("office", "MT"), ("received_at", iso(received)), ("channel", channel),
            ("complainant", complainant), ("subject", subject),
            ("description", description.format(station=station, line=line, fare=fare)),
            ("category", category), ("severity", "major" if rng.random() < 0.08 else "normal"),
            ("demands", demands.format(fare=fare)), ("location", station),
        ]
        if "{fare}" in description and rng.random() < 0.7:
            intake.append(("amount", fare))
        day = f"{received:%y%m%d}"
        tag = rng.choice(TAGS)
        number = sequence[day, tag] = sequence.get((day, tag), 0) + 1
        complaint_id = f"MT-{day}-{tag}-{number}"
        folder = root / "complaints" / f"{received:%Y}" / f"{received:%m}"
        if folder not in made_dirs:
            folder.mkdir(parents=True, exist_ok=True)
            made_dirs.add(folder)
        path = folder / f"{complaint_id}.yaml"
        path.write_text(record_text(complaint_id, intake, events), encoding="utf-8")
        paths.append(path)
    return paths


def verify(root: Path, paths: list[Path], sample: int, seed: int) -> None:
    """Canonical text and a clean check for a random sample of the records written."""
    from complaintctl import yamlio
    from complaintctl.check import check_record
    from complaintctl.record import Record

    store = Store.open(root)
    for path in random.Random(seed).sample(paths, min(sample, len(paths))):
        text = path.read_text(encoding="utf-8")
        record = Record.read(path, store.display_path(path))
        if yamlio.dump(record.doc) != text:
            raise SystemExit(f"{path}: not in the canonical format")
        problems = check_record(store, record, store.display_path(path))
        if problems:
            raise SystemExit("\n".join(str(p) for p in problems))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--now", default="2026-11-20T18:00:00+08:00",
                        help="the latest instant of any event (default: %(default)s)")
    parser.add_argument("--verify", type=int, default=200, metavar="K",
                        help="re-read and check K records at random (default: %(default)s)")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now)
    if now.tzinfo is None:
        now = now.replace(tzinfo=TZ)
    t0 = time.perf_counter()
    paths = generate(args.directory, args.count, args.seed, now)
    t1 = time.perf_counter()
    verify(args.directory, paths, args.verify, args.seed)
    t2 = time.perf_counter()
    print(f"{len(paths)} complaints in {args.directory} ({t1 - t0:.1f} s; "
          f"{min(args.verify, len(paths))} verified in {t2 - t1:.1f} s)")


if __name__ == "__main__":
    main()
