"""No blank where a value belongs (issue 13, part 4): fill and announce stop the record that lacks a
value, naming the unit and the column, and go on with the rest (exit 1)."""

from __future__ import annotations

import json

import openpyxl
import yaml

from conftest import PROGRAM, ROSTER, docx_text, make_template
from test_scores import expert_sheet, roster_submissions, write_program


def roster_with_blanks(path, row: int, columns):
    """The sample roster with some cells of one data row emptied (as results.xlsx leaves them)."""
    book = openpyxl.load_workbook(ROSTER)
    sheet = book["名单"]
    head = [c.value for c in sheet[1]]
    unit = sheet.cell(row=row, column=head.index("申报单位") + 1).value
    for column in columns:
        sheet.cell(row=row, column=head.index(column) + 1).value = None
    book.save(path)
    return path, unit


def test_fill_stops_the_record_with_a_blank_name_leader_or_phone(run, tmp_path):
    data, unit = roster_with_blanks(tmp_path / "results.xlsx", 3, ("项目名称", "负责人", "手机"))
    result = run("fill", "任务书", "--data", data, "--program", PROGRAM, "--out", "out")
    assert result.exit_code == 1, result.output
    assert f"第3行（申报单位={unit}）" in result.output
    for column in ("项目名称", "负责人", "手机"):
        assert f"「{column}」" in result.output
    assert "不能留空白" in result.output
    written = sorted(p.name for p in (tmp_path / "out").glob("*.docx"))
    assert len(written) == 23 and f"{unit}-任务书.docx" not in written


