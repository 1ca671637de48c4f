"""The rules of one submission, as its form's ``checks`` section declares them.

Every rule here is a kind of rule; what it applies to and what it says come from the form
definition (``pipeline/forms/*.yaml``): 「所有空表均需填写，如无内容请填“/”」 (seed 004), rows
filled whole, seals and signatures, exemptions, formats, comparisons. The programme's rules are
:mod:`pipeline.validate.program_rules`. What the reader could not tell becomes a ``review``
problem (需人工核对), never a confident one.
"""

from __future__ import annotations

from decimal import Decimal

from ..dates import nonexistent_written_date
from ..forms import FormDefinition, flat_items
from ..forms.formats import format_name, satisfies
from ..numbers import parse_number
from ..text import fold
from .problems import Problem
from .program_rules import check_program

#: a value read with less confidence than this (the lowest recognition score of its words) does
#: not make a problem on its own: a person checks it (PP-OCR scores a clean line of print 0.95+)
CONFIDENCE_MIN = 0.75


def check_entry(entry: dict, form: FormDefinition, program: dict | None = None) -> list[Problem]:
    """Every problem of one extracted file, by the form's ``checks`` and the programme."""
    checks = form.checks or {}
    fields = entry.get("fields") or {}
    locations = entry.get("locations") or {}
    marks = entry.get("marks") or {}
    problems: list[Problem] = []

    def where(key: str) -> dict:
        loc = locations.get(key) or marks.get(key) or locations.get(key.split("[")[0]) or {}
        return {"page": loc.get("page"), "bbox": loc.get("bbox")}

    exempt = exempted(checks, fields)
    doubts = entry.get("doubts") or []
    unread = {d["field"] for d in doubts}  # what the reader could not read is no blank
    for doubt in doubts:
        if doubt["field"].split("[")[0] not in exempt:
            problems.append(Problem(doubt["field"], "review", f"需人工核对：{doubt['message']}",
                                    severity="review", **where(doubt["field"].split("[")[0])))
    blank = checks.get("blank") or {}
    blank_message = blank.get("message", "未填写")
    mark_rules = checks.get("marks") or {}
    row_rules = checks.get("rows") or {}
    for spec in form.fields:
        key = spec.key
        if key in exempt:
            continue
        value = fields.get(key)
        if key in mark_rules:
            problems.extend(_check_mark(key, value, marks.get(key) or {}, mark_rules[key], where))
        elif spec.find == "rows":
            problems.extend(_check_rows(key, value or [], row_rules.get(key, {}), blank_message, unread, where))
        elif blank and is_blank(value) and key not in unread:
            problems.append(Problem(key, "blank", blank_message, **where(key)))
    problems.extend(_check_formats(checks, fields, exempt, where))
    problems.extend(_check_compare(checks, fields, exempt, where))
    problems.extend(_check_sums(checks, form, fields, exempt, where))
    if program is not None:
        problems.extend(check_program(checks.get("program") or [], entry, fields, program, exempt, where))
    return _doubted(problems, entry.get("confidence") or {}, fields)


def _doubted(problems: list[Problem], confidence: dict, fields: dict) -> list[Problem]:
    """A problem found in a value the recogniser was unsure of is for a person to check
    (需人工核对), not a verdict: OCR may have misread exactly what the rule objects to."""
    out = []
    for problem in problems:
        key = problem.field.split("[")[0]
        sure = confidence.get(problem.field, confidence.get(key, 1.0))
        if problem.severity != "error" or problem.kind not in ("blank", "format", "rule") or sure >= CONFIDENCE_MIN:
            out.append(problem)
            continue
        value = fields.get(problem.field)
        read = f"读出「{value.strip()}」" if isinstance(value, str) and value.strip() else "未读出内容"
        out.append(Problem(problem.field, "review", f"需人工核对：{problem.message}（{read}，识别把握不足）",
                           severity="review", page=problem.page, bbox=problem.bbox))
    return out


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def exempted(checks: dict, fields: dict) -> set[str]:
    """Fields a rule exempts for this submission (省级试点不填写此栏)."""
    out: set[str] = set()
    for rule in checks.get("exempt") or []:
        a, b = (fold(fields.get(k, "")) for k in rule["when_same"])
        if a and a == b:
            out.update(rule["fields"])
    return out


