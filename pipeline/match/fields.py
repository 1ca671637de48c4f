"""Pages → fields: one file's page layouts matched against a form definition.

The step between reading (:mod:`pipeline.read`) and checking (:mod:`pipeline.validate`): is this
the form at all (enough of its labels found), then every field by the matcher, the row tables,
「/」-or-blank settled by ink on scans, and the seals and signatures. The result is plain data —
fields, marks, where each answer is on the page, and what the reader doubts.
"""

from __future__ import annotations

import re

from ..errors import NotThisForm
from ..forms import FormDefinition
from ..forms.formats import format_name, satisfies
from ..read.page import PageLayout
from ..text import fold
from .blanks import settle_row_slashes, settle_slashes
from .marks import find_marks
from .matcher import Found, Matcher
from .ocrtext import paired_quotes, repaired
from .regions import Document
from .rows import read_table


def is_this_form(matcher: Matcher, form: FormDefinition) -> tuple[bool, int]:
    """Whether enough of the form's identifying labels are there, and how many were found."""
    present = sum(1 for label in form.identify_labels if matcher.starting([label]))
    return present >= form.min_found, present


def read_fields(layouts: list[PageLayout], form: FormDefinition, path=None, images=None) -> dict:
    """``{"fields", "marks", "locations", "doubts"}`` of one file's pages.

    ``images(numbers)`` gives {page: (RGB image, dpi)} for the pages asked for: the straightened
    scan, or a typed page rendered; without it, marks are not looked for.
    """
    document = Document(layouts)
    matcher = Matcher(document, form)
    ok, present = is_this_form(matcher, form)
    if not ok:
        raise NotThisForm(path, f"找到的表单标签太少（{present}/{len(form.identify_labels)}），"
                                f"不是「{form.title or form.name}」，请检查是否提交错了文件")
    fields: dict = {}
    locations: dict = {}
    confidence: dict = {}
    doubts: list[dict] = []
    mark_specs = []
    uncertain = []
    #: the labels of the boxes a seal is stamped in: what else is read there lies under the seal
    stamped = {spec.labels for spec in form.fields if spec.find == "seal"}
    tables = {}
    for spec in form.fields:
        if spec.find == "rows":
            table = tables[spec.key] = read_table(matcher, spec)
            if table.found is not None and table.found.region.ocr:
                for i, row in enumerate(table.rows):
                    for column, cell in row.items():
                        row[column] = _as_formatted(form, f"{spec.key}[{i}].{column}", cell)
            fields[spec.key] = table.rows
            locations[spec.key] = _location(table.found)
            if table.rows and table.missing:
                doubts.extend({"field": f"{spec.key}[].{name}", "kind": "column_not_found",
                               "message": f"表头中找不到「{name}」列，该列未能读出"} for name in table.missing)
        elif spec.find == "total":
            key, _, column = spec.total_of.partition("[].")
            table = tables[key]
            fields[spec.key] = (table.total or {}).get(column, "")
            locations[spec.key] = _location(table.found)
            if table.found is not None and table.total is None:
                doubts.append({"field": spec.key, "kind": "not_found",
                               "message": f"未能在表中找到「{spec.labels[0]}」一行"})
        elif spec.is_mark:
            mark_specs.append(spec)
            fields[spec.key] = False
        else:
            value, found = matcher.text_field(spec)
            locations[spec.key] = _location(found)
            if found is None:
                doubts.append({"field": spec.key, "kind": "not_found",
                               "message": f"未能在表中找到「{spec.labels[0]}」一栏"})
            elif found.region.ocr:
                value = _as_formatted(form, spec.key, paired_quotes(value))
                confidence[spec.key] = _confidence(found, value, spec, document, stamped)
            whole = spec.find == "right" or not (spec.until or spec.after)
            if (found is not None and found.region.ocr and len(value) <= 1 and value != "/"
                    and whole and spec.kind != "date"):
                uncertain.append((spec, value, found))
            fields[spec.key] = value
    if uncertain and images is not None:
        for key, (value, unread) in settle_slashes(uncertain, document, images).items():
            fields[key] = value
            if unread:  # characters in the box that OCR read nothing of: not a blank
                confidence[key] = 0.0
                doubts.append({"field": key, "kind": "unread", "message": "框内有字迹，但未能识别"})
    if matcher.unsure_cells and images is not None:
        settle_row_slashes(matcher.unsure_cells, document, images)
    names = {spec.key: fields.get(spec.signer) for spec in mark_specs if spec.signer}
    marks = find_marks(matcher, mark_specs, images, names) if mark_specs else {}
    for key, mark in marks.items():
        fields[key] = mark["present"]
    for spec in form.fields:  # a text layer's values are as written: sure
        confidence.setdefault(spec.key, 1.0 if not spec.is_mark else marks.get(spec.key, {}).get("confidence", 1.0))
    return {"fields": fields, "marks": marks, "locations": locations, "confidence": confidence, "doubts": doubts}


