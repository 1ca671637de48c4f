"""kexie scores through the real CLI on score sheets written by write_score_sheet.

The sample programme's criteria: 针对性 20, 创新性 25, 规范性 20, 实效性 25, 完整性 10 (满分 100
each), so an expert giving the same score x on every criterion gives a weighted total of x.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import openpyxl
import pytest
import yaml
from conftest import PROGRAM, ROSTER, docx_text

from pipeline.files import sha256_file
from pipeline.funding import largest_remainder
from pipeline.runs import PacketRun, new_run_id, record_run
from pipeline.scores import RESULT_COLUMNS, REVIEW_COLUMNS
from pipeline.scoresheet import expected_cells, read_score_sheet, write_score_sheet

CRITERIA = ["针对性", "创新性", "规范性", "实效性", "完整性"]


def roster_submissions(n: int) -> list[dict]:
    """The first n units of the sample roster as submissions, numbered 001, 002, …"""
    rows = list(openpyxl.load_workbook(ROSTER, read_only=True)["名单"].iter_rows(values_only=True))
    units = [dict(zip(rows[0], r)) for r in rows[1: n + 1]]
    return [{"编号": f"{i:03d}", "申报单位": u["申报单位"], "试点单位": u["试点单位"], "项目名称": u["项目名称"]}
            for i, u in enumerate(units, start=1)]


def write_program(tmp_path, funds=None, rules=None, notice=None, holidays=None, name="program.yaml",
                  drop_funds=()):
    """The sample programme with some sections changed, written to tmp_path."""
    program = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    program["经费"].update(funds if funds is not None else {"分配方式": "定额", "资助名额": 2})
    for key in drop_funds:
        program["经费"].pop(key, None)
    if rules is not None:
        program["评审规则"] = rules
    if notice is not None:
        program["公示"].update(notice)
    if holidays is not None:
        program["节假日"] = holidays
    path = tmp_path / name
    path.write_text(yaml.safe_dump(program, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class Review:
    """A packet run as ``kexie packet`` records it — experts by id, the assignment with its 回避,
    each score sheet's fixed cells — kept in the workspace the ``run`` fixture's commands use
    (``folder/outputs/kexie.sqlite``); each sheet written by ``write_score_sheet`` as packet writes
    it, then filled in as the expert would."""

    _open: ClassVar[dict] = {}

    def __init__(self, folder, created: str | None = None):
        self.folder = Path(folder)
        self.workspace = self.folder / "outputs" / "kexie.sqlite"
        self.run = PacketRun(id=new_run_id(), created=created or dt.datetime.now().isoformat())

    @classmethod
    def of(cls, folder) -> Review:
        """The one run of a test's folder (what ``expert_sheet`` adds its experts to)."""
        return cls._open.setdefault(str(folder), cls(folder))

    def sheet(self, expert: str, submissions: list[dict], scores: dict, group: str = "第一组",
              withheld: dict | None = None, file: str | None = None, program=PROGRAM) -> Path:
        """Add an expert who reviews ``submissions`` (and had ``withheld`` {编号: reason}
        withheld), write his sheet and fill it: scores[编号] is a number (the same on every
        criterion), a list of five, or absent (left blank)."""
        from pipeline.program import load_program

        run = self.run
        eid = f"E{len(run.experts) + 1:02d}"
        run.experts[eid] = {"name": expert, "unit": f"{expert}的单位", "group": group}
        for submission in submissions + [{"编号": code} for code in withheld or {}]:
            run.submissions.setdefault(submission["编号"], dict(submission, 组别=group))
        run.assignment += [{"code": s["编号"], "expert": eid, "reviews": True, "reason": ""} for s in submissions]
        run.assignment += [{"code": code, "expert": eid, "reviews": False, "reason": reason}
                           for code, reason in (withheld or {}).items()]
        path = self.folder / (file or f"{expert}.xlsx")
        write_score_sheet(path, expert, group, submissions, load_program(program)["评审标准"],
                          run_id=run.id, expert_id=eid)
        run.sheets[eid] = expected_cells(path)
        record_run(self.workspace, run)
        fill_scores(path, submissions, scores)
        return path


def fill_scores(path, submissions: list[dict], scores: dict, first_row: int = 6, first_column: int = 5) -> Path:
    """Type scores into a sheet's yellow cells, as an expert does (the first criterion in
    ``first_column``: E after 编号, 申报单位, 试点单位, 项目名称)."""
    book = openpyxl.load_workbook(path)
    sheet = book["评分表"]
    for offset, submission in enumerate(submissions):
        given = scores.get(submission["编号"])
        if given is None:
            continue
        values = given if isinstance(given, list) else [given] * len(CRITERIA)
        for i, value in enumerate(values):
            sheet.cell(row=first_row + offset, column=first_column + i, value=value)
    book.save(path)
    return path


def expert_sheet(tmp_path, expert: str, submissions: list[dict], scores: dict, group: str = "第一组",
                 program=PROGRAM):
    """An expert's filled sheet, of the one packet run of ``tmp_path`` (see ``Review``), with the
    criteria of ``program``."""
    return Review.of(tmp_path).sheet(expert, submissions, scores, group, program=program)


