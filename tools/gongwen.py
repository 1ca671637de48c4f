"""GB/T 9704-2012 layout blocks of the programme documents: 发文机关标志, 标题, 落款 and 版记.

Each block is a few docxtpl paragraphs built with tools/docx_build.py; what depends on the text
(where a title breaks, how wide a 标志 is) is computed at fill time by the filters
``title_lines`` and ``issuer_flag`` (pipeline/layout/title.py), so the blocks stay plain data.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

import docx_build as db
from docx_build import ERHAO, FANGSONG, SANHAO, SIHAO, XIAOBIAOSONG

RED = RGBColor(0xFF, 0x00, 0x00)
# 发文机关标志 sizes, largest first, with the extra character spacing of each (points); the
# template picks the largest whose line fits the 156 mm 版心 (「益阳市科学技术协会文件」 does
# not fit at 40 pt and would leave 「件」 alone on a second line).
FLAG_SIZES = ((Pt(40), 4), (Pt(36), 1), (Pt(30), 0), (Pt(24), 0), (Pt(20), 0))
FLAG_SUFFIX_COLUMN = Mm(34)  # 「文件」 right of the names of a joint issue (GB/T 9704 7.2.1)
TITLE_CHARS = 20  # 2号 (22 pt) characters on a 156 mm line: 156 / 7.76 = 20.1
#: 落款: a centre tab at the centre of a date set 右空四字 (GB/T 9704 7.3.5.2), so the
#: issuer is centred over the date (2026年5月21日 is 7½ characters wide in the CJK serif)
SIGNATURE_CENTRE = Emu(int(db.TEXT_WIDTH - SANHAO * 7.75))


def _tag(container, statement, size=SANHAO):
    return db.add_paragraph(container, "{%p " + statement + " %}", FANGSONG, size, "left")


def _keep(paragraph):
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _chars_fitting(width, size, spacing) -> int:
    return int(width / (size + Pt(spacing)))


def _size_branches(container, text, width, extra_chars=0, align="center", flag_var="f"):
    """One red flag paragraph per size class under ``{%p if f.width <= n %}`` … ``{%p endif %}``."""
    for index, (size, spacing) in enumerate(FLAG_SIZES):
        fits = _chars_fitting(width, size, spacing) + extra_chars
        if index == len(FLAG_SIZES) - 1:
            _tag(container, "else")
        else:
            _tag(container, f"{'if' if index == 0 else 'elif'} {flag_var}.width <= {fits}")
        paragraph = db.add_paragraph(container, "", FANGSONG, size, align, line=Pt(size.pt * 1.25))
        run = db.add_run(paragraph, text, XIAOBIAOSONG, size)
        run.font.color.rgb = RED
        if spacing:
            spacing_el = OxmlElement("w:spacing")
            spacing_el.set(qn("w:val"), str(spacing * 20))
            run._r.get_or_add_rPr().append(spacing_el)
    _tag(container, "endif")


def issuer_flag(doc, expression="计划.发文机关标志"):
    """版头 发文机关标志: one issuer on one line, sized to fit; a joint issue (a list) stacks the
    names, spread to one width, with 「文件」 to their right, centred on them (GB/T 9704 7.2.1)."""
    _tag(doc, f"set f = {expression}|issuer_flag")
    _tag(doc, "if f.names|length == 1")
    _size_branches(doc, "{{ f.names[0] }}{{ f.suffix }}", db.TEXT_WIDTH)
    _tag(doc, "else")
    names_width = db.TEXT_WIDTH - FLAG_SUFFIX_COLUMN
    table = db.add_table(doc, [names_width, FLAG_SUFFIX_COLUMN])
    db.set_table_borders(table, style="nil")
    row = db.add_row(table)
    names, suffix = row.cells
    _tag(names, "for name in f.names")
    _size_branches(names, "{{ name }}", names_width, extra_chars=2, align="distribute")
    _tag(names, "endfor")
    suffix.vertical_alignment = db.VALIGN["center"]
    _size_branches(suffix, "{{ f.suffix }}", names_width, extra_chars=2)
    _tag(doc, "endif")


def title(doc, expression="计划.标题", keep="计划.名称", size=ERHAO, line=Pt(36)):
    """标题: 2号小标宋, centred, broken between words into a trapezoid or diamond (GB/T 9704 7.3.1)."""
    _tag(doc, f"for line in {expression}|title_lines({TITLE_CHARS}, {keep})")
    _keep(db.add_paragraph(doc, "{{ line }}", XIAOBIAOSONG, size, "center", line=line))
    _tag(doc, "endfor")


def signature(doc, lines, blank_before=2):
    """落款: each line on a centre tab over a date set 右空四字 (GB/T 9704 7.3.5.2), kept with the
    paragraph before it so that no page holds only the 落款. ``lines``: texts or ``{%p … %}`` tags."""
    for _ in range(blank_before):
        _keep(db.add_paragraph(doc, ""))
    for text in lines:
        if text.startswith("{%p"):
            _tag(doc, text[3:-2].strip())
            continue
        paragraph = _keep(db.add_paragraph(doc, "\t" + text))
        db.add_tab_stop(paragraph, SIGNATURE_CENTRE, "center")
    last = doc.paragraphs[-1]
    last.paragraph_format.keep_with_next = False
    return last


COLOPHON_LINE = Pt(22)  # one 版记 line (4号 on a 22 pt pitch), its rules included


def _at_page_foot(paragraph, lines_from_foot):
    # Each 版记 line is a frame at a fixed height above the foot of the 版心 (GB/T 9704 7.4:
    # 版记应置于公文最后一页，版记的最后一个要素置于最后一行). Frames, not a floating table:
    # LibreOffice ignores a table's tblpYSpec="bottom" and would leave the 版记 in the text.
    p_pr = paragraph._p.get_or_add_pPr()
    frame = OxmlElement("w:framePr")
    top = Emu(db.TEXT_HEIGHT - COLOPHON_LINE * lines_from_foot)
    for key, value in (("w:w", str(Emu(db.TEXT_WIDTH).twips)), ("w:h", str(Emu(COLOPHON_LINE).twips)),
                       ("w:hRule", "exact"), ("w:wrap", "notBeside"), ("w:vAnchor", "margin"),
                       ("w:hAnchor", "margin"), ("w:xAlign", "center"), ("w:y", str(top.twips))):
        frame.set(qn(key), value)
    p_pr.insert(0, frame)


def _rule(paragraph, edges):
    """Rules above and below a paragraph: {edge: size in eighths of a point}."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for edge, size in edges.items():
        el = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", "000000")):
            el.set(qn(key), value)
        borders.append(el)
    p_pr.find(qn("w:framePr")).addnext(borders)


