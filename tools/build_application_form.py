"""Build templates/申报书.docx, the docxtpl template of 「地方科协深化改革工作试点申报书」.

The layout reproduces, page for page, 附件2 of the notice in seed 004 (10 pages when blank):
cover, 填报说明, 一、基本情况, two pages of label/value boxes, 二、试点内容, three pages of
三、试点方案, and the 四/五 people tables. Every Jinja tag is written with a single add_run()
call so that docxtpl sees it whole. Variables are listed in templates/申报书.yaml (默认值).

Usage: python tools/build_application_form.py [output.docx]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_build as db  # noqa: E402

OUTPUT = Path(__file__).resolve().parent.parent / "templates" / "申报书.docx"

TABLE_LINE = Pt(22)  # line pitch inside the ruled tables (四号 text)
# Filled-in texts are left-aligned, not justified: the renderer turns "\n" into line breaks,
# and a justified line ending in a line break is stretched across the cell (「体  系  。」).
BLANK_DATE = "年    月    日"

# 填报说明, verbatim from seed 004 (附件2, page 2).
INSTRUCTIONS = (
    "一、填写申报书前，请先认真阅读申报指南相关要求。申报书所填内容应实事求是，表述准确明了，"
    "字迹工整易辨，可打印填表。所有空表均需填写，如无内容请填“/”。",
    "二、各申报单位务必在申报截止日期前将申报书及电子版报送中国科协改革工作办公室，逾期将不予受理。",
)

# 一、基本情况: the seven label/value rows, labels spaced as in the original.
CONTACT_ROWS = (
    ("姓    名", "姓名"),
    ("手    机", "手机"),
    ("电子邮箱", "电子邮箱"),
    ("通讯地址", "通讯地址"),
    ("邮    编", "邮编"),
    ("传    真", "传真"),
    ("办公电话", "办公电话"),
)

# (label, variable) of the two narrow-label boxes on each of pages 4 and 5.
LABEL_BOX_PAGES = (
    (("申报单位推荐理由", "申报单位推荐理由"), ("试点单位概况", "试点单位概况")),
    (("试点单位改革工作目前进展情况", "改革工作目前进展情况"),
     ("试点单位改革工作亮点与主要成效", "改革工作亮点与主要成效")),
)

PEOPLE_HEADER = ("姓 名", "性别", "出生年月", "单位", "职务职称")
PEOPLE_KEYS = ("姓名", "性别", "出生年月", "单位", "职务职称")
# 五号 rows in these widths keep an 8-character 姓名 (「阿依古丽·买买提」), 「1980.02」, a
# 12-character 单位 and 「部长/高级工程师」 on one line; the 小四 headers fit too.
PEOPLE_WIDTHS = (Mm(36), Mm(14), Mm(21), Mm(49), Mm(36))
PEOPLE_SIZE = Pt(10.5)  # 五号


def tag(expression):
    """Return a Jinja print tag for expression."""
    return "{{ " + expression + " }}"


def or_blank(variable, blank):
    """Jinja tag printing variable, or the printed blank of the original when it is empty."""
    # `|string|trim` so that a value the renderer wrapped (Markup, docxtpl Listing) tests
    # on its text, not on the wrapper object's truth value.
    return tag(f'{variable} if {variable}|string|trim else "{blank}"')


def date_or_blank(variable, blank):
    """Like or_blank, for a date: printed 2026年4月10日 whatever the data wrote (2026-04-10)."""
    return tag(f'{variable}|written_date if {variable}|string|trim else "{blank}"')


def heading(doc, text, new_page=True):
    """Add a section heading (黑体 三号), starting a new page by default."""
    paragraph = db.add_paragraph(doc, text, db.HEITI, db.SANHAO)
    paragraph.paragraph_format.page_break_before = new_page
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def cover(doc):
    """Page 1: issuer, title, 试点单位/申报单位 lines, office and date."""
    # Vertical spaces (pt) sum to about 600 of the 638 pt text height: one page.
    db.add_paragraph(doc, "中国科学技术协会", db.KAITI, db.ERHAO, "center", line=Pt(36),
                     before=28)
    db.add_paragraph(doc, "地方科协深化改革工作试点申报书", db.XIAOBIAOSONG, db.YIHAO, "center",
                     line=Pt(40), before=48)
    for i, variable in enumerate(("试点单位", "申报单位")):
        paragraph = db.add_paragraph(doc, "", line=Pt(36), before=110 if i == 0 else 20)
        paragraph.paragraph_format.left_indent = Mm(14)
        # An underlined tab draws the blank line to the stop, filled or not.
        db.add_tab_stop(paragraph, Mm(140))
        db.add_run(paragraph, f"{variable}：", db.HEITI, db.SANHAO)
        db.add_run(paragraph, tag(variable), db.FANGSONG, db.SANHAO, underline=True)
        db.add_run(paragraph, "\t", db.FANGSONG, db.SANHAO, underline=True)
    db.add_paragraph(doc, "中国科协改革工作办公室", db.KAITI, db.SANHAO, "center", line=Pt(36),
                     before=170)
    db.add_paragraph(doc, date_or_blank("填报年月", "   年   月"), db.KAITI, db.SANHAO, "center",
                     line=Pt(36))


def instructions(doc):
    """Page 2: 填 报 说 明 and its two paragraphs."""
    title = db.add_paragraph(doc, "填 报 说 明", db.XIAOBIAOSONG, db.ERHAO, "center",
                             line=Pt(40), after=28)
    title.paragraph_format.page_break_before = True
    for text in INSTRUCTIONS:
        db.add_paragraph(doc, text, db.FANGSONG, db.SANHAO, "justify", indent_chars=2)


def opinion_box(table, whose, label):
    """A full-width 意见 box: label, opinion text, signature line and date, ≥ 6 cm tall.

    The row never splits across pages: the signer's line and （单位公章） stay in their box."""
    row = db.add_row(table, Mm(60), cant_split=True)
    cell = db.merge_horizontal(row, 0, 3)
    cell.vertical_alignment = db.VALIGN["top"]
    db.write_cell(cell, label, valign="top", line=TABLE_LINE)
    db.write_cell(cell, tag(f"{whose}意见.内容"), valign="top", line=TABLE_LINE, indent_chars=2)
    # Blank lines so that a 4 cm round seal fits over （单位公章） inside the box.
    db.write_cell(cell, "", valign="top", line=TABLE_LINE)
    db.write_cell(cell, "", valign="top", line=TABLE_LINE)
    db.write_cell(cell, f"{whose}负责人（签章）：" + " " * 20 + "（单位公章）", valign="top",
                  line=TABLE_LINE)
    date = db.write_cell(cell, date_or_blank(f"{whose}意见.日期", BLANK_DATE), align="right",
                         valign="top", line=TABLE_LINE)
    date.paragraph_format.right_indent = Pt(28)
    db.write_cell(cell, "", valign="top", line=TABLE_LINE)


