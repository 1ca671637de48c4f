"""Other layouts of the 申报书, derived from templates/申报书.docx, for the test corpus.

Real applicants do not return our template: they retype or re-lay-out the form in Word or WPS,
with other fonts, column widths, label spacing and line breaks (issue: "a form that only matches
our own template is not enough"). Each variant here starts from our template and changes only
its look — the Jinja tags stay whole, so a variant renders from the same data as the original.

This is the one module of the corpus tools that edits docx structure (python-docx, plus its
oxml element API where python-docx has no property for it).

    python tools/corpus_layouts.py OUT_DIR     # writes one template .docx per variant
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Callable

from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "申报书.docx"
SIDECAR = TEMPLATE.with_suffix(".yaml")

# Tables of the template, in order (see tools/build_application_form.py).
BASIC, LABELS_1, LABELS_2, CONTENT, PLAN_1, PLAN_2, PLAN_3, LEADERS, TEAM = range(9)
# The contact labels as our template spells them, and the two-character ones among them.
SPACED_LABELS = ("姓    名", "手    机", "邮    编", "传    真")
PEOPLE_NAME_HEADER = "姓 名"


# --- helpers over python-docx ----------------------------------------------------------------


def all_paragraphs(doc):
    """Every paragraph of the body and of its table cells, each once (merged cells repeat)."""
    seen = set()  # the elements themselves: an id() of a transient lxml proxy may be reused
    for paragraph in doc.paragraphs:
        seen.add(paragraph._p)
        yield paragraph
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if paragraph._p not in seen:
                        seen.add(paragraph._p)
                        yield paragraph


def replace_fonts(doc, mapping: dict[str, str]) -> None:
    """Rename fonts everywhere (runs, paragraph marks, styles): {"仿宋_GB2312": "宋体", …}."""
    roots = (doc.element.body, doc.styles.element)
    for root in roots:
        for r_fonts in root.iter(qn("w:rFonts")):
            for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                name = r_fonts.get(qn(attribute))
                if name in mapping:
                    r_fonts.set(qn(attribute), mapping[name])


def relabel(doc, old: str, new: str) -> int:
    """Change a label's text wherever a paragraph holds exactly ``old``; "\\n" in ``new`` is a
    line break inside the cell (python-docx writes <w:br/>). Returns how many were changed."""
    changed = 0
    for paragraph in all_paragraphs(doc):
        if paragraph.text == old and len(paragraph.runs) == 1:
            paragraph.runs[0].text = new
            changed += 1
    return changed


def replace_in_labels(doc, old: str, new: str) -> None:
    """Replace a substring in label runs (never in a run holding a Jinja tag)."""
    for paragraph in all_paragraphs(doc):
        for run in paragraph.runs:
            if old in run.text and "{" not in run.text:
                run.text = run.text.replace(old, new)


def set_column_widths(table, widths) -> None:
    """Set a table's grid and every cell's width (a merged cell gets the sum of its columns)."""
    for column, width in zip(table.columns, widths):
        column.width = width
    grid = [Emu(int(w)) for w in widths]
    for tr in table._tbl.tr_lst:
        start = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Emu(sum(grid[start:start + span]))
            start += span
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(Emu(sum(grid)).twips))


def set_value_size(doc, size, tables=None) -> None:
    """Set the size of the runs holding Jinja values ({{ … }}) in the given tables (all: None)."""
    chosen = doc.tables if tables is None else [doc.tables[i] for i in tables]
    for table in chosen:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        if "{{" in run.text:
                            run.font.size = size


def loosen_spacing(doc, multiple: float, after: Pt) -> None:
    """WPS-style paragraphs: line spacing a multiple of the font's, a little space after."""
    for paragraph in all_paragraphs(doc):
        fmt = paragraph.paragraph_format
        if fmt.line_spacing is not None and fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY \
                and fmt.line_spacing < Pt(2):
            continue  # the 1 pt page-break paragraphs stay invisible
        fmt.line_spacing = multiple
        fmt.space_after = after


def allow_row_splits(doc, tables) -> None:
    """Let rows break across pages, as in a form retyped without 「允许跨页断行」 turned off."""
    for index in tables:
        for row in doc.tables[index].rows:
            properties = row._tr.trPr
            if properties is not None:
                for element in properties.findall(qn("w:cantSplit")):
                    properties.remove(element)


# --- the variants ------------------------------------------------------------------------------


def songti_wide(doc) -> None:
    """宋体 instead of 仿宋; other column widths; label cells wide enough for 3 characters."""
    replace_fonts(doc, {"仿宋_GB2312": "宋体", "楷体_GB2312": "宋体"})
    set_column_widths(doc.tables[BASIC], [Mm(30), Mm(50), Mm(30), Mm(46)])
    for index in (LABELS_1, LABELS_2):
        set_column_widths(doc.tables[index], [Mm(20), Mm(136)])
    for index in (LEADERS, TEAM):
        set_column_widths(doc.tables[index], [Mm(22), Mm(12), Mm(26), Mm(56), Mm(40)])


