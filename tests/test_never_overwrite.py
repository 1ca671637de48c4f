"""Issue 15 part 4: kexie never overwrites what it did not write, or what a person edited since.

Each test is an attack that once succeeded: a rerun of ``scores`` over a results.xlsx staff had
edited, ``--out`` naming one of the inputs, two experts whose names fold to one file name.
"""

from __future__ import annotations

import json

import openpyxl
import pikepdf

from conftest import PROGRAM
from test_packet import draw_submission, fields_for, write_experts
from test_scores import Review, expert_sheet, roster_submissions, write_program


def test_a_rerun_of_scores_refuses_to_overwrite_results_staff_edited(run, tmp_path):
    subs = roster_submissions(2)
    sheets = [expert_sheet(tmp_path, "甲", subs, {"001": 80, "002": 70}),
              expert_sheet(tmp_path, "乙", subs, {"001": 82, "002": 72})]
    program = write_program(tmp_path)
    first = run("scores", *sheets, "--program", program, "--out", "results.xlsx")
    assert first.exit_code == 0, first.output
    # an unchanged rerun replaces kexie's own file
    again = run("scores", *sheets, "--program", program, "--out", "results.xlsx")
    assert again.exit_code == 0, again.output
    # staff adjust the 名单 there, as kexie tells them to; a rerun must keep their edit
    results = tmp_path / "results.xlsx"
    book = openpyxl.load_workbook(results)
    book["名单"].cell(row=2, column=1, value="人工调整")
    book.save(results)
    edited = results.read_bytes()
    refused = run("scores", *sheets, "--program", program, "--out", "results.xlsx")
    assert refused.exit_code == 2, refused.output
    assert "results.xlsx" in refused.stderr and "已被人修改" in refused.stderr and "--out" in refused.stderr
    assert "Traceback" not in refused.output
    assert results.read_bytes() == edited
    # a file kexie never wrote is not overwritten either
    foreign = tmp_path / "别人的.xlsx"
    foreign.write_bytes(b"not ours")
    refused = run("scores", *sheets, "--program", program, "--out", foreign)
    assert refused.exit_code == 2 and foreign.read_bytes() == b"not ours"


def test_scores_out_may_not_be_one_of_the_sheets(run, tmp_path):
    subs = roster_submissions(2)
    folder = tmp_path / "评分表"
    folder.mkdir()
    review = Review.of(tmp_path)  # the run the sheets come from, in the commands' workspace
    sheets = [review.sheet(name, subs, {"001": 80, "002": 70}, file=f"评分表/{name}.xlsx") for name in ("张三", "李四")]
    before = sheets[0].read_bytes()
    program = write_program(tmp_path)
    result = run("scores", folder, "--program", program, "--out", sheets[0])
    assert result.exit_code == 2, result.output
    assert "张三.xlsx" in result.stderr and "评分表之一" in result.stderr
    assert sheets[0].read_bytes() == before
    # results written into the sheets' folder are not read back as a sheet on the rerun
    out = folder / "results.xlsx"
    assert run("scores", folder, "--program", program, "--out", out).exit_code == 0
    rerun = run("scores", folder, "--program", program, "--out", out)
    assert rerun.exit_code == 0, rerun.output
    assert "评分表 2 份" in rerun.output


def test_extract_out_may_not_be_the_pdf_it_reads(run, tmp_path):
    pdf_path = tmp_path / "X.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(pdf_path)
    before = pdf_path.read_bytes()
    result = run("extract", pdf_path, "--out", pdf_path)
    assert result.exit_code == 2, result.output
    assert "X.pdf" in result.stderr and "要读取的文件之一" in result.stderr
    assert pdf_path.read_bytes() == before


def test_experts_whose_names_fold_alike_get_two_packets(run, tmp_path):
    folder = tmp_path / "申报材料"
    folder.mkdir()
    entries = []
    for i in range(2):
        fields = dict(fields_for(i), 组别="第一组")
        path = folder / f"{i + 1:02d}.pdf"
        draw_submission(path, fields, 2)
        entries.append({"file": str(path), "status": "complete", "error": None, "fields": fields, "problems": []})
    report = tmp_path / "validation.json"
    report.write_text(json.dumps({"files": entries, "summary": {}}, ensure_ascii=False), encoding="utf-8")
    experts = write_experts(tmp_path / "experts.xlsx", [["王 伟", "清华大学", "第一组", ""],
                                                        ["王\u3000伟", "北京大学", "第一组", ""]])
    out = tmp_path / "评审包"
    result = run("packet", report, "--experts", experts, "--program", PROGRAM, "--out", out,
                 "--date", "2026-07-10")
    assert result.exit_code == 0, result.output
    packets = sorted(p.name for p in out.rglob("*.pdf"))
    sheets = sorted(p.name for p in out.rglob("*.xlsx") if p.name != "assignment.xlsx")
    assert len(packets) == 2 and len(sheets) == 2, (packets, sheets)
    listed = json.loads(next(out.rglob("manifest.json")).read_text(encoding="utf-8"))["packets"]
    assert sorted(p["expert"] for p in listed) == ["王 伟", "王\u3000伟"]
    assert len({p["file"] for p in listed}) == 2