def basic_info(doc):
    """Page 3: 一、基本情况 table with contacts and the two 意见 boxes."""
    heading(doc, "一、基本情况")
    # The first label column fits 「试点起止日期」 on one line; the second only 4-character labels.
    table = db.add_table(doc, [Mm(34), Mm(47), Mm(28), Mm(47)])
    row_height = Mm(8.5)

    for label, value in (("试点单位", tag("试点单位")), ("试点起止日期", date_or_blank("试点起止日期", ""))):
        row = db.add_row(table, row_height)
        db.write_cell(row.cells[0], label, align="center", line=TABLE_LINE)
        db.write_cell(db.merge_horizontal(row, 1, 3), value, line=TABLE_LINE)

    row = db.add_row(table, row_height)
    db.write_cell(db.merge_horizontal(row, 0, 1), "申报单位负责人", align="center",
                  line=TABLE_LINE)
    db.write_cell(db.merge_horizontal(row, 2, 3), "试点单位负责人", align="center",
                  line=TABLE_LINE)

    for label, key in CONTACT_ROWS:
        row = db.add_row(table, row_height)
        for column, whose in ((0, "申报单位负责人"), (2, "试点单位负责人")):
            db.write_cell(row.cells[column], label, align="center", line=TABLE_LINE)
            db.write_cell(row.cells[column + 1], tag(f"{whose}.{key}"), line=TABLE_LINE)

    opinion_box(table, "申报单位",
                "申报单位意见（包括是否同意推荐，申报书所填内容是否准确等）：")
    opinion_box(table, "试点单位",
                "试点单位意见（包括是否同意推荐，申报书所填内容是否准确等，省级试点不填写此栏）：")