def edit(path, **cells) -> Path:
    """Change cells of a returned sheet outside kexie (openpyxl ignores the sheet's protection)."""
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book["评分表"][ref] = value
    book.save(path)
    return path


def sheet_rows(path, name):
    rows = list(openpyxl.load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def by_number(path, name="结果"):
    return {row["编号"]: row for row in sheet_rows(path, name)[1]}


# --- the score sheet itself ----------------------------------------------------------------


def test_score_sheet_layout_validation_formula_and_round_trip(tmp_path):
    from pipeline.program import load_program

    criteria = load_program(PROGRAM)["评审标准"] + []
    criteria[4] = dict(criteria[4], 满分=10)  # a criterion out of 10, to see the bound follow it
    subs = roster_submissions(3)
    path = tmp_path / "张三.xlsx"
    write_score_sheet(path, "张三", "第二组", subs, criteria)
    sheet = openpyxl.load_workbook(path)["评分表"]
    assert (sheet["A2"].value, sheet["B2"].value, sheet["C2"].value, sheet["D2"].value) == \
        ("评审专家", "张三", "评审组别", "第二组")
    assert [c.value for c in sheet[4]] == ["编号", "申报单位", "试点单位", "项目名称", *CRITERIA, "总分"]
    assert sheet.freeze_panes == "E6"
    checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert set(checks) == {f"{col}6:{col}8" for col in "EFGHI"}
    assert all(v.type == "decimal" and v.operator == "between" and v.formula1 == "0" for v in checks.values())
    assert checks["E6:E8"].formula2 == "100" and checks["I6:I8"].formula2 == "10"
    formula = sheet["J6"].value
    assert formula.startswith("=") and "E6*20/100" in formula and "I6*10/10" in formula
    expert, group, rows = read_score_sheet(path)
    assert (expert, group) == ("张三", "第二组")
    assert [r["编号"] for r in rows] == ["001", "002", "003"]
    assert rows[1]["申报单位"] == subs[1]["申报单位"]
    assert rows[0]["评分"] == dict.fromkeys(CRITERIA)


# --- averaging -----------------------------------------------------------------------------


def test_three_experts_weighted_totals_averaged(run, tmp_path):
    subs = roster_submissions(2)
    # 80·0.20 + 90·0.25 + 70·0.20 + 85·0.25 + 100·0.10 = 16 + 22.5 + 14 + 21.25 + 10 = 83.75
    sheets = [expert_sheet(tmp_path, "甲", subs, {"001": [80, 90, 70, 85, 100], "002": 70}),
              expert_sheet(tmp_path, "乙", subs, {"001": 80, "002": 71.5}),
              expert_sheet(tmp_path, "丙", subs, {"001": 86.25, "002": 72})]
    program = write_program(tmp_path, rules={"去掉最高最低分": True})  # 3 experts: nothing dropped
    result = run("scores", *sheets, "--program", program, "--out", "results.xlsx")
    assert result.exit_code == 0, result.output
    header, _rows = sheet_rows(tmp_path / "results.xlsx", "结果")
    # the sample programme (seed 004) defines no 「评审规则.等级」: no 等级 column (issue 13)
    assert header == tuple(c for c in RESULT_COLUMNS if c != "等级") + REVIEW_COLUMNS
    rows = by_number(tmp_path / "results.xlsx")
    assert rows["001"]["平均分"] == 83.33  # (83.75 + 80 + 86.25) / 3 = 83.333…
    assert rows["001"]["专家数"] == 3 and rows["001"]["排名"] == 1 and "等级" not in rows["001"]
    assert rows["002"]["平均分"] == pytest.approx(71.17)  # 213.5 / 3 = 71.1666… → 71.17
    assert rows["001"]["是否资助"] == rows["002"]["是否资助"] == "是"
    assert rows["001"]["资助金额"] == 400000  # 定额: 经费.上限 by default
    _header, detail = sheet_rows(tmp_path / "results.xlsx", "明细")
    assert len(detail) == 6
    first = next(d for d in detail if d["编号"] == "001" and d["评审专家"] == "甲")
    assert first["加权总分"] == 83.75 and first["创新性"] == 90 and first["计入"] == "计入"


@pytest.mark.parametrize("drop, expected", [(True, 82.0), (False, 79.0)])
def test_five_experts_drop_highest_and_lowest_when_the_programme_says_so(run, tmp_path, drop, expected):
    subs = roster_submissions(1)
    sheets = [expert_sheet(tmp_path, name, subs, {"001": score})
              for name, score in zip("甲乙丙丁戊", [50, 80, 82, 84, 99])]
    program = write_program(tmp_path, rules={"去掉最高最低分": drop})
    result = run("scores", *sheets, "--program", program, "--out", "results.xlsx")
    assert result.exit_code == 0, result.output
    row = by_number(tmp_path / "results.xlsx")["001"]
    # (80 + 82 + 84) / 3 = 82 with the extremes dropped; (50 + … + 99) / 5 = 79 without
    assert row["平均分"] == expected and row["专家数"] == 5
    # 99 − 50 = 49 points between experts: beyond the default threshold of 15
    assert row["分歧"].startswith("是") and "49.00" in row["分歧"]
    counted = {d["评审专家"]: d["计入"] for d in sheet_rows(tmp_path / "results.xlsx", "明细")[1]}
    if drop:
        assert counted["戊"] == "去掉（最高分）" and counted["甲"] == "去掉（最低分）"
    else:
        assert set(counted.values()) == {"计入"}


def test_disagreement_threshold_from_the_programme(run, tmp_path):
    subs = roster_submissions(2)
    sheets = [expert_sheet(tmp_path, "甲", subs, {"001": 70, "002": 80}),
              expert_sheet(tmp_path, "乙", subs, {"001": 80, "002": 85})]
    program = write_program(tmp_path, rules={"分歧阈值": 9})
    assert run("scores", *sheets, "--program", program, "--out", "r.xlsx").exit_code == 0
    rows = by_number(tmp_path / "r.xlsx")
    assert rows["001"]["分歧"].startswith("是") and rows["002"]["分歧"] in ("", None)


# --- problems in the sheets ----------------------------------------------------------------


def test_bad_and_missing_scores_are_named_and_the_rest_still_counts(run, tmp_path):
    subs = roster_submissions(3)
    sheets = [expert_sheet(tmp_path, "甲", subs, {"001": 80, "002": 80, "003": 80}),
              expert_sheet(tmp_path, "乙", subs, {"001": [90, 120, 90, 90, 90], "002": [70, 70, 70, None, 70],
                                                 "003": 90}),
              expert_sheet(tmp_path, "丙", subs, {"001": 85, "002": 75, "003": 85})]
    result = run("scores", *sheets, "--program", write_program(tmp_path), "--out", "results.xlsx")
    assert result.exit_code == 1
    out = result.output
    unit1, unit2 = subs[0]["申报单位"], subs[1]["申报单位"]
    assert f"专家「乙」，项目「001 {unit1}」，评审标准「创新性」：分数120超出范围（应为0至100）" in out
    assert f"专家「乙」，项目「002 {unit2}」，评审标准「实效性」：缺少分数" in out
    rows = by_number(tmp_path / "results.xlsx")  # written all the same
    assert rows["001"]["专家数"] == 2 and rows["001"]["平均分"] == 82.5  # 甲 and 丙 only
    assert rows["002"]["专家数"] == 2 and rows["002"]["平均分"] == 77.5
    assert rows["003"]["专家数"] == 3 and rows["003"]["平均分"] == 85.0
    detail = sheet_rows(tmp_path / "results.xlsx", "明细")[1]
    bad = next(d for d in detail if d["编号"] == "001" and d["评审专家"] == "乙")
    assert bad["针对性"] == 90 and bad["创新性"] is None and bad["计入"] == "不计（评分不全）"


def test_a_file_that_is_not_a_score_sheet_is_named_and_the_others_count(run, tmp_path):
    subs = roster_submissions(2)
    good = expert_sheet(tmp_path, "甲", subs, {"001": 88, "002": 77})
    result = run("scores", good, ROSTER, "--program", write_program(tmp_path), "--out", "results.xlsx")
    assert result.exit_code == 1
    assert "评分表「roster.xlsx」" in result.output and "不是专家评分表" in result.output
    assert by_number(tmp_path / "results.xlsx")["001"]["平均分"] == 88


def test_the_same_expert_twice_counts_once(run, tmp_path):
    subs = roster_submissions(1)
    first = expert_sheet(tmp_path, "甲", subs, {"001": 88})
    (tmp_path / "copy").mkdir()
    second = fill_scores(shutil.copy(first, tmp_path / "copy" / "甲.xlsx"), subs, {"001": 60})
    result = run("scores", first, second, "--program", write_program(tmp_path), "--out", "results.xlsx")
    assert result.exit_code == 1 and "与评分表「甲.xlsx」是同一位专家" in result.output
    row = by_number(tmp_path / "results.xlsx")["001"]
    assert row["专家数"] == 1 and row["平均分"] == 88


# --- ranks and grades ----------------------------------------------------------------------


def test_ties_share_a_rank(run, tmp_path):
    subs = roster_submissions(4)
    sheets = [expert_sheet(tmp_path, "甲", subs, {"001": 90, "002": 85, "003": 85, "004": 70})]
    program = write_program(tmp_path, funds={"分配方式": "定额", "资助名额": 4})
    assert run("scores", *sheets, "--program", program, "--out", "r.xlsx").exit_code == 0
    header, rows = sheet_rows(tmp_path / "r.xlsx", "结果")
    assert [(r["编号"], r["排名"]) for r in rows] == [("001", 1), ("002", 2), ("003", 2), ("004", 4)]


def test_grades_at_the_band_edges(run, tmp_path):
    # seed 003 第十八条: 90（含）—100 优, 80（含）—90 良, 60（含）—80 中, below 60 差
    scores = {"001": 90, "002": 89.99, "003": 80, "004": 79.99, "005": 60, "006": 59.99}
    subs = roster_submissions(6)
    bands = [{"等级": "优", "不低于": 90}, {"等级": "良", "不低于": 80}, {"等级": "中", "不低于": 60},
             {"等级": "差", "不低于": 0}]
    program = write_program(tmp_path, funds={"分配方式": "定额", "资助名额": 6}, rules={"等级": bands})
    result = run("scores", expert_sheet(tmp_path, "甲", subs, scores), "--program", program, "--out", "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sheet_rows(tmp_path / "r.xlsx", "结果")[0] == RESULT_COLUMNS + REVIEW_COLUMNS
    rows = by_number(tmp_path / "r.xlsx")
    assert {k: (rows[k]["平均分"], rows[k]["等级"]) for k in scores} == {
        "001": (90, "优"), "002": (89.99, "良"), "003": (80, "良"),
        "004": (79.99, "中"), "005": (60, "中"), "006": (59.99, "差")}


# --- funding -------------------------------------------------------------------------------


def test_largest_remainder_adds_up_exactly():
    assert largest_remainder([1, 1, 1], 100) == [34, 33, 33]
    assert largest_remainder([1] * 7, 1_000_000) == [142858] + [142857] * 6
    assert largest_remainder([Decimal("2.5"), Decimal("7.5")], 3) == [1, 2]  # 0.75 / 2.25
    assert largest_remainder([], 10) == []


def test_factor_method_shares_add_up_exactly_to_the_sum_distributed(run, tmp_path):
    averages = {"001": 95.55, "002": 91.37, "003": 88.8, "004": 85.01, "005": 77.77, "006": 73.33, "007": 66.66}
    subs = roster_submissions(7)
    # seed 003 第六条: share = score ÷ total score × (总额 − 定额补助) = … × 999,999
    program = write_program(tmp_path, funds={"分配方式": "因素法", "总额": 1_000_000, "定额补助": 1,
                                             "下限": 0, "上限": 1_000_000})
    sheets = [expert_sheet(tmp_path, "甲", subs, averages)]
    result = run("scores", *sheets, "--program", program, "--out", "r.xlsx")
    assert result.exit_code == 0, result.output
    rows = by_number(tmp_path / "r.xlsx", "名单")
    assert len(rows) == 7 and all(r["是否资助"] == "是" for r in rows.values())
    assert sum(r["资助金额"] for r in rows.values()) == 999_999
    whole = sum(Decimal(str(v)) for v in averages.values())  # 578.49
    for number, average in averages.items():
        exact = Decimal(str(average)) / whole * 999_999
        assert abs(rows[number]["资助金额"] - exact) < 1, number
    # hand check: 95.55 / 578.49 × 999,999 = 165,171.65… → 165,171 or 165,172
    assert rows["001"]["资助金额"] in (165_171, 165_172)


def test_fixed_amount_for_the_top_n_with_proposed_amounts_from_the_roster(run, tmp_path):
    subs = roster_submissions(4)
    roster = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["申报单位", "负责人", "手机", "拟资助金额"])
    book.active.append([subs[0]["申报单位"], "张一", "13800000001", 350000])
    book.active.append([subs[1]["申报单位"], "张二", "13800000002", None])  # → 上限
    book.active.append([subs[2]["申报单位"], "张三", "13800000003", 500000])  # not funded: never checked
    book.save(roster)
    sheets = [expert_sheet(tmp_path, "甲", subs, {"001": 95, "002": 90, "003": 80, "004": 70})]
    program = write_program(tmp_path, funds={"分配方式": "定额", "资助名额": 2})
    result = run("scores", *sheets, "--program", program, "--roster", roster, "--out", "r.xlsx")
    assert result.exit_code == 0, result.output
    listed = sheet_rows(tmp_path / "r.xlsx", "名单")[1]
    assert [(r["编号"], r["负责人"], r["手机"], r["资助金额"]) for r in listed] == [
        ("001", "张一", "13800000001", 350000), ("002", "张二", "13800000002", 400000)]
    rows = by_number(tmp_path / "r.xlsx")
    assert rows["003"]["是否资助"] == "否" and rows["003"]["资助金额"] is None


def test_the_rosters_own_funding_column_is_honoured(run, tmp_path):
    """samples/roster.xlsx names its column 资助金额 (as 任务书 and 公示 read it): each funded project gets
    that amount, not 经费.上限 (issue 13 part 7); 拟资助金额, where both are given, is the proposal."""
    subs = roster_submissions(3)
    roster = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["申报单位", "负责人", "资助金额", "拟资助金额"])
    book.active.append([subs[0]["申报单位"], "张一", 370000, None])
    book.active.append([subs[1]["申报单位"], "张二", 312345, 330000])  # the proposal wins
    book.active.append([subs[2]["申报单位"], "张三", "三十万", None])
    book.save(roster)
    sheets = [expert_sheet(tmp_path, "甲", subs, {"001": 95, "002": 90, "003": 80})]
    program = write_program(tmp_path, funds={"分配方式": "定额", "资助名额": 3})
    result = run("scores", *sheets, "--program", program, "--roster", roster, "--out", "r.xlsx")
    assert result.exit_code == 1, result.output
    rows = by_number(tmp_path / "r.xlsx")
    assert (rows["001"]["资助金额"], rows["002"]["资助金额"]) == (370000, 330000)
    assert rows["003"]["是否资助"] == "待定" and "名单中的资助金额「三十万」不是数字" in result.output


