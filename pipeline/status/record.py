"""Recording what happened to a project (kexie record): each event checked against the
programme's rules and the unit's history, all of a batch in one transaction.

Refused, with the unit and the reason, and nothing written: a kind the ledger does not know, a
result the kind does not take; a 中期/验收/延期/拨款 for a unit without a 任务书 (责任书); an
extension past the programme's limit (seed 003 第十四条: 6 months, at most twice); a payment above
what is due by its day (seed 004: no 尾款 when the 中期评审 fails).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace

from ..errors import LedgerRefused, UsageProblem
from ..forms.schema import suggest
from .ledger import Project, money, projects_of
from .rules import Rules, add_years, catalogue
from .store import Event, insert_event, open_events, read_events


def check_event(event: Event, project: Project, rules: Rules) -> Event:
    """The event as it will be kept (default months, its suspension's end), or LedgerRefused."""
    cat = catalogue()
    kind = cat.kinds.get(event.kind)
    if kind is None:
        raise UsageProblem(f"没有「{event.kind}」这种事件{suggest(event.kind, cat.kinds)}；"
                           f"可记的事件：{'、'.join(cat.kinds)}")
    unit = event.unit
    allowed = rules.results_of(kind)
    if allowed and event.result not in allowed:
        said = f"「{event.result}」不是" if event.result else "没有写明"
        raise LedgerRefused(unit, f"的{kind.meaning}结论{said}计划「{rules.program}」规定的结论"
                                  f"（{'、'.join(allowed)}），请用 --result 写明")
    if not allowed and event.result:
        raise LedgerRefused(unit, f"：「{event.kind}」没有结论，不应写「{event.result}」")
    if kind.amount and (event.amount is None or event.amount <= 0):
        raise LedgerRefused(unit, f"：「{event.kind}」须写明{kind.amount}（--amount，大于0的元数）")
    if not kind.amount and event.amount is not None:
        raise LedgerRefused(unit, f"：「{event.kind}」不写金额")
    if kind.months:
        event = replace(event, months=event.months or rules.extension_months)
        if not 0 < event.months <= rules.extension_months:
            raise LedgerRefused(unit, f"延期结项 {event.months} 个月，超过计划「{rules.program}」规定的每次至多 "
                                      f"{rules.extension_months} 个月")
    elif event.months is not None:
        raise LedgerRefused(unit, f"：「{event.kind}」不写月数")
    if kind.needs and not project.of(kind.needs, event.date):
        raise LedgerRefused(unit, f"截至{event.date.isoformat()}没有{cat.kinds[kind.needs].meaning}的记录"
                                  f"（计划「{rules.program}」）：未签订任务书（责任书）的项目不能记{kind.meaning}；"
                                  f"如已签订，请先记「kexie record {kind.needs}」")
    if event.kind == "任务书" and project.of("任务书"):
        raise LedgerRefused(unit, f"已于{project.of('任务书')[0].date.isoformat()}签订任务书（责任书），不能再记一次")
    if kind.months:
        used = len(project.of("延期"))
        if used + 1 > rules.max_extensions:
            raise LedgerRefused(unit, f"已延期结项 {used} 次，计划「{rules.program}」规定延期至多 "
                                      f"{rules.max_extensions} 次（每次 {rules.extension_months} 个月），"
                                      f"第 {used + 1} 次延期不予记录")
    if event.kind == "拨款":
        pay = money(project, rules, event.date)
        owed = pay.due - pay.paid
        if event.amount > owed:
            why = f"（{'；'.join(pay.notes)}）" if pay.notes else ""
            raise LedgerRefused(unit, f"截至{event.date.isoformat()}应拨付 {pay.due:,.2f} 元、已拨付 {pay.paid:,.2f} 元，"
                                      f"本次拨付 {event.amount:,.2f} 元超过尚应拨付的 {owed:,.2f} 元{why}")
    years = rules.suspension_years(kind, event.result)
    return replace(event, program=rules.program,
                   suspended_until=add_years(event.date, years) if years else None)


def _same(event: Event, kept: Event, rules: Rules) -> bool:
    """Whether ``event`` is ``kept`` recorded again (a rerun of the same command or file)."""
    months = event.months or (rules.extension_months if catalogue().kinds[event.kind].months else None)
    return (kept.kind, kept.date, kept.result, kept.months, kept.amount) == \
        (event.kind, event.date, event.result, months, event.amount)


def record_events(workspace, rules: Rules, events: list[Event],
                  labels: list[str] | None = None) -> tuple[list[Event], list[Event]]:
    """Check and keep ``events`` (in their order) in one transaction: all of them, or — when one is
    refused — none, the error naming it (``labels``: how to name each, 「第3行」). An event the
    workspace already holds (same unit, kind, day, result, months, amount) is not kept twice.
    Returns (kept, already there)."""
    db = open_events(workspace)
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            known = {p.events[0].key: p for p in projects_of(read_events(db, rules.program))}
            kept, again = [], []
            # in the order things happened, whatever the order of the file: a 拨款 listed before the
            # 中期 it waits for is checked after it
            order = sorted(range(len(events)), key=lambda i: events[i].date)
            for i in order:
                event = events[i]
                project = known.setdefault(event.key, Project(event.unit))
                if event.kind in catalogue().kinds and any(_same(event, e, rules) for e in project.events):
                    again.append(event)
                    continue
                try:
                    event = check_event(event, project, rules)
                except LedgerRefused as exc:
                    if labels:
                        raise LedgerRefused(exc.unit, exc.reason, labels[i]) from None
                    raise
                insert_event(db, event)
                project.events.append(event)
                project.events.sort(key=lambda e: e.date)
                kept.append(event)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    finally:
        db.close()
    return kept, again


def event_from_fields(fields: dict, label: str, by: str = "") -> Event:
    """An event from a row of an events file (单位, 事件, 日期, 结论, 月数, 金额, 说明)."""
    from ..dates import as_date
    from ..numbers import to_decimal

    def text(key):
        value = fields.get(key)
        return "" if value is None else str(value).strip()

    missing = [k for k in ("单位", "事件", "日期") if not text(k)]
    if missing:
        raise UsageProblem(f"{label}：没有填写「{'」「'.join(missing)}」")
    try:
        day = as_date(fields["日期"] if isinstance(fields["日期"], _dt.date) else text("日期"))
        amount = to_decimal(fields["金额"]) if text("金额") else None
        months = _whole(fields["月数"]) if text("月数") else None
    except ValueError as exc:
        raise UsageProblem(f"{label}：{exc}") from None
    return Event(text("单位"), text("事件"), day, text("结论"), months, amount, by, text("说明"))


def _whole(value) -> int:
    """A count of months as typed in a file: 6, 6.0 (Excel), 「6」; else ValueError in Chinese."""
    from ..numbers import to_decimal

    try:
        number = to_decimal(value)
    except ValueError:
        number = None
    if number is None or number != number.to_integral_value() or number <= 0:
        raise ValueError(f"月数「{value}」应为正整数，如 6")
    return int(number)
