"""kexie notice: one 补正通知 per applicant whose form failed 形式审查 — every planted problem listed
once with its page, field, what is wrong and what to write, the deadline in working days across
国庆 and its 调休, the contact, a crop per defect — the office's summary, review items waiting for
kexie confirm, and bad input refused with nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import PROGRAM, SAMPLES, docx_text
from test_validate import rendered  # noqa: F401  (the module fixture: two 申报书 PDFs with planted gaps)

pytestmark = pytest.mark.slow

#: what 形式审查 finds in the rendered 「gaps」 form (test_validate plants it), in the form's own words
PLANTED = {
    "申报单位负责人—传真": "请填写该栏；如无内容请填“/”",
    "申报单位负责人—手机": "请改正：手机号码应为11位数字",
    "主要参与团队第2行「出生年月」": "请填写该栏；如无内容请填“/”",
    "申报单位意见—签章": "请由负责人签字或加盖签章",
    "申报单位意见—公章": "请加盖单位公章",
    "试点单位意见—签章": "请由负责人签字或加盖签章",
    "试点单位意见—公章": "请加盖单位公章",
}


def table_rows(path) -> list[list[str]]:
    """The rows of the notice's defect table (the first table of the document)."""
    import docx

    table = docx.Document(str(path)).tables[0]
    return [[c.text for c in row.cells] for row in table.rows][1:]