def test_fixed_amount_out_of_bounds_is_a_problem(run, tmp_path):
    subs = roster_submissions(1)
    roster = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["申报单位", "拟资助金额"])
    book.active.append([subs[0]["申报单位"], 450000])
    book.save(roster)
    result = run("scores", expert_sheet(tmp_path, "甲", subs, {"001": 95}), "--program", write_program(tmp_path),
                 "--roster", roster, "--out", "r.xlsx")
    assert result.exit_code == 1
    assert "拟资助金额450000元不在经费下限300000至上限400000元之间" in result.output
    assert by_number(tmp_path / "r.xlsx")["001"]["是否资助"] == "待定"


def test_a_tie_across_the_quota_is_left_to_the_panel(run, tmp_path):
    subs = roster_submissions(3)
    sheets = [expert_sheet(tmp_path, "甲", subs, {"001": 95, "002": 90, "003": 90})]
    result = run("scores", *sheets, "--program", write_program(tmp_path), "--out", "r.xlsx")  # 资助名额 2
    assert result.exit_code == 1 and "第2名有2个项目并列" in result.output
    rows = by_number(tmp_path / "r.xlsx")
    assert [rows[k]["是否资助"] for k in ("001", "002", "003")] == ["是", "待定", "待定"]


def test_fixed_amount_needs_a_quota(run, tmp_path):
    subs = roster_submissions(1)
    result = run("scores", expert_sheet(tmp_path, "甲", subs, {"001": 95}), "--program",
                 write_program(tmp_path, funds={}, drop_funds=("资助名额",)), "--out", "r.xlsx")
    assert result.exit_code == 2 and "资助名额" in result.output and "program.yaml" in result.output


