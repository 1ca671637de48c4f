"""Build templates/结项报告.docx, the docxtpl template of the 项目结项（验收）报告.

Seed 000 第七条（四）: 试点单位须按要求提供「总结报告」, reviewed by experts; seed 003 第十三条: the
office organises the 验收 and concludes 通过验收 / 暂缓验收 / 验收不通过; seed 004: 「如不能通过结项
验收，不予结项」. The form is drawn like the 中期报告 (tools/build_midterm_report.py), whose helpers
it reuses: cover, 填报说明, 一、项目基本情况, 二、项目完成情况 (each 考核指标 of the 任务书 beside what
was done), 三、项目成果 (a list), 四、经费决算 (科目, 预算数, 决算数, 说明, with 合计), 五、承担单位意见
(signer line, seal, date) and 六、验收意见, the box the office and its experts fill in.

Pre-filled from results.xlsx (「名单」: 申报单位, 试点单位, 项目名称, 负责人, 手机, 资助金额 in yuan,
考核指标) and the programme (试点期间): a record with 申报单位 is a funded project and every project
value must be there; without data the form is blank for the applicant to write in. Every Jinja tag is
written with a single add_run() call so that docxtpl sees it whole. Variables are listed in
templates/结项报告.yaml (默认值).

Usage: python tools/build_final_report.py [output.docx]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_build as db  # noqa: E402
from build_application_form import TABLE_LINE, heading, opinion_box, or_blank, tag  # noqa: E402
from build_midterm_report import DEFAULT_ISSUER, label_cell, money  # noqa: E402

OUTPUT = Path(__file__).resolve().parent.parent / "templates" / "结项报告.docx"

#: the test that a record is a funded project (a row of results.xlsx 「名单」), not a blank form
FUNDED = "申报单位 is defined"

INSTRUCTIONS = (
    # seed 000 第七条（四）; seed 003 第十三条
    "一、项目执行期满，承担单位须对照项目任务书，如实报告项目完成情况、取得的成果和经费决算情况，"
    "作为项目结项验收的依据。",
    # the 申报书's 填报说明 (seed 004): 「所有空表均需填写，如无内容请填“/”。」
    "二、报告所填内容应实事求是，表述准确明了，字迹工整易辨，可打印填表。"
    "所有空表均需填写，如无内容请填“/”。",
    "三、项目完成情况逐项对照任务书的考核指标填写；项目成果逐项填写成果名称、类型、"
    "形成时间（如“2027年3月”）和说明。",
    # seed 000 第十七条: the expenses that may not be charged to the project
    "四、经费决算按支出科目填写，金额以万元为单位，保留两位小数，合计应等于各科目之和。"
    "不得列支工资、福利和补贴，在职编制内人员的劳务费，罚款、还贷、捐款、赞助、对外投资，"
    "基建支出及与项目实施无关的费用。",
    # seed 004 申报要求 5: stamped, returned as a PDF named after the unit
    "五、报告须经承担单位负责人签章并加盖承担单位公章后，形成PDF文件电子版报送，"
    "文件名为“承担单位”。“六、验收意见”由项目管理单位组织专家填写。",
)

INFO_WIDTHS = (Mm(34), Mm(48), Mm(30), Mm(44))

TASK_HEADER = (("序号",), ("考核指标",), ("完成情况",))
TASK_WIDTHS = (Mm(14), Mm(62), Mm(80))
TASK_PRINTED_ROWS = 5

OUTPUT_HEADER = (("序号",), ("成果名称",), ("类型",), ("时间",), ("说    明",))
OUTPUT_KEYS = ("序号", "成果名称", "类型", "时间", "说明")
OUTPUT_WIDTHS = (Mm(14), Mm(48), Mm(24), Mm(30), Mm(40))  # 时间 「2027年12月」 on one line
OUTPUT_PRINTED_ROWS = 6

ACCOUNT_HEADER = (("科    目",), ("预算数", "（万元）"), ("决算数", "（万元）"), ("说    明",))
ACCOUNT_KEYS = ("科目", "预算数", "决算数", "说明")
ACCOUNT_AMOUNTS = ("预算数", "决算数")
ACCOUNT_WIDTHS = (Mm(40), Mm(27), Mm(27), Mm(62))
ACCOUNT_PRINTED_ROWS = 6


def project(expression, blank=""):
    """A value of the funded project: printed when the record is one, else the form's blank."""
    return tag(f"({expression}) if {FUNDED} else \"{blank}\"")


#: 承担单位: the 试点单位 that carries the project out; a 省级试点 has none of its own (seed 004:
#: 「省级试点不填写此栏」), its 申报单位 carries it
UNIT = "试点单位 if 试点单位|string|trim else 申报单位"


#: 项目起止时间: the programme's 试点期间 (seed 000 第八条: 项目周期原则上为1年), as 「2026年7月至2027年6月」
PERIOD = ("计划.试点期间.开始.year ~ '年' ~ 计划.试点期间.开始.month ~ '月至' ~ "
          "计划.试点期间.结束.year ~ '年' ~ 计划.试点期间.结束.month ~ '月'")


