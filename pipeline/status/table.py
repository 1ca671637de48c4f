"""The ledger as people read it: an Excel workbook (pipeline/xlsx.py) and a terminal table."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from ..xlsx import add_table, new_book, to_bytes
from .ledger import COLUMNS, MONEY_COLUMNS, SUSPENSION_COLUMNS
from .store import Event

EVENT_COLUMNS = ("单位", "事件", "日期", "结论", "月数", "金额", "暂停申报至", "记录人", "说明")
#: the columns the terminal shows (the workbook has them all)
TERMINAL_COLUMNS = ("单位", "当前阶段", "任务书", "资助金额", "中期评审", "验收结论", "延期次数", "已拨付",
                    "待拨付", "不予拨付", "说明")
_WIDTHS = {"单位": 28, "当前阶段": 10, "中期评审": 20, "验收结论": 24, "结项期限": 12, "暂停申报至": 12,
           "说明": 60, "原因": 16, "计划": 36, **{c: 14 for c in MONEY_COLUMNS}}
_MONEY_FORMAT = "#,##0.00"


def _cell(value):
    # amounts stay numbers in the workbook, so a clerk can add them up
    return float(value) if isinstance(value, Decimal) else value


def workbook(rows: list[dict], barred: list[dict], events: list[Event]) -> bytes:
    """「项目台账」 (one row per project), 「暂停申报」, 「事件」 (everything recorded)."""
    book = new_book()
    add_table(book, "项目台账", COLUMNS, ([_cell(r[c]) for c in COLUMNS] for r in rows), widths=_WIDTHS,
              wrap=("说明",), number_formats={c: _MONEY_FORMAT for c in MONEY_COLUMNS})
    add_table(book, "暂停申报", SUSPENSION_COLUMNS, ([s[c] for c in SUSPENSION_COLUMNS] for s in barred),
              widths=_WIDTHS)
    add_table(book, "事件", EVENT_COLUMNS, ([e.unit, e.kind, e.date.isoformat(), e.result, e.months or "",
                                            float(e.amount) if e.amount is not None else "",
                                            e.suspended_until.isoformat() if e.suspended_until else "", e.by, e.note]
                                           for e in events), widths=_WIDTHS, number_formats={"金额": _MONEY_FORMAT})
    return to_bytes(book)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _text(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def terminal(rows: list[dict], barred: list[dict], program: str, on) -> str:
    """The ledger as aligned columns (Chinese characters count two), then the suspensions."""
    lines = [f"{program}：项目台账（截至{on.isoformat()}，共 {len(rows)} 个项目）"]
    cells = [[_text(r[c]) for c in TERMINAL_COLUMNS] for r in rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(TERMINAL_COLUMNS)]
    for line in [list(TERMINAL_COLUMNS), *cells]:
        lines.append("  ".join(v + " " * (w - _width(v)) for v, w in zip(line, widths)).rstrip())
    if barred:
        lines.append("暂停申报资格：")
        lines.extend(f"  {s['单位']}：{s['原因']}，{s['起始']}起至{s['截止']}（{s['计划']}）" for s in barred)
    return "\n".join(lines)