# --- the results feed kexie fill -----------------------------------------------------------


def test_task_books_and_announcement_from_results_for_funded_rows_only(run, tmp_path):
    subs = roster_submissions(4)
    sheets = [expert_sheet(tmp_path, n, subs, {"001": 70 + d, "002": 90 + d, "003": 80 + d, "004": 60 + d})
              for n, d in (("甲", 0), ("乙", 2), ("丙", 4))]
    program = write_program(tmp_path)  # 定额, 资助名额 2
    result = run("scores", *sheets, "--program", program, "--roster", ROSTER, "--out", "results.xlsx")
    assert result.exit_code == 0, result.output
    assert run("check", "任务书", "--data", "results.xlsx", "--program", program).exit_code == 0
    result = run("fill", "任务书", "--data", "results.xlsx", "--program", program, "--out", "tb")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "tb").glob("*.docx"))
    assert files == sorted(f"{subs[i]['申报单位']}-任务书.docx" for i in (1, 2))  # 002 and 003
    text = docx_text(tmp_path / "tb" / f"{subs[1]['申报单位']}-任务书.docx")
    roster = {r["申报单位"]: r for r in sheet_rows(ROSTER, "名单")[1]}
    assert roster[subs[1]["申报单位"]]["资助金额"] == 380000 and "叁拾捌万元整" in text  # the roster's, not 上限
    assert roster[subs[1]["申报单位"]]["手机"] in text and roster[subs[1]["申报单位"]]["负责人"] in text
    result = run("fill", "公示", "--data", "results.xlsx", "--program", program, "--out", "gs")
    assert result.exit_code == 0, result.output
    text = docx_text(tmp_path / "gs" / "公示.docx").replace("\n", "")  # 项目名称 may break in its cell
    assert subs[1]["项目名称"] in text and subs[2]["项目名称"] in text and subs[0]["项目名称"] not in text