def cover(doc):
    """Page 1: 计划名称 (or a 项目类别 line), title, four underlined lines, issuer."""
    # The data's 计划名称, else the programme's 名称 when one is given (a pre-filled form always
    # has one: 项目起止时间 is its 试点期间), else a line to write it on.
    db.add_paragraph(doc, "{%p if 计划名称|string|trim or 计划 is defined %}", line=Pt(2), size=Pt(2))
    db.add_paragraph(doc, tag("计划名称 if 计划名称|string|trim else 计划.名称"), db.KAITI, db.ERHAO, "center",
                     line=Pt(36), before=28)
    db.add_paragraph(doc, "{%p else %}", line=Pt(2), size=Pt(2))
    line = db.add_paragraph(doc, "", line=Pt(36), before=28)
    line.paragraph_format.left_indent = Mm(30)
    db.add_tab_stop(line, Mm(126))
    db.add_run(line, "项目类别：", db.KAITI, db.ERHAO)
    db.add_run(line, "\t", db.KAITI, db.ERHAO, underline=True)
    db.add_paragraph(doc, "{%p endif %}", line=Pt(2), size=Pt(2))

    db.add_paragraph(doc, "项目结项报告", db.XIAOBIAOSONG, Pt(36), "center", line=Pt(48), before=40)

    db.cover_fields(doc, (
            ("项目名称：", project("项目名称")),
            ("承担单位：", project(UNIT)),
            ("项目负责人：", project("负责人")),
            ("填报日期：", or_blank("填报日期", "    年    月    日"))))

    issuer = tag(f'发文机关 if 发文机关|string|trim else "{DEFAULT_ISSUER}"')
    db.add_paragraph(doc, issuer, db.KAITI, db.SANHAO, "center", line=Pt(36), before=110)


def instructions(doc):
    """Page 2: 填 报 说 明."""
    db.instructions_page(doc, INSTRUCTIONS)


def basic_info(doc):
    """Page 3: 一、项目基本情况, the project as the 任务书 has it."""
    heading(doc, "一、项目基本情况")
    table = db.add_table(doc, list(INFO_WIDTHS))
    row_height = Mm(10)
    for label, expression in (("项目名称", "项目名称"), ("承担单位", UNIT)):
        row = db.add_row(table, row_height, cant_split=True)
        label_cell(row.cells[0], label)
        db.write_cell(db.merge_horizontal(row, 1, 3), project(expression), line=TABLE_LINE)
    row = db.add_row(table, row_height, cant_split=True)
    for column, (label, expression) in zip((0, 2), (("项目负责人", "负责人"), ("联系电话", "手机"))):
        label_cell(row.cells[column], label)
        db.write_cell(row.cells[column + 1], project(expression), line=TABLE_LINE)
    row = db.add_row(table, row_height, cant_split=True)
    label_cell(row.cells[0], "项目起止时间")
    db.write_cell(db.merge_horizontal(row, 1, 3), project(PERIOD), line=TABLE_LINE)
    row = db.add_row(table, Mm(16), cant_split=True)
    label_cell(row.cells[0], "资助金额", "（万元）")
    # results.xlsx gives yuan (370000): the form writes 万元 (37.00), as the 中期报告 does
    db.write_cell(db.merge_horizontal(row, 1, 3), project("资助金额|wan"), line=TABLE_LINE)


def header_row(table, header):
    row = db.add_row(table, Mm(16), cant_split=True)
    for cell, lines in zip(row.cells, header):
        for text in lines:
            db.write_cell(cell, text, size=db.XIAOSI, align="center", line=TABLE_LINE)


def tasks(doc):
    """二、项目完成情况: each 考核指标 of the 任务书 (from results.xlsx) and what was done."""
    heading(doc, "二、项目完成情况", new_page=False).paragraph_format.space_before = Pt(20)
    table = db.add_table(doc, list(TASK_WIDTHS))
    header_row(table, TASK_HEADER)
    # 完成情况 is the applicant's, one entry per 考核指标 in their order (a returned sample gives them)
    items = f"(考核指标|split_items if {FUNDED} else [])|pad_rows({TASK_PRINTED_ROWS})"
    db.write_cell(db.add_row(table).cells[0], "{%tr for 指标 in " + items + " %}", line=TABLE_LINE)
    row = db.add_row(table, Mm(12), cant_split=True)
    done = "完成情况[loop.index0] if 指标 and 完成情况|length > loop.index0 else ''"
    for cell, expression, align in zip(row.cells, ("loop.index if 指标 else ''", "指标 or ''", done),
                                       ("center", "left", "left")):
        db.write_cell(cell, tag(expression), size=db.XIAOSI, align=align, line=TABLE_LINE)
    db.write_cell(db.add_row(table).cells[0], "{%tr endfor %}", line=TABLE_LINE)


