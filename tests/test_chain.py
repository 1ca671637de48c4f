"""The whole chain of a programme, as scripts/chain.sh runs it, through the real CLI:
fill 通知/申报书 → validate → notice → packet → filled score sheets → scores → announce → 任务书.

Lean: text-layer returned forms only (the scanned one would need OCR), no PDF conversion; each
chain runs once per module and the tests read what it left."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT, SAMPLES, docx_text

sys.path.insert(0, str(ROOT / "tools"))
import fill_score_sheets  # noqa: E402
import make_samples  # noqa: E402

#: exit 1 of these is "done, some items need attention" (forms not complete, not all packed)
ATTENTION_OK = {"validate", "notice", "packet"}


def text_layer_forms(folder: Path) -> list[Path]:
    """The returned PDFs of ``folder`` that carry a text layer (a scan would need OCR)."""
    import pdfplumber

    kept = []
    for path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            if (pdf.pages[0].extract_text() or "").strip():
                kept.append(path)
    return kept


def run_chain(programme: Path, returned: list[Path], out: Path, seed: int = 1) -> dict:
    """Run the chain of the programme folder ``programme`` (program.yaml, roster.xlsx, experts.xlsx)
    on the forms ``returned`` into ``out``; {step: Click result}."""
    from pipeline.cli import main

    inbox = out / "回收"
    inbox.mkdir(parents=True)
    for path in returned:
        shutil.copy2(path, inbox / path.name)
    program, roster, experts = (programme / name for name in ("program.yaml", "roster.xlsx", "experts.xlsx"))
    db, report = out / "kexie.sqlite", out / "形式审查" / "形式审查.json"
    steps = {
        "fill 通知": ["fill", "通知", "--program", program, "--out", out / "通知"],
        "fill 空白申报书": ["fill", "申报书", "--out", out / "空白申报书"],
        "fill 预填申报书": ["fill", "申报书", "--data", roster, "--out", out / "预填申报书"],
        "validate": ["validate", inbox, "--program", program, "--db", db, "--report", report],
        "notice": ["notice", report, "--program", program, "--db", db, "--out", out / "补正通知",
                   "--date", "2026-06-15", "--no-pdf"],
        "packet": ["packet", report, "--experts", experts, "--program", program, "--db", db,
                   "--out", out / "评审", "--date", "2026-07-10"],
        "scores": ["scores", out / "评审" / "回收评分表", "--program", program, "--roster", roster, "--db", db,
                   "--out", out / "results.xlsx"],
        "announce": ["announce", out / "results.xlsx", "--program", program, "--out", out / "公示", "--no-pdf"],
        "fill 任务书": ["fill", "任务书", "--data", out / "results.xlsx", "--program", program,
                       "--out", out / "任务书"],
    }
    runner, results = CliRunner(), {}
    for step, args in steps.items():
        if step == "scores":
            fill_score_sheets.fill_sheets(out / "评审", seed)
        results[step] = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    return results


def funded(results_xlsx: Path) -> list[dict]:
    """The 「名单」 sheet of results.xlsx (funded projects only) as {column: value}."""
    rows = list(openpyxl.load_workbook(results_xlsx, read_only=True)["名单"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture(scope="module")
def seed004(tmp_path_factory):
    """The chain of the 2026 试点 (samples/) on its text-layer returned forms."""
    out = tmp_path_factory.mktemp("chain-004")
    return out, run_chain(SAMPLES, text_layer_forms(SAMPLES / "returned"), out)


def assert_chain_done(results: dict) -> None:
    for step, result in results.items():
        allowed = (0, 1) if step.split()[0] in ATTENTION_OK else (0,)
        assert result.exit_code in allowed, f"{step}: exit {result.exit_code}\n{result.output}"


def test_the_chain_of_the_2026_pilot_runs_to_the_agreements(seed004):
    out, results = seed004
    assert_chain_done(results)
    assert "计入评分表" in results["scores"].output and "未计入" not in results["scores"].output


def test_results_rank_the_projects_by_their_average(seed004):
    out, _ = seed004
    rows = list(openpyxl.load_workbook(out / "results.xlsx", read_only=True)["结果"].iter_rows(values_only=True))
    table = [dict(zip(rows[0], row)) for row in rows[1:]]
    # the complete text-layer forms of samples/returned/ are the ones reviewed
    assert {row["申报单位"] for row in table} == {"江苏省科学技术协会", "西藏自治区科学技术协会"}
    ordered = sorted(table, key=lambda row: -row["平均分"])
    assert [row["排名"] for row in ordered] == list(range(1, len(table) + 1))
    assert all(row["专家数"] >= 3 for row in table)


def test_the_announcement_lists_every_funded_unit_with_its_amount(seed004):
    import docx

    out, _ = seed004
    projects = funded(out / "results.xlsx")
    assert projects
    rows = [" ".join(cell.text.replace("\n", "") for cell in row.cells)  # a long 项目名称 breaks in its cell
            for table in docx.Document(str(out / "公示" / "公示.docx")).tables for row in table.rows]
    for project in projects:
        row = next((r for r in rows if project["申报单位"] in r), None)
        assert row is not None, f"公示 lacks {project['申报单位']}"
        assert f"{project['资助金额'] / 10000:.2f}" in row and project["项目名称"] in row


def test_each_funded_unit_gets_its_agreement_without_a_blank(seed004):
    out, _ = seed004
    roster = {row[1]: row for row in openpyxl.load_workbook(SAMPLES / "roster.xlsx", read_only=True)["名单"]
              .iter_rows(min_row=2, values_only=True)}
    for project in funded(out / "results.xlsx"):
        unit = project["申报单位"]
        text = docx_text(out / "任务书" / f"{unit}-任务书.docx")
        assert project["项目名称"] and project["负责人"], f"results.xlsx has no 项目名称/负责人 for {unit}"
        assert project["项目名称"] == roster[unit][3] and project["项目名称"] in text
        assert f"项目负责人\n{project['负责人']}" in text
        assert f"{project['资助金额']:,.2f}" in text


def test_every_unit_of_the_sample_returned_forms_is_on_the_sample_roster():
    """A 申报名单 lists every unit that applied: else a funded unit has no 项目名称 or 负责人."""
    roster = {row[1] for row in openpyxl.load_workbook(SAMPLES / "roster.xlsx", read_only=True)["名单"]
              .iter_rows(min_row=2, values_only=True)}
    returned = {path.stem for path in (SAMPLES / "returned").glob("*.pdf") if "科学技术协会" in path.stem}
    assert returned and returned <= roster, sorted(returned - roster)


# --- a further programme: a folder holding only its program.yaml -----------------------------------

@pytest.fixture(scope="module")
def further(tmp_path_factory):
    """A programme folder made from samples/program.yaml under another 名称, its roster and experts
    written by tools/make_samples.py, and its chain on the text-layer returned forms of samples/."""
    folder = tmp_path_factory.mktemp("programme")
    program = yaml.safe_load((SAMPLES / "program.yaml").read_text(encoding="utf-8"))
    program["名称"] = "2027年度地方科协深化改革工作试点"
    (folder / "program.yaml").write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    make_samples.write_programme_samples(folder)
    out = tmp_path_factory.mktemp("chain-further")
    return folder, out, run_chain(folder, text_layer_forms(SAMPLES / "returned"), out, seed=7)


def test_a_programme_folder_with_only_its_yaml_runs_the_chain(further):
    folder, out, results = further
    assert_chain_done(results)
    assert "2027年度地方科协深化改革工作试点" in docx_text(out / "公示" / "公示.docx")
    for project in funded(out / "results.xlsx"):
        assert (out / "任务书" / f"{project['申报单位']}-任务书.docx").is_file()


# --- the filled sample score sheets (tools/fill_score_sheets.py) ------------------------------------

def sheet_scores(path: Path) -> dict:
    """{(编号, criterion): score} of one returned score sheet."""
    from pipeline.scoresheet import read_score_sheet

    _expert, _group, rows = read_score_sheet(path)
    return {(row["编号"], name): value for row in rows for name, value in row["评分"].items()}


def blank_sheet(path: Path, expert: str) -> Path:
    """A score sheet as kexie packet writes it: two submissions, the programme's criteria."""
    from pipeline.program import load_program
    from pipeline.scores import criteria_from_program
    from pipeline.scoresheet import write_score_sheet

    criteria = criteria_from_program(load_program(SAMPLES / "program.yaml"))
    submissions = [{"编号": "S01", "申报单位": "甲省科学技术协会", "试点单位": "甲市科学技术协会"},
                   {"编号": "S02", "申报单位": "乙省科学技术协会", "试点单位": "乙市科学技术协会"}]
    return write_score_sheet(path, expert, "第一组", submissions, criteria, run_id="20260710-093000-abcdef",
                             expert_id="E01")