# --- only the packet run's experts, only what the run gave them (issue 15, attack 1) ------------


def detail_of(path) -> list[tuple]:
    return sorted((d["编号"], d["评审专家"], d["评审组别"], d["计入"]) for d in sheet_rows(path, "明细")[1])


def test_a_sheet_from_an_expert_not_on_the_list_is_refused(run, tmp_path):
    subs = roster_submissions(2)
    review = Review.of(tmp_path)
    sheets = [review.sheet("甲", subs, {"001": 80, "002": 70}), review.sheet("乙", subs, {"001": 82, "002": 72})]
    # a copy of 乙's sheet put in the name of someone not on the list
    copied = edit(shutil.copy(sheets[1], tmp_path / "钱七.xlsx"), B2="钱七")
    # a sheet made from scratch, with no run, and one that claims an expert id the run never gave
    bare = fill_scores(write_score_sheet(tmp_path / "孙八.xlsx", "孙八", "第一组", subs,
                                         yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))["评审标准"]),
                       subs, {"001": 100, "002": 100})
    forged = fill_scores(write_score_sheet(tmp_path / "周九.xlsx", "周九", "第一组", subs,
                                           yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))["评审标准"],
                                           run_id=review.run.id, expert_id="E09"), subs, {"001": 100, "002": 100})
    fill_scores(copied, subs, {"001": 100, "002": 100})
    result = run("scores", *sheets, copied, bare, forged, "--program", write_program(tmp_path), "--out", "r.xlsx")
    assert result.exit_code == 1, result.output
    out = result.output
    assert "评分表「钱七.xlsx」，专家「钱七」，项目「001、002」：黄色单元格以外的内容与 kexie packet 生成时不同（B2（评审专家） 原为「乙」，现为「钱七」）" in out
    assert "评分表「孙八.xlsx」，专家「孙八」，项目「001、002」：没有评审批次编号" in out
    assert "评分表「周九.xlsx」，专家「周九」，项目「001、002」：专家编号「E09」不在该批评审的专家名单中" in out
    rows = by_number(tmp_path / "r.xlsx")
    assert (rows["001"]["专家数"], rows["001"]["平均分"]) == (2, 81) and rows["002"]["平均分"] == 71
    assert {d[1] for d in detail_of(tmp_path / "r.xlsx")} == {"甲", "乙"}


