"""形式审查: the problems of one extracted submission, and of a batch.

The rules are data: the ``checks`` section of the form definition (blank, rows, marks, exempt,
formats, programme rules, duplicates) and the programme file (试点期间, 周期月数, 截止). This
module only knows how to apply each kind of rule. Data flows one way: an extraction entry
(``pipeline.extract.extract_file``) → problems → a verdict per file → reports.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .dates import months_between, parse_date, parse_month, parse_period
from .forms import FormDefinition
from .text import fold

KINDS = ("blank", "missing_seal", "missing_signature", "format", "rule", "duplicate")


@dataclass
class Problem:
    """One thing a clerk must act on."""

    field: str
    kind: str
    message: str
    severity: str = "error"
    page: int | None = None
    bbox: list[float] | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Verdict:
    """A file's outcome: complete, incomplete (an error-severity problem) or error (unreadable)."""

    file: str
    status: str
    problems: list[Problem] = field(default_factory=list)
    error: dict | None = None
    sha256: str = ""
    fields: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"file": self.file, "status": self.status,
                "problems": [p.as_dict() for p in self.problems], "error": self.error,
                "sha256": self.sha256, "fields": self.fields}


# --- one file ------------------------------------------------------------------------------


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

    exempt = _exempt(checks, fields)
    blank = checks.get("blank") or {}
    mark_kinds = checks.get("marks") or {}
    row_rules = checks.get("rows") or {}
    blank_message = blank.get("message", "未填写")

    for spec in form.fields:
        key = spec.key
        if key in exempt:
            continue
        value = fields.get(key)
        if key in mark_kinds:
            if value is not True:
                kind = mark_kinds[key]
                what = "签章（签名）" if kind == "missing_signature" else "单位公章"
                problems.append(Problem(key, kind, f"缺少{what}", **where(key)))
            continue
        if spec.find == "rows":
            problems.extend(_check_rows(key, value or [], row_rules.get(key, {}), blank_message, where))
            continue
        if blank and _is_blank(value):
            problems.append(Problem(key, "blank", blank_message, **where(key)))

    problems.extend(_check_formats(checks, fields, exempt, where))
    if program is not None:
        problems.extend(_check_program(checks.get("program") or {}, entry, fields, program, exempt, where))
    return problems


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _exempt(checks: dict, fields: dict) -> set[str]:
    """Fields a rule exempts for this submission (省级试点不填写此栏)."""
    out: set[str] = set()
    for rule in checks.get("exempt") or []:
        a, b = (fold(fields.get(k, "")) for k in rule["when_same"])
        if a and a == b:
            out.update(rule["fields"])
    return out


def _check_rows(key, rows, rule, blank_message, where) -> list[Problem]:
    problems = []
    filled = [r for r in rows if any(not _is_blank(v) for v in r.values())]
    minimum = int(rule.get("min_rows", 0))
    if len(filled) < minimum:
        problems.append(Problem(key, "blank", f"至少应填写{minimum}行", **where(key)))
    for i, row in enumerate(rows):
        if not any(not _is_blank(v) for v in row.values()):
            continue  # a wholly empty row is fine
        for column, value in row.items():
            if _is_blank(value):
                problems.append(Problem(f"{key}[{i}].{column}", "blank",
                                        f"第{i + 1}行已填写，但「{column}」{blank_message}", **where(key)))
    return problems


def _check_formats(checks, fields, exempt, where) -> list[Problem]:
    formats = checks.get("formats") or {}
    problems = []
    for key, value in _flat(fields):
        if key.split("[")[0] in exempt or key in exempt:
            continue
        if not isinstance(value, str) or _is_blank(value) or value.strip() == "/":
            continue
        name = _format_for(checks.get("format_of") or {}, key)
        if name is None:
            continue
        rule = formats[name]
        text = fold(value)
        if "pattern" in rule:
            ok = re.fullmatch(rule["pattern"], text) is not None
        else:
            ok = _PARSERS[rule["parse"]](text) is not None
        if not ok:
            problems.append(Problem(key, "format", f"{rule['message']}（现为「{value.strip()}」）", **where(key)))
    return problems


def _flat(fields: dict):
    """(key, value) for scalar fields and for each row cell as ``列表[i].列``."""
    for key, value in fields.items():
        if isinstance(value, list):
            for i, row in enumerate(value):
                for column, cell in (row or {}).items():
                    yield f"{key}[{i}].{column}", cell
        else:
            yield key, value


