"""Small helpers for building 公文-style Word documents with python-docx.

This is the one module of the build tools that touches docx XML directly; the
form builders (build_application_form.py, ...) only call the functions here.
Page geometry follows GB/T 9704-2012 《党政机关公文格式》: A4, margins 37 mm top,
35 mm bottom, 28 mm left, 26 mm right, body 仿宋_GB2312 三号 on a fixed 28 pt line
(22 lines of 28 characters per page).
"""

from __future__ import annotations

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from docx.table import _Cell

# Font names as Chinese government offices have them installed; LibreOffice
# substitutes a CJK font (Noto) where they are missing.
FANGSONG = "仿宋_GB2312"  # body text
HEITI = "黑体"  # headings
XIAOBIAOSONG = "方正小标宋简体"  # titles
KAITI = "楷体_GB2312"

# Chinese type sizes (字号) in points.
YIHAO = Pt(26)  # 一号
ERHAO = Pt(22)  # 二号
SANHAO = Pt(16)  # 三号
SIHAO = Pt(14)  # 四号
XIAOSI = Pt(12)  # 小四

BODY_LINE = Pt(28)  # GB/T 9704: 22 lines per page at 三号 → fixed 28 pt line pitch

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm

ALIGN = {
    "left": WD_PARAGRAPH_ALIGNMENT.LEFT,
    "center": WD_PARAGRAPH_ALIGNMENT.CENTER,
    "right": WD_PARAGRAPH_ALIGNMENT.RIGHT,
    "justify": WD_PARAGRAPH_ALIGNMENT.JUSTIFY,
    "distribute": WD_PARAGRAPH_ALIGNMENT.DISTRIBUTE,  # spread to the full width (联合发文 names)
}
VALIGN = {
    "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
    "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
    "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
}


