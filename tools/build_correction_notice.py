"""Build the docxtpl template of the 补正通知 (``kexie notice``): templates/补正通知.docx + .yaml.

One notice per applicant whose form failed 形式审查: every defect in one table (一次性告知), the
补正 deadline, the contact, the 落款, then an 附件 page the command fills with a crop of each
defective spot (the pictures are added after rendering, so the template only heads the page).
The template reads ``单位`` (the addressee), ``表名``, ``文件``, ``问题`` (a list of 序号/页/栏目/问题/要求/附图),
``附图`` (how many pictures), ``补正`` (截止, 工作日) and the programme as ``计划``.

    python tools/build_correction_notice.py [--out templates]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docx_build as db
from build_documents import (
    DEFAULT_OUT,
    WUHAO,
    cell_margins,
    header_row,
    keep,
    page_number_footer,
    para,
    row_tag,
    signature_block,
    tag,
    write_sidecar,
)
from docx_build import ERHAO, FANGSONG, HEITI, XIAOBIAOSONG

NAME = "补正通知"


def build_correction_notice(out: Path) -> None:
    doc = db.new_document()
    page_number_footer(doc)

    para(doc, "{{ 计划.发文机关 }}", XIAOBIAOSONG, ERHAO, "center", line=Pt(36))
    para(doc, "申报材料形式审查补正通知", XIAOBIAOSONG, ERHAO, "center", line=Pt(36), after=8)
    para(doc, "{{ 单位 }}：")
    para(doc, "你单位报送的{{ 计划.名称 }}{{ 表名 }}（文件「{{ 文件 }}」）经形式审查，发现以下"
              "{{ 问题|length }}处问题需要补正。根据一次性告知的要求，现将全部问题一并告知如下：", indent=2)

    table = db.add_table(doc, [Mm(10), Mm(12), Mm(38), Mm(46), Mm(50)])
    cell_margins(table, Mm(1), Mm(1))
    size, line = WUHAO, Pt(15)

    def cell(c, text, align="left", font=FANGSONG):
        return db.write_cell(c, text, font, size, align, line=line)

    head = db.add_row(table, height=Mm(9), cant_split=True)
    for c, text in zip(head.cells, ("序号", "页码", "栏目", "存在问题", "填写要求")):
        cell(c, text, "center", HEITI)
    header_row(head)
    row_tag(table, "for p in 问题", size=size)
    row = db.add_row(table, height=Mm(8), cant_split=True)
    cell(row.cells[0], "{{ p.序号 }}", "center")
    cell(row.cells[1], "{{ p.页 or '—' }}", "center")
    cell(row.cells[2], "{{ p.栏目 }}")
    cell(row.cells[3], "{{ p.问题 }}{% if p.附图 %}（见附件图{{ p.附图 }}）{% endif %}")
    cell(row.cells[4], "{{ p.要求 }}")
    row_tag(table, "endfor", size=size)

    para(doc, "请按上述要求逐项修改（所有空栏均需填写，如无内容请填“/”），重新签字、加盖公章后形成PDF文件，"
              "于{{ 补正.截止|cn_date }}（含当日）前报送，即自本通知之日起{{ 补正.工作日 }}个工作日内。"
              "逾期未补正的，按形式审查不合格处理。", indent=2, before=8)
    # one line per contact: the 落款 must not be left alone on a page (GB/T 9704 7.3.5)
    tag(doc, "for c in 计划.联系人")
    keep(para(doc, "联系人：{{ c.姓名 }}{% if c.单位 is defined %}（{{ c.单位 }}）{% endif %}，电话：{{ c.电话 }}"
                   "{% if c.邮箱 is defined %}，邮箱：{{ c.邮箱 }}{% endif %}。", indent=2))
    tag(doc, "endfor")
    tag(doc, "if 附图")
    keep(para(doc, "附件：问题位置截图（{{ 附图 }}幅）", indent=2))
    tag(doc, "endif")

    keep(para(doc, ""))  # the last lines of the body go with the 落款 to the next page, never the 落款 alone
    signature = signature_block(doc, ["{{ 计划.发文机关 }}", "{{ 今天|cn_date }}"], blank_before=0)
    for row in signature.rows[:-1]:  # 发文机关 and date on one page
        for paragraph in row.cells[0].paragraphs:
            keep(paragraph)

    # the 附件 page: kexie notice adds one captioned crop per defect after this heading
    tag(doc, "if 附图")
    heading = para(doc, "附件", HEITI)
    heading.paragraph_format.page_break_before = True
    para(doc, "问题位置截图", XIAOBIAOSONG, ERHAO, "center", line=Pt(36))
    tag(doc, "endif")

    doc.save(out / f"{NAME}.docx")
    write_sidecar(out / f"{NAME}.yaml", {
        "标题": "形式审查补正通知",
        "说明": "形式审查未通过的申报单位每家一份（kexie notice）：逐项列出全部问题（页码、栏目、存在问题、填写要求），"
                "补正期限（工作日）、联系方式、落款，附件为每处问题的页面截图。",
        "文件名": "{单位}-补正通知",
        "默认值": {},
    })


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    build_correction_notice(args.out)
    print(f"wrote {args.out / (NAME + '.docx')} and {NAME}.yaml")


if __name__ == "__main__":
    main()
