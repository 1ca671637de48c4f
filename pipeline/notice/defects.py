"""A 形式审查 problem as the applicant reads it in a 补正通知: the page, the field in the form's own
words, what is wrong, and what to write instead (「如无内容请填“/”」)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..forms import FormDefinition

#: what the applicant is asked to do, by kind of problem; 「{要求}」 is the rule's own wording
#: (「手机号码应为11位数字」), taken from the problem's message
WHAT_TO_WRITE = {
    "blank": "请填写该栏；如无内容请填“/”",
    "missing_seal": "请加盖单位公章",
    "missing_signature": "请由负责人签字或加盖签章",
    "format": "请改正：{要求}",
    "rule": "请按规定改正：{要求}",
    "duplicate": "请核实：同一单位只报送一份",
    "review": "请按要求改正",
}
#: a rule's message 「手机号码应为11位数字（现为「1872661400」）」: the rule, then what was written
_WRITTEN = re.compile(r"^(?P<rule>.*?)（现为「(?P<value>.*)」）$", re.DOTALL)
#: the hint every blank carries; the notice says it once, under 填写要求
_BLANK_HINT = re.compile(r"（如无内容请填[“\"]/[”\"]）")
#: a heading's number (「五、」「1.」): the field is named without it
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.．、])")
_ROW_KEY = re.compile(r"^(?P<table>[^\[\]]+)\[(?P<row>\d+)\]\.(?P<column>.+)$")


@dataclass(frozen=True)
class Defect:
    """One thing the applicant must correct."""

    field: str  # the problem's key (申报单位负责人.手机)
    page: int | None
    words: str  # the field in the form's own words (申报单位负责人—手机)
    wrong: str  # what is wrong
    write: str  # what to write
    kind: str
    bbox: tuple | None = None

    @property
    def identity(self) -> tuple:
        """What makes two problems the same defect: the same field, the same complaint."""
        return (self.field, self.kind, self.wrong)


def field_words(key: str, form: FormDefinition) -> str:
    """The field as the form prints it: 「申报单位负责人—手机」, 「主要参与团队第3行「单位」」."""
    row = _ROW_KEY.match(key)
    if row:
        table = _printed(row.group("table"), form)
        return f"{table}第{int(row.group('row')) + 1}行「{row.group('column')}」"
    try:
        spec = form.field(key)
    except KeyError:
        return key.replace(".", "—")
    if spec.under:
        return f"{spec.under}—{spec.labels[0] if spec.labels else key.rsplit('.', 1)[-1]}"
    if "." in key:
        head, tail = key.rsplit(".", 1)
        return f"{head}—{tail}"
    return _printed(key, form)


def _printed(key: str, form: FormDefinition) -> str:
    try:
        labels = form.field(key).labels
    except KeyError:
        return key
    return _NUMBERING.sub("", labels[0].rstrip("：:")) if labels else key


def defect_of(problem: dict, form: FormDefinition) -> Defect:
    """The applicant's view of one error-severity problem of a validation report."""
    kind = str(problem.get("kind") or "")
    message = str(problem.get("message") or "").strip()
    written = _WRITTEN.match(message)
    if written:
        rule = written.group("rule").strip()
        value = written.group("value")
        wrong = f"填写为「{value}」，不符合要求" if value.strip() else "填写内容不符合要求"
    else:
        rule = _BLANK_HINT.sub("", message).strip()
        wrong = rule or "不符合要求"
    write = WHAT_TO_WRITE.get(kind, "请按要求改正").format(要求=rule or "见存在问题")
    page = problem.get("page")
    bbox = problem.get("bbox")
    return Defect(field=str(problem.get("field") or ""), page=int(page) if isinstance(page, int) else None,
                  words=field_words(str(problem.get("field") or ""), form), wrong=wrong, write=write, kind=kind,
                  bbox=tuple(bbox) if isinstance(bbox, list) and len(bbox) == 4 else None)


def defects_of(problems: list[dict], form: FormDefinition) -> list[Defect]:
    """Every error of a file once (一次性告知), in page order; warnings are not demands."""
    seen, out = set(), []
    for problem in problems:
        if problem.get("severity") != "error":
            continue
        defect = defect_of(problem, form)
        if defect.identity in seen:
            continue
        seen.add(defect.identity)
        out.append(defect)
    return sorted(out, key=lambda d: (d.page is None, d.page or 0, d.bbox[1] if d.bbox else 0))