def _format_for(format_of: dict, key: str) -> str | None:
    generic = re.sub(r"\[\d+\]", "[]", key)
    for pattern, name in format_of.items():
        if fnmatch.fnmatchcase(generic, pattern.replace("[]", "[[]]")) or generic == pattern:
            return name
    return None


_PARSERS = {"date": parse_date, "month": parse_month, "period": parse_period}


# --- the programme's rules ------------------------------------------------------------------


def _check_program(rules, entry, fields, program, exempt, where) -> list[Problem]:
    problems = []
    key = rules.get("period_within")
    period = parse_period(fields.get(key) or "") if key else None
    if period:
        (y0, m0), (y1, m1) = period
        span = program.get("试点期间")
        if span:
            first = (span["开始"].year, span["开始"].month)
            last = (span["结束"].year, span["结束"].month)
            if (y0, m0) < first or (y1, m1) > last:
                problems.append(Problem(key, "rule", f"试点起止日期应在计划的试点期间内"
                                        f"（{span['开始']:%Y年%-m月}至{span['结束']:%Y年%-m月}）", **where(key)))
        months = program.get("周期月数")
        if months and months_between((y0, m0), (y1, m1)) > months:
            problems.append(Problem(key, "rule", f"试点周期超过计划规定的{months}个月", **where(key)))
    deadline = (program.get("日期") or {}).get("截止")
    for key in rules.get("not_after_deadline") or []:
        if key in exempt:
            continue
        day = parse_date(fields.get(key) or "")
        if day and deadline and day > deadline:
            problems.append(Problem(key, "rule", f"签署日期晚于申报截止日期（{deadline:%Y年%-m月%-d日}）", **where(key)))
    key = rules.get("file_named_after")
    if key:
        expected = fold(fields.get(key) or "")
        stem = fold(Path(entry.get("file", "")).stem)
        if expected and expected != "/" and expected not in stem:
            problems.append(Problem("文件名", "rule", f"文件名应为申报单位名称「{fields.get(key).strip()}」"
                                    f"（通知要求：文件名为“申报单位”）", severity="warning"))
    return problems


# --- the batch -----------------------------------------------------------------------------


def check_duplicates(verdicts: list[Verdict], form: FormDefinition) -> None:
    """Add ``duplicate`` problems: the same file twice (content hash), the same unit twice."""
    by_hash: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        if verdict.sha256:
            by_hash.setdefault(verdict.sha256, []).append(verdict)
    for same in by_hash.values():
        for verdict in same[1:]:
            verdict.problems.append(Problem("文件", "duplicate", f"与「{same[0].file}」是同一份文件（内容完全相同）"))
    seen_files = {id(v) for same in by_hash.values() for v in same[1:]}
    for key in ((form.checks or {}).get("duplicates") or {}).get("unique") or []:
        by_value: dict[str, list[Verdict]] = {}
        for verdict in verdicts:
            if id(verdict) in seen_files or verdict.status == "error":
                continue
            value = fold(verdict.fields.get(key, ""))
            if value and value != "/":
                by_value.setdefault(value, []).append(verdict)
        for same in by_value.values():
            if len(same) < 2:
                continue
            for verdict in same:
                others = "、".join(Path(v.file).name for v in same if v is not verdict)
                verdict.problems.append(Problem(key, "duplicate", f"同一{key}「{verdict.fields[key].strip()}」"
                                                f"在本批次中出现多次（另见：{others}）"))


def verdict_for(entry: dict, form: FormDefinition, program: dict | None, sha256: str = "") -> Verdict:
    """The verdict of one extracted file, before batch-level checks."""
    if entry.get("status") == "error":
        return Verdict(entry["file"], "error", error=entry.get("error"), sha256=sha256)
    problems = check_entry(entry, form, program)
    return Verdict(entry["file"], "ok", problems, sha256=sha256, fields=entry.get("fields") or {})


def finish(verdicts: list[Verdict], form: FormDefinition) -> dict:
    """Batch checks, final statuses, and the JSON report."""
    check_duplicates(verdicts, form)
    for verdict in verdicts:
        if verdict.status != "error":
            errors = any(p.severity == "error" for p in verdict.problems)
            verdict.status = "incomplete" if errors else "complete"
    summary = {s: sum(v.status == s for v in verdicts) for s in ("complete", "incomplete", "error")}
    return {"files": [v.as_dict() for v in verdicts], "summary": summary}
