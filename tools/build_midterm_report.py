"""Build templates/中期报告.docx, the docxtpl template of the 项目中期报告.

Seed 000 第七条（四）: 「项目执行中期，试点单位须按要求提供项目中期报告，明确项目进展情况」. The
form is drawn like the 申报书 (tools/build_application_form.py), whose helpers it reuses so that a
reader who knows one form knows the other: cover, 填报说明, 一、基本情况, 二、项目进展情况 (a box
that may run over pages), 三、经费使用情况 (a row table padded to 6 rows, with 合计), 四、存在的
问题及下一步工作计划 and 五、承担单位意见 (the 申报书's 意见 box: signer line, seal, date).
Every Jinja tag is written with a single add_run() call so that docxtpl sees it whole. Variables
are listed in templates/中期报告.yaml (默认值).

Usage: python tools/build_midterm_report.py [output.docx]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_build as db  # noqa: E402
from build_application_form import (  # noqa: E402
    TABLE_LINE,
    heading,
    opinion_box,
    or_blank,
    tag,
)

OUTPUT = Path(__file__).resolve().parent.parent / "templates" / "中期报告.docx"

DEFAULT_ISSUER = "中国科协改革工作办公室"  # the 申报书's issuer (seed 004), unless the data name another

INSTRUCTIONS = (
    # seed 000 第七条（四）
    "一、项目执行中期，承担单位须按要求提供项目中期报告，对照项目任务书明确项目进展情况。",
    # the 申报书's 填报说明 (seed 004): 「所有空表均需填写，如无内容请填“/”。」
    "二、报告所填内容应实事求是，表述准确明了，字迹工整易辨，可打印填表。"
    "所有空表均需填写，如无内容请填“/”。",
    # seed 000 第十七条: the expenses that may not be charged to the project
    "三、经费使用情况按支出科目填写，金额以万元为单位，保留两位小数。经费支出应紧扣项目任务内容，"
    "不得列支工资、福利和补贴，在职编制内人员的劳务费，罚款、还贷、捐款、赞助、对外投资，"
    "基建支出及与项目实施无关的费用。",
    # seed 004 申报要求 5: stamped, returned as a PDF named after the unit
    "四、报告须经承担单位负责人签章并加盖承担单位公章后，形成PDF文件电子版报送，"
    "文件名为“承担单位”。",
)

# 一、基本情况: the first label column fits 「项目起止日期」 in 四号, the second 「已拨付金额」 (its
# 「（万元）」 goes on a second line); the last column fits an e-mail address such as
# 「ordoskx_bgs@163.com」 on one line.
INFO_WIDTHS = (Mm(34), Mm(40), Mm(30), Mm(52))
PERSON_ROWS = (
    (("姓    名", "姓名"), ("职务职称", "职务职称")),
    (("手    机", "手机"), ("电子邮箱", "电子邮箱")),
)

EXPENSE_HEADER = (("支出科目",), ("预算金额", "（万元）"), ("已支出金额", "（万元）"), ("说    明",))
EXPENSE_KEYS = ("支出科目", "预算金额", "已支出金额", "说明")
EXPENSE_AMOUNTS = ("预算金额", "已支出金额")
# 小四 in these widths: an 8-character 科目 (「科普服务站建设费」) on one line, 说明 14 characters a line.
EXPENSE_WIDTHS = (Mm(40), Mm(27), Mm(27), Mm(62))
EXPENSE_PRINTED_ROWS = 6


def money(expression):
    """Jinja expression printing an amount in 万元 with two decimals; text such as “/” as it is."""
    return f"'%.2f'|format({expression}) if {expression} is number else {expression}"


def cover(doc):
    """Page 1: 计划名称 (or a 项目类别 line), title, four underlined lines, issuer."""
    # The programme's name, or a line to write it on. (Not read from 计划: `kexie check` without
    # --program would then report 计划.名称 as missing.)
    db.add_paragraph(doc, "{%p if 计划名称|string|trim %}", line=Pt(2), size=Pt(2))
    db.add_paragraph(doc, tag("计划名称"), db.KAITI, db.ERHAO, "center", line=Pt(36), before=28)
    db.add_paragraph(doc, "{%p else %}", line=Pt(2), size=Pt(2))
    line = db.add_paragraph(doc, "", line=Pt(36), before=28)
    line.paragraph_format.left_indent = Mm(30)
    db.add_tab_stop(line, Mm(126))
    db.add_run(line, "项目类别：", db.KAITI, db.ERHAO)
    db.add_run(line, "\t", db.KAITI, db.ERHAO, underline=True)
    db.add_paragraph(doc, "{%p endif %}", line=Pt(2), size=Pt(2))

    db.add_paragraph(doc, "项目中期报告", db.XIAOBIAOSONG, Pt(36), "center", line=Pt(48), before=40)

    db.cover_fields(doc, (
            ("项目名称：", tag("项目名称")),
            ("承担单位：", tag("承担单位")),
            ("项目负责人：", tag("项目负责人.姓名")),
            ("填报日期：", or_blank("填报日期", "    年    月    日"))))

    issuer = tag(f'发文机关 if 发文机关|string|trim else "{DEFAULT_ISSUER}"')
    # Vertical spaces (pt) sum to about 580 of the 638 pt text height: the cover stays one page
    # when the 项目名称 takes two lines.
    db.add_paragraph(doc, issuer, db.KAITI, db.SANHAO, "center", line=Pt(36), before=110)


def instructions(doc):
    """Page 2: 填 报 说 明."""
    db.instructions_page(doc, INSTRUCTIONS)


def label_cell(cell, *lines):
    """A centred label, one paragraph per printed line."""
    for text in lines:
        db.write_cell(cell, text, align="center", line=TABLE_LINE)


def basic_info(doc):
    """Page 3: 一、基本情况."""
    heading(doc, "一、基本情况")
    table = db.add_table(doc, list(INFO_WIDTHS))
    row_height = Mm(10)
    for label, variable in (("项目名称", "项目名称"), ("承担单位", "承担单位")):
        row = db.add_row(table, row_height, cant_split=True)
        label_cell(row.cells[0], label)
        db.write_cell(db.merge_horizontal(row, 1, 3), tag(variable), line=TABLE_LINE)

    # A group heading over its labels, as 申报单位负责人 heads its rows on the 申报书.
    row = db.add_row(table, row_height, cant_split=True)
    label_cell(db.merge_horizontal(row, 0, 3), "项目负责人")
    for pairs in PERSON_ROWS:
        row = db.add_row(table, row_height, cant_split=True)
        for column, (label, key) in zip((0, 2), pairs):
            label_cell(row.cells[column], label)
            db.write_cell(row.cells[column + 1], tag(f"项目负责人.{key}"), line=TABLE_LINE)

    row = db.add_row(table, row_height, cant_split=True)
    label_cell(row.cells[0], "项目起止日期")
    db.write_cell(db.merge_horizontal(row, 1, 3), tag("项目起止日期"), line=TABLE_LINE)

    row = db.add_row(table, Mm(16), cant_split=True)
    for column, (label, variable) in zip((0, 2), (("资助金额", "资助金额"), ("已拨付金额", "已拨付金额"))):
        label_cell(row.cells[column], label, "（万元）")
        db.write_cell(row.cells[column + 1], tag(money(variable)), align="center", line=TABLE_LINE)


def box(doc, prompt, variable, height, foot=True):
    """One full-width box: the printed prompt on top, the text, and （可另加页） at its foot.

    The box may grow over several pages (its row is allowed to split); the foot is a second row
    drawn without a line between, so （可另加页） stays at the bottom as on the 申报书.
    """
    table = db.add_table(doc, [db.TEXT_WIDTH])
    body = db.add_row(table, height).cells[0]
    db.write_cell(body, prompt, db.FANGSONG, db.SANHAO, valign="top", line=db.BODY_LINE)
    db.write_cell(body, tag(variable), db.FANGSONG, db.SANHAO, "left", valign="top",
                  line=db.BODY_LINE, indent_chars=2)
    if foot:
        db.set_cell_borders(body, bottom="nil")
        cell = db.add_row(table).cells[0]
        db.write_cell(cell, "（可另加页）", db.FANGSONG, db.SANHAO, "right", valign="bottom",
                      line=db.BODY_LINE)
        db.set_cell_borders(cell, top="nil")
    return table


def progress(doc):
    """Page 4: 二、项目进展情况, one page-high box that runs on when the text is long."""
    heading(doc, "二、项目进展情况")
    box(doc, "（对照任务书，说明各项任务的完成情况、取得的阶段性成果）", "项目进展情况", Mm(198))


def expenses(doc):
    """Page 5: 三、经费使用情况, rows looped from the data and padded, then 合计 (may run on)."""
    heading(doc, "三、经费使用情况")
    table = db.add_table(doc, list(EXPENSE_WIDTHS))
    header = db.add_row(table, Mm(16), cant_split=True)
    for cell, lines in zip(header.cells, EXPENSE_HEADER):
        for text in lines:
            db.write_cell(cell, text, size=db.XIAOSI, align="center", line=TABLE_LINE)
    # docxtpl replaces the rows holding {%tr %} tags by the loop; pad_rows (renderer filter)
    # adds empty rows so the blank form shows its six lines to write on.
    db.write_cell(db.add_row(table).cells[0],
                  "{%tr for r in 经费使用情况|pad_rows(" + str(EXPENSE_PRINTED_ROWS) + ") %}",
                  line=TABLE_LINE)
    # a row never breaks across a page: half a row on the next page reads as a new row
    row = db.add_row(table, Mm(10), cant_split=True)
    for cell, key in zip(row.cells, EXPENSE_KEYS):
        value = tag(money(f"r.{key}")) if key in EXPENSE_AMOUNTS else tag(f"r.{key}")
        db.write_cell(cell, value, size=db.XIAOSI, align="left" if key == "说明" else "center",
                      line=TABLE_LINE)
    db.write_cell(db.add_row(table).cells[0], "{%tr endfor %}", line=TABLE_LINE)

    # 合计 adds the amounts written as numbers (“/” counts as nothing); blank form: blank.
    total = db.add_row(table, Mm(10), cant_split=True)
    db.write_cell(total.cells[0], "合    计", size=db.XIAOSI, align="center", line=TABLE_LINE)
    for cell, key in zip(total.cells[1:3], EXPENSE_AMOUNTS):
        expression = (f"'%.2f'|format(经费使用情况|map(attribute='{key}')|map('float')|sum) "
                      "if 经费使用情况 else ''")
        db.write_cell(cell, tag(expression), size=db.XIAOSI, align="center", line=TABLE_LINE)
    db.write_cell(total.cells[3], "", size=db.XIAOSI, line=TABLE_LINE)


def problems(doc):
    """Page 6: 四、存在的问题及下一步工作计划, sharing its page with 五.

    A page of its own, so that an expense table longer than its six printed rows (or rows that
    wrap) grows on page 5 without pushing the foot of this box onto a page by itself.
    """
    heading(doc, "四、存在的问题及下一步工作计划")
    # 118 mm: the box, its foot and 五 (heading and a 60 mm 意见 box) fill the 225 mm text height.
    box(doc, "（项目实施中存在的主要问题及原因，下一步工作安排和保障措施）",
        "存在的问题及下一步工作计划", Mm(118))


def unit_opinion(doc):
    """五、承担单位意见 below 四: the 申报书's 意见 box (signer line, 单位公章, date)."""
    # No page break of its own: the box follows 四 (on a new page only when it does not fit
    # there), so a long 四 ending high on a page does not leave a page for the box alone.
    heading(doc, "五、承担单位意见", new_page=False).paragraph_format.space_before = Pt(20)
    # opinion_box spans four columns, as in the 申报书's 基本情况 table
    table = db.add_table(doc, list(INFO_WIDTHS))
    opinion_box(table, "承担单位", "承担单位意见：")
    # the opinion, the signer's line and the seal are one box: never split over two pages
    db.keep_row_together(table.rows[-1])
    db.add_paragraph(doc, "", line=Pt(1), size=Pt(1))  # a body must end with a paragraph


def build(path=OUTPUT):
    """Write the 中期报告 template to path and return the path."""
    doc = db.new_document()
    cover(doc)
    instructions(doc)
    basic_info(doc)
    progress(doc)
    expenses(doc)
    problems(doc)
    unit_opinion(doc)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else OUTPUT))
