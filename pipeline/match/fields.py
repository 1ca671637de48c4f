"""Pages → fields: one file's page layouts matched against a form definition.

The step between reading (:mod:`pipeline.read`) and checking (:mod:`pipeline.validate`): is this
the form at all (enough of its labels found), then every field by the matcher, the row tables,
「/」-or-blank settled by ink on scans, and the seals and signatures. The result is plain data —
fields, marks, where each answer is on the page, and what the reader doubts.
"""

from __future__ import annotations

from ..errors import NotThisForm
from ..forms import FormDefinition
from ..read.page import PageLayout
from .blanks import settle_row_slashes, settle_slashes
from .marks import find_marks
from .matcher import Found, Matcher
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
    doubts: list[dict] = []
    mark_specs = []
    uncertain = []
    for spec in form.fields:
        if spec.find == "rows":
            table = read_table(matcher, spec)
            fields[spec.key] = table.rows
            locations[spec.key] = _location(table.found)
            if table.rows and table.missing:
                doubts.extend({"field": f"{spec.key}[].{name}", "kind": "column_not_found",
                               "message": f"表头中找不到「{name}」列，该列未能读出"} for name in table.missing)
        elif spec.is_mark:
            mark_specs.append(spec)
            fields[spec.key] = False
        else:
            value, found = matcher.text_field(spec)
            locations[spec.key] = _location(found)
            whole = spec.find == "right" or not (spec.until or spec.after)
            if (found is not None and found.region.ocr and len(value) <= 1 and value != "/"
                    and whole and spec.kind != "date"):
                uncertain.append((spec, value, found))
            fields[spec.key] = value
    if uncertain and images is not None:
        fields.update(settle_slashes(uncertain, document, images))
    if matcher.unsure_cells and images is not None:
        settle_row_slashes(matcher.unsure_cells, document, images)
    marks = find_marks(matcher, mark_specs, images) if mark_specs else {}
    for key, mark in marks.items():
        fields[key] = mark["present"]
    return {"fields": fields, "marks": marks, "locations": locations, "doubts": doubts}


def _location(found: Found | None) -> dict:
    """Where a field's answer is: its page and box (the first, when it runs over pages)."""
    if found is None or not found.areas:
        return {"page": None, "bbox": None}
    page, box = found.areas[0]
    return {"page": page, "bbox": box.as_list()}
