"""Who may not apply: the suspensions kept in the workspace, for ``kexie validate`` to warn of
(seed 003 第十五条: 2 years after 暂缓验收/验收不通过; seed 001: 3 years for 弄虚作假)."""

from __future__ import annotations

import datetime as _dt

from ..text import fold
from .ledger import suspensions
from .store import load_events


def suspension_problems(units: list[str], workspace, on: _dt.date) -> list[list[str]]:
    """For each unit (as read from a form), the sentences saying why it may not apply on ``on``
    (an empty list for a unit free to apply), from every programme's events in the workspace."""
    barred: dict[str, list[dict]] = {}
    for entry in suspensions([e for e in load_events(workspace) if e.suspended_until], on):
        barred.setdefault(fold(entry["单位"]), []).append(entry)
    out = []
    for unit in units:
        out.append([f"因「{s['原因']}」（{s['计划']}，{s['起始']}）暂停项目申报资格至{s['截止']}，"
                    f"{on.isoformat()}仍在暂停期内，请核实是否受理" for s in barred.get(fold(unit), []) if unit])
    return out
