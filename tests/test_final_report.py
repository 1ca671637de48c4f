"""The 结项报告 (结项/验收 form) from its form definition, template and sidecar alone: pre-filled for
each funded project from results.xlsx, blank without data, and read back — fill → PDF → extract →
validate — with its fields, its 成果 and 决算 rows, the 合计 row and the unit's marks.

Three returned reports are made once (tools/make_final_returns.py, one LibreOffice batch): 绵阳
complete; 宜昌 with a 合计 that is not the sum of its rows (31.20 written, 32.10 summed); 泉州
returned unsigned, with a forbidden expense (seed 000 第十七条: 「发放工作人员补贴」).
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import PROGRAM, ROOT, ROSTER, docx_text
from pipeline.errors import FormDefinitionError
from pipeline.forms import load_form
from pipeline.forms.load import parse_form

sys.path.insert(0, str(ROOT / "tools"))

FORM = load_form("结项报告")
TAGS = re.compile(r"\{\{|\{%|\}\}|%\}")


@pytest.fixture(scope="module")
def returned(tmp_path_factory):
    import make_final_returns

    out = tmp_path_factory.mktemp("final")
    paths = make_final_returns.generate(out)
    truths = {p.name: json.loads(p.with_suffix(".truth.json").read_text(encoding="utf-8")) for p in paths}
    return out, truths


@pytest.fixture(scope="module")
def validated(returned, tmp_path_factory):
    """``kexie validate --form 结项报告`` (JSON and Excel reports); the entries it read, from its workspace."""
    from click.testing import CliRunner

    from pipeline.batch import Workspace, form_key
    from pipeline.cli import main

    out, _ = returned
    work = tmp_path_factory.mktemp("final-reports")
    args = ["validate", str(out), "--form", "结项报告", "--program", str(PROGRAM), "--db", str(work / "k.sqlite"),
            f"--report={work / 'r.json'}", f"--report={work / 'r.xlsx'}"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    workspace = Workspace(work / "k.sqlite")
    try:
        entries = {p.name: workspace.lookup(workspace.file_hash(p), form_key(FORM)) for p in sorted(out.glob("*.pdf"))}
    finally:
        workspace.close()
    return result, work, entries


@pytest.fixture(scope="module")
def results_xlsx(tmp_path_factory):
    """A results workbook: the funded projects in 「名单」 with the roster's columns (as kexie scores
    writes it with --roster); the sample roster has exactly these columns."""
    path = tmp_path_factory.mktemp("results") / "results.xlsx"
    path.write_bytes(ROSTER.read_bytes())
    return path


def roster_rows():
    sheet = openpyxl.load_workbook(ROSTER, read_only=True)["名单"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def table_rows(path, first_header):
    """The rows of the .docx table whose header starts with ``first_header`` (spaces removed)."""
    for table in docx.Document(str(path)).tables:
        rows = [[re.sub(r"\s+", "", cell.text) for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_header:
            return rows
    raise AssertionError(f"no table headed {first_header} in {path}")


# --- read back ------------------------------------------------------------------------------


@pytest.mark.slow  # LibreOffice, once for the module
def test_every_field_row_and_mark_read_exactly(returned, validated):
    _, truths = returned
    _, _, entries = validated
    assert len(truths) == 3
    for name, truth in truths.items():
        entry = entries[name]
        assert entry["status"] == "ok" and entry["form"] == "结项报告" and entry["source"] == "text"
        assert entry["fields"] == truth["fields"], name
        assert entry["doubts"] == [], name


@pytest.mark.slow  # LibreOffice, once for the module
def test_rows_are_the_projects_own(returned, validated):
    _, truths = returned
    _, _, entries = validated
    yichang = entries["宜昌市科学技术协会.pdf"]["fields"]
    # the 任务书's 考核指标 (from results.xlsx), numbered, each beside what the unit did
    assert [r["序号"] for r in yichang["项目完成情况"]] == ["1", "2", "3", "4", "5"]
    assert yichang["项目完成情况"][1]["考核指标"] == "组建科技志愿服务队13支，开展科技志愿服务活动不少于31次"
    assert yichang["经费决算"][0] == {"科目": "培训费", "预算数": "12.00", "决算数": "11.60", "说明": "农业实用技术培训33期"}
    assert all(r["科目"] != "合计" for e in entries.values() for r in e["fields"]["经费决算"])  # 合计 is no row
    assert yichang["经费决算.合计.决算数"] == "31.20"  # as the unit wrote it, not the sum


@pytest.mark.slow  # LibreOffice, once for the module
def test_verdicts_total_mismatch_marks_and_forbidden_expense(returned, validated):
    _, truths = returned
    result, work, _ = validated
    assert result.exit_code == 1, result.output
    report = json.loads((work / "r.json").read_text(encoding="utf-8"))
    assert report["form"] == "结项报告"
    files = {Path(f["file"]).name: f for f in report["files"]}
    for name, truth in truths.items():
        got = sorted((p["field"], p["kind"], p["severity"]) for p in files[name]["problems"])
        want = sorted((p["field"], p["kind"], p["severity"]) for p in truth["expected_problems"])
        assert got == want, name
        assert files[name]["status"] == truth["expected_status"], name
    (total,) = files["宜昌市科学技术协会.pdf"]["problems"]
    assert total["message"] == "合计行的决算数（31.20万元）不等于各科目决算数之和（32.10万元）"
    words = " ".join(p["message"] for f in report["files"] for p in f["problems"])
    assert "缺少承担单位公章" in words and "「发放工作人员补贴」含「补贴」" in words
    assert not re.search("试点单位|申报单位|中期", words)  # nothing of the other forms leaks in
    assert report["summary"] == {"complete": 1, "incomplete": 2, "review": 0, "error": 0}
    sheet = openpyxl.load_workbook(work / "r.xlsx")["逐份结果"]
    assert [c.value for c in sheet[1]][:3] == ["文件", "承担单位", "项目名称"]


@pytest.mark.slow  # LibreOffice, once for the module
def test_a_total_that_is_the_sum_passes_and_a_wrong_one_in_budget_is_found(returned, validated):
    """The rule on an entry as read: 绵阳's 合计 equals its rows; the same rows with a budget 合计 off
    by 0.01 are found, and 「/」 rows add nothing."""
    from pipeline.validate import check_entry

    _, _, entries = validated
    entry = json.loads(json.dumps(entries["绵阳市科学技术协会.pdf"]))
    assert [p for p in check_entry(entry, FORM) if p.field.startswith("经费决算")] == []
    entry["fields"]["经费决算.合计.预算数"] = "34.99"
    entry["fields"]["经费决算"].append({"科目": "其他", "预算数": "/", "决算数": "/", "说明": "/"})
    (problem,) = [p for p in check_entry(entry, FORM) if p.field.startswith("经费决算")]
    assert problem.field == "经费决算.合计.预算数" and "（35.00万元）" in problem.message


# --- fill -----------------------------------------------------------------------------------


def test_prefilled_for_each_funded_project_from_results(run, tmp_path, results_xlsx):
    result = run("fill", "结项报告", "--data", results_xlsx, "--program", PROGRAM, "--out", "out")
    assert result.exit_code == 0, result.output
    projects = roster_rows()
    assert len(list((tmp_path / "out").glob("*.docx"))) == len(projects)
    project = next(p for p in projects if p["试点单位"] == "宜昌市科学技术协会")
    path = tmp_path / "out" / "宜昌市科学技术协会-结项报告.docx"
    text = docx_text(path)
    assert not TAGS.search(text)
    assert text.splitlines()[0] == "2026年度地方科协深化改革工作试点"  # the programme's 名称 on the cover
    for value in (project["项目名称"], project["负责人"], project["手机"], "2026年7月至2027年6月", "33.00",
                  "□通过验收　□暂缓验收　□验收不通过"):
        assert value in text, value
    # 考核指标 numbered from the results, 完成情况 left for the unit; blank rows padded to five
    tasks = table_rows(path, "序号")
    items = project["考核指标"].splitlines()
    assert tasks[1:1 + len(items)] == [[str(i), re.sub(r"\s+", "", item), ""] for i, item in enumerate(items, 1)]
    assert tasks[1 + len(items):] == [["", "", ""]] * (5 - len(items))
    accounts = table_rows(path, "科目")
    assert accounts[-1] == ["合计", "", "", ""] and accounts[1:-1] == [["", "", "", ""]] * 6


def test_blank_form_without_data(run, tmp_path):
    result = run("fill", "结项报告", "--out", "out")
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "out").glob("*.docx")
    assert path.name == "结项报告.docx"
    text = docx_text(path)
    assert not TAGS.search(text)
    for label in ("项目类别：", "项目结项报告", "填 报 说 明", "所有空表均需填写，如无内容请填“/”。",
                  "一、项目基本情况", "项目起止时间", "联系电话", "二、项目完成情况", "三、项目成果", "四、经费决算",
                  "五、承担单位意见", "六、验收意见", "验收结论：□通过验收　□暂缓验收　□验收不通过",
                  "中国科协改革工作办公室"):
        assert label in text, label
    assert re.search(r"承担单位负责人（签章）： {10,}（单位公章）", text)
    assert table_rows(path, "序号")[0] == ["序号", "考核指标", "完成情况"]
    assert table_rows(path, "科目")[0] == ["科目", "预算数（万元）", "决算数（万元）", "说明"]
    assert "2026年" not in text  # no programme, no project: nothing pre-filled


def test_a_results_row_without_a_needed_column_stops_that_record(run, tmp_path, results_xlsx):
    book = openpyxl.load_workbook(results_xlsx)
    sheet = book["名单"]
    head = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=head.index("项目名称") + 1).value = None  # one project without its name
    book.save(tmp_path / "blank.xlsx")
    sheet.delete_cols(head.index("手机") + 1)  # no 手机 column at all
    book.save(tmp_path / "nophone.xlsx")

    result = run("fill", "结项报告", "--data", "blank.xlsx", "--program", PROGRAM, "--out", "blank")
    assert result.exit_code == 1
    unit = roster_rows()[1]["申报单位"]
    assert f"第3行（申报单位={unit}）" in result.output and "「项目名称」为空" in result.output
    assert len(list((tmp_path / "blank").glob("*.docx"))) == len(roster_rows()) - 1

    result = run("fill", "结项报告", "--data", "nophone.xlsx", "--program", PROGRAM, "--out", "nophone")
    assert result.exit_code == 1
    assert "缺少变量「手机」" in result.output and f"第2行（申报单位={roster_rows()[0]['申报单位']}）" in result.output
    assert not list((tmp_path / "nophone").glob("*.docx"))  # never a document with a blank in it


def test_the_verdicts_printed_are_the_programmes_own(tmp_path):
    """A programme that lists its 验收 verdicts (验收.结论, seed 003) has them printed in the 验收意见 box."""
    from pipeline.program import load_program
    from pipeline.render import build_context, find_template, render_docx

    spec = find_template("结项报告")
    program = {**load_program(PROGRAM), "验收": {"结论": ["通过验收", "验收不通过"]}}
    path = tmp_path / "结项报告.docx"
    path.write_bytes(render_docx(spec, build_context(spec, {}, program), record="空白表"))
    text = docx_text(path)
    assert "验收结论：□通过验收　□验收不通过" in text and "暂缓验收" not in text


def test_template_is_what_the_builder_makes(tmp_path):
    import build_final_report

    built = build_final_report.build(tmp_path / "结项报告.docx")
    part = "word/document.xml"
    assert zipfile.ZipFile(built).read(part) == zipfile.ZipFile(ROOT / "templates" / "结项报告.docx").read(part)


def test_template_uses_gongwen_fonts_on_a4():
    xml = zipfile.ZipFile(ROOT / "templates" / "结项报告.docx").read("word/document.xml").decode("utf-8")
    assert {"仿宋_GB2312", "黑体", "方正小标宋简体"} <= set(re.findall(r'w:eastAsia="([^"]+)"', xml))
    assert re.search(r'<w:pgSz w:w="11906" w:h="16838"', xml)


# --- the form definition --------------------------------------------------------------------


@pytest.mark.parametrize("total_of, words", [
    ("经费决算[].决算金额", "行表「经费决算」没有可合计的「决算金额」列"),
    ("经费决算[].科目", "没有可合计的「科目」列"),
    ("决算[].决算数", "「决算」不是写在它之前、写有 totals（合计行）的行表字段（是否要写「经费决算」？）"),
])
def test_a_total_field_must_name_a_column_of_a_table_with_a_total_row(total_of, words):
    import yaml

    data = yaml.safe_load(FORM.path.read_text(encoding="utf-8"))
    data["fields"]["经费决算.合计.决算数"]["total_of"] = total_of
    with pytest.raises(FormDefinitionError) as caught:
        parse_form(data, FORM.path)
    assert words in str(caught.value)
