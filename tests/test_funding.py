"""Funding by programme (pipeline/funding.py): 定额, 范围, 因素法 with 上限 enforced; grades only where
defined; the 验收 keys. Pure functions first, then ``kexie scores`` on sheets made here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import ROOT
from test_scores import (
    by_number,
    expert_sheet,
    roster_submissions,
    sheet_rows,
    write_program,
)

from pipeline.funding import capped_shares, exact_shares, largest_remainder
from pipeline.scores import grade, grade_bands

ANHUI = ROOT / "samples" / "programs" / "安徽基层科普行动计划" / "program.yaml"


# --- pure functions ------------------------------------------------------------------------


def test_capping_moves_money_twice_and_the_parts_add_up_exactly():
    # 1,000,001 by 60:25:10:5, none above 350,000: 600,000.6 is capped; the other 650,000.4 by 25:10:5
    # gives 25 → 406,250.25, capped too; 300,001 by 10:5 → 200,000.67 and 100,000.33
    parts, capped, left = capped_shares([60, 25, 10, 5], 1_000_001, 350_000)
    assert parts == [350_000, 350_000, 200_001, 100_000]
    assert capped == [0, 1] and left == 0


@pytest.mark.parametrize("weights, pool, cap", [
    ([95.55, 91.37, 88.8, 85.01, 77.77, 73.33, 66.66], 999_999, 150_000),
    ([99, 1, 1, 1, 1, 1, 1], 1_000_003, 200_000),
    ([Decimal("33.33")] * 3 + [Decimal("0.01")], 100, 33),
    ([7, 5, 3], 14, 5),
])
def test_shares_never_exceed_the_cap_and_add_up_to_the_pool(weights, pool, cap):
    parts, capped, left = capped_shares(weights, pool, cap)
    assert sum(parts) + left == pool and max(parts) <= cap and left == 0
    free = [i for i in range(len(weights)) if i not in capped]
    exact = exact_shares([weights[i] for i in free], pool - cap * len(capped))
    assert all(abs(parts[i] - share) < 1 for i, share in zip(free, exact))  # the same rule on the rest


def test_when_every_share_is_capped_the_rest_is_left_over():
    assert capped_shares([2, 1], 1000, 300) == ([300, 300], [0, 1], 400)


def test_largest_remainder_from_its_new_home():
    assert largest_remainder([1, 1, 1], 100) == [34, 33, 33]


def test_grades_only_where_the_programme_defines_them():
    assert grade_bands({"评审规则": {"分歧阈值": 15}}) == []
    assert grade(95, []) == ""
    bands = grade_bands({"评审规则": {"等级": [{"等级": "合格", "不低于": 0}, {"等级": "优秀", "不低于": 85}]}})
    assert [grade(v, bands) for v in (85, 84.99, 0)] == ["优秀", "合格", "合格"]


# --- the programme file --------------------------------------------------------------------


def test_the_anhui_programme_passes_check_and_says_what_seed_003_says(run):
    assert run("program", "check", ANHUI).exit_code == 0
    program = yaml.safe_load(ANHUI.read_text(encoding="utf-8"))
    funds = program["经费"]
    assert funds["分配方式"] == "因素法" and {f["名称"]: f["权重"] for f in funds["因素"]} == {"基础因素": 80,
                                                                                     "工作绩效因素": 20}
    assert [(b["等级"], b["不低于"]) for b in program["评审规则"]["等级"]] == [("优", 90), ("良", 80), ("中", 60),
                                                                             ("差", 0)]
    assert program["验收"]["结论"] == ["通过验收", "暂缓验收", "验收不通过"]
    assert program["验收"]["延期"] == {"每次月数": 6, "最多次数": 2}
    assert program["验收"]["暂停申报"] == {"结论": ["暂缓验收", "验收不通过"], "年数": 2}


def test_the_schema_lists_the_funding_grading_and_acceptance_keys(run):
    out = run("program", "--schema").output
    for line in ("超出上限（文字，可不写）", "因素（列表，每项为键值对，可不写）", "取值（文字，必填）",
                 "等级（列表，每项为键值对，可不写）", "不低于（数字，必填）", "验收（键值对，可不写）",
                 "每次月数（整数，必填）", "暂停申报（键值对，可不写）"):
        assert line in out, line
    example = run("program", "--example").output
    Path("example.yaml").write_text(example, encoding="utf-8")
    assert run("program", "check", "example.yaml").exit_code == 0


def test_bad_factor_weights_grade_bands_and_verdicts_are_named(run, tmp_path):
    program = yaml.safe_load(ANHUI.read_text(encoding="utf-8"))
    program["经费"]["因素"][0]["权重"] = 70
    program["评审规则"]["等级"][-1]["不低于"] = 10
    program["验收"]["暂停申报"]["结论"] = ["不通过"]
    program["经费"]["上限"] = 1_600_000.5
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(program, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run("program", "check", path)
    assert result.exit_code == 1
    assert "「经费.因素」各项权重之和应为100，现为90" in result.output
    assert "「评审规则.等级」最低一档的「不低于」应为0" in result.output
    assert "「经费.分配方式」为因素法时「经费.上限」应为整元数，现为1600000.5" in result.output
    assert "「验收.暂停申报.结论」中的「不通过」不在「验收.结论」（通过验收、暂缓验收、验收不通过）中" in result.output


# --- kexie scores --------------------------------------------------------------------------

#: base factor (roster) and review score (the one expert's) of four units: 80/20 gives 60, 25, 10, 5
BASE, REVIEW = [70, 25, 10, 5], [20, 25, 10, 5]
FACTORS = [{"名称": "基础因素", "权重": 80, "取值": "基础因素得分"},
           {"名称": "工作绩效因素", "权重": 20, "取值": "评审得分"}]


def factor_review(tmp_path, over_cap=None, base=BASE):
    """Four units, their roster with 基础因素得分, one expert's sheet, a 因素法 programme (cap 350,000)."""
    subs = roster_submissions(4)
    roster = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["申报单位", "基础因素得分"])
    for submission, value in zip(subs, base):
        book.active.append([submission["申报单位"], value])
    book.save(roster)
    funds = {"分配方式": "因素法", "总额": 1_000_101, "定额补助": 100, "下限": 0, "上限": 350_000,
             "因素": FACTORS}
    if over_cap:
        funds["超出上限"] = over_cap
    sheet = expert_sheet(tmp_path, "甲", subs, {s["编号"]: r for s, r in zip(subs, REVIEW)})
    return sheet, write_program(tmp_path, funds=funds, drop_funds=("资助名额",)), roster