#: how sure a value is that OCR read only in part (a date whose year is under a seal)
PARTLY_READ = 0.3
#: how sure a value is that lies under a seal on a page without colour
UNDER_SEAL = 0.5
#: a date OCR read only in part (its year under a seal): 「6年5月28日」, 「二二六年五月二十七日」
_PART_DATE = re.compile(r"^(\d{0,3}年?\d{1,2}月\d{1,2}日?|[〇零一二三四五六七八九]{0,3}年[一二三四五六七八九十]{1,3}月"
                        r"[一二三四五六七八九十]{1,4}日?)$")
#: a whole date, in Arabic figures or in 〇一二
_DATE = r"(\d{4}年\d{1,2}月\d{1,2}日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,4}日)"
#: a whole date after a few stray characters OCR took into its line (a name seal's 「印」 beside
#: it), or a date with a Latin letter where OCR slipped (「2026F5月24日」): a person reads it
_STRAY_DATE = re.compile(rf"^[^\d〇零一二三四五六七八九十年月日]{{1,4}}{_DATE}$")
_LATIN = re.compile(r"[A-Za-z]")
#: what an OCR'd date that lost one of its 年月日 (「2026年523日」) comes back to
_WHOLE_DATE = re.compile(rf"^{_DATE}$")


def _unit_lost(value: str) -> bool:
    """A date OCR read without one of its 年, 月 or 日: one of them put back makes a whole date."""
    return any(_WHOLE_DATE.match(value[:i] + unit + value[i:]) for i in range(1, len(value) + 1) for unit in "年月日")


def _as_formatted(form: FormDefinition, key: str, value):
    """An OCR'd value its box's format refuses, read again with one look-alike character put
    right (「30H」 → 「30日」, 「2.026年」 → 「2026年」) where exactly one such reading satisfies it."""
    name = format_name(form.checks or {}, key)
    if name is None or not isinstance(value, str) or not value.strip() or value.strip() == "/":
        return value
    rule = form.checks["formats"][name]
    if satisfies(rule, value):
        return value
    return repaired(value, lambda text: satisfies(rule, text)) or value


def _confidence(found: Found, value: str, spec, document: Document, stamped: set) -> float:
    """The recognition score of a value's words, lowered where the value is visibly incomplete,
    and where it may lie under a seal on a page without colour (print and seal are one ink there:
    a value read in a box a seal is stamped in, or one a seal's outline crosses)."""
    start, stop = found.span or (0, len(found.region.text))
    score = found.region.confidence(start, stop)
    # a year of two or three digits on a scan is a year read in part (「2026」 under a seal's
    # ring read 「26」), not one written short; so is an OCR'd date with stray characters before
    # it, a Latin letter in it or one of its 年月日 lost: a person reads it
    if spec.kind == "date" and value and (_PART_DATE.match(fold(value)) or found.region.ocr and (
            _STRAY_DATE.match(fold(value)) or _LATIN.search(value) or _unit_lost(fold(value)))):
        score = min(score, PARTLY_READ)
    for page, area in found.areas:
        layout = document.layouts.get(page)
        if layout is not None and not layout.colour and (spec.labels in stamped or any(
                shape.kind == "seal_shape" and area.intersection(shape) > 0 for shape in layout.seals)):
            score = min(score, UNDER_SEAL)
    return round(score, 3)


def _location(found: Found | None) -> dict:
    """Where a field's answer is: its page and box (the first, when it runs over pages)."""
    if found is None or not found.areas:
        return {"page": None, "bbox": None}
    page, box = found.areas[0]
    return {"page": page, "bbox": box.as_list()}