def _check_mark(key, value, mark: dict, rule: dict, where) -> list[Problem]:
    if value is True:
        return []
    if value is None:  # the reader could not tell: a person decides (需人工核对)
        reason = mark.get("reason") or f"无法判断（{rule['message']}）"
        return [Problem(key, "review", f"需人工核对：{reason}", severity="review", **where(key))]
    return [Problem(key, rule["problem"], rule["message"], **where(key))]


def _check_rows(key, rows, rule, blank_message, unread, where) -> list[Problem]:
    problems = []
    filled = [r for r in rows if any(not is_blank(v) for v in r.values())]
    minimum = int(rule.get("min_rows", 0))
    if len(filled) < minimum:
        problems.append(Problem(key, "blank", f"至少应填写{minimum}行", **where(key)))
    for i, row in enumerate(rows):
        if not any(not is_blank(v) for v in row.values()):
            continue  # a wholly empty row is fine
        for column, value in row.items():
            if is_blank(value) and f"{key}[].{column}" not in unread:
                problems.append(Problem(f"{key}[{i}].{column}", "blank",
                                        f"第{i + 1}行已填写，但「{column}」{blank_message}", **where(key)))
    return problems


def _skipped(key: str, value, exempt: set[str]) -> bool:
    """Exempt, or nothing to check: empty, 「/」, a mark."""
    return (key.split("[")[0] in exempt or key in exempt or not isinstance(value, str)
            or is_blank(value) or value.strip() == "/")


def _check_formats(checks, fields, exempt, where) -> list[Problem]:
    formats = checks.get("formats") or {}
    problems = []
    for key, value in flat_items(fields):
        if _skipped(key, value, exempt):
            continue
        name = format_name(checks, key)
        if name is None:
            continue
        rule = formats[name]
        text = fold(value)
        if not satisfies(rule, text):
            # a date's shape on a day the calendar lacks (2026年6月31日) is 日期不存在, not a format example
            why = nonexistent_written_date(text) if rule.get("parse") == "date" else None
            message = f"日期不存在（{why}）" if why else rule["message"]
            problems.append(Problem(key, "format", f"{message}（现为「{value.strip()}」）", **where(key)))
    return problems


def _check_compare(checks, fields, exempt, where) -> list[Problem]:
    """``field`` ≤ ``at_most``: two scalar fields, or two columns of each row of one table."""
    problems = []
    for rule in checks.get("compare") or []:
        pairs = []
        if "[]." in rule["field"]:
            table, _, column = rule["field"].partition("[].")
            limit_column = rule["at_most"].partition("[].")[2]
            for i, row in enumerate(fields.get(table) or []):
                pairs.append((f"{table}[{i}].{column}", row.get(column), row.get(limit_column)))
        else:
            pairs.append((rule["field"], fields.get(rule["field"]), fields.get(rule["at_most"])))
        for key, value, limit in pairs:
            if _skipped(key, value, exempt):
                continue
            number, ceiling = parse_number(value), parse_number(limit)
            if number is not None and ceiling is not None and number > ceiling:
                message = rule["message"].format(值=str(value).strip(), 上限=str(limit).strip())
                problems.append(Problem(key, "rule", message, **where(key)))
    return problems


def _check_sums(checks, form: FormDefinition, fields, exempt, where) -> list[Problem]:
    """A total row's value (合计) equals the sum of its column, to the fen; rows holding 「/」 or
    nothing add nothing. A value that is no number is the format rule's to report."""
    problems = []
    for key, rule in (checks.get("sums") or {}).items():
        table, _, column = form.field(key).total_of.partition("[].")
        value = fields.get(key)
        if _skipped(key, value, exempt):
            continue
        cells = [row.get(column) for row in fields.get(table) or []]
        cells = [c for c in cells if isinstance(c, str) and not is_blank(c) and c.strip() != "/"]
        numbers = [parse_number(c) for c in cells]
        total = parse_number(value)
        if total is None or any(n is None for n in numbers):
            continue
        added = sum(numbers, Decimal(0))
        if abs(total - added) >= Decimal("0.005"):
            message = rule["message"].format(合计=str(value).strip(), 各行之和=f"{added:.2f}")
            problems.append(Problem(key, "rule", message, **where(key)))
    return problems