def kaiti_plain_labels(doc) -> None:
    """楷体 body, labels without spaces (姓名, 手机), one-character-wide vertical label cells."""
    replace_fonts(doc, {"仿宋_GB2312": "楷体", "楷体_GB2312": "楷体"})
    for label in SPACED_LABELS:
        relabel(doc, label, label.replace(" ", ""))
    relabel(doc, PEOPLE_NAME_HEADER, "姓名")
    for index in (LABELS_1, LABELS_2):
        set_column_widths(doc.tables[index], [Mm(10), Mm(146)])
    set_column_widths(doc.tables[BASIC], [Mm(36), Mm(44), Mm(30), Mm(46)])


def wps_like(doc) -> None:
    """As retyped in WPS: 宋体/微软雅黑, 1.5 line spacing with space after, half-width brackets,
    labels spaced with two blanks, smaller values, table rows free to break across pages."""
    replace_fonts(doc, {"仿宋_GB2312": "宋体", "楷体_GB2312": "宋体", "黑体": "微软雅黑"})
    for label in SPACED_LABELS:
        relabel(doc, label, label.replace("    ", "  "))
    replace_in_labels(doc, "（签章）：", "(签章):")
    replace_in_labels(doc, "（单位公章）", "(单位公章)")
    loosen_spacing(doc, 1.25, Pt(3))
    set_value_size(doc, Pt(12), tables=[BASIC, LEADERS, TEAM])
    set_value_size(doc, Pt(14), tables=[LABELS_1, LABELS_2, CONTENT, PLAN_1, PLAN_2, PLAN_3])
    set_column_widths(doc.tables[BASIC], [Mm(32), Mm(48), Mm(32), Mm(44)])
    for index in (LEADERS, TEAM):  # 单位 narrower: units wrap, rows grow, some straddle a page
        set_column_widths(doc.tables[index], [Mm(24), Mm(14), Mm(28), Mm(40), Mm(50)])
    allow_row_splits(doc, [LEADERS, TEAM])


def line_breaks(doc) -> None:
    """Labels with a line break inside (申报单位/负责人, 电子/邮箱) and wide spacing (姓      名);
    values in 小四, so every line breaks elsewhere; table rows free to break across pages."""
    for old, new in (("申报单位负责人", "申报单位\n负责人"), ("试点单位负责人", "试点单位\n负责人"),
                     ("试点起止日期", "试点起止\n日期"), ("电子邮箱", "电子\n邮箱"),
                     ("通讯地址", "通讯\n地址"), ("办公电话", "办公\n电话")):
        relabel(doc, old, new)
    for label in SPACED_LABELS:
        relabel(doc, label, label.replace("    ", "      "))
    set_column_widths(doc.tables[BASIC], [Mm(22), Mm(56), Mm(22), Mm(56)])
    set_value_size(doc, Pt(12))
    for index in (LABELS_1, LABELS_2):
        set_column_widths(doc.tables[index], [Mm(24), Mm(132)])
    for index in (LEADERS, TEAM):
        set_column_widths(doc.tables[index], [Mm(22), Mm(14), Mm(26), Mm(34), Mm(60)])
    allow_row_splits(doc, [LEADERS, TEAM])


#: layout name → what it changes (None: our template as it is)
LAYOUTS: dict[str, Callable | None] = {
    "original": None,
    "songti_wide": songti_wide,
    "kaiti_plain_labels": kaiti_plain_labels,
    "wps_like": wps_like,
    "line_breaks": line_breaks,
}


def build_layout(name: str, out_dir) -> Path:
    """Write the template of layout ``name`` (with its .yaml sidecar) into out_dir; return it."""
    if name not in LAYOUTS:
        raise ValueError(f"unknown layout {name!r}; known: {', '.join(LAYOUTS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"申报书-{name}.docx"
    change = LAYOUTS[name]
    if change is None:
        shutil.copyfile(TEMPLATE, target)
    else:
        doc = Document(TEMPLATE)
        change(doc)
        doc.save(target)
    # find_template reads the defaults from the sidecar beside the .docx
    shutil.copyfile(SIDECAR, target.with_suffix(".yaml"))
    return target


def build_all(out_dir) -> dict[str, Path]:
    """Write every layout's template into out_dir; return {name: path}."""
    return {name: build_layout(name, out_dir) for name in LAYOUTS}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/corpus_layouts.py OUT_DIR")
    for layout, path in build_all(sys.argv[1]).items():
        print(f"{layout}: {path}")