def test_factor_method_caps_and_redistributes_as_the_programme_says(run, tmp_path):
    sheet, program, roster = factor_review(tmp_path, "封顶再分配")
    result = run("scores", sheet, "--program", program, "--roster", roster, "--out", "r.xlsx")
    assert result.exit_code == 0, result.output
    rows = by_number(tmp_path / "r.xlsx", "名单")
    assert {k: r["资助金额"] for k, r in rows.items()} == {"001": 350_000, "002": 350_000, "003": 200_001,
                                                          "004": 100_000}
    assert {k: r["因素法得分"] for k, r in rows.items()} == {"001": 60, "002": 25, "003": 10, "004": 5}
    assert rows["001"]["资助说明"].startswith("封顶：按因素法应得600,000.60元，超出上限，按上限350,000元拨付")
    assert rows["002"]["资助说明"].startswith("封顶：按因素法应得250,000.25元")  # capped in the second round
    assert rows["003"]["资助说明"] == "含封顶项目再分配的金额（未封顶时应得100,000.10元）"
    assert "因素法：2个项目的份额超出上限350,000元，已按上限封顶" in result.output
    assert "等级" not in sheet_rows(tmp_path / "r.xlsx", "结果")[0]


@pytest.mark.parametrize("over_cap", [None, "拒绝"])  # 拒绝 is the default: never paid silently
def test_factor_method_refuses_a_share_above_the_cap_with_a_chinese_message(run, tmp_path, over_cap):
    sheet, program, roster = factor_review(tmp_path, over_cap)
    result = run("scores", sheet, "--program", program, "--roster", roster, "--out", "r.xlsx")
    assert result.exit_code == 1, result.output
    assert "按因素法应得600,000.60元，超出经费上限350,000元；计划规定超出上限时拒绝分配" in result.output
    rows = by_number(tmp_path / "r.xlsx")
    assert all(r["是否资助"] == "待定" and r["资助金额"] is None for r in rows.values())
    assert sheet_rows(tmp_path / "r.xlsx", "名单")[1] == []


def test_a_missing_factor_value_stops_the_distribution_naming_the_unit(run, tmp_path):
    sheet, program, roster = factor_review(tmp_path, "封顶再分配", base=[70, 25, None, "很多"])
    result = run("scores", sheet, "--program", program, "--roster", roster, "--out", "r.xlsx")
    assert result.exit_code == 1
    units = [s["申报单位"] for s in roster_submissions(4)]
    assert f"003 {units[2]}」：因素「基础因素」取名单的「基础因素得分」列，该项目没有" in result.output
    assert "为「很多」，不是0至100之间的数" in result.output
    assert all(r["是否资助"] == "待定" for r in by_number(tmp_path / "r.xlsx").values())