def test_filled_sheets_change_nothing_outside_their_yellow_cells(tmp_path):
    from pipeline.scoresheet import changed_cells, expected_cells, read_stamp

    path = blank_sheet(tmp_path / "第一组-张三.xlsx", "张三")
    written = expected_cells(path)
    assert fill_score_sheets.fill_sheet(path, seed=1) == 10  # 2 submissions × 5 criteria
    assert changed_cells(read_stamp(path)[2], written) == []
    scores = sheet_scores(path)
    assert all(0 <= v <= 100 for v in scores.values()) and len(set(scores.values())) > 1


def test_filled_scores_are_the_same_for_a_seed_and_differ_between_experts(tmp_path):
    def filled(name: str, expert: str, seed: int) -> dict:
        path = blank_sheet(tmp_path / name, expert)
        fill_score_sheets.fill_sheet(path, seed)
        return sheet_scores(path)

    first = filled("a.xlsx", "张三", 1)
    assert filled("b.xlsx", "张三", 1) == first
    assert filled("c.xlsx", "李四", 1) != first
    assert filled("d.xlsx", "张三", 2) != first


def test_the_chain_counts_every_sheet_the_packet_wrote(seed004):
    out, results = seed004
    sheets = fill_score_sheets.sheet_paths(out / "评审")
    assert len(sheets) > 3
    assert f"计入评分表 {len(sheets)} 份" in results["scores"].output


def test_a_programme_folder_gets_applicants_of_its_kind_within_its_funds(tmp_path):
    program = yaml.safe_load((SAMPLES / "program.yaml").read_text(encoding="utf-8"))
    program["名称"] = "益阳市科协学会服务能力提升计划"
    program["经费"].update({"下限": 20000, "上限": 50000})
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    roster_path, experts_path = make_samples.write_programme_samples(tmp_path)
    read = (lambda path, sheet: list(openpyxl.load_workbook(path, read_only=True)[sheet]
                                     .iter_rows(min_row=2, values_only=True)))
    roster, experts = read(roster_path, "名单"), read(experts_path, "专家")
    assert roster and all(row[1].endswith(("学会", "协会")) and row[3] and row[4] for row in roster)
    assert all(20000 <= row[10] <= 50000 for row in roster)
    groups = {row[2] for row in experts}
    assert len(experts) == 5 * len(groups) and {row[13] for row in roster} <= groups
    assert make_samples.programme_samples(program) == make_samples.programme_samples(program)  # deterministic