def test_whitespace_is_blank_too(run, tmp_path):
    rows = [{"名称": "甲", "备注": "   "}, {"名称": "乙", "备注": "有"}]
    (tmp_path / "d.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    make_template(tmp_path / "t.docx", ["名称：{{ 名称 }}", "备注：{{ 备注 }}"], "文件名: '{名称}'\n")
    result = run("fill", "t.docx", "--data", "d.json", "--out", "out")
    assert result.exit_code == 1
    assert "第1条（名称=甲）" in result.output and "「备注」为空" in result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == ["乙.docx"]


def test_a_field_declared_optional_in_the_sidecar_may_be_blank(run, tmp_path):
    rows = [{"名称": "甲", "备注": ""}]
    (tmp_path / "d.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    make_template(tmp_path / "t.docx", ["名称：{{ 名称 }}", "备注：{{ 备注 }}"], "文件名: '{名称}'\n可选: [备注]\n")
    result = run("fill", "t.docx", "--data", "d.json", "--out", "out")
    assert result.exit_code == 0, result.output
    assert "备注：" in docx_text(tmp_path / "out" / "甲.docx")
    rows[0]["名称"] = ""  # 名称 is not declared optional
    (tmp_path / "d.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    result = run("fill", "t.docx", "--data", "d.json", "--out", "out2")
    assert result.exit_code == 1 and "「名称」为空" in result.output


def test_the_blank_application_form_still_fills_its_declared_optional_fields(run, tmp_path):
    sidecar = yaml.safe_load((ROSTER.parent.parent / "templates" / "申报书.yaml").read_text(encoding="utf-8"))
    assert set(sidecar["可选"]) == set(sidecar["默认值"])  # a form left for the applicant to write in
    result = run("fill", "申报书", "--out", "out")
    assert result.exit_code == 0, result.output


def test_without_a_sidecar_files_are_named_without_a_number_column(run, tmp_path):
    rows = [{"名称": "甲"}, {"名称": "乙"}, {"名称": "丙"}]
    (tmp_path / "d.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    make_template(tmp_path / "函.docx", ["致：{{ 名称 }}"])
    result = run("fill", "函.docx", "--data", "d.json", "--out", "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == ["函-1.docx", "函-2.docx", "函-3.docx"]
    assert "致：乙" in docx_text(tmp_path / "out" / "函-2.docx")
    numbered = [dict(r, 序号=f"A{i}") for i, r in enumerate(rows, 1)]  # a 序号 column is still used
    (tmp_path / "n.json").write_text(json.dumps(numbered, ensure_ascii=False), encoding="utf-8")
    result = run("fill", "函.docx", "--data", "n.json", "--out", "out2")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out2").glob("*.docx")) == ["函-A1.docx", "函-A2.docx", "函-A3.docx"]


def test_announce_leaves_out_a_funded_unit_missing_from_the_roster_and_publishes_the_rest(run, tmp_path):
    subs = roster_submissions(4)
    sheets = [expert_sheet(tmp_path, n, subs, {"001": 70 + d, "002": 90 + d, "003": 80 + d, "004": 60 + d})
              for n, d in (("甲", 0), ("乙", 2), ("丙", 4))]
    # the roster lacks 002, one of the two funded units: its 项目名称 and 负责人 are unknown
    book = openpyxl.load_workbook(ROSTER)
    sheet = book["名单"]
    head = [c.value for c in sheet[1]]
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row=row, column=head.index("申报单位") + 1).value == subs[1]["申报单位"]:
            sheet.delete_rows(row)
    book.save(tmp_path / "roster.xlsx")
    program = write_program(tmp_path)
    result = run("scores", *sheets, "--program", program, "--roster", "roster.xlsx", "--out", "results.xlsx")
    assert result.exit_code in (0, 1), result.output
    result = run("announce", "results.xlsx", "--program", program, "--out", "gs", "--no-pdf")
    assert result.exit_code == 1, result.output
    assert f"申报单位={subs[1]['申报单位']}" in result.output and "「负责人」" in result.output
    assert "资助项目 1 个" in result.output and "--roster" in result.output
    text = docx_text(tmp_path / "gs" / "公示.docx")
    assert subs[2]["项目名称"] in text.replace("\n", "") and subs[1]["申报单位"] not in text  # 项目名称 may break in its cell
    assert "拟确定以下1个项目" in text


def test_announce_with_no_complete_row_writes_nothing(run, tmp_path):
    subs = roster_submissions(2)
    sheet = expert_sheet(tmp_path, "甲", subs, {"001": 95, "002": 90})
    program = write_program(tmp_path)
    assert run("scores", sheet, "--program", program, "--out", "bare.xlsx").exit_code == 0  # no --roster
    result = run("announce", "bare.xlsx", "--program", program, "--out", "gs", "--no-pdf")
    assert result.exit_code == 1
    assert f"第2行（申报单位={subs[0]['申报单位']}）" in result.output and "「负责人」" in result.output
    assert "--roster" in result.output
    assert not (tmp_path / "gs" / "公示.docx").exists()


def test_check_names_the_blank_values_fill_would_stop_on(run, tmp_path):
    data, unit = roster_with_blanks(tmp_path / "results.xlsx", 3, ("项目名称", "负责人"))
    result = run("check", "任务书", "--data", data, "--program", PROGRAM)
    assert result.exit_code == 1, result.output
    assert f"数据中「项目名称」为空（文书中不能留空白）：第3行（申报单位={unit}）" in result.output
    assert f"数据中「负责人」为空（文书中不能留空白）：第3行（申报单位={unit}）" in result.output
    assert "检查通过" not in result.output
    assert not (tmp_path / "outputs").exists()


def test_fill_of_the_announcement_leaves_out_the_blank_row_and_says_so(run, tmp_path):
    data, unit = roster_with_blanks(tmp_path / "results.xlsx", 4, ("负责人",))
    result = run("fill", "公示", "--data", data, "--program", PROGRAM, "--out", "out", "--date", "2026-09-25")
    assert result.exit_code == 1, result.output
    assert f"第4行（申报单位={unit}）" in result.output and "「负责人」为空" in result.output
    assert "共 1 份，新生成 1 份；1 条记录未列入" in result.output
    text = docx_text(tmp_path / "out" / "公示.docx")
    assert unit not in text and "拟确定以下23个项目" in text
