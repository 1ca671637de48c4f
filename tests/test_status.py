"""The project ledger (kexie record, kexie status) on a scripted year of 10 projects: one fails its
中期评审 (no 尾款, seed 004), one is extended twice (a third refused, seed 003 第十四条), one fails
its 验收 (suspended 2 years, seed 003 第十五条, and kexie validate warns of it the next year)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from conftest import PROGRAM, ROSTER, SAMPLES

JIANGSU, HUBEI, FUJIAN = "江苏省科学技术协会", "湖北省科学技术协会", "福建省科学技术协会"
OTHERS = ["浙江省科学技术协会", "安徽省科学技术协会", "江西省科学技术协会", "山东省科学技术协会",
          "河南省科学技术协会", "湖南省科学技术协会", "广东省科学技术协会"]
AMOUNT = {"广东省科学技术协会": 350000, "江西省科学技术协会": 350000}


def _year() -> list[dict]:
    """What happened in the year, as a clerk would list it."""
    rows = []
    for unit in [JIANGSU, HUBEI, FUJIAN, *OTHERS]:
        amount = AMOUNT.get(unit, 400000)

        def add(kind, day, **extra):
            rows.append({"单位": unit, "事件": kind, "日期": day, **extra})

        add("申报", "2026-06-08")
        if unit == "湖南省科学技术协会":
            add("形式审查", "2026-06-15", 结论="不齐全")
            add("补正", "2026-06-16")
        else:
            add("形式审查", "2026-06-15", 结论="齐全")
        add("评审", "2026-07-10")
        add("公示", "2026-09-28")
        add("任务书", "2026-10-20", 金额=amount)
        add("拨款", "2026-10-30", 金额=amount // 2)
        add("中期", "2027-01-15", 结论="不通过" if unit == HUBEI else "通过")
        if unit not in (HUBEI, "广东省科学技术协会"):  # 广东: its 尾款 is due and not yet paid
            add("拨款", "2027-01-29", 金额=amount - amount // 2)
        if unit == FUJIAN:
            add("延期", "2027-06-15", 月数=6)
            add("延期", "2027-12-10")
        else:
            add("验收", "2027-07-10", 结论="验收不通过" if unit == JIANGSU else "通过验收")
        if unit == "河南省科学技术协会":  # seed 001: 弄虚作假、虚报业绩 — 3 years
            add("弄虚作假", "2027-09-01")
    return rows


def _row(unit, stage, *, check="2026-06-15", fix="", amount=400000, mid="通过（2027-01-15）",
         verdict="通过验收（2027-07-10）", extensions=0, end="2027-06-30", paid=None, owed=0, withheld=0,
         until="", note=""):
    return [unit, stage, "2026-06-08", check, fix, "2026-07-10", "2026-09-28", "2026-10-20", amount, mid,
            verdict, extensions, end, amount if paid is None else paid, owed, withheld, until, note]


#: the ledger on 2027-12-31, written by hand from the year above and the rules of seeds 003/004
EXPECTED = [
    _row(JIANGSU, "结项", verdict="验收不通过（2027-07-10）", until="2029-07-10",
         note="验收不通过，暂停申报资格至2029-07-10"),
    _row(HUBEI, "结项", mid="不通过（2027-01-15）", paid=200000, withheld=200000,
         note="中期评审不通过，「通过中期评审后」一期（200,000.00元）不予拨付"),
    _row(FUJIAN, "中期", verdict="", extensions=2, end="2028-06-30",
         note="已延期2次（至多2次，每次至多6个月）"),
    _row("浙江省科学技术协会", "结项"),
    _row("安徽省科学技术协会", "结项"),
    _row("江西省科学技术协会", "结项", amount=350000),
    _row("山东省科学技术协会", "结项"),
    _row("河南省科学技术协会", "结项", until="2030-09-01", note="查实弄虚作假、虚报业绩，暂停申报资格至2030-09-01"),
    _row("湖南省科学技术协会", "结项", fix="2026-06-16"),
    _row("广东省科学技术协会", "结项", amount=350000, paid=175000, owed=175000),
]


def _program(path, **dates):
    data = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    # seed 004: 第一批支付50%，尾款50%；如不能通过中期评审，不予拨付尾款
    data["经费"]["支付"] = [{"阶段": "项目任务书签订后", "比例": 50, "条件": "任务书"},
                          {"阶段": "通过中期评审后", "比例": 50, "条件": "中期通过"}]
    data["日期"].update(dates)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """A workspace holding the year, and a CLI runner on it."""
    from pipeline.cli import main

    folder = tmp_path_factory.mktemp("year")
    program, db = _program(folder / "计划.yaml"), folder / "kexie.sqlite"
    events = folder / "事件.yaml"
    # latest first, as a clerk's list may be: each event is checked in the order things happened
    events.write_text(yaml.safe_dump(_year()[::-1], allow_unicode=True, sort_keys=False), encoding="utf-8")
    runner = CliRunner()

    def kexie(*args):
        return runner.invoke(main, [str(a) for a in args] + ["--program", str(program), "--db", str(db)],
                             catch_exceptions=False)

    result = kexie("record", "--file", events, "--by", "张敏")
    assert result.exit_code == 0, result.output
    return folder, db, kexie


def _count(db) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT count(*) FROM project_events").fetchone()[0]


def _sheet(path, title) -> list[list]:
    sheet = openpyxl.load_workbook(path)[title]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_ledger_of_the_year_matches_the_table_written_by_hand(year):
    folder, db, kexie = year
    out = folder / "台账.xlsx"
    result = kexie("status", "--out", out, "--date", "2027-12-31")
    assert result.exit_code == 0, result.output
    header = next(openpyxl.load_workbook(out)["项目台账"].iter_rows(max_row=1, values_only=True))
    assert list(header) == ["单位", "当前阶段", "申报", "形式审查", "补正", "评审", "公示", "任务书", "资助金额",
                            "中期评审", "验收结论", "延期次数", "结项期限", "已拨付", "待拨付", "不予拨付",
                            "暂停申报至", "说明"]
    assert sorted(_sheet(out, "项目台账")) == sorted(EXPECTED)  # in the order first recorded
    assert _sheet(out, "暂停申报") == [
        [JIANGSU, "验收不通过", "2027-07-10", "2029-07-10", "2026年度地方科协深化改革工作试点"],
        ["河南省科学技术协会", "查实弄虚作假、虚报业绩", "2027-09-01", "2030-09-01", "2026年度地方科协深化改革工作试点"]]
    assert len(_sheet(out, "事件")) == len(_year())
    assert "湖北省科学技术协会  结项" in result.output and "暂停申报资格：" in result.output


def test_the_programmes_own_rules_win_over_seed_003(tmp_path):
    """验收 written in the programme file: 3-month extensions, only one, 5 years for a failed 验收."""
    from pipeline.cli import main

    program = _program(tmp_path / "计划.yaml")
    data = yaml.safe_load(program.read_text(encoding="utf-8"))
    data["验收"] = {"结论": ["合格", "不合格"], "延期": {"每次月数": 3, "最多次数": 1},
                  "暂停申报": {"结论": ["不合格"], "年数": 5}}
    program.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    db = tmp_path / "kexie.sqlite"

    def kexie(*args):
        return CliRunner().invoke(main, [*map(str, args), "--program", str(program), "--db", str(db)],
                                  catch_exceptions=False)

    assert kexie("record", "任务书", "--unit", HUBEI, "--amount", "300000", "--date", "2026-10-20").exit_code == 0
    assert "3个月" in kexie("record", "延期", "--unit", HUBEI, "--date", "2027-06-01").output
    result = kexie("record", "延期", "--unit", HUBEI, "--date", "2027-09-01")
    assert result.exit_code == 2 and "已延期结项 1 次" in result.output and "至多 1 次（每次 3 个月）" in result.output
    assert "暂停申报资格至2033-01-10" in kexie("record", "验收", "--unit", HUBEI, "--result", "不合格",
                                              "--date", "2028-01-10").output
    result = kexie("record", "验收", "--unit", HUBEI, "--result", "验收不通过", "--date", "2028-01-10")
    assert result.exit_code == 2 and "（合格、不合格）" in result.output


def test_a_third_extension_is_refused_naming_the_unit_the_count_and_the_limit(year):
    _folder, db, kexie = year
    before = _count(db)
    result = kexie("record", "延期", "--unit", FUJIAN, "--date", "2028-05-20")
    assert result.exit_code == 2
    assert f"单位「{FUJIAN}」已延期结项 2 次" in result.output
    assert "规定延期至多 2 次（每次 6 个月），第 3 次延期不予记录" in result.output
    assert _count(db) == before


def test_the_second_half_is_not_due_after_a_failed_midterm(year):
    _folder, db, kexie = year
    before = _count(db)
    result = kexie("record", "拨款", "--unit", HUBEI, "--amount", "200000", "--date", "2027-02-01")
    assert result.exit_code == 2
    assert f"单位「{HUBEI}」截至2027-02-01应拨付 200,000.00 元、已拨付 200,000.00 元" in result.output
    assert "中期评审不通过" in result.output
    assert _count(db) == before


def test_an_acceptance_for_a_unit_without_a_task_book_is_refused(year):
    _folder, db, kexie = year
    before = _count(db)
    result = kexie("record", "验收", "--unit", "青海省科学技术协会", "--result", "通过验收", "--date", "2027-07-10")
    assert result.exit_code == 2
    assert "单位「青海省科学技术协会」截至2027-07-10没有签订任务书（责任书）的记录" in result.output
    assert "未签订任务书（责任书）的项目不能记结项验收" in result.output
    assert _count(db) == before


def test_a_batch_with_one_bad_row_writes_nothing(year):
    folder, db, kexie = year
    before = _count(db)
    bad = folder / "补记.yaml"
    bad.write_text(yaml.safe_dump([
        {"单位": "青海省科学技术协会", "事件": "申报", "日期": "2026-06-09"},
        {"单位": "广东省科学技术协会", "事件": "拨款", "日期": "2027-02-10", "金额": 175000},
        {"单位": FUJIAN, "事件": "延期", "日期": "2028-05-20"},
    ], allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = kexie("record", "--file", bad)
    assert result.exit_code == 2
    assert f"「{bad}」第3条（单位={FUJIAN}）" in result.output and "第 3 次延期不予记录" in result.output
    assert "本次未记录任何事件" in result.output
    assert _count(db) == before


@pytest.fixture(scope="module")
def next_year(year):
    """kexie validate of next year's call (江苏, 湖北 and a notice sent by mistake) on the year's workspace."""
    from pipeline.cli import main

    folder, db, _kexie = year
    program = _program(folder / "2028计划.yaml", 发布="2028-05-20", 截止="2028-06-10")
    report = folder / "形式审查.json"
    pdfs = [SAMPLES / "returned" / name for name in (f"{JIANGSU}.pdf", f"{HUBEI}.pdf", "申报通知（误交）.pdf")]
    result = CliRunner().invoke(main, ["validate", *map(str, pdfs), "--program", str(program), "--db", str(db),
                                       "--report", str(report)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return report, program


def test_validate_warns_next_year_of_a_suspended_applicant(next_year):
    report, _program_path = next_year
    files = {Path(f["file"]).name: f for f in json.loads(report.read_text(encoding="utf-8"))["files"]}
    warned = {name: [p["message"] for p in f["problems"] if "暂停项目申报资格" in p["message"]]
              for name, f in files.items()}
    assert warned == {f"{JIANGSU}.pdf": [f"申报单位「{JIANGSU}」因「验收不通过」（2026年度地方科协深化改革工作试点，"
                                        "2027-07-10）暂停项目申报资格至2029-07-10，2028-06-10仍在暂停期内，请核实是否受理"],
                      f"{HUBEI}.pdf": [], "申报通知（误交）.pdf": []}
    problem = next(p for p in files[f"{JIANGSU}.pdf"]["problems"] if "暂停" in p["message"])
    assert problem["severity"] == "warning"


def test_events_come_from_the_files_kexie_writes_and_a_rerun_adds_nothing(next_year, tmp_path):
    """形式审查 from a validate report (the misfiled notice is no application), 评审 from a packet
    run's manifest, 任务书 with each unit's 资助金额 from the roster; the same commands again record
    nothing twice."""
    from pipeline.cli import main
    from pipeline.records import load_records

    report, program = next_year
    db = tmp_path / "kexie.sqlite"
    statuses = {Path(f["file"]).stem: f["status"] for f in json.loads(report.read_text(encoding="utf-8"))["files"]}

    def kexie(*args):
        return CliRunner().invoke(main, [*map(str, args), "--program", str(program), "--db", str(db)],
                                  catch_exceptions=False)

    from pipeline.runs import PacketRun

    # a packet run's manifest.json as kexie packet writes it (its 「run」): the day and the units it sent
    run = PacketRun(id="20280710-093000-3fa2c1", created="2028-07-10T09:30:00",
                    submissions={"A01": {"编号": "A01", "申报单位": JIANGSU, "试点单位": "苏州市科学技术协会", "组别": "第一组"},
                                 "A02": {"编号": "A02", "申报单位": HUBEI, "试点单位": "武汉市科学技术协会", "组别": "第一组"}})
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"run": run.as_dict()}, ensure_ascii=False), encoding="utf-8")
    for _ in range(2):
        assert kexie("record", "形式审查", "--data", report, "--date", "2028-06-15").exit_code == 0
        assert kexie("record", "评审", "--data", manifest).exit_code == 0
        result = kexie("record", "任务书", "--data", ROSTER, "--date", "2028-10-20")
        assert result.exit_code == 0, result.output
    assert result.output.count("已有相同记录，未重复记录") == 24
    out = tmp_path / "台账.xlsx"
    assert kexie("status", "--out", out, "--date", "2028-12-31").exit_code == 0
    rows = {r[0]: r for r in _sheet(out, "项目台账")}
    roster = {r.fields["申报单位"]: r.fields["资助金额"] for r in load_records(ROSTER)}
    assert {unit: r[8] for unit, r in rows.items()} == roster
    assert {unit: (r[1], r[3], r[5]) for unit, r in rows.items() if r[3]} == {
        unit: ("任务书", "2028-06-15", "2028-07-10") for unit in (JIANGSU, HUBEI)}
    results = {e[0]: e[3] for e in _sheet(out, "事件") if e[1] == "形式审查"}
    said = {"complete": "齐全", "incomplete": "不齐全", "review": "需人工核对"}
    assert results == {JIANGSU: said[statuses[JIANGSU]], HUBEI: said[statuses[HUBEI]]}
    assert _count(db) == 28


def test_a_bad_events_file_or_workspace_is_named_with_the_reason(tmp_path):
    from pipeline.cli import main

    program, db = _program(tmp_path / "计划.yaml"), tmp_path / "kexie.sqlite"
    events = tmp_path / "事件.csv"
    events.write_text("单位,事件,日期,月数\n湖北省科学技术协会,任务书,2026-10-20,\n湖北省科学技术协会,延期,2027-06-01,六\n",
                      encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["record", "--file", str(events), "--program", str(program), "--db", str(db)])
    assert result.exit_code == 2 and f"「{events}」第3行（单位=湖北省科学技术协会）：月数「六」应为正整数" in result.output
    db.write_bytes(b"not a database, a file someone renamed" * 100)
    result = runner.invoke(main, ["status", "--program", str(program), "--db", str(db)])
    assert result.exit_code == 2
    assert f"文件「{db}」无法使用：不是 kexie 的工作区数据库" in result.output
