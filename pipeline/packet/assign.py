"""Who reviews what: each submission to one group, and to that group's experts but those with a
conflict of interest (their 单位 or 回避单位 is one of the submission's units, 科协 short forms too)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import GroupWithoutExperts
from ..text import fold
from .experts import Expert
from .redact import short_forms
from .submissions import Submission


@dataclass
class Decision:
    """One (submission, expert of its group) pair: reviewed, or withheld with the reason."""

    submission: Submission
    expert: Expert
    reason: str = ""  # 「回避：…」 when the expert must not receive it

    @property
    def reviews(self) -> bool:
        return not self.reason


@dataclass
class Plan:
    groups: list[str]
    experts: list[Expert]
    decisions: list[Decision]
    unreviewed: list[Submission]  # assigned, but every expert of the group has a conflict

    def packet_of(self, expert: Expert) -> list[Submission]:
        return [d.submission for d in self.decisions if d.expert is expert and d.reviews]


def conflict(expert: Expert, submission: Submission) -> str:
    """Why ``expert`` must not review ``submission`` (「回避：…」), or "" when free to."""
    own = _unit_keys(expert.unit)
    avoided = set().union(*(_unit_keys(u) for u in expert.avoid)) if expert.avoid else set()
    for role, unit in submission.units:
        keys = _unit_keys(unit)
        if not keys:
            continue
        if keys & own:
            return f"回避：本人单位为{role}"
        if keys & avoided:
            return f"回避：回避单位含{role}（{unit}）"
    return ""


def _unit_keys(unit: str) -> set[str]:
    """A unit compared without whitespace, and by its short form (科学技术协会 → 科协)."""
    unit = (unit or "").strip()
    if not fold(unit) or fold(unit) in ("/", "无"):
        return set()
    return {fold(unit)} | {fold(s) for s in short_forms(unit)}


def assign(submissions: list[Submission], experts: list[Expert]) -> Plan:
    """Each included submission to one group, and to that group's experts without a conflict."""
    groups = list(dict.fromkeys(e.group for e in experts))
    members = {g: [e for e in experts if e.group == g] for g in groups}
    included = [s for s in submissions if not s.reason]
    missing: dict[str, list[str]] = {}
    for item in included:
        if item.group and item.group not in members:
            missing.setdefault(item.group, []).append(item.file.name)
    if missing:
        group, files = next(iter(missing.items()))
        raise GroupWithoutExperts(group, files, groups)
    load = {g: [0, 0] for g in groups}  # pages, submissions
    for item in included:
        if item.group:
            load[item.group][0] += item.pages
            load[item.group][1] += 1
    for item in included:  # already in file-name order
        if item.group:
            continue
        order = sorted(groups, key=lambda g: (load[g][0], load[g][1], groups.index(g)))
        # Prefer a group where someone may review it; balance by pages, then by count.
        free = [g for g in order if any(not conflict(e, item) for e in members[g])]
        item.group = (free or order)[0]
        load[item.group][0] += item.pages
        load[item.group][1] += 1
    decisions, unreviewed = [], []
    for item in included:
        pairs = [Decision(item, expert, conflict(expert, item)) for expert in members[item.group]]
        decisions += pairs
        if not any(d.reviews for d in pairs):
            unreviewed.append(item)
    return Plan(groups=groups, experts=experts, decisions=decisions, unreviewed=unreviewed)

