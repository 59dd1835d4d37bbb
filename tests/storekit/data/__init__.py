"""Realism tables for benchmarks/make_store.py: one module per shipped policy, and what they share.

Each policy module defines `DATA`, a `PolicyData`: the office's people and departments, what its
complaints are about (per category: the department that takes them, subjects, descriptions and
demands), how often each category, channel and severity comes in, and phrase banks for the text
fields of its actions. The walk (benchmarks/store_walk.py) knows nothing about any policy: it reads
these tables by action and field name.

Keys of `texts`, `choices`, `person_roles` and `optional_share` are `action.field` (most specific) or
`field`; `choices` and `texts` may also be keyed `action.field@CATEGORY`, and `texts`
`action.field@CODE` (the phrases when a choice field of the same event has that code). Text
templates are `str.format` templates over the complaint's context (`context()` of the policy plus
`name`, `mr`, `subject`, `department`, `amount`, and what `intake()` adds).
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

POLICIES = ("metro", "tourism", "wedding", "manufacturing", "service")

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯"
            "邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈")
SURNAME_PINYIN = dict(zip(SURNAMES, (
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu",
    "hu", "guo", "he", "lin", "luo", "gao", "zheng", "liang", "xie", "song", "tang", "xu", "han", "feng",
    "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "pan", "yuan", "cai", "jiang", "yu", "yu", "du",
    "ye", "cheng", "wei", "su", "lv", "ding", "ren", "shen"), strict=True))
GIVEN = (("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("磊", "lei"),
         ("洋", "yang"), ("艳", "yan"), ("勇", "yong"), ("军", "jun"), ("杰", "jie"), ("娟", "juan"),
         ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀英", "xiuying"), ("霞", "xia"), ("平", "ping"),
         ("刚", "gang"), ("桂英", "guiying"), ("建华", "jianhua"), ("晓东", "xiaodong"), ("雪梅", "xuemei"),
         ("志强", "zhiqiang"), ("海燕", "haiyan"), ("子涵", "zihan"), ("浩然", "haoran"), ("欣怡", "xinyi"),
         ("宇轩", "yuxuan"), ("梓萱", "zixuan"), ("婷婷", "tingting"), ("俊杰", "junjie"), ("丽华", "lihua"))
FEMALE = {"芳", "娜", "敏", "静", "艳", "娟", "秀英", "霞", "桂英", "雪梅", "海燕", "子涵", "欣怡", "梓萱",
          "婷婷", "丽华"}
MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "139.com")
CITY_CODES = ("010", "021", "020", "0755", "028", "027", "025", "0571", "023", "029")

# Phrases any policy may fall back on, by field name.
COMMON_TEXTS: dict[str, tuple[str, ...]] = {
    "comment": ("同意，请尽快落实。", "同意该方案，注意跟进客户反馈。", "已审核，按方案执行。"),
    "notes": ("已记录。", "客户无其他意见。", "已电话沟通，情况已记录在案。"),
    "reason": ("{mr}对处理结果不满意，要求重新处理。", "处理意见依据不足，请补充。"),
    "summary": ("已处理完毕，{mr}表示满意，结案。", "问题已解决，回访满意，结案。"),
    "opinion": ("{mr}认可该方案。", "{mr}希望尽快落实。"),
    "extend.reason": ("情况复杂，需进一步核实，已告知{mr}预计处理时间。",
                      "需与合作方协调，处理时间延长，已向{mr}说明。"),
}
COMMON_NOTES = ("已电话联系{mr}了解详细情况。", "{mr}来电催问处理进度，已告知正在处理。",
                "已将{mr}补充的材料存档。", "已提醒经办人注意处理时限。",
                "{mr}表示下午不方便接电话，改为明日联系。")


@dataclass(frozen=True)
class PolicyData:
    policy: str
    office: str
    tags: tuple[str, ...]  # the clones' id tags, the first one typing in most complaints
    people: tuple[tuple[str, tuple[str, ...], str], ...]  # name, roles, mailbox
    departments: dict[str, tuple[str, ...]]  # department → the people who take its complaints
    # category → (department, ((subject, description, demands), ...)); templates over the context
    topics: dict[str, tuple[str, tuple[tuple[str, str, str], ...]]]
    category_weights: dict[str, float]
    channel_weights: dict[str, float]
    severity_weights: dict[str, float]
    context: Callable[[random.Random], dict[str, Any]]
    # more intake fields (location, service.*, reference, amount, risk): (rng, context, category, channel)
    intake: Callable[[random.Random, dict[str, Any], str, str], dict[str, Any]]
    loggers: dict[str, tuple[str, ...]]  # channel (or '*') → roles of the people who log it
    texts: dict[str, tuple[str, ...]]
    choices: dict[str, dict[Any, float]] = field(default_factory=dict)
    person_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    action_weights: dict[str, float] = field(default_factory=dict)  # 'action' or 'action@category'
    optional_share: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = COMMON_NOTES
    prefer_fields: tuple[str, ...] = ()  # facts naming who acts next when they may (e.g. tracker)
    office_channels: tuple[str, ...] = ("letter", "fax", "email")  # come in during office hours
    amounts: tuple[int, ...] = (50, 100, 200, 300, 500, 800, 1000, 1500, 2000)

    def text_for(self, action: str, name: str) -> tuple[str, ...]:
        return (self.texts.get(f"{action}.{name}") or self.texts.get(name)
                or COMMON_TEXTS.get(f"{action}.{name}") or COMMON_TEXTS.get(name) or ())

    def lookup(self, table: dict[str, Any], action: str, name: str) -> Any:
        return table.get(f"{action}.{name}", table.get(name))

    def person_of(self, name: str) -> tuple[str, tuple[str, ...], str]:
        for person in self.people:
            if person[0] == name:
                return person
        raise KeyError(name)


def load(policy: str) -> PolicyData:
    if policy not in POLICIES:
        raise SystemExit(f"no realism tables for policy {policy!r} (one of {', '.join(POLICIES)})")
    data: PolicyData = importlib.import_module(f"{__name__}.{policy}").DATA
    return data


def weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def person_name(rng: random.Random) -> tuple[str, str, bool]:
    """(汉字 name, pinyin, female?)."""
    surname = rng.choice(SURNAMES)
    given, pinyin = rng.choice(GIVEN)
    return surname + given, SURNAME_PINYIN[surname] + pinyin, given in FEMALE


def complainant(rng: random.Random, channel: str, *, company: str | None = None
                ) -> tuple[dict[str, Any], str]:
    """The complainant's intake fields and how staff address them (张先生, 李女士)."""
    name, pinyin, female = person_name(rng)
    mr = name[0] + ("女士" if female else "先生")
    fields: dict[str, Any] = {"complainant.name": f"{name}（{company}）" if company else name}
    if channel not in ("letter", "referral") or rng.random() < 0.6:
        if rng.random() < 0.85:
            fields["complainant.phone"] = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        else:
            number = f"{rng.randint(5, 8)}{rng.randrange(10**7):07d}"
            fields["complainant.phone"] = f"{rng.choice(CITY_CODES)}-{number}"
    if channel in ("email", "online") and rng.random() < 0.7 or rng.random() < 0.05:
        local = pinyin + (str(rng.randint(1, 99)) if rng.random() < 0.6 else "")
        fields["complainant.email"] = f"{local}@{rng.choice(MAIL_DOMAINS)}"
    if rng.random() < 0.08:
        fields["complainant.contact"] = f"微信号 {pinyin}_{rng.randint(100, 999)}"
    return fields, mr
