"""The 中期报告 end to end, with no code of its own: fill, extract, validate (its own rules and
wording), report (its own columns), packets and blind packets — all from its form definition.

Three returned reports are made once (tools/make_midterm_returns.py): 宜昌 typed, signed and
stamped, with a forbidden expense (seed 000 第十七条: 「发放工作人员补贴」); 泉州 printed, signed,
stamped and scanned, its 项目进展情况 running over a page; 绵阳 typed and returned unsigned.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import PROGRAM, ROOT
from pipeline.forms import load_form
from pipeline.text import squeeze

sys.path.insert(0, str(ROOT / "tools"))

pytestmark = pytest.mark.slow

FORM = load_form("中期报告")


@pytest.fixture(scope="session")
def returned(tmp_path_factory):
    import make_midterm_returns

    out = tmp_path_factory.mktemp("midterm")
    paths = make_midterm_returns.generate(out)
    truths = {p.name: json.loads(p.with_suffix(".truth.json").read_text(encoding="utf-8")) for p in paths}
    return out, truths


@pytest.fixture(scope="session")
def validated(returned, tmp_path_factory):
    """``kexie validate --form 中期报告`` with every report kind; the entries it read, from its
    workspace (so each file is read once)."""
    from click.testing import CliRunner

    from pipeline.batch import Workspace, form_key
    from pipeline.cli import main

    out, _ = returned
    work = tmp_path_factory.mktemp("midterm-reports")
    args = ["validate", str(out), "--form", "中期报告", "--program", str(PROGRAM), "--db", str(work / "k.sqlite")]
    result = CliRunner().invoke(main, [*args, *(f"--report={work / name}" for name in ("r.json", "r.xlsx", "r.html"))],
                                catch_exceptions=False)
    workspace = Workspace(work / "k.sqlite")
    try:
        entries = {p.name: workspace.lookup(workspace.file_hash(p), form_key(FORM)) for p in sorted(out.glob("*.pdf"))}
    finally:
        workspace.close()
    return result, work, entries


def by_name(report: dict) -> dict:
    return {Path(f["file"]).name: f for f in report["files"]}


def test_every_field_and_mark_read(returned, validated):
    _, truths = returned
    _, _, entries = validated
    for name, truth in truths.items():
        entry = entries[name]
        assert entry["status"] == "ok" and entry["form"] == "中期报告"
        for key, want in truth["fields"].items():
            got = entry["fields"][key]
            if truth["scan"] and key in ("项目进展情况", "存在的问题及下一步工作计划"):
                continue  # long OCR'd text: characters are test_accuracy's business; its end is checked below
            if isinstance(want, (bool, list)):
                assert got == want, (name, key)
            else:
                assert squeeze(got) == squeeze(want), (name, key)
    scanned = next(n for n, t in truths.items() if t["scan"])
    progress = entries[scanned]["fields"]["项目进展情况"]
    assert entries[scanned]["source"] == "ocr"
    # the box ran over a page: its last paragraph is read too
    assert squeeze(truths[scanned]["fields"]["项目进展情况"])[-30:-2] in squeeze(progress)


def test_the_total_row_is_no_expense(returned, validated):
    _, _, entries = validated
    for entry in entries.values():
        assert all(row["支出科目"] != "合计" for row in entry["fields"]["经费使用情况"])


def test_verdicts_and_the_forms_own_wording(returned, validated):
    _, truths = returned
    result, work, _ = validated
    assert result.exit_code == 1
    report = json.loads((work / "r.json").read_text(encoding="utf-8"))
    assert report["form"] == "中期报告"
    files = by_name(report)
    for name, truth in truths.items():
        got = sorted((p["field"], p["kind"], p["severity"]) for p in files[name]["problems"])
        want = sorted((p["field"], p["kind"], p["severity"]) for p in truth["expected_problems"])
        assert got == want, name
        assert files[name]["status"] == truth["expected_status"], name
    words = " ".join(p["message"] for f in report["files"] for p in f["problems"])
    assert "缺少承担单位公章" in words and "不得列支" in words
    assert not re.search("试点|申报单位", words)  # nothing of the 申报书 leaks into its messages
    assert report["summary"] == {"complete": 1, "incomplete": 1, "review": 1, "error": 0}


def test_reports_show_the_forms_own_columns(returned, validated):
    _, truths = returned
    _, work, _ = validated
    sheet = openpyxl.load_workbook(work / "r.xlsx")["逐份结果"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("文件", "承担单位", "项目名称")
    assert {r[1] for r in rows[1:]} == {t["fields"]["承担单位"] for t in truths.values()}
    assert all(r[2] for r in rows[1:])  # every 项目名称 read, none empty
    assert rows[1][3] == "需人工核对"  # what a person must look at comes first
    page = (work / "r.html").read_text(encoding="utf-8")
    assert all(t["fields"]["承担单位"] in page for t in truths.values())
    assert "data:image/png;base64," in page and "试点单位" not in page


def test_packets_and_the_conflict_rule_by_the_forms_units(returned, validated, tmp_path, run):
    _, truths = returned
    _, work, _ = validated
    experts = tmp_path / "experts.csv"
    experts.write_text("姓名,单位,组别\n甲专家,某大学,一组\n乙专家,宜昌市科学技术协会,一组\n丙专家,某研究院,一组\n",
                       encoding="utf-8")
    result = run("packet", work / "r.json", "--experts", experts, "--program", PROGRAM, "--out", "packets",
                 "--include-incomplete", "--date", "2027-02-01")
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "packets" / "办公室" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["form"] == "中期报告" and len(manifest["submissions"]) == 3
    assert {s["承担单位"] for s in manifest["submissions"]} == {t["fields"]["承担单位"] for t in truths.values()}
    withheld = [a for a in manifest["assignment"] if not a["reviews"]]
    assert [(a["expert"], a["reason"]) for a in withheld] == [("乙专家", "回避：本人单位为承担单位")]
    sheet = openpyxl.load_workbook(tmp_path / "packets" / "评审包" / "一组-甲专家.xlsx")["评分表"]
    assert [c.value for c in sheet[4]][:3] == ["编号", "承担单位", "项目名称"]


def test_blind_packets_hold_no_unit_or_leader(returned, validated, tmp_path, run):
    import pdfplumber

    _, truths = returned
    _, work, _ = validated
    experts = tmp_path / "experts.csv"
    experts.write_text("姓名,单位,组别\n甲专家,某大学,一组\n", encoding="utf-8")
    result = run("packet", work / "r.json", "--experts", experts, "--program", PROGRAM, "--out", "blind",
                 "--blind", "--include-incomplete")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "blind" / "评审包" / "一组-甲专家.pdf") as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages)
    for truth in truths.values():
        for key in ("承担单位", "项目负责人.姓名", "项目负责人.手机", "项目负责人.电子邮箱"):
            assert truth["fields"][key] not in text
    manifest = json.loads((tmp_path / "blind" / "办公室" / "manifest.json").read_text(encoding="utf-8"))
    scanned = next(s for s in manifest["submissions"] if s["blind"]["pages_scanned"])
    assert scanned["blind"]["pages_withheld"] == list(FORM.blind.withhold_scanned_pages)