def test_scores_for_a_submission_withheld_for_conflict_are_refused(run, tmp_path):
    subs = roster_submissions(2)
    review = Review.of(tmp_path)
    a = review.sheet("甲", subs, {"001": 80, "002": 70})
    b = review.sheet("乙", subs[1:], {"002": 72}, withheld={"001": "回避：本人单位为申报单位"})
    c = review.sheet("丙", subs, {"001": 82, "002": 74})
    # 乙 adds a row for 001, which was withheld from him, and scores it 100 on every criterion
    edit(b, A7="001", B7=subs[0]["申报单位"], E7=100, F7=100, G7=100, H7=100, I7=100)
    result = run("scores", a, b, c, "--program", write_program(tmp_path), "--out", "r.xlsx")
    assert result.exit_code == 1, result.output
    out = result.output
    unit1 = subs[0]["申报单位"]
    assert f"评分表「乙.xlsx」，专家「乙」，项目「001 {unit1}」：该项目未分配给该专家（回避：本人单位为申报单位）：本行未计入" in out
    assert "评分表「乙.xlsx」，专家「乙」，项目「002、001」：黄色单元格以外的内容与 kexie packet 生成时不同（A7 原为空，现为「001」" in out
    rows = by_number(tmp_path / "r.xlsx")
    assert (rows["001"]["专家数"], rows["001"]["平均分"]) == (2, 81)  # 甲 and 丙: (80 + 82) / 2, not 87.33
    # the refused sheet held 乙's scores for 002 too: 002 has fewer sheets than assigned, and says so
    assert (rows["002"]["应评专家数"], rows["002"]["未计评分的专家"], rows["002"]["专家数"]) == (3, "乙", 2)
    assert "分配给3位专家，只有2份评分表计入（未交或未计入：乙）" in out


def test_a_row_for_a_project_nobody_applied_for_is_never_ranked_or_funded(run, tmp_path):
    subs = roster_submissions(2)
    review = Review.of(tmp_path)
    a = review.sheet("甲", subs, {"001": 80, "002": 70})
    b = review.sheet("乙", subs, {"001": 82, "002": 72})
    edit(a, A8="099", B8="虚构市科学技术协会", E8=100, F8=100, G8=100, H8=100, I8=100)
    program = write_program(tmp_path, funds={"分配方式": "定额", "资助名额": 1})
    result = run("scores", a, b, "--program", program, "--out", "r.xlsx")
    assert result.exit_code == 1, result.output
    assert ("评分表「甲.xlsx」，专家「甲」，项目「099 虚构市科学技术协会」：该批评审包中没有编号为「099」的材料"
            "（无人申报）：本行未计入") in result.output
    for sheet in ("结果", "名单", "明细"):
        assert all(r["编号"] != "099" for r in sheet_rows(tmp_path / "r.xlsx", sheet)[1]), sheet
    funded = sheet_rows(tmp_path / "r.xlsx", "名单")[1]
    assert [(r["编号"], r["排名"], r["资助金额"]) for r in funded] == [("001", 1, 400000)]  # 乙's 82


def test_two_experts_of_the_same_name_in_two_groups_both_count(run, tmp_path):
    subs = roster_submissions(4)
    review = Review.of(tmp_path)
    first = review.sheet("王伟", subs[:2], {"001": 90, "002": 80}, group="第一组", file="第一组-王伟.xlsx")
    second = review.sheet("王伟", subs[2:], {"003": 85, "004": 75}, group="第二组", file="第二组-王伟.xlsx")
    program = write_program(tmp_path, funds={"分配方式": "定额", "资助名额": 4})
    result = run("scores", first, second, "--program", program, "--out", "r.xlsx")
    assert result.exit_code == 0, result.output
    assert "同一位专家" not in result.output
    rows = by_number(tmp_path / "r.xlsx")
    assert {k: (r["排名"], r["平均分"]) for k, r in rows.items()} == {
        "001": (1, 90), "002": (3, 80), "003": (2, 85), "004": (4, 75)}
    # two experts, each named with the group wherever a name alone would be ambiguous
    assert detail_of(tmp_path / "r.xlsx") == [
        ("001", "王伟（第一组）", "第一组", "计入"), ("002", "王伟（第一组）", "第一组", "计入"),
        ("003", "王伟（第二组）", "第二组", "计入"), ("004", "王伟（第二组）", "第二组", "计入")]


