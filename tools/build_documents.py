"""Build the docxtpl templates of the programme documents: 通知, 任务书 and 公示.

Each template is written with python-docx through tools/docx_build.py, together with a sidecar
YAML (标题, 说明, 文件名, 默认值, optionally 汇总). Every Jinja tag sits whole inside one run so
docxtpl sees it intact; loops over table rows use ``{%tr … %}`` rows and loops over paragraphs
``{%p … %}`` paragraphs. Templates read the programme as ``计划`` and the record's fields by their
roster headers; the 公示 (汇总) reads the list ``记录`` and the period ``公示期``.

    python tools/build_documents.py [--out templates]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docx_build as db  # noqa: E402  (tools/ is not a package)
import gongwen  # noqa: E402
import issuers  # noqa: E402
from docx_build import (  # noqa: E402
    ERHAO, FANGSONG, HEITI, KAITI, SANHAO, SIHAO, XIAOBIAOSONG, XIAOSI,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "templates"
RED = RGBColor(0xFF, 0x00, 0x00)
WUHAO = Pt(10.5)  # 五号
XIAOWU = Pt(9)  # 小五
NUMERALS = "一二三四五六七八九十"  # 期次 第一期…: indexed with loop.index0 in the template


# --------------------------------------------------------------------------- helpers
def para(container, text="", font=FANGSONG, size=SANHAO, align="justify", indent=0, **kw):
    """One paragraph, one run; ``indent`` is the first-line indent in characters."""
    return db.add_paragraph(container, text, font, size, align, indent_chars=indent, **kw)


def tag(container, statement, size=SANHAO):
    """A paragraph that holds only a ``{%p … %}`` tag; docxtpl replaces the whole paragraph."""
    return db.add_paragraph(container, "{%p " + statement + " %}", FANGSONG, size, "left")


def row_tag(table, statement, size=XIAOSI):
    """A table row whose first cell holds only a ``{%tr … %}`` tag (the row is replaced)."""
    row = db.add_row(table)
    db.write_cell(row.cells[0], "{%tr " + statement + " %}", size=size)
    return row


def indents(paragraph, left_chars=0, hanging_chars=0, size=SANHAO):
    """Left indent and hanging indent, both in characters of ``size``."""
    fmt = paragraph.paragraph_format
    fmt.left_indent = size * left_chars
    fmt.first_line_indent = -size * hanging_chars if hanging_chars else fmt.first_line_indent
    return paragraph


def bottom_rule(paragraph, color="FF0000", size=12):
    """A paragraph bottom border (the red rule under the 文号)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # w:pBdr must precede w:spacing/w:ind/w:jc in w:pPr (schema order)
    anchor = None
    for name in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr"):
        anchor = p_pr.find(qn(name))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        p_pr.append(borders)
    return paragraph


def keep(paragraph):
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def kept_if(doc, text, condition, indent=2):
    """A body paragraph kept with the next one only when ``condition`` holds at fill time."""
    tag(doc, f"if {condition}")
    keep(para(doc, text, indent=indent))
    tag(doc, "else")
    para(doc, text, indent=indent)
    tag(doc, "endif")


def borderless(table):
    return db.set_table_borders(table, style="nil")


def character_spacing(run, points):
    r_pr = run._r.get_or_add_rPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(int(points * 20)))
    r_pr.append(spacing)
    return run


def page_number_footer(doc):
    """公文 page numbers: 「— 1 —」 in 宋体 四号, centred (GB/T 9704 puts them outside; centred is simpler)."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = db.ALIGN["center"]
    db.add_run(paragraph, "— ", "宋体", SIHAO)
    run = db.add_run(paragraph, "", "宋体", SIHAO)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    db.add_run(paragraph, " —", "宋体", SIHAO)


def no_number_on_cover(doc):
    """The cover has no page number (empty first-page footer) and the page after it is 1."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), "0")
    sect_pr = section._sectPr
    anchor = sect_pr.find(qn("w:cols"))
    if anchor is not None:
        anchor.addprevious(pg)
    else:
        sect_pr.append(pg)