def new_document():
    """Return an empty Document with A4 公文 page setup and a 仿宋 三号 Normal style."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(15), Mm(28)
    normal = doc.styles["Normal"]
    set_font(normal, FANGSONG, SANHAO)
    set_spacing(normal, BODY_LINE)
    return doc


def set_font(target, name, size=None, bold=None, underline=None):
    """Set font name (ascii, hAnsi and eastAsia), size, bold, underline on a run or a style."""
    target.font.name = name
    _set_rfonts(target.element.get_or_add_rPr(), name)
    if size is not None:
        target.font.size = size
    if bold is not None:
        target.font.bold = bold
    if underline is not None:
        target.font.underline = underline
    return target


def set_spacing(target, line=BODY_LINE, before=0, after=0, exact=True):
    """Set a paragraph's (or style's) line spacing (fixed by default) and space before/after."""
    fmt = target.paragraph_format
    fmt.line_spacing = line
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY if exact else WD_LINE_SPACING.AT_LEAST
    fmt.space_before = Pt(before) if isinstance(before, (int, float)) else before
    fmt.space_after = Pt(after) if isinstance(after, (int, float)) else after
    return target


def add_paragraph(container, text="", font=FANGSONG, size=SANHAO, align="left", bold=None,
                  underline=None, line=BODY_LINE, before=0, after=0, indent_chars=0):
    """Add a paragraph whose text is one run (so a Jinja tag in it stays whole for docxtpl)."""
    if _is_fresh_cell(container):
        paragraph = container.paragraphs[0]  # reuse the empty paragraph every new cell has
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align]
    set_spacing(paragraph, line, before, after)
    if indent_chars:
        # First-line indent in characters, as 公文 body text is indented two characters.
        paragraph.paragraph_format.first_line_indent = size * indent_chars
    if text:
        add_run(paragraph, text, font, size, bold=bold, underline=underline)
    else:
        # Size the empty paragraph mark too, or the blank line takes the style's height.
        _set_mark_font(paragraph, font, size)
    return paragraph


def add_run(paragraph, text, font=FANGSONG, size=SANHAO, bold=None, underline=None):
    """Append one run of text with its East Asian font set; returns the run."""
    run = set_font(paragraph.add_run(text), font, size, bold, underline)
    for t in run.element.findall(qn("w:t")):
        # Keep blanks such as "年    月    日" whatever a Jinja tag renders into this run.
        t.set(qn("xml:space"), "preserve")
    return run


def add_tab_stop(paragraph, position, align="left"):
    """Add a tab stop at position (a Length) to a paragraph."""
    kinds = {"left": WD_TAB_ALIGNMENT.LEFT, "right": WD_TAB_ALIGNMENT.RIGHT,
             "center": WD_TAB_ALIGNMENT.CENTER}
    paragraph.paragraph_format.tab_stops.add_tab_stop(position, kinds[align])
    return paragraph


def page_break(container):
    """Start a new page: a 1 pt paragraph with page-break-before, so no blank page appears
    when the previous page is already full (a w:br page break would then add one)."""
    paragraph = container.add_paragraph()
    set_spacing(paragraph, Pt(1))
    _set_mark_font(paragraph, FANGSONG, Pt(1))
    paragraph.paragraph_format.page_break_before = True
    return paragraph


def add_table(container, widths):
    """Add a fixed-layout, centred, fully ruled table; widths is a list of column widths."""
    table = container.add_table(rows=0, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed: keep the narrow label columns narrow
    for column, width in zip(table.columns, widths):
        column.width = width
    # Give Word the total width too (python-docx leaves w:tblW as "auto").
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(Emu(width).twips for width in widths)))
    set_table_borders(table)
    return table


def add_row(table, height=None, exact=False, cant_split=False):
    """Append a row with every cell width set from the grid; height is a minimum unless exact."""
    row = table.add_row()
    for cell, column in zip(row.cells, table.columns):
        cell.width = column.width  # Word reads w:tcW, LibreOffice w:gridCol: set both
    if height is not None:
        row.height = height
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST
    if cant_split:
        keep_row_together(row)
    return row


def keep_row_together(row):
    """Keep a table row on one page (w:cantSplit): half a row on the next page reads as a new one."""
    _child(row._tr.get_or_add_trPr(), "w:cantSplit", _TR_PR_AFTER_CANT_SPLIT)
    return row


def set_table_borders(table, size=4, style="single"):
    """Rule every edge of the table and every inside line (w:sz in eighths of a point)."""
    borders = _child(table._tbl.tblPr, "w:tblBorders", _TBL_PR_AFTER_BORDERS)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _set_border(borders, edge, style, size)
    return table


def set_cell_borders(cell, size=4, style="single", **edges):
    """Override a cell's borders; edges like top="nil" or bottom="single" (default all `style`)."""
    borders = _child(cell._tc.get_or_add_tcPr(), "w:tcBorders", _TC_PR_AFTER_BORDERS)
    for edge in ("top", "left", "bottom", "right"):
        _set_border(borders, edge, edges.get(edge, style), size)
    return cell


def merge_horizontal(row, first, last):
    """Merge the cells first..last (inclusive) of a row into one; returns the merged cell."""
    return _merge(row.cells[first], row.cells[last])


def merge_vertical(table, column, first_row, last_row):
    """Merge the cells of a column from first_row to last_row (inclusive); returns the cell."""
    return _merge(table.cell(first_row, column), table.cell(last_row, column))


def write_cell(cell, text="", font=FANGSONG, size=SIHAO, align="left", valign="center",
               line=Pt(22), bold=None, before=0, after=0, indent_chars=0):
    """Write text into a cell (first paragraph if still empty, else a new one); returns it."""
    cell.vertical_alignment = VALIGN[valign]
    return add_paragraph(cell, text, font, size, align, bold=bold, line=line,
                         before=before, after=after, indent_chars=indent_chars)


