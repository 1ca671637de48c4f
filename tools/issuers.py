"""The issuing bodies of a 公文: one issuer, or several issuing jointly (联合发文).

GB/T 9704—2012 7.2.2: for a joint issue the 发文机关标志 may carry every issuer's name, the
主办机关 first; 「文件」 stands to the right of the names, centred on them. 7.3.5.2: each issuer
signs in the order of the 标志, names level with one another, a seal pressed on each name; the
date stands under the last one. The templates read the issuers as ``计划.发文机关`` (the 主办机关)
followed by ``计划.联合发文机关``; a programme without 联合发文机关 keeps its one-issuer layout.

Used by tools/build_documents.py (通知); tools/ is not a package, so it is imported by path.
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

import docx_build as db
from docx_build import FANGSONG, SANHAO

JOINT = "计划.联合发文机关 is defined"
#: every issuer in order, the 主办机关 first
ISSUERS = "[计划.发文机关] + 计划.联合发文机关"
#: the 发文机关标志 as pipeline.layout.title.issuer_flag reads it (tools/gongwen.issuer_flag): a text
#: for one issuer; for a joint issue a list of the names, the last one carrying 「文件」
FLAG = ("(([计划.发文机关] + 计划.联合发文机关[:-1] + [计划.联合发文机关[-1] ~ 计划.发文机关标志]) "
        "if " + JOINT + " else 计划.发文机关标志)")


def p_tag(container, statement, size=SANHAO):
    """A paragraph holding only a ``{%p … %}`` tag (docxtpl replaces the whole paragraph)."""
    return db.add_paragraph(container, "{%p " + statement + " %}", FANGSONG, size, "left")


def distribute(paragraph):
    """Spread the characters over the line (分散对齐): names of unequal length align both ends."""
    jc = paragraph._p.get_or_add_pPr().find(qn("w:jc"))
    if jc is None:
        jc = OxmlElement("w:jc")
        paragraph._p.get_or_add_pPr().append(jc)
    jc.set(qn("w:val"), "distribute")
    return paragraph


def joint_signature(doc, single, date: str, size=SANHAO) -> None:
    """The 落款: two issuers a row, each name with room for its seal, the date under the last
    column, when several issue jointly; otherwise what ``single(doc)`` writes."""
    p_tag(doc, "if " + JOINT)
    for _ in range(2):  # the first row of seals starts within one line of the text (7.3.5.2)
        db.add_paragraph(doc, "", FANGSONG, size, "left", line=db.BODY_LINE)
    table = db.add_table(doc, [Mm(76), Mm(76)])
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    db.set_table_borders(table, style="nil")
    loop = db.add_row(table)
    db.write_cell(loop.cells[0], "{%tr for 行 in (" + ISSUERS + ")|batch(2) %}", size=size)
    row = db.add_row(table, height=Mm(30), cant_split=True)  # a seal of 42 mm pressed on the name
    db.write_cell(row.cells[0], "{{ 行[0] }}", FANGSONG, size, "center", line=db.BODY_LINE)
    db.write_cell(row.cells[1], "{{ 行[1] if 行|length > 1 else '' }}", FANGSONG, size, "center",
                  line=db.BODY_LINE)
    end = db.add_row(table)
    db.write_cell(end.cells[0], "{%tr endfor %}", size=size)
    dated = db.add_row(table, cant_split=True)
    db.write_cell(dated.cells[0], "", FANGSONG, size, "center", line=db.BODY_LINE)
    db.write_cell(dated.cells[1], date, FANGSONG, size, "center", line=db.BODY_LINE)
    p_tag(doc, "else")
    single(doc)
    p_tag(doc, "endif")