def test_a_sheet_from_another_packet_run_is_refused(run, tmp_path):
    subs = roster_submissions(2)
    (tmp_path / "旧").mkdir()
    old = Review(tmp_path, created="2026-07-01T09:00:00")  # the first packet run …
    old.folder = tmp_path / "旧"
    old_sheets = [old.sheet(n, subs, {"001": 60, "002": 60}) for n in ("甲", "乙", "丙")]
    new = Review(tmp_path, created="2026-07-02T09:00:00")  # … and the one sent out again, without 丙
    new_sheets = [new.sheet("甲", subs, {"001": 80, "002": 70}), new.sheet("乙", subs, {"001": 82, "002": 72})]
    result = run("scores", *new_sheets, old_sheets[2], "--program", write_program(tmp_path), "--out", "r.xlsx")
    assert result.exit_code == 1, result.output
    assert (f"评分表「丙.xlsx」，专家「丙」，项目「001、002」：来自另一批评审包（批次「{old.run.id}」），"
            f"本次汇总的是批次「{new.run.id}」：未计入") in result.output
    rows = by_number(tmp_path / "r.xlsx")
    assert (rows["001"]["专家数"], rows["001"]["平均分"], rows["001"]["应评专家数"]) == (2, 81, 2)


def test_a_manifest_names_the_run_and_a_changed_manifest_is_refused(run, tmp_path):
    subs = roster_submissions(2)
    (tmp_path / "旧").mkdir()
    old = Review(tmp_path, created="2026-07-01T09:00:00")
    old.folder = tmp_path / "旧"
    old_sheets = [old.sheet(n, subs, {"001": 60, "002": 62}) for n in ("甲", "乙")]
    new = Review(tmp_path, created="2026-07-02T09:00:00")
    new_sheet = new.sheet("甲", subs, {"001": 80, "002": 70})
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"run": old.run.as_dict()}, ensure_ascii=False), encoding="utf-8")
    old.run.manifest, old.run.manifest_sha256 = str(manifest), sha256_file(manifest)
    record_run(old.workspace, old.run)
    # the manifest picks the first run: its sheets count and the later run's sheet is refused
    result = run("scores", *old_sheets, new_sheet, "--manifest", manifest, "--program", write_program(tmp_path),
                 "--out", "r.xlsx")
    assert result.exit_code == 1, result.output
    assert f"评分表「甲.xlsx」，专家「甲」，项目「001、002」：来自另一批评审包（批次「{new.run.id}」）" in result.output
    assert by_number(tmp_path / "r.xlsx")["002"]["平均分"] == 62
    # a manifest changed after kexie packet wrote it (here: 乙 dropped from the assignment) is refused
    changed = json.loads(manifest.read_text(encoding="utf-8"))
    changed["run"]["assignment"] = [a for a in changed["run"]["assignment"] if a["expert"] != "E02"]
    manifest.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    result = run("scores", *old_sheets, "--manifest", manifest, "--program", write_program(tmp_path), "--out", "s.xlsx")
    assert result.exit_code == 2 and "manifest.json" in result.output and "生成后被改动过" in result.output
    assert not (tmp_path / "s.xlsx").exists()


@pytest.mark.parametrize("cells, shown", [
    ({"A6": "002", "A7": "001"}, "A6 原为「001」，现为「002」；A7 原为「002」，现为「001」"),  # rows' 编号 swapped
    ({"B6": "某某市科协"}, "B6 原为「{unit}」，现为「某某市科协」"),  # the unit of a row renamed
    ({"E5": 200}, "E5 原为「100」，现为「200」"),  # a 满分 raised
    ({"J6": 99}, "J6 原为「=IF("),  # the total's formula typed over
    ({"D2": "第二组"}, "D2 原为「第一组」，现为「第二组」"),  # the group
], ids=["codes-swapped", "unit-renamed", "maximum-raised", "formula-overwritten", "group-changed"])
def test_a_sheet_edited_outside_its_yellow_cells_is_refused(run, tmp_path, cells, shown):
    subs = roster_submissions(2)
    review = Review.of(tmp_path)
    a = review.sheet("甲", subs, {"001": 90, "002": 60})
    b = review.sheet("乙", subs, {"001": 80, "002": 70})
    edit(a, **cells)
    result = run("scores", a, b, "--program", write_program(tmp_path), "--out", "r.xlsx")
    assert result.exit_code == 1, result.output
    codes = "002、001" if "A6" in cells else "001、002"  # the 编号 the sheet now holds, as named
    assert (f"评分表「甲.xlsx」，专家「甲」，项目「{codes}」：黄色单元格以外的内容与 kexie packet 生成时不同（"
            + shown.format(unit=subs[0]["申报单位"])) in result.output
    rows = by_number(tmp_path / "r.xlsx")
    assert (rows["001"]["平均分"], rows["002"]["平均分"]) == (80, 70)  # 乙's alone
    assert rows["001"]["未计评分的专家"] == "甲"


def test_fewer_sheets_than_assigned_are_reported(run, tmp_path):
    subs = roster_submissions(2)
    review = Review.of(tmp_path)
    sheets = [review.sheet("甲", subs, {"001": 80, "002": 70}), review.sheet("乙", subs, {"001": 82, "002": 72})]
    review.sheet("丙", subs[:1], {"001": 90})  # sent out, never returned
    result = run("scores", *sheets, "--program", write_program(tmp_path), "--out", "r.xlsx")
    assert result.exit_code == 1, result.output
    unit1 = subs[0]["申报单位"]
    assert f"项目「001 {unit1}」：分配给3位专家，只有2份评分表计入（未交或未计入：丙）" in result.output
    rows = by_number(tmp_path / "r.xlsx")
    assert (rows["001"]["应评专家数"], rows["001"]["未计评分的专家"], rows["001"]["专家数"]) == (3, "丙", 2)
    assert (rows["002"]["应评专家数"], rows["002"]["未计评分的专家"]) == (2, None)