def outputs(doc):
    """三、项目成果: one row per 成果, looped from the data and padded to six."""
    heading(doc, "三、项目成果")
    table = db.add_table(doc, list(OUTPUT_WIDTHS))
    header_row(table, OUTPUT_HEADER)
    db.write_cell(db.add_row(table).cells[0],
                  "{%tr for 成果 in 项目成果|pad_rows(" + str(OUTPUT_PRINTED_ROWS) + ") %}", line=TABLE_LINE)
    row = db.add_row(table, Mm(10), cant_split=True)
    # a loop name of its own: `kexie check` lists the columns under the table they belong to
    for cell, key in zip(row.cells, OUTPUT_KEYS):
        db.write_cell(cell, tag(f"成果.{key}"), size=db.XIAOSI,
                      align="left" if key in ("成果名称", "说明") else "center", line=TABLE_LINE)
    db.write_cell(db.add_row(table).cells[0], "{%tr endfor %}", line=TABLE_LINE)


def accounts(doc):
    """四、经费决算: rows looped from the data and padded, then 合计 (the applicant's own, or the sum)."""
    heading(doc, "四、经费决算", new_page=False).paragraph_format.space_before = Pt(20)
    table = db.add_table(doc, list(ACCOUNT_WIDTHS))
    header_row(table, ACCOUNT_HEADER)
    db.write_cell(db.add_row(table).cells[0],
                  "{%tr for r in 经费决算|pad_rows(" + str(ACCOUNT_PRINTED_ROWS) + ") %}", line=TABLE_LINE)
    row = db.add_row(table, Mm(10), cant_split=True)
    for cell, key in zip(row.cells, ACCOUNT_KEYS):
        value = tag(money(f"r.{key}")) if key in ACCOUNT_AMOUNTS else tag(f"r.{key}")
        db.write_cell(cell, value, size=db.XIAOSI, align="left" if key == "说明" else "center",
                      line=TABLE_LINE)
    db.write_cell(db.add_row(table).cells[0], "{%tr endfor %}", line=TABLE_LINE)

    # 合计: what the data writes in it (经费合计, as an applicant writes it by hand), else the sum of
    # the amounts written as numbers; the blank form: blank.
    total = db.add_row(table, Mm(10), cant_split=True)
    db.write_cell(total.cells[0], "合    计", size=db.XIAOSI, align="center", line=TABLE_LINE)
    for cell, key in zip(total.cells[1:3], ACCOUNT_AMOUNTS):
        written = f"经费合计.{key}"
        summed = (f"'%.2f'|format(经费决算|map(attribute='{key}')|map('float')|sum) "
                  "if 经费决算 else ''")
        expression = f"({money(written)}) if 经费合计.{key} is defined else ({summed})"
        db.write_cell(cell, tag(expression), size=db.XIAOSI, align="center", line=TABLE_LINE)
    db.write_cell(total.cells[3], "", size=db.XIAOSI, line=TABLE_LINE)


def unit_opinion(doc):
    """五、承担单位意见: the 申报书's 意见 box (signer line, 单位公章, date), on a page of its own."""
    heading(doc, "五、承担单位意见")
    table = db.add_table(doc, list(INFO_WIDTHS))
    opinion_box(table, "承担单位", "承担单位意见（报告内容是否真实、准确，是否同意报送）：")
    db.keep_row_together(table.rows[-1])


def review_box(doc):
    """六、验收意见: for the office and its experts; the verdicts are the programme's (seed 003)."""
    heading(doc, "六、验收意见", new_page=False).paragraph_format.space_before = Pt(20)
    table = db.add_table(doc, [db.TEXT_WIDTH])
    row = db.add_row(table, Mm(80))
    db.keep_row_together(row)
    cell = row.cells[0]
    db.write_cell(cell, "（由项目管理单位组织专家填写）", valign="top", line=TABLE_LINE)
    for _ in range(5):
        db.write_cell(cell, "", valign="top", line=TABLE_LINE)
    # 验收结论 choices: the programme's 验收.结论 when it has them, else the data's or the sidecar's
    # default (seed 003 第十三条: 通过验收、暂缓验收、验收不通过)
    choices = "(计划.验收.结论 if 计划 is defined and 计划.验收 is defined else 验收结论)"
    db.write_cell(cell, tag(f"'验收结论：□' ~ {choices}|join('　□')"), valign="top", line=TABLE_LINE)
    db.write_cell(cell, "", valign="top", line=TABLE_LINE)
    db.write_cell(cell, "验收组组长（签字）：", valign="top", line=TABLE_LINE)
    date = db.write_cell(cell, "年    月    日", align="right", valign="top", line=TABLE_LINE)
    date.paragraph_format.right_indent = Pt(28)
    db.add_paragraph(doc, "", line=Pt(1), size=Pt(1))  # a body must end with a paragraph


def build(path=OUTPUT):
    """Write the 结项报告 template to path and return the path."""
    doc = db.new_document()
    cover(doc)
    instructions(doc)
    basic_info(doc)
    tasks(doc)
    outputs(doc)
    accounts(doc)
    unit_opinion(doc)
    review_box(doc)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else OUTPUT))