def _merge(a, b):
    # python-docx's merge writes w:gridSpan / w:vMerge and keeps the text of both cells;
    # merge empty cells and write afterwards so no stray empty paragraphs remain.
    merged = a.merge(b)
    for extra in merged.paragraphs[1:]:
        if not extra.text:
            extra._p.getparent().remove(extra._p)
    return merged


def _is_fresh_cell(container):
    # A new cell holds one bare paragraph (no w:pPr yet) that we fill instead of leaving a
    # blank line above the text; a Document body never counts as fresh.
    if not isinstance(container, _Cell):
        return False
    paragraphs = container.paragraphs
    return len(paragraphs) == 1 and paragraphs[0]._p.pPr is None and not paragraphs[0].runs


def _set_mark_font(paragraph, font, size):
    # The paragraph mark's run properties (w:pPr/w:rPr) decide the height of an empty line.
    p_pr = paragraph._p.get_or_add_pPr()
    r_pr = p_pr.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        p_pr.append(r_pr)
    _set_rfonts(r_pr, font)
    r_pr.sz_val = size


def _set_rfonts(r_pr, name):
    # python-docx's font.name only writes w:ascii/w:hAnsi; Word and LibreOffice pick the
    # font for Chinese characters from w:eastAsia, so that attribute must be set too.
    r_fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attribute), name)


# Elements that must follow the one we add (ECMA-376 sequence order; Word rejects a
# document whose property elements are out of order).
_TBL_PR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                         "w:tblCaption", "w:tblDescription", "w:tblPrChange")
_TC_PR_AFTER_BORDERS = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                        "w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel",
                        "w:cellMerge", "w:tcPrChange")
_TR_PR_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc",
                           "w:hidden", "w:ins", "w:del", "w:trPrChange")
_BORDER_ORDER = ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV")


def _child(parent, tag, successors):
    # Return parent's child `tag`, inserting it before its first present successor.
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        for successor in successors:
            found = parent.find(qn(successor))
            if found is not None:
                found.addprevious(child)
                break
        else:
            parent.append(child)
    return child


def _set_border(borders, edge, style, size):
    later = _BORDER_ORDER[_BORDER_ORDER.index(edge) + 1:]
    el = _child(borders, f"w:{edge}", tuple(f"w:{e}" for e in later))
    el.set(qn("w:val"), style)
    el.set(qn("w:sz"), str(size))
    el.set(qn("w:space"), "0")
    el.set(qn("w:color"), "auto")


def cover_fields(doc, rows, label_end=Mm(50), line_end=Mm(146)):
    """A report cover's label/value lines (中期报告, 结项报告): the values in one column, underlined.

    Hanging indent: a long 项目名称 wraps under its own first character, not under the label; the
    tab after the label jumps to that indent, so all values start in one column. The right indent
    makes the text wrap where the underline ends; an underlined tab draws the blank line to the
    stop, filled or not (as on the 申报书)."""
    for i, (label, value) in enumerate(rows):
        paragraph = add_paragraph(doc, "", line=Pt(36), before=90 if i == 0 else 16)
        paragraph.paragraph_format.left_indent = label_end
        paragraph.paragraph_format.first_line_indent = Mm(14) - label_end
        paragraph.paragraph_format.right_indent = TEXT_WIDTH - line_end
        add_tab_stop(paragraph, label_end)
        add_tab_stop(paragraph, line_end)
        add_run(paragraph, label, HEITI, SANHAO)
        add_run(paragraph, "\t", FANGSONG, SANHAO)
        add_run(paragraph, value, FANGSONG, SANHAO, underline=True)
        add_run(paragraph, "\t", FANGSONG, SANHAO, underline=True)


def instructions_page(doc, texts):
    """The 填 报 说 明 page of a report form, on a page of its own."""
    title = add_paragraph(doc, "填 报 说 明", XIAOBIAOSONG, ERHAO, "center", line=Pt(40), after=28)
    title.paragraph_format.page_break_before = True
    for text in texts:
        add_paragraph(doc, text, FANGSONG, SANHAO, "justify", indent_chars=2)
