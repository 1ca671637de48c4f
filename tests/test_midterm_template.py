"""The 中期报告 template (tools/build_midterm_report.py) filled through the real CLI from samples/中期报告/."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal

import docx
import pytest
import yaml

from conftest import PROGRAM, ROOT, SAMPLES, docx_text

TAGS = re.compile(r"\{\{|\{%|\}\}|%\}")
MIDTERM_SAMPLES = sorted((SAMPLES / "中期报告").glob("*.yaml"))
LONG_PROGRESS = SAMPLES / "中期报告" / "泉州市科学技术协会.yaml"
FORBIDDEN_EXPENSE = SAMPLES / "中期报告" / "宜昌市科学技术协会.yaml"
ORDINARY = SAMPLES / "中期报告" / "绵阳市科学技术协会.yaml"
PRINTED_EXPENSE_ROWS = 6


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def expense_table(path):
    """The rows of the 经费使用情况 table as lists of cell texts (spaces removed)."""
    for table in docx.Document(str(path)).tables:
        rows = [[re.sub(r"\s+", "", cell.text) for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == "支出科目":
            return rows
    raise AssertionError(f"no 经费使用情况 table in {path}")


def total(rows, key):
    return f"{sum(Decimal(str(r[key])) for r in rows):.2f}"


def test_samples_are_the_three_kinds_the_office_receives():
    assert [p.name for p in MIDTERM_SAMPLES] == sorted(
        p.name for p in (LONG_PROGRESS, FORBIDDEN_EXPENSE, ORDINARY))
    # seed 000 第十七条（一）：发放工资、福利和补贴 may not be charged; the sample reports it as spent
    assert any("发放工作人员补贴" in r["说明"] for r in load(FORBIDDEN_EXPENSE)["经费使用情况"])
    assert len(load(LONG_PROGRESS)["项目进展情况"]) > 600  # a page-high box holds about 20 lines of 26


@pytest.mark.parametrize("sample", MIDTERM_SAMPLES, ids=lambda p: p.stem)
def test_sample_report_carries_every_value(run, tmp_path, sample):
    data = load(sample)
    result = run("fill", "中期报告", "--data", sample, "--out", "out")
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / f"{data['承担单位']}-中期报告.docx"
    text = docx_text(path)
    assert not TAGS.search(text)
    values = [data["项目名称"], data["承担单位"], data["填报日期"], data["项目起止日期"],
              *data["项目负责人"].values(), data["承担单位意见"]["内容"], data["承担单位意见"]["日期"],
              f"{data['资助金额']:.2f}", f"{data['已拨付金额']:.2f}"]
    values += data["项目进展情况"].splitlines() + data["存在的问题及下一步工作计划"].splitlines()
    for value in values:
        assert str(value) in text, value

    rows = expense_table(path)
    spent = data["经费使用情况"]
    body = rows[1:-1]
    # every data row printed in order, amounts with two decimals; blank rows up to six
    assert len(body) == max(PRINTED_EXPENSE_ROWS, len(spent))
    for printed, row in zip(body, spent):
        assert printed == [row["支出科目"], f"{row['预算金额']:.2f}", f"{row['已支出金额']:.2f}",
                           re.sub(r"\s+", "", row["说明"])]
    assert all(cell == "" for printed in body[len(spent):] for cell in printed)
    assert rows[-1][:3] == ["合计", total(spent, "预算金额"), total(spent, "已支出金额")]


def test_long_progress_and_more_rows_than_printed_are_all_kept(run, tmp_path):
    data = load(LONG_PROGRESS)
    assert len(data["经费使用情况"]) > PRINTED_EXPENSE_ROWS
    assert run("fill", "中期报告", "--data", LONG_PROGRESS, "--out", "out").exit_code == 0
    rows = expense_table(tmp_path / "out" / "泉州市科学技术协会-中期报告.docx")
    assert len(rows) == 1 + len(data["经费使用情况"]) + 1  # header, every row (no padding), 合计
    assert rows[-1][1:3] == ["34.00", "14.34"]


def test_cover_names_the_programme_or_prints_a_line_for_it(run, tmp_path):
    data = load(ORDINARY)
    assert run("fill", "中期报告", "--data", ORDINARY, "--out", "named").exit_code == 0
    text = docx_text(tmp_path / "named" / "绵阳市科学技术协会-中期报告.docx")
    assert text.splitlines()[0] == data["计划名称"] and "项目类别" not in text
    assert "中国科协改革工作办公室" in text  # the issuer, when the data name none

    del data["计划名称"]
    data["发文机关"] = "绵阳市科学技术协会组织宣传部"
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run("fill", "中期报告", "--data", "d.yaml", "--out", "unnamed").exit_code == 0
    text = docx_text(tmp_path / "unnamed" / "绵阳市科学技术协会-中期报告.docx")
    assert text.splitlines()[0] == "项目类别：" and "2026年度" not in text
    assert "绵阳市科学技术协会组织宣传部" in text and "中国科协改革工作办公室" not in text


@pytest.mark.parametrize("args", [(), ("--program", PROGRAM)], ids=["without-programme", "with-programme"])
def test_check_finds_nothing_missing_in_the_samples(run, args):
    for sample in MIDTERM_SAMPLES:
        result = run("check", "中期报告", "--data", sample, *args)
        assert result.exit_code == 0, (sample.name, result.output)


def test_blank_report_has_the_printed_form_and_no_tags(run, tmp_path):
    result = run("fill", "中期报告", "--out", "out")
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "out").glob("*.docx")
    assert path.name == "中期报告.docx"
    text = docx_text(path)
    assert not TAGS.search(text)
    for label in ("项目类别：", "项目中期报告", "项目名称：", "承担单位：", "项目负责人：", "填报日期：",
                  "填 报 说 明", "所有空表均需填写，如无内容请填“/”。", "加盖承担单位公章", "文件名为“承担单位”",
                  "一、基本情况", "职务职称", "电子邮箱", "项目起止日期", "已拨付金额",
                  "二、项目进展情况", "（对照任务书，说明各项任务的完成情况、取得的阶段性成果）", "（可另加页）",
                  "三、经费使用情况", "四、存在的问题及下一步工作计划", "五、承担单位意见", "承担单位意见：",
                  "中国科协改革工作办公室"):
        assert label in text, label
    # the 意见 box is printed as on the 申报书: signer, seal, blank date
    assert re.search(r"承担单位负责人（签章）： {10,}（单位公章）", text)
    assert "年    月    日" in text
    rows = expense_table(path)
    assert rows[0] == ["支出科目", "预算金额（万元）", "已支出金额（万元）", "说明"]
    assert rows[1:-1] == [["", "", "", ""]] * PRINTED_EXPENSE_ROWS
    assert rows[-1] == ["合计", "", "", ""]


def test_expense_rows_never_break_across_pages():
    xml = zipfile.ZipFile(ROOT / "templates" / "中期报告.docx").read("word/document.xml").decode("utf-8")
    loop = re.search(r"\{%tr for r in 经费使用情况.*?\{%tr endfor %\}", xml, re.S).group(0)
    row = loop.split("</w:tr>")[1]  # the row between the two {%tr %} rows
    assert "<w:cantSplit/>" in row and "r.支出科目" in row


def test_missing_row_value_names_template_record_and_variable(run, tmp_path):
    data = load(ORDINARY)
    del data["经费使用情况"][1]["已支出金额"]
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("fill", "中期报告", "--data", "d.yaml", "--out", "out")
    assert result.exit_code == 1
    assert "模板「中期报告」" in result.output
    assert "缺少变量「经费使用情况[1].已支出金额」" in result.output  # the row's own path, not Jinja's words
    assert f"第1条（承担单位={data['承担单位']}）" in result.output
    assert not list((tmp_path / "out").glob("*.docx"))  # never a document with a blank in it


def test_template_is_what_the_builder_makes(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_midterm_report", ROOT / "tools" / "build_midterm_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path / "中期报告.docx")
    part = "word/document.xml"
    assert zipfile.ZipFile(built).read(part) == zipfile.ZipFile(ROOT / "templates" / "中期报告.docx").read(part)


def test_template_uses_gongwen_fonts_on_a4():
    """GB/T 9704: A4, 仿宋_GB2312 body, 黑体 headings, 方正小标宋简体 titles, as East Asian fonts."""
    xml = zipfile.ZipFile(ROOT / "templates" / "中期报告.docx").read("word/document.xml").decode("utf-8")
    assert {"仿宋_GB2312", "黑体", "方正小标宋简体"} <= set(re.findall(r'w:eastAsia="([^"]+)"', xml))
    assert re.search(r'<w:pgSz w:w="11906" w:h="16838"', xml)
    top, left = (int(re.search(rf'<w:pgMar [^>]*w:{side}="(\d+)"', xml).group(1)) for side in ("top", "left"))
    assert abs(top / 56.7 - 37) < 0.5 and abs(left / 56.7 - 28) < 0.5


@pytest.mark.slow
@pytest.mark.parametrize("sample", [None, *MIDTERM_SAMPLES], ids=lambda p: p.stem if p else "空白表")
def test_pdf_renders_in_a_cjk_font_with_the_signer_line(run, tmp_path, sample):
    import pdfplumber

    args = ("--data", sample) if sample else ()
    result = run("fill", "中期报告", *args, "--out", "out", "--pdf")
    assert result.exit_code == 0, result.output
    (pdf,) = (tmp_path / "out").glob("*.pdf")
    with pdfplumber.open(pdf) as document:
        pages = [re.sub(r"\s+", "", page.extract_text() or "") for page in document.pages]
        fonts = {c["fontname"] for page in document.pages for c in page.chars}
    assert "\ufffd" not in "".join(pages)
    assert any("CJK" in f for f in fonts), fonts
    # cover, 填报说明, 基本情况, 二 (one page or more), 三, 四 and 五 together on the last page
    assert "项目中期报告" in pages[0] and "填报说明" in pages[1] and "一、基本情况" in pages[2]
    assert "二、项目进展情况" in pages[3]
    last = pages[-1]
    assert "四、存在的问题及下一步工作计划" in last and "承担单位负责人（签章）：（单位公章）" in last
    if sample is None:
        assert len(pages) == 6
    if sample == LONG_PROGRESS:
        assert "二、项目进展情况" not in pages[4] and "三、经费使用情况" in pages[5]  # 二 ran over a page
