"""Rules against the programme file: each names, in the form definition, the programme key it
reads and the wording it reports (seed 004: 项目周期原则上为1年, 申报截止, 文件名为“申报单位”;
seed 000 第十七条: 不得列支的费用)."""

from __future__ import annotations

from pathlib import Path

from ..dates import months_between, parse_date, parse_period
from ..forms import flat_items, key_matches
from ..text import fold
from .problems import Problem


def check_program(rules: list[dict], entry: dict, fields: dict, program: dict, exempt: set[str], where) -> list[Problem]:
    """The problems of one submission against the programme, rule by rule."""
    problems = []
    for rule in rules:
        problems.extend(_RULES[rule["rule"]](rule, entry, fields, program, exempt, where))
    return problems


def program_value(program: dict, key: str):
    """The programme's value at a dotted key (「日期.截止」); None where the programme has none."""
    value = program
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _severity(rule: dict) -> str:
    return rule.get("severity", "error")


def _period_within(rule, entry, fields, program, exempt, where):
    key, span = rule["field"], program_value(program, rule["program"])
    period = parse_period(fields.get(key) or "")
    if key in exempt or not period or not span:
        return []
    first, last = (span["开始"].year, span["开始"].month), (span["结束"].year, span["结束"].month)
    if period[0] >= first and period[1] <= last:
        return []
    message = rule["message"].format(开始=f"{span['开始']:%Y年%-m月}", 结束=f"{span['结束']:%Y年%-m月}")
    return [Problem(key, "rule", message, severity=_severity(rule), **where(key))]


def _max_months(rule, entry, fields, program, exempt, where):
    key, months = rule["field"], program_value(program, rule["program"])
    period = parse_period(fields.get(key) or "")
    if key in exempt or not period or not months or months_between(*period) <= months:
        return []
    return [Problem(key, "rule", rule["message"].format(月数=months), severity=_severity(rule), **where(key))]


def _not_after(rule, entry, fields, program, exempt, where):
    deadline = program_value(program, rule["program"])
    problems = []
    for key in rule["fields"]:
        day = parse_date(fields.get(key) or "")
        if key not in exempt and day and deadline and day > deadline:
            message = rule["message"].format(日期=f"{deadline:%Y年%-m月%-d日}")
            problems.append(Problem(key, "rule", message, severity=_severity(rule), **where(key)))
    return problems


def _file_named_after(rule, entry, fields, program, exempt, where):
    value = fields.get(rule["field"])
    expected = fold(value or "")
    stem = fold(Path(entry.get("file", "")).stem)
    if not isinstance(value, str) or not expected or expected == "/" or expected in stem:
        return []
    return [Problem("文件名", "rule", rule["message"].format(值=value.strip()), severity=_severity(rule))]


def _forbidden(rule, entry, fields, program, exempt, where):
    """A value that holds one of the programme's words for expenses it forbids (禁止支出)."""
    terms = [t for t in program_value(program, rule["program"]) or [] if fold(t)]
    quoted = program_value(program, rule["quote"]) or [] if rule.get("quote") else []
    problems, seen_rows = [], set()
    for key, value in flat_items(fields):
        if key.split("[")[0] in exempt or not isinstance(value, str):
            continue
        if not any(key_matches(pattern, key) for pattern in rule["fields"]):
            continue
        row = key.split("].")[0] if "[" in key else key
        if row in seen_rows:
            continue  # one problem for a row, however many of its cells say it
        term = next((t for t in terms if fold(t) in fold(value)), None)
        if term is None:
            continue
        seen_rows.add(row)
        basis = next((item for item in quoted if fold(term) in fold(item)), term)
        message = rule["message"].format(值=value.strip(), 关键词=term, 依据=basis)
        problems.append(Problem(key, "rule", message, severity=_severity(rule), **where(key.split("[")[0])))
    return problems


_RULES = {"period_within": _period_within, "max_months": _max_months, "not_after": _not_after,
          "file_named_after": _file_named_after, "forbidden": _forbidden}