def signature_block(doc, lines, size=SANHAO, blank_before=2):
    """落款 to the right: a borderless two-column table whose left cell centres the lines
    (发文机关 centred over the date, GB/T 9704) and whose right cell keeps 4 characters free."""
    for _ in range(blank_before):
        para(doc, "", size=size)
    table = db.add_table(doc, [Mm(92), size * 4])
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    borderless(table)
    for text in lines:
        if text.startswith("{%tr"):
            row_tag(table, text[4:-2].strip(), size=size)
            continue
        row = db.add_row(table)
        db.write_cell(row.cells[0], text, size=size, align="center", line=db.BODY_LINE)
    return table


def cell_margins(table, left=Mm(1.5), right=Mm(1.5)):
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge, value in (("left", left), ("right", right)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(value.twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def write_sidecar(path: Path, data: dict) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- 通知
def build_notice(out: Path) -> None:
    doc = db.new_document()
    page_number_footer(doc)

    # 版头: red 发文机关标志 (one issuer's, sized to fit its line, or the joint issuers' names stacked
    # with 「文件」 to their right), 文号, red rule
    para(doc, "", line=Pt(12))
    gongwen.issuer_flag(doc, issuers.FLAG)
    para(doc, "", line=Pt(6))
    wenhao = para(doc, "{{ 计划.文号|wenhao }}", align="center", after=2)
    bottom_rule(wenhao, size=18)
    para(doc, "", line=Pt(14))
    # a 部门发文 标志 (「中国科协部门发文」) does not name the issuing office: its name stands under
    # the rule; a 标志 that names it already (「益阳市科学技术协会文件」), or joint issuers, do not repeat it
    tag(doc, "if not " + issuers.JOINT + " and 计划.发文机关 not in 计划.发文机关标志")
    para(doc, "{{ 计划.发文机关 }}", align="center")
    para(doc, "")
    tag(doc, "endif")

    # 标题 and 主送
    gongwen.title(doc)
    para(doc, "")
    para(doc, "{{ 计划.主送 }}：")
    para(doc, "{{ 计划.正文 }}", indent=2)

    # 一、申报要求
    keep(para(doc, "一、申报要求", HEITI, indent=2))
    para(doc, "1．申报范围：{{ 计划.申报范围 }}", indent=2)
    para(doc, "2．{{ 计划.称谓.内容 }}：{% if 计划.项目类别 is defined %}本计划设立以下类别："
              "{{ 计划.项目类别|join('、') }}。{% endif %}{{ 计划.内容要求 }}", indent=2)
    para(doc, "3．项目周期：原则上为{% if 计划.周期月数 % 12 == 0 %}{{ 计划.周期月数 // 12 }}年"
              "{% else %}{{ 计划.周期月数 }}个月{% endif %}。", indent=2)
    para(doc, "4．经费额度：每个{{ 计划.称谓.项目 }}经费额度为"
              "{% if 计划.经费.下限 == 计划.经费.上限 %}{{ 计划.经费.上限|wan|replace('.00', '') }}万元。"
              "{% else %}{{ 计划.经费.下限|wan|replace('.00', '') }}-"
              "{{ 计划.经费.上限|wan|replace('.00', '') }}万元，根据实际内容调整。{% endif %}"
              "{% if 计划.经费.支付|length == 1 %}经费于{{ 计划.经费.支付[0].阶段 }}一次性拨付。"
              "{% else %}{% for p in 计划.经费.支付 %}{{ p.阶段 }}支付{{ '%g'|format(p.比例) }}%"
              "{% if not loop.last %}，{% endif %}{% endfor %}。{% endif %}", indent=2)
    para(doc, "5．申报方式：{{ 计划.申报方式 }}申报截止日期为{{ 计划.日期.截止|cn_date }}，逾期不予受理。",
         indent=2)

    # 二、评审及组织实施
    keep(para(doc, "二、评审及组织实施", HEITI, indent=2))
    tag(doc, "for 条 in 计划.评审及组织实施")
    para(doc, "{{ loop.index }}．{{ 条 }}", indent=2)
    tag(doc, "endfor")

    # 三、联系方式
    keep(para(doc, "三、联系方式", HEITI, indent=2))
    # the last line before the 落款 is kept with it (no page holding only the 落款)
    tag(doc, "set last_before_signature = not (计划.附件 is defined and 计划.附件)")
    tag(doc, "for c in 计划.联系人")
    tag(doc, "if c.单位 is defined")
    keep(para(doc, "联系单位：{{ c.单位 }}", indent=2))
    tag(doc, "endif")
    keep(para(doc, "联 系 人：{{ c.姓名 }}", indent=2))
    tag(doc, "if c.邮箱 is defined")
    keep(para(doc, "电    话：{{ c.电话 }}", indent=2))
    kept_if(doc, "电子信箱：{{ c.邮箱 }}", "loop.last and last_before_signature")
    tag(doc, "else")
    kept_if(doc, "电    话：{{ c.电话 }}", "loop.last and last_before_signature")
    tag(doc, "endif")
    tag(doc, "endfor")

    # 附件说明: 「附件：1.…」, later items aligned under the first name (hanging indent)
    tag(doc, "if 计划.附件 is defined and 计划.附件")
    keep(para(doc, ""))
    tag(doc, "for a in 计划.附件")
    item = keep(para(doc, "{% if loop.first %}附件：{% else %}　　　{% endif %}{{ loop.index }}.{{ a }}"))
    indents(item, left_chars=6, hanging_chars=4)
    tag(doc, "endfor")
    tag(doc, "endif")

    # 落款: one issuer (with its 代章), or each joint issuer with a seal place, in the 标志's order
    issuers.joint_signature(doc, lambda doc: gongwen.signature(doc, [
        "{{ 计划.发文机关 }}",
        "{%p if 计划.代章 is defined %}",
        "（{{ 计划.代章 }}）",
        "{%p endif %}",
        "{{ 计划.日期.发布|cn_date }}",
    ]), "{{ 计划.日期.发布|cn_date }}")
    gongwen.colophon(doc)

    doc.save(out / "通知.docx")
    write_sidecar(out / "通知.yaml", {
        "标题": "申报通知",
        "说明": "按公文格式（发文机关标志、文号、主送、正文、联系方式、附件、落款）生成本年度计划的申报通知，只用计划文件的内容。",
        "文件名": "通知",
        "默认值": {},
    })


# --------------------------------------------------------------------------- 任务书
#: 甲方 of the agreement: 「协议.甲方」, else the (主办) 发文机关
PARTY_A = "{{ 计划.协议.甲方 if 计划.协议.甲方 is defined else 计划.发文机关 }}"
#: 「中期评估和」 where the programme holds one (「协议.中期评估」, seed 004), nothing where not (seed 001)
MIDTERM = "{{ '中期评估和' if 计划.协议.中期评估 else '' }}"
BODY = XIAOSI  # 任务书 body: 仿宋 小四 on a 22 pt line: cover + about three pages
LINE = Pt(22)
CELL = XIAOSI
CELL_LINE = Pt(20)


def tp(container, text="", font=FANGSONG, size=BODY, align="justify", indent=2, keep=None, **kw):
    kw.setdefault("line", LINE)
    paragraph = para(container, text, font, size, align, indent, **kw)
    if keep or (keep is None and font in (HEITI, KAITI)):  # headings stay with what follows
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def ttag(container, statement):
    return db.add_paragraph(container, "{%p " + statement + " %}", FANGSONG, BODY, "left", line=LINE)


def header_row(row):
    """Repeat the row on each page and keep it on the page of the first data row."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    return row


def label_cell(cell, text):
    db.write_cell(cell, text, size=CELL, align="center", line=CELL_LINE)


def value_cell(cell, text, align="left"):
    db.write_cell(cell, text, size=CELL, align=align, line=CELL_LINE)


def build_task(out: Path) -> None:
    doc = db.new_document()
    page_number_footer(doc)
    no_number_on_cover(doc)

    # 封面
    for _ in range(2):
        para(doc, "")
    gongwen.title(doc, "计划.名称", keep="''", line=Pt(40))
    para(doc, "项目{{ 计划.协议.名称 }}", XIAOBIAOSONG, Pt(36), "center", line=Pt(60), before=12)
    for _ in range(3):
        para(doc, "")
    cover = db.add_table(doc, [Mm(44), Mm(96)])
    borderless(cover)
    # a 项目名称 longer than the line breaks between words (title_lines), not at the cell's edge
    name_lines = ("{%p for line in 项目名称|title_lines(16) %}", "{{ line }}", "{%p endfor %}")
    for label, values in (("项目名称：", name_lines), ("承担单位：", ("{{ 申报单位 }}",)),
                          ("试点单位：", ("{{ 试点单位 }}",)), ("项目负责人：", ("{{ 负责人 }}",)),
                          ("签订日期：", ("     年    月    日",))):
        if label == "试点单位：":  # a 试点 roster names the unit the 试点 is run in; others have none
            row_tag(cover, "if 试点单位 is defined and 试点单位|given", size=SANHAO)
        row = db.add_row(cover, height=Mm(13))
        db.write_cell(row.cells[0], label, FANGSONG, SANHAO, "right",
                      valign="bottom", line=Pt(30))
        for value in values:
            db.write_cell(row.cells[1], value, FANGSONG, SANHAO, "center", valign="bottom", line=Pt(30))
        db.set_cell_borders(row.cells[1], size=6, top="nil", left="nil", right="nil", bottom="single")
        db.set_cell_borders(row.cells[0], top="nil", left="nil", right="nil", bottom="nil")
        if label == "试点单位：":
            row_tag(cover, "endif", size=SANHAO)
    for _ in range(3):
        para(doc, "")
    para(doc, PARTY_A, FANGSONG, SANHAO, "center")
    para(doc, "{{ 计划.文号.年份 }}年", FANGSONG, SANHAO, "center")  # the programme's year, not today's

    # 正文
    db.page_break(doc)
    gongwen.title(doc, "计划.名称", keep="''", line=Pt(34))
    para(doc, "项目{{ 计划.协议.名称 }}", XIAOBIAOSONG, ERHAO, "center", line=Pt(34), after=10)
    tp(doc, "甲方（项目组织单位）：" + PARTY_A, indent=0)
    tp(doc, "乙方（项目承担单位）：{{ 申报单位 }}", indent=0)
    tp(doc, "根据《{{ 计划.标题 }}》（{{ 计划.文号|wenhao }}）有关要求，经形式审查、专家评审和公示，"
            "乙方申报的项目获准立项。为明确双方责任，保证项目顺利实施，甲乙双方经协商一致，签订本{{ 计划.协议.名称 }}。")

    # 一、项目基本信息
    tp(doc, "一、项目基本信息", HEITI)
    info = db.add_table(doc, [Mm(38), Mm(40), Mm(22), Mm(56)])
    cell_margins(info)

    def wide(label, value):
        row = db.add_row(info, height=Mm(9))
        label_cell(row.cells[0], label)
        value_cell(db.merge_horizontal(row, 1, 3), value)

    def pair(label1, value1, label2, value2):
        row = db.add_row(info, height=Mm(9))
        label_cell(row.cells[0], label1)
        value_cell(row.cells[1], value1)
        label_cell(row.cells[2], label2)
        value_cell(row.cells[3], value2)

    wide("项目名称", "{{ 项目名称 }}")
    wide("承担单位（乙方）", "{{ 申报单位 }}")
    row_tag(info, "if 试点单位 is defined and 试点单位|given")
    wide("试点单位", "{{ 试点单位 }}")
    row_tag(info, "endif")
    pair("项目负责人", "{{ 负责人 }}", "职务", "{{ 职务 }}")
    pair("联系电话", "{{ 手机 }}", "电子邮箱", "{{ 电子邮箱 }}")
    pair("通讯地址", "{{ 通讯地址 }}", "邮编", "{{ 邮编 }}")
    wide("实施期限", "{{ 计划.试点期间.开始|cn_date }}至{{ 计划.试点期间.结束|cn_date }}")
    wide("资助金额", "人民币{{ 资助金额|yuan }}元（大写：{{ 资助金额|rmb_upper }}）")

    # 二、项目目标
    tp(doc, "二、项目目标", HEITI, before=6)
    tp(doc, "{{ 项目目标 }}")

    # 三、考核指标
    tp(doc, "三、考核指标", HEITI)
    tp(doc, "项目实施期满，乙方应完成以下考核指标，作为结项验收的主要依据：", keep=True)
    kpi = db.add_table(doc, [Mm(16), Mm(140)])
    cell_margins(kpi)
    head = db.add_row(kpi, height=Mm(8))
    label_cell(head.cells[0], "序号")
    label_cell(head.cells[1], "考核指标")
    for cell in head.cells:
        db.set_font(cell.paragraphs[0].runs[0], HEITI, CELL)
    header_row(head)
    row_tag(kpi, "for 指标 in 考核指标|split_items")
    row = db.add_row(kpi, height=Mm(8), cant_split=True)
    value_cell(row.cells[0], "{{ loop.index }}", align="center")
    value_cell(row.cells[1], "{{ 指标 }}")
    row_tag(kpi, "endfor")

    # 四、经费及拨付
    tp(doc, "四、经费及拨付", HEITI, before=6)
    ttag(doc, "if 计划.经费.支付|length == 1")  # one payment: no table of stages, no 尾款
    tp(doc, "甲方资助乙方项目经费人民币{{ 资助金额|yuan }}元（大写：{{ 资助金额|rmb_upper }}），"
            "于{{ 计划.经费.支付[0].阶段 }}一次性拨付至乙方单位账户。")
    ttag(doc, "else")
    tp(doc, "甲方资助乙方项目经费人民币{{ 资助金额|yuan }}元（大写：{{ 资助金额|rmb_upper }}），"
            "拨付至乙方单位账户，按以下方式分期拨付：", keep=True)
    pay = db.add_table(doc, [Mm(20), Mm(74), Mm(22), Mm(40)])
    cell_margins(pay)
    head = db.add_row(pay, height=Mm(8))
    for cell, text in zip(head.cells, ("期次", "拨付条件", "比例", "金额（元）")):
        label_cell(cell, text)
        db.set_font(cell.paragraphs[0].runs[0], HEITI, CELL)
    header_row(head)
    row_tag(pay, "for 期 in 资助金额|installments(计划.经费.支付)")
    row = db.add_row(pay, height=Mm(8), cant_split=True)
    value_cell(row.cells[0], "第{{ '" + NUMERALS + "'[loop.index0] if loop.index <= 10 else loop.index }}期",
               align="center")
    value_cell(row.cells[1], "{{ 期.阶段 }}")
    value_cell(row.cells[2], "{{ '%g'|format(期.比例) }}%", align="center")
    value_cell(row.cells[3], "{{ 期.金额|yuan }}", align="right")
    row_tag(pay, "endfor")
    total = db.add_row(pay, height=Mm(8))
    label_cell(total.cells[0], "合计")
    value_cell(total.cells[1], "")
    value_cell(total.cells[2], "100%", align="center")
    value_cell(total.cells[3], "{{ 资助金额|yuan }}", align="right")
    ttag(doc, "endif")
    tp(doc, "{% if 计划.经费.支付|length > 1 %}乙方未通过中期评估的，甲方不予拨付尾款；未通过"
            "{% else %}乙方未通过{% endif %}结项验收的，"
            "{{ 计划.协议.验收不合格 if 计划.协议.验收不合格 is defined else '不予结项' }}。", before=6)

    # 五、双方责任
    tp(doc, "五、双方责任", HEITI)
    tp(doc, "（一）甲方责任", KAITI)
    tp(doc, "1．按本{{ 计划.协议.名称 }}约定及时拨付项目经费。")
    tp(doc, "2．对项目实施进行指导和监督检查，组织" + MIDTERM + "结项验收。")
    tp(doc, "3．协调有关资源支持项目实施，通过多种渠道宣传推广{{ 计划.称谓.经验 }}。")
    tp(doc, "（二）乙方责任", KAITI)
    tp(doc, "1．按照本{{ 计划.协议.名称 }}确定的目标和考核指标组织实施项目，落实工作人员和配套条件，按期完成{{ 计划.称谓.任务 }}。")
    tp(doc, "2．项目经费实行专款专用、单独核算，严格执行国家财经法规和有关财务制度，"
            "不得截留、挤占、挪用。项目接收拨款单位应与项目承担单位一致。")
    ttag(doc, "if 计划.禁止支出 is defined and 计划.禁止支出")
    tp(doc, "项目经费不得用于以下开支：")
    ttag(doc, "for 项 in 计划.禁止支出")
    tp(doc, "（{{ loop.index }}）{{ 项 }}{{ '。' if loop.last else '；' }}")
    ttag(doc, "endfor")
    ttag(doc, "endif")
    tp(doc, "3．接受甲方及有关部门的监督检查，按要求报送{{ '中期报告和' if 计划.协议.中期评估 else '' }}总结报告，"
            "配合做好" + MIDTERM + "结项验收，如实提供有关资料。")
    tp(doc, "4．项目负责人、实施内容、考核指标、经费预算等确需变更的，应提前书面报甲方批准后执行，"
            "不得擅自变更。")
    tp(doc, "5．及时总结凝练{{ 计划.称谓.经验 }}，做好{{ 计划.称谓.成果 }}宣传；发表、宣传项目成果时应注明项目来源。")

    # 六、其他
    tp(doc, "六、其他", HEITI)
    tp(doc, "1．乙方提供虚假材料，或截留、挤占、挪用项目经费的，甲方有权终止项目、追回已拨付经费。")
    tp(doc, "2．本{{ 计划.协议.名称 }}未尽事宜，由甲乙双方协商解决。")
    tp(doc, "3．本{{ 计划.协议.名称 }}自双方签字盖章之日起生效，一式两份，甲乙双方各执一份，具有同等效力。", keep=True)

    # 签署 (kept on the page of the last clause: never a signature page on its own)
    tp(doc, "", indent=0, keep=True)
    sign = db.add_table(doc, [Mm(78), Mm(78)])
    borderless(sign)
    # the party's name on its own line under 「甲方（盖章）：」: a long name never leaves 「室」 alone
    for left, right, height in ((("甲方（盖章）：", PARTY_A), ("乙方（盖章）：", "{{ 申报单位 }}"), Mm(22)),
                                (("负责人（签字）：",), ("负责人（签字）：",), Mm(16)),
                                (("日期：     年    月    日",), ("日期：     年    月    日",), Mm(10))):
        row = db.add_row(sign, height=height, cant_split=True)
        for cell, texts in ((row.cells[0], left), (row.cells[1], right)):
            for text in texts:
                db.write_cell(cell, text, FANGSONG, BODY, "left", valign="top", line=LINE)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True

    doc.save(out / "任务书.docx")
    write_sidecar(out / "任务书.yaml", {
        "标题": "项目任务书（责任书）",
        "说明": "甲方（计划文件「协议.甲方」，默认为发文机关）与乙方（名单中的申报单位）签订的项目任务书或责任书"
                "（按计划文件「协议.名称」），每个立项项目一份。",
        "文件名": "{申报单位}-{计划.协议.名称}",
        "默认值": {},
        "别名": ["责任书"],
        "名称依据": "协议.名称",
    })


# --------------------------------------------------------------------------- 公示
def build_publicity(out: Path) -> None:
    doc = db.new_document()
    page_number_footer(doc)

    gongwen.title(doc, "('关于' ~ 计划.名称 ~ '拟立项项目的公示')")
    para(doc, "")
    para(doc, "根据《{{ 计划.标题 }}》（{{ 计划.文号|wenhao }}）有关要求，经形式审查、专家评审，"
              "拟确定以下{{ 记录|length }}个项目为{{ 计划.名称 }}立项项目，现予以公示。", indent=2)

    # 小五 in these widths keeps 「试点单位：延边朝鲜族自治州科学技术协会」 (19 characters) and a
    # 4-character 负责人 on one line; only the 项目名称 may wrap
    table = db.add_table(doc, [Mm(9), Mm(66), Mm(45), Mm(16), Mm(20)])
    cell_margins(table, Mm(1), Mm(1))
    size, line = XIAOWU, Pt(14)

    def cell(c, text, align="left", font=FANGSONG):
        return db.write_cell(c, text, font, size, align, line=line)

    head = db.add_row(table, height=Mm(10), cant_split=True)
    for c, text in zip(head.cells, ("序号", "单位", "项目名称", "负责人", "资助金额（万元）")):
        cell(c, text, "center", HEITI)
    header_row(head)  # repeated on every page
    row_tag(table, "for r in 记录", size=size)
    row = db.add_row(table, height=Mm(8), cant_split=True)
    cell(row.cells[0], "{{ loop.index }}", "center")
    cell(row.cells[1], "{{ r.申报单位 }}")
    tag(row.cells[1], "if r.试点单位 is defined and r.试点单位|given and r.试点单位 != r.申报单位", size=size)
    db.add_paragraph(row.cells[1], "试点单位：{{ r.试点单位 }}", FANGSONG, size, "left", line=line)
    tag(row.cells[1], "endif", size=size)
    # a 项目名称 wider than its column (13 characters at 小五) breaks between words, no character alone
    for text in ("{%p for line in r.项目名称|title_lines(13) %}", "{{ line }}", "{%p endfor %}"):
        cell(row.cells[2], text)
    cell(row.cells[3], "{{ r.负责人 }}", "center")
    cell(row.cells[4], "{{ r.资助金额|wan }}", "center")
    row_tag(table, "endfor", size=size)
    total = db.add_row(table, height=Mm(8), cant_split=True)
    cell(db.merge_horizontal(total, 0, 3), "合计", "center", HEITI)
    cell(total.cells[4], "{{ 记录|total('资助金额')|wan }}", "center")

    para(doc, "公示期为{{ 公示期.开始|cn_date }}至{{ 公示期.结束|cn_date }}"
              "（{{ 计划.公示.天数 }}个{{ 计划.公示.计日 }}）。", indent=2, before=8)
    para(doc, "任何单位或个人对公示项目有异议的，请在公示期内以书面形式实名提出，并提供必要的证明材料。"
              "单位提出异议的，须加盖本单位公章；个人提出异议的，须签署真实姓名并注明联系方式。"
              "逾期或匿名提出的异议不予受理。", indent=2)
    keep(para(doc, "{{ '异议受理' if 计划.异议联系人 is defined else '联系方式' }}：", indent=2))
    tag(doc, "for c in (计划.异议联系人 if 计划.异议联系人 is defined else 计划.联系人)")
    keep(para(doc, "联系人：{{ c.姓名 }}{% if c.单位 is defined %}（{{ c.单位 }}）{% endif %}", indent=2))
    keep(para(doc, "电  话：{{ c.电话 }}", indent=2))
    tag(doc, "if c.邮箱 is defined")
    keep(para(doc, "邮  箱：{{ c.邮箱 }}", indent=2))
    tag(doc, "endif")
    tag(doc, "endfor")

    # dated the day it is issued (「公示.发布」, or its first day), not the day it is printed
    gongwen.signature(doc, ["{{ 计划.发文机关 }}", "{{ 公示期.发布|cn_date }}"])

    doc.save(out / "公示.docx")
    write_sidecar(out / "公示.yaml", {
        "标题": "拟立项项目公示",
        "说明": "按名单全部记录生成拟立项项目的公示（表格逐项列出单位、项目、负责人和资助金额，附公示期和异议受理方式）。",
        "文件名": "公示",
        "默认值": {},
        "汇总": True,
    })


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    build_notice(args.out)
    build_task(args.out)
    build_publicity(args.out)
    for name in ("通知", "任务书", "公示"):
        print(f"wrote {args.out / (name + '.docx')} and {name}.yaml")


if __name__ == "__main__":
    main()