def label_boxes(doc):
    """Pages 4–5: narrow label cell (wraps into 2-character lines) beside a tall value cell."""
    for page in LABEL_BOX_PAGES:
        db.page_break(doc)
        table = db.add_table(doc, [Mm(15), db.TEXT_WIDTH - Mm(15)])
        for label, variable in page:
            # Two boxes share the 225 mm text height of a page.
            row = db.add_row(table, Mm(110))
            db.write_cell(row.cells[0], label, db.HEITI, db.SIHAO, "center", line=TABLE_LINE)
            db.write_cell(row.cells[1], tag(variable), db.FANGSONG, db.SANHAO, "left",
                          valign="top", line=db.BODY_LINE, indent_chars=2)


def content_box(doc):
    """Page 6: 二、试点内容, one tall box with the prompt on top and （可另加页） at its foot."""
    heading(doc, "二、试点内容")
    table = db.add_table(doc, [db.TEXT_WIDTH])
    # Two rows drawn as one box (no line between), so （可另加页） stays at the bottom.
    body = db.add_row(table, Mm(198)).cells[0]
    db.write_cell(body, "（含目的、意义、内容，当前工作基础等。）", db.FANGSONG, db.SANHAO,
                  valign="top", line=db.BODY_LINE)
    db.write_cell(body, tag("试点内容"), db.FANGSONG, db.SANHAO, "left", valign="top",
                  line=db.BODY_LINE, indent_chars=2)
    db.set_cell_borders(body, bottom="nil")
    foot = db.add_row(table).cells[0]
    db.write_cell(foot, "（可另加页）", db.FANGSONG, db.SANHAO, "right", valign="bottom",
                  line=db.BODY_LINE)
    db.set_cell_borders(foot, top="nil")


def plan_boxes(doc):
    """Pages 7–9: 三、试点方案, one full-page box per part."""
    heading(doc, "三、试点方案")
    parts = (("1. 工作计划", "工作计划"), ("2．预期成果", "预期成果"),
             ("3. 试点成果宣传计划", "试点成果宣传计划"))
    for i, (label, variable) in enumerate(parts):
        if i:
            db.page_break(doc)
        table = db.add_table(doc, [db.TEXT_WIDTH])
        cell = db.add_row(table, Mm(212 if i == 0 else 222)).cells[0]
        db.write_cell(cell, label, db.HEITI, db.SANHAO, valign="top", line=db.BODY_LINE)
        db.write_cell(cell, tag(variable), db.FANGSONG, db.SANHAO, "left", valign="top",
                      line=db.BODY_LINE, indent_chars=2)


def people_table(doc, variable, printed_rows):
    """A 姓名/性别/出生年月/单位/职务职称 table looping over variable, padded to printed_rows."""
    table = db.add_table(doc, list(PEOPLE_WIDTHS))
    header = db.add_row(table, Mm(10))
    for cell, text in zip(header.cells, PEOPLE_HEADER):
        db.write_cell(cell, text, size=db.XIAOSI, align="center", line=TABLE_LINE)
    # docxtpl replaces the rows holding {%tr %} tags by the loop; pad_rows (renderer filter)
    # adds empty rows so the blank form shows as many rows as the original.
    db.write_cell(db.add_row(table).cells[0],
                  "{%tr for r in " + f"{variable}|pad_rows({printed_rows})" + " %}",
                  line=TABLE_LINE)
    # a person's row never breaks across a page: half a row on the next page reads as a new row
    row = db.add_row(table, Mm(10), cant_split=True)
    for cell, key in zip(row.cells, PEOPLE_KEYS):
        db.write_cell(cell, tag(f"r.{key}"), size=PEOPLE_SIZE, align="center", line=TABLE_LINE)
    db.write_cell(db.add_row(table).cells[0], "{%tr endfor %}", line=TABLE_LINE)
    return table


def people(doc):
    """Page 10: 四、试点工作负责人 (1 printed row) and 五、主要参与团队 (8 printed rows)."""
    heading(doc, "四、试点工作负责人")
    people_table(doc, "试点工作负责人", 1)
    heading(doc, "五、主要参与团队", new_page=False).paragraph_format.space_before = Pt(20)
    people_table(doc, "主要参与团队", 8)
    db.add_paragraph(doc, "", line=Pt(1), size=Pt(1))  # a body must end with a paragraph


def build(path=OUTPUT):
    """Write the 申报书 template to path and return the path."""
    doc = db.new_document()
    cover(doc)
    instructions(doc)
    basic_info(doc)
    label_boxes(doc)
    content_box(doc)
    plan_boxes(doc)
    people(doc)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else OUTPUT))