def test_factor_columns_need_the_roster(run, tmp_path):
    sheet, program, _roster = factor_review(tmp_path)
    result = run("scores", sheet, "--program", program, "--out", "r.xlsx")
    assert result.exit_code == 2 and "请用 --roster 给出名单" in result.output


def test_range_takes_the_rosters_amount_and_never_defaults_to_the_cap(run, tmp_path):
    subs = roster_submissions(3)
    roster = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["申报单位", "拟资助金额"])
    book.active.append([subs[0]["申报单位"], 320_000])
    book.active.append([subs[1]["申报单位"], None])
    book.active.append([subs[2]["申报单位"], 410_000])
    book.save(roster)
    sheet = expert_sheet(tmp_path, "甲", subs, {"001": 95, "002": 90, "003": 85})
    program = write_program(tmp_path, funds={"分配方式": "范围", "资助名额": 3})  # 300,000–400,000
    result = run("scores", sheet, "--program", program, "--roster", roster, "--out", "r.xlsx")
    assert result.exit_code == 1
    rows = by_number(tmp_path / "r.xlsx")
    assert [(rows[k]["是否资助"], rows[k]["资助金额"]) for k in ("001", "002", "003")] == [
        ("是", 320_000), ("待定", None), ("待定", None)]
    assert "名单中没有该项目的拟资助金额或资助金额（「经费.分配方式」为范围" in result.output
    assert "拟资助金额410000元不在经费下限300000至上限400000元之间" in result.output
    assert run("scores", sheet, "--program", program, "--out", "r2.xlsx").exit_code == 2


def test_a_share_above_the_cap_is_never_paid_silently(run, tmp_path):
    """A programme written before 「经费.超出上限」 existed (no 因素, no 超出上限): the share above 上限 is
    refused, not paid with a warning."""
    subs = roster_submissions(2)
    sheet = expert_sheet(tmp_path, "甲", subs, {"001": 90, "002": 10})
    program = write_program(tmp_path, funds={"分配方式": "因素法", "总额": 1_000_000, "下限": 0, "上限": 600_000},
                            drop_funds=("资助名额",))
    result = run("scores", sheet, "--program", program, "--out", "r.xlsx")
    assert result.exit_code == 1, result.output
    assert "按因素法应得900,000.00元，超出经费上限600,000元" in result.output
    assert [r["资助金额"] for r in by_number(tmp_path / "r.xlsx").values()] == [None, None]


def test_the_anhui_programme_funds_every_city_exactly_within_the_cap(run, tmp_path):
    """Seed 003 end to end through ``kexie scores``: 18 cities, 80 % 基础因素 from the roster + 20 % the
    review's score, 18,000,000 yuan (总额 − 定额补助) shared to the yuan, none above 1,600,000, 等级 given."""
    roster = ANHUI.with_name("roster.xlsx")
    units = sheet_rows(roster, "名单")[1]
    subs = [{"编号": f"{i:03d}", "申报单位": u["申报单位"], "试点单位": u["试点单位"], "项目名称": u["项目名称"]}
            for i, u in enumerate(units, start=1)]
    reviews = {s["编号"]: 62 + (i * 7) % 33 for i, s in enumerate(subs)}  # 62 … 94: every grade but 差
    sheet = expert_sheet(tmp_path, "甲", subs, reviews, program=ANHUI)
    result = run("scores", sheet, "--program", ANHUI, "--roster", roster, "--out", "r.xlsx")
    assert result.exit_code == 0, result.output
    rows = by_number(tmp_path / "r.xlsx", "名单")
    amounts = [r["资助金额"] for r in rows.values()]
    assert len(rows) == 18 and sum(amounts) == 18_000_000 and max(amounts) == 1_600_000
    capped = [k for k, r in rows.items() if (r["资助说明"] or "").startswith("封顶")]
    assert capped and all(rows[k]["资助金额"] == 1_600_000 for k in capped)
    score = {k: (Decimal(str(r["基础因素得分"])) * 80 + reviews[k] * 20) / 100 for k, r in rows.items()}
    for number, row in rows.items():  # 第六条 with the factors of the programme, shown per city (0.01)
        assert row["因素法得分"] == float(score[number].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    free = {k: score[k] for k in rows if k not in capped}
    left = 18_000_000 - 1_600_000 * len(capped)
    for number, value in free.items():
        assert abs(rows[number]["资助金额"] - value / sum(free.values()) * left) < 1, number
    assert {r["等级"] for r in rows.values()} == {"优", "良", "中"}
    assert all(r["等级"] == ("优" if r["平均分"] >= 90 else "良" if r["平均分"] >= 80 else "中") for r in rows.values())
