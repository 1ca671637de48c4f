"""The ledger's rules: the event kinds and stages (pipeline/data/project_events.yaml) and a
programme's own rules (its 「验收」 and 「经费.支付」 keys, seed 003's where it says nothing)."""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EVENTS_FILE = Path(__file__).resolve().parent.parent / "data" / "project_events.yaml"
_KIND_KEYS = {"阶段", "说明", "结论", "金额", "月数", "需要", "暂停申报"}


@dataclass(frozen=True)
class EventKind:
    """One kind of event staff record (「中期」, 「延期」 …) as project_events.yaml declares it."""

    name: str
    meaning: str
    stage: str = ""
    results: tuple | str = ()  # the results it takes; 「计划」: the programme's 验收 verdicts
    amount: str = ""  # what its amount is called, when it needs one
    months: bool = False
    needs: str = ""  # the event the unit must have had before
    suspends: str = ""  # the rules key giving the years of suspension it brings


@dataclass(frozen=True)
class Catalogue:
    stages: tuple
    kinds: dict
    defaults: dict
    default_conditions: dict
    conditions: dict
    roster_columns: dict  # 单位/金额 → the columns of a roster they are read from
    report_results: dict  # a 形式审查 report's status → the 形式审查 result


@functools.lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The stages and event kinds; the file is ours, so a mistake in it is a bug caught by tests."""
    data = yaml.safe_load(EVENTS_FILE.read_text(encoding="utf-8"))
    kinds = {}
    for name, spec in data["事件"].items():
        unknown = set(spec) - _KIND_KEYS
        if unknown or "说明" not in spec:
            raise ValueError(f"project_events.yaml: event {name!r} has {sorted(unknown)}")
        results = spec.get("结论") or ()
        kinds[name] = EventKind(name, spec["说明"], spec.get("阶段", ""),
                                results if isinstance(results, str) else tuple(results),
                                spec.get("金额", ""), bool(spec.get("月数")), spec.get("需要", ""),
                                spec.get("暂停申报", ""))
    return Catalogue(tuple(data["阶段"]), kinds, data["默认规则"], data["默认拨付条件"], data["拨付条件"],
                     data["名单列"], data["形式审查结论"])


@dataclass(frozen=True)
class VerdictRule:
    name: str
    passed: bool = False
    suspend_years: int = 0


@dataclass
class Rules:
    """What one programme says about its projects' year."""

    program: str
    verdicts: dict = field(default_factory=dict)  # 结论 → VerdictRule
    extension_months: int = 6
    max_extensions: int = 2
    fraud_years: int = 3
    payments: list = field(default_factory=list)  # 经费.支付, each with its 条件
    period_end: _dt.date | None = None
    deadline: _dt.date | None = None  # 日期.截止: when applicants must be eligible

    def results_of(self, kind: EventKind) -> tuple:
        return tuple(self.verdicts) if kind.results == "计划" else tuple(kind.results)

    def suspension_years(self, kind: EventKind, result: str) -> int:
        """Years a unit may not apply after this event (0: none)."""
        if kind.suspends:
            return int(getattr(self, _SUSPENSION_KEYS[kind.suspends]))
        if kind.results == "计划" and result in self.verdicts:
            return self.verdicts[result].suspend_years
        return 0


#: the programme's 验收 keys, as the attributes of Rules that hold them
_SUSPENSION_KEYS = {"弄虚作假年数": "fraud_years"}


def rules_of(program: dict) -> Rules:
    """The ledger's rules for a loaded programme (pipeline.program.load_program): its 「验收」 keys
    (pipeline/data/program_schema.yaml), each missing one taken from seed 003/001's defaults."""
    cat = catalogue()
    own = {k: v for k, v in (program.get("验收") or {}).items() if v is not None}
    defaults = cat.defaults
    verdicts = [str(v) for v in own.get("结论") or defaults["结论"]]
    passed = set(map(str, own.get("通过") or ([verdicts[0]] if "结论" in own else defaults["通过"])))
    extension = {**defaults["延期"], **(own.get("延期") or {})}
    suspension = {**defaults["暂停申报"], **(own.get("暂停申报") or {})}
    suspending = set(map(str, suspension["结论"]))
    rules = {v: VerdictRule(v, v in passed, int(suspension["年数"]) if v in suspending else 0) for v in verdicts}
    payments = []
    for i, stage in enumerate((program.get("经费") or {}).get("支付") or []):
        fallback = cat.default_conditions["第一期" if i == 0 else "其余"]
        payments.append({**stage, "条件": stage.get("条件") or fallback})
    period = program.get("试点期间") or {}
    return Rules(str(program.get("名称", "")), rules, int(extension["每次月数"]), int(extension["最多次数"]),
                 int(suspension["弄虚作假年数"]), payments, period.get("结束"),
                 (program.get("日期") or {}).get("截止"))


def add_months(day: _dt.date, months: int) -> _dt.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: _dt.date, years: int) -> _dt.date:
    return add_months(day, 12 * years)
