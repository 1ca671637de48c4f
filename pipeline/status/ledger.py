"""Events → the ledger: each project's stage, dates, money paid, due and withheld, its 验收
verdict, extensions, and the units suspended from applying.

A pure function of the programme's rules, the events and the day it is drawn up for: the same
events give the same ledger (and ``kexie record`` asks it what is due before taking a payment).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..filters import installments
from .rules import Rules, add_months, catalogue
from .store import Event

ZERO = Decimal("0.00")
#: the ledger's columns, in order (the Excel sheet 「项目台账」 and the terminal table)
COLUMNS = ("单位", "当前阶段", "申报", "形式审查", "补正", "评审", "公示", "任务书", "资助金额", "中期评审",
           "验收结论", "延期次数", "结项期限", "已拨付", "待拨付", "不予拨付", "暂停申报至", "说明")
DATE_COLUMNS = ("申报", "形式审查", "补正", "评审", "公示", "任务书")
MONEY_COLUMNS = ("资助金额", "已拨付", "待拨付", "不予拨付")
SUSPENSION_COLUMNS = ("单位", "原因", "起始", "截止", "计划")


@dataclass
class Project:
    """One unit's events in one programme, oldest first."""

    unit: str
    events: list[Event] = field(default_factory=list)

    def of(self, kind: str, on: _dt.date | None = None) -> list[Event]:
        return [e for e in self.events if e.kind == kind and (on is None or e.date <= on)]

    def latest(self, kind: str, on: _dt.date | None = None) -> Event | None:
        found = self.of(kind, on)
        return found[-1] if found else None


@dataclass
class Money:
    due: Decimal = ZERO  # every installment whose condition is met by the day
    paid: Decimal = ZERO
    withheld: Decimal = ZERO  # installments whose condition failed (中期不通过, 验收未通过)
    notes: list[str] = field(default_factory=list)


def projects_of(events: list[Event]) -> list[Project]:
    """The projects, in the order their first event happened (a unit's spellings fold together)."""
    projects: dict[str, Project] = {}
    for event in events:
        projects.setdefault(event.key, Project(event.unit)).events.append(event)
    return list(projects.values())


def money(project: Project, rules: Rules, on: _dt.date) -> Money:
    """What the project has been paid, and what is due and withheld by ``on`` (seed 004: no 尾款
    when the 中期评审 fails; the programme's 经费.支付 条件 say which stage waits for what)."""
    out = Money(paid=sum((e.amount for e in project.of("拨款", on) if e.amount), ZERO))
    signed = project.latest("任务书", on)
    if signed is None or signed.amount is None or not rules.payments:
        return out
    conditions = catalogue().conditions
    for stage in installments(signed.amount, rules.payments):
        condition = conditions[stage["条件"]]
        event = project.latest(condition["事件"], on)
        if event is None:
            continue
        if "结论" in condition:
            met = event.result in condition["结论"]
        elif condition.get("通过"):
            met = event.result in rules.verdicts and rules.verdicts[event.result].passed
        else:
            met = True
        if met:
            out.due += stage["金额"]
        else:
            out.withheld += stage["金额"]
            out.notes.append(f"{catalogue().kinds[event.kind].meaning}{event.result}，「{stage['阶段']}」"
                             f"一期（{stage['金额']:,.2f}元）不予拨付")
    return out


def extension_end(project: Project, rules: Rules, on: _dt.date) -> _dt.date | None:
    """The project's end with its extensions (试点期间.结束 plus their months)."""
    if rules.period_end is None:
        return None
    return add_months(rules.period_end, sum(e.months or 0 for e in project.of("延期", on)))


def stage_of(project: Project, on: _dt.date) -> str:
    cat = catalogue()
    reached = [cat.kinds[e.kind].stage for e in project.events if e.date <= on and cat.kinds[e.kind].stage]
    return max(reached, key=cat.stages.index) if reached else ""


def suspensions(events: list[Event], on: _dt.date) -> list[dict]:
    """The units that may not apply on ``on``: who, why, from and until when, which programme."""
    out = []
    for event in events:
        if event.suspended_until and event.date <= on < event.suspended_until:
            reason = event.result or catalogue().kinds[event.kind].meaning
            out.append({"单位": event.unit, "原因": reason, "起始": event.date.isoformat(),
                        "截止": event.suspended_until.isoformat(), "计划": event.program})
    return out


def row_of(project: Project, rules: Rules, on: _dt.date) -> dict:
    """The project's line in the ledger."""
    row = dict.fromkeys(COLUMNS, "")
    row["单位"], row["当前阶段"] = project.unit, stage_of(project, on)
    for column in DATE_COLUMNS:
        found = project.of(column, on)
        row[column] = found[0].date.isoformat() if found else ""
    signed = project.latest("任务书", on)
    pay = money(project, rules, on)
    row["资助金额"] = signed.amount if signed and signed.amount is not None else ""
    for column, kind in (("中期评审", "中期"), ("验收结论", "验收")):
        event = project.latest(kind, on)
        row[column] = f"{event.result}（{event.date.isoformat()}）" if event else ""
    extensions = project.of("延期", on)
    row["延期次数"] = len(extensions)
    end = extension_end(project, rules, on) if signed else None
    row["结项期限"] = end.isoformat() if end else ""
    row["已拨付"], row["待拨付"], row["不予拨付"] = pay.paid, max(pay.due - pay.paid, ZERO), pay.withheld
    notes = list(pay.notes)
    if extensions:
        notes.append(f"已延期{len(extensions)}次（至多{rules.max_extensions}次，每次至多{rules.extension_months}个月）")
    barred = suspensions(project.events, on)
    if barred:
        row["暂停申报至"] = max(s["截止"] for s in barred)
        notes.extend(f"{s['原因']}，暂停申报资格至{s['截止']}" for s in barred)
    row["说明"] = "；".join(notes)
    return row


def ledger(events: list[Event], rules: Rules, on: _dt.date) -> tuple[list[dict], list[dict]]:
    """(one row per project, the suspensions in force on ``on``) of one programme's events."""
    shown = [e for e in events if e.date <= on]
    return [row_of(p, rules, on) for p in projects_of(shown)], suspensions(shown, on)