def test_sheets_without_a_run_need_the_manifest(run, tmp_path):
    subs = roster_submissions(1)
    criteria = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))["评审标准"]
    bare = fill_scores(write_score_sheet(tmp_path / "甲.xlsx", "甲", "第一组", subs, criteria), subs, {"001": 80})
    result = run("scores", bare, "--program", write_program(tmp_path), "--out", "r.xlsx")
    assert result.exit_code == 2 and "没有评审批次编号" in result.output and "--manifest" in result.output
    stamped = Review(tmp_path / "elsewhere").sheet("乙", subs, {"001": 80})  # its run in another workspace
    result = run("scores", stamped, "--program", write_program(tmp_path), "--out", "r.xlsx")
    assert result.exit_code == 2 and "不在工作区「outputs/kexie.sqlite」中" in result.output


# --- the real chain: kexie packet records the run, kexie scores finds it from the sheets ---------


def test_packet_records_the_run_and_scores_find_it_from_the_sheets_alone(run, tmp_path):
    from test_packet import PAGES, draw_submission, fields_for, write_experts

    entries = []
    for i in range(3):
        fields = fields_for(i)
        path = tmp_path / f"{i + 1:02d}-{fields['申报单位']}.pdf"
        draw_submission(path, fields, PAGES[i])
        entries.append({"file": str(path), "status": "complete", "error": None, "fields": fields, "problems": []})
    report = tmp_path / "validation.json"
    report.write_text(json.dumps({"files": entries, "summary": {}}, ensure_ascii=False), encoding="utf-8")
    experts = write_experts(tmp_path / "experts.xlsx", [
        ["王伟", "苏州市科学技术协会", "第一组", ""],  # works at S01's 试点单位: S01 withheld (回避)
        ["李四", "北京大学", "第一组", ""],
        ["王伟", "清华大学", "第二组", ""],  # the same name in the other group
    ])
    result = run("packet", report, "--experts", experts, "--program", PROGRAM, "--out", "评审包",
                 "--date", "2026-07-10")
    assert result.exit_code == 0, result.output
    manifest_path = next((tmp_path / "评审包").rglob("manifest.json"))  # wherever the office files go
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    run_record = manifest["run"]
    assert run_record["experts"] == {"E01": {"name": "王伟", "unit": "苏州市科学技术协会", "group": "第一组"},
                                     "E02": {"name": "李四", "unit": "北京大学", "group": "第一组"},
                                     "E03": {"name": "王伟", "unit": "清华大学", "group": "第二组"}}
    assert {"code": "S01", "expert": "E01", "reviews": False, "reason": "回避：本人单位为试点单位"} \
        in run_record["assignment"]
    kept = sqlite3.connect(tmp_path / "outputs" / "kexie.sqlite").execute(
        "SELECT id, manifest, manifest_sha256 FROM packet_runs").fetchall()
    assert kept == [(run_record["id"], str(manifest_path.resolve()), sha256_file(manifest_path))]
    sheets = {}
    for entry in manifest["packets"]:
        path = next((tmp_path / "评审包").rglob(entry["score_sheet"]))
        book = openpyxl.load_workbook(path)
        stamp = book["kexie"]
        assert (stamp.sheet_state, stamp["B1"].value, stamp["B2"].value) == \
            ("veryHidden", run_record["id"], entry["expert_id"])
        assert book["评分表"].protection.sheet and not book["评分表"]["E6"].protection.locked
        _expert, _group, rows = read_score_sheet(path)
        assert [c.value for c in book["评分表"][4]][:4] == ["编号", "申报单位", "试点单位", "针对性"]
        sheets[entry["expert_id"]] = fill_scores(path, rows, {r["编号"]: 80 + 5 * k for k, r in enumerate(rows)},
                                                 first_column=4)
    assert sorted(sheets) == ["E01", "E02", "E03"]
    program = write_program(tmp_path, funds={"分配方式": "定额", "资助名额": 3})
    result = run("scores", *sheets.values(), "--program", program, "--out", "results.xlsx")
    assert result.exit_code == 0, result.output
    assert f"评审批次 {run_record['id']}" in result.output
    rows = by_number(tmp_path / "results.xlsx")
    assert sorted(rows) == ["S01", "S02", "S03"]
    assert rows["S01"]["申报单位"] == fields_for(0)["申报单位"]  # the office's names, from the run
    assert [rows[c]["应评专家数"] for c in ("S01", "S02", "S03")] == [1, 2, 1]
    # the manifest may name the run instead, with a workspace that never saw it
    result = run("scores", *sheets.values(), "--manifest", manifest_path, "--db", tmp_path / "其他.sqlite",
                 "--program", program, "--out", "again.xlsx")
    assert result.exit_code == 0, result.output
    assert by_number(tmp_path / "again.xlsx") == rows