@pytest.fixture(scope="module")
def validated(rendered, tmp_path_factory):  # noqa: F811
    """``kexie validate`` of the two rendered forms: (report .json, workspace, folder)."""
    from click.testing import CliRunner

    from pipeline.cli import main

    work = tmp_path_factory.mktemp("notice")
    batch = work / "回收"
    shutil.copytree(rendered, batch, ignore=shutil.ignore_patterns(".*", "*.docx"))
    report, db = work / "形式审查.json", work / "kexie.sqlite"
    result = CliRunner().invoke(main, ["validate", str(batch), "--program", str(PROGRAM), "--report", str(report),
                                       "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return report, db, work


def program_with(tmp_path, **keys) -> Path:
    data = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    data.update(keys)
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_every_planted_problem_is_listed_once_with_the_deadline_across_national_day(run, tmp_path, validated):
    from openpyxl import load_workbook

    report, db, _work = validated
    out = tmp_path / "通知"
    # dated the Tuesday before 国庆: 9-30 is day 1, 10-1…10-7 are off, 10-8, 10-9, 10-10 (a 调休
    # Saturday, worked) and 10-12 (Monday; 10-11 is a Sunday) make five
    result = run("notice", report, "--program", PROGRAM, "--out", out, "--db", db, "--date", "2026-09-29")
    assert result.exit_code == 0, result.output
    assert "补正截止：2026年10月12日（5个工作日）" in result.output

    notice = out / "江苏省科学技术协会-补正通知.docx"
    rows = table_rows(notice)
    assert sorted(r[2] for r in rows) == sorted(PLANTED)  # each planted problem, once, nothing else
    for number, page, words, wrong, write in rows:
        assert write == PLANTED[words], (words, write)
        assert page == "3" if words.startswith("申报单位负责人") else page.isdigit()
    assert [int(r[0]) for r in rows] == list(range(1, len(PLANTED) + 1))
    phone = next(r for r in rows if r[2] == "申报单位负责人—手机")
    assert "填写为「1391234567」" in phone[3]
    text = docx_text(notice)
    assert text.startswith("中国科协改革工作办公室") and "江苏省科学技术协会：" in text
    assert f"发现以下{len(PLANTED)}处问题" in text and "江苏省科学技术协会.pdf" in text
    assert "于2026年10月12日（含当日）前报送" in text and "自本通知之日起5个工作日内" in text
    assert "联系人：梁  帅（中国科协改革工作办公室），电话：010-68572088" in text and "2026年9月29日" in text
    # a crop of each defective spot on the 附件 page, one caption each
    import docx

    pictures = len(docx.Document(str(notice)).inline_shapes)
    assert pictures == len(PLANTED) and text.count("图1　第") == 1 and f"问题位置截图（{pictures}幅）" in text
    assert (out / "江苏省科学技术协会-补正通知.pdf").is_file()
    assert (out / "宁夏回族自治区科学技术协会-补正通知.docx").is_file()

    book = load_workbook(out / "补正通知汇总.xlsx")
    sheet = [[c.value for c in row] for row in book["补正通知"].iter_rows()]
    assert sheet[0][:3] == ["单位", "文件", "情况"]
    by_unit = {row[0]: row for row in sheet[1:]}
    assert by_unit["江苏省科学技术协会"][2] == "已发补正通知" and by_unit["江苏省科学技术协会"][3] == len(PLANTED)
    assert by_unit["江苏省科学技术协会"][5] == "2026-10-12"
    assert by_unit["宁夏回族自治区科学技术协会"][3] == 2  # 试点单位意见 is exempt for a provincial pilot
    defects = [[c.value for c in row] for row in book["问题清单"].iter_rows()][1:]
    assert len(defects) == len(PLANTED) + 2


def test_the_programme_sets_the_working_days_and_a_tiaoxiu_saturday_counts(run, tmp_path, validated):
    report, db, _work = validated
    program = program_with(tmp_path, 补正={"工作日": 3})
    # 9-30 is the notice date; 10-8, 10-9 and 10-10 (the 调休 Saturday) are the three days
    result = run("notice", report, "--program", program, "--out", tmp_path / "o", "--db", db,
                 "--date", "2026-09-30", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "补正截止：2026年10月10日（3个工作日）" in result.output
    assert "于2026年10月10日（含当日）前报送" in docx_text(tmp_path / "o" / "江苏省科学技术协会-补正通知.docx")
    assert not list((tmp_path / "o").glob("*.pdf"))


def test_a_notice_converted_to_pdf_shows_its_page(run, tmp_path, validated):
    """The PDF is the notice (its text layer says what the DOCX says) and its first page renders
    to a picture with the table on it (the test keeps the PNG for a person to look at)."""
    import numpy as np
    from PIL import Image

    from pipeline.read import render_pages

    report, db, _work = validated
    out = tmp_path / "通知"
    result = run("notice", report, "--program", PROGRAM, "--out", out, "--db", db, "--date", "2026-09-29",
                 "--file", "宁夏回族自治区科学技术协会.pdf")
    assert result.exit_code == 0, result.output
    pdf = out / "宁夏回族自治区科学技术协会-补正通知.pdf"
    assert not (out / "江苏省科学技术协会-补正通知.docx").exists()  # --file: only the one asked for
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        first = document.pages[0].extract_text().replace(" ", "").replace("\n", "")
        last = document.pages[-1].extract_text().replace(" ", "")
        assert "问题位置截图" in last and "图1" in last and document.pages[-1].images  # the 附件 page of crops
    assert "宁夏回族自治区科学技术协会：" in first and "2026年10月12日" in first and "请加盖单位公章" in first
    (_number, pixels), = list(render_pages(pdf, 60, [1]))
    png = tmp_path / "通知第1页.png"
    Image.fromarray(pixels).save(png)
    dark = (np.asarray(pixels).min(axis=2) < 128).mean()
    assert pixels.shape[0] > pixels.shape[1] and 0.005 < dark < 0.2, dark  # an A4 page with text, not blank


def _doubt_the_seal(db, report_path, name: str, key: str) -> None:
    """Make the reading kept in the workspace unable to tell the seal (as on a scan without
    colour), so that ``kexie validate`` sends the file for review (需人工核对)."""
    import sqlite3

    files = json.loads(Path(report_path).read_text(encoding="utf-8"))["files"]
    sha = next(f["sha256"] for f in files if Path(f["file"]).name == name)
    with sqlite3.connect(db) as con:
        (entry,), = con.execute("SELECT entry FROM extractions WHERE sha256 = ?", (sha,)).fetchall()
        entry = json.loads(entry)
        entry["fields"][key] = None
        entry["marks"][key] = dict(entry["marks"][key], present=None, reason="黑白扫描，无法判断是否盖有公章")
        con.execute("UPDATE extractions SET entry = ? WHERE sha256 = ?", (json.dumps(entry, ensure_ascii=False), sha))


def test_review_items_wait_for_a_persons_confirmation(run, tmp_path, validated):
    from openpyxl import load_workbook

    report, db, work = validated
    db2 = tmp_path / "kexie.sqlite"
    shutil.copy(db, db2)
    key = "申报单位意见.公章"
    _doubt_the_seal(db2, report, "宁夏回族自治区科学技术协会.pdf", key)
    doubted = tmp_path / "形式审查.json"
    result = run("validate", work / "回收", "--program", PROGRAM, "--db", db2, "--report", doubted)
    entry = next(f for f in json.loads(doubted.read_text(encoding="utf-8"))["files"] if "宁夏" in f["file"])
    assert any(p["field"] == key and p["severity"] == "review" for p in entry["problems"]), entry["problems"]

    out = tmp_path / "通知"
    result = run("notice", doubted, "--program", PROGRAM, "--out", out, "--db", db2, "--date", "2026-09-29", "--no-pdf")
    assert result.exit_code == 1, result.output  # someone needs attention
    assert not (out / "宁夏回族自治区科学技术协会-补正通知.docx").exists()
    assert "待人工核对后再通知" in result.output and key in result.output
    assert (out / "江苏省科学技术协会-补正通知.docx").is_file()  # the others are not held up
    sheet = {row[0].value: row for row in load_workbook(out / "补正通知汇总.xlsx")["补正通知"].iter_rows()}
    assert sheet["宁夏回族自治区科学技术协会"][2].value == "待人工核对后再通知"
    assert "kexie confirm" in sheet["宁夏回族自治区科学技术协会"][7].value

    # a person looks at the paper: there is no seal. The same report now gives the notice, with the
    # decided seal among the defects, without running validate again
    pdf = work / "回收" / "宁夏回族自治区科学技术协会.pdf"
    assert run("confirm", pdf, f"{key}=无", "--by", "张敏", "--db", db2).exit_code == 0
    result = run("notice", doubted, "--program", PROGRAM, "--out", out, "--db", db2, "--date", "2026-09-29", "--no-pdf")
    assert result.exit_code == 0, result.output
    rows = table_rows(out / "宁夏回族自治区科学技术协会-补正通知.docx")
    assert sorted(r[2] for r in rows) == ["申报单位意见—公章", "申报单位意见—签章"]


def test_a_notice_for_a_file_with_no_problems_is_refused(run, tmp_path):
    sample = tmp_path / "回收"
    sample.mkdir()
    shutil.copy(SAMPLES / "returned" / "江苏省科学技术协会.pdf", sample)
    report, db = tmp_path / "形式审查.json", tmp_path / "kexie.sqlite"
    assert run("validate", sample, "--program", PROGRAM, "--db", db, "--report", report).exit_code == 0
    out = tmp_path / "通知"
    result = run("notice", report, "--program", PROGRAM, "--out", out, "--db", db, "--file", "江苏省科学技术协会.pdf")
    assert result.exit_code == 2
    assert "江苏省科学技术协会.pdf" in result.output and "形式审查齐全，没有需要补正的问题" in result.output
    assert not out.exists()
    result = run("notice", report, "--program", PROGRAM, "--out", out, "--db", db)
    assert result.exit_code == 0 and "没有需要补正的申报材料，未生成补正通知" in result.output
    assert not out.exists()
    result = run("notice", report, "--program", PROGRAM, "--out", out, "--file", "别的单位.pdf")
    assert result.exit_code == 2 and "形式审查报告中没有文件「别的单位.pdf」" in result.output


@pytest.mark.parametrize("content, reason", [
    ("这不是 JSON", "不是有效的 JSON 形式审查报告"),
    ("[1, 2, 3]", "不是形式审查报告：应有「files」列表和「summary」汇总"),
    (json.dumps({"run": {"id": "20260710"}, "submissions": []}), "不是形式审查报告"),  # a packet's manifest
    (json.dumps({"files": [{"file": "a.pdf", "status": "ok", "fields": {}}], "summary": {}}),
     "第1项应含「file」「status」「problems」"),  # an extraction, not a validation
    (json.dumps({"form": "中期报告", "files": [], "summary": {}}), "这是「中期报告」的形式审查报告"),
])
def test_a_json_that_is_not_a_validation_report_is_refused(run, tmp_path, content, reason):
    bad = tmp_path / "形式审查.json"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "通知"
    result = run("notice", bad, "--program", PROGRAM, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"文件「{bad}」无法使用" in result.output and reason in result.output
    assert not out.exists()
    missing = run("notice", tmp_path / "没有.json", "--program", PROGRAM, "--out", out)
    assert missing.exit_code == 2 and "文件不存在" in missing.output and not out.exists()


def test_nothing_is_half_written(run, tmp_path, validated):
    """A file in the way (not kexie's) stops the run before the first notice; a deadline in a year
    without an official holiday schedule is refused, not guessed; a bad 补正 key is named."""
    report, db, _work = validated
    out = tmp_path / "通知"
    out.mkdir()
    theirs = out / "宁夏回族自治区科学技术协会-补正通知.pdf"
    theirs.write_bytes(b"a person's own file")
    result = run("notice", report, "--program", PROGRAM, "--out", out, "--db", db, "--date", "2026-09-29")
    assert result.exit_code == 2 and str(theirs) in result.output, result.output
    assert sorted(p.name for p in out.iterdir()) == [theirs.name] and theirs.read_bytes() == b"a person's own file"

    late = run("notice", report, "--program", PROGRAM, "--out", tmp_path / "晚", "--db", db, "--date", "2026-12-28")
    assert late.exit_code == 1 and "2027年的法定节假日和调休安排尚未知晓" in late.output
    assert not (tmp_path / "晚").exists()

    zero = program_with(tmp_path, 补正={"工作日": 0})
    bad = run("notice", report, "--program", zero, "--out", tmp_path / "o2", "--db", db)
    assert bad.exit_code == 2 and f"文件「{zero}」无法使用：「补正.工作日」应为正整数" in bad.output, bad.output
    assert not (tmp_path / "o2").exists()


def test_a_problem_reported_twice_is_told_once(run, tmp_path, validated):
    """Reports put together by hand (two runs' problems pasted into one) list a problem twice;
    the applicant reads it once, as 一次性告知 means."""
    report, db, _work = validated
    data = json.loads(report.read_text(encoding="utf-8"))
    for entry in data["files"]:
        entry["problems"] = entry["problems"] + [dict(p) for p in entry["problems"]]
        entry["file"] = str(Path(report).parent / "回收" / Path(entry["file"]).name)
    doubled = tmp_path / "合并.json"
    doubled.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("notice", doubled, "--program", PROGRAM, "--out", tmp_path / "o", "--db", db, "--no-pdf")
    assert result.exit_code == 0, result.output
    rows = table_rows(tmp_path / "o" / "江苏省科学技术协会-补正通知.docx")
    assert sorted(r[2] for r in rows) == sorted(PLANTED)


def test_an_unreadable_file_gets_no_notice_and_is_listed(run, tmp_path, validated):
    from openpyxl import load_workbook

    report, db, _work = validated
    data = json.loads(report.read_text(encoding="utf-8"))
    data["files"].append({"file": str(tmp_path / "损坏.pdf"), "status": "error", "problems": [], "sha256": "",
                          "fields": {}, "error": {"kind": "unreadable", "message": "文件「损坏.pdf」无法使用：PDF 已损坏"}})
    mixed = tmp_path / "形式审查.json"
    mixed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "通知"
    result = run("notice", mixed, "--program", PROGRAM, "--out", out, "--db", db, "--no-pdf")
    assert result.exit_code == 1 and "无法读取，未发通知" in result.output, result.output
    rows = {r[1].value: r for r in load_workbook(out / "补正通知汇总.xlsx")["补正通知"].iter_rows()}
    assert rows[str(tmp_path / "损坏.pdf")][2].value == "无法读取，未发通知"
    assert "PDF 已损坏" in rows[str(tmp_path / "损坏.pdf")][7].value
    asked = run("notice", mixed, "--program", PROGRAM, "--out", tmp_path / "o2", "--file", "损坏.pdf")
    assert asked.exit_code == 2 and "无从列出需补正的问题" in asked.output and not (tmp_path / "o2").exists()