def colophon(doc, copy_to="计划.抄送", printer="计划.印发机关 if 计划.印发机关 is defined else 计划.发文机关",
             date="计划.日期.发布"):
    """版记 (GB/T 9704 7.4): 抄送 (when the programme names any), 印发机关 and 印发日期 in 4号仿宋,
    between a thick first and last rule (0.35 mm) and a thin rule between (0.25 mm), at the foot
    of the last page."""
    _tag(doc, f"if {copy_to} is defined and {copy_to}")
    _rule(_colophon_line(doc, "抄送：{{ " + copy_to + " }}。", 2), {"top": 8})
    # LibreOffice drops the frame of a framed paragraph followed at once by another frame
    db.add_paragraph(doc, "", line=Pt(1), size=Pt(1))
    _rule(_printed(doc, printer, date), {"top": 4, "bottom": 8})
    _tag(doc, "else")
    _rule(_printed(doc, printer, date), {"top": 8, "bottom": 8})
    _tag(doc, "endif")


def _colophon_line(doc, text, lines_from_foot):
    paragraph = db.add_paragraph(doc, text, FANGSONG, SIHAO, "left", line=Pt(20))
    paragraph.paragraph_format.left_indent = SIHAO  # 左右各空一字
    paragraph.paragraph_format.right_indent = SIHAO
    _at_page_foot(paragraph, lines_from_foot)
    return paragraph


def _printed(doc, printer, date):
    paragraph = _colophon_line(doc, "{{ " + printer + " }}\t{{ " + date + "|cn_date }}印发", 1)
    db.add_tab_stop(paragraph, Emu(db.TEXT_WIDTH - SIHAO), "right")  # 右空一字
    return paragraph
