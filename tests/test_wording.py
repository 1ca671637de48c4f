"""Documents whose wording follows the programme (issue 13 part 2): the kind's nouns, 任务书 or
责任书, joint issuers, one payment or several, and the 公示's period and 落款 date.

益阳 (seed 001: 市科协 with 市财政局, 责任书, one payment, 5-day 公示) against the 2026 试点
(seed 004: 试点项目, 任务书, two payments). Filled to DOCX once per module and read back as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import PROGRAM, ROSTER, SAMPLES, docx_text

YIYANG = SAMPLES / "programs" / "益阳学会服务能力提升计划"
ISSUERS = ("益阳市科学技术协会", "益阳市财政局")


def body_lines(text: str) -> list[str]:
    """The document's non-empty lines without the page-number footer (「— 1 —」)."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("—")]


def kexie(*args):
    from pipeline.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def yiyang(tmp_path_factory):
    """益阳's 通知 and 责任书 (one per roster row), filled once."""
    out = tmp_path_factory.mktemp("yiyang")
    program = YIYANG / "program.yaml"
    notice = kexie("fill", "通知", "--program", program, "--out", out)
    agreement = kexie("fill", "责任书", "--data", YIYANG / "roster.xlsx", "--program", program, "--out", out)
    assert notice.exit_code == 0 and agreement.exit_code == 0, notice.output + agreement.output
    for args in (("通知",), ("责任书", "--data", YIYANG / "roster.xlsx")):  # check agrees with fill
        checked = kexie("check", *args, "--program", program)
        assert checked.exit_code == 0 and "检查通过" in checked.output, checked.output
    return out


@pytest.fixture(scope="module")
def pilot(tmp_path_factory):
    """The 2026 试点's 通知 and 任务书 of the sample roster."""
    out = tmp_path_factory.mktemp("pilot")
    notice = kexie("fill", "通知", "--program", PROGRAM, "--out", out)
    task = kexie("fill", "任务书", "--data", ROSTER, "--program", PROGRAM, "--out", out)
    assert notice.exit_code == 0 and task.exit_code == 0, notice.output + task.output
    return out


def test_the_yiyang_programme_passes_its_check():
    result = kexie("program", "check", YIYANG / "program.yaml")
    assert result.exit_code == 0, result.output


def test_yiyang_notice_names_both_issuers_in_the_flag_and_the_signature_and_no_pilot(yiyang):
    text = docx_text(yiyang / "通知.docx")
    assert "试点" not in text
    lines = body_lines(text)
    # 发文机关标志: both names stacked, the 主办机关 first, 「文件」 beside them (GB/T 9704 7.2.2)
    assert lines[:3] == [ISSUERS[0], ISSUERS[1], "文件"], lines[:3]
    # 落款: each issuer in the order of the 标志, then the date (7.3.5); the 版记 closes the page
    assert lines[-4:] == [ISSUERS[0], ISSUERS[1], "2018年5月18日", f"{ISSUERS[0]}2018年5月18日印发"], lines[-4:]
    assert "本计划设立以下类别：学术交流项目、社会化服务项目、学会建设项目。" in text
    assert "4．经费额度：每个项目经费额度为2-5万元，根据实际内容调整。经费于项目责任书签订后一次性拨付。" in text


def test_yiyang_agreement_is_a_zerenshu_with_its_parties_and_one_payment(yiyang):
    files = sorted(p.name for p in yiyang.glob("*-责任书.docx"))
    assert len(files) == 6 and "益阳市农学会-责任书.docx" in files
    text = docx_text(yiyang / "益阳市农学会-责任书.docx")
    assert "项目责任书" in text and "任务书" not in text and "试点" not in text
    assert "甲方（项目组织单位）：益阳市科学技术协会" in text and "乙方（项目承担单位）：益阳市农学会" in text
    assert "甲方（盖章）：\n益阳市科学技术协会" in text and "乙方（盖章）：\n益阳市农学会" in text
    # one payment of 100 %: no table of stages, no 尾款
    assert "尾款" not in text and "分期" not in text and "第一期" not in text
    assert "人民币50,000.00元（大写：伍万元整），于项目责任书签订后一次性拨付至乙方单位账户。" in text
    assert "乙方未通过结项验收的，收回已拨付的项目资金，并连续2年取消其申报资格。" in text
    assert "中期" not in text and "按要求报送总结报告，配合做好结项验收" in text  # 益阳 holds no 中期评估
    assert "\n2018年\n" in text and "2026年" not in text  # the cover's year is the programme's, not today's


def test_the_agreement_named_otherwise_than_the_programme_says_is_refused(tmp_path):
    wrong = kexie("fill", "任务书", "--data", YIYANG / "roster.xlsx", "--program", YIYANG / "program.yaml",
                  "--out", tmp_path)
    assert wrong.exit_code == 2 and "签订的是责任书" in wrong.output and "kexie fill 责任书" in wrong.output
    assert not list(tmp_path.glob("*.docx"))
    checked = kexie("check", "责任书", "--data", ROSTER, "--program", PROGRAM)
    assert checked.exit_code == 2 and "签订的是任务书" in checked.output and "kexie fill 任务书" in checked.output


def test_pilot_wording_is_unchanged(pilot):
    notice = docx_text(pilot / "通知.docx")
    assert body_lines(notice)[0] == "中国科协部门发文"
    for sentence in ("2．试点内容：应严格遵循申报指南有关要求（见附件）",
                     "4．经费额度：每个试点项目经费额度为30-40万元，根据实际内容调整。"
                     "项目任务书签订后支付50%，通过结项验收后支付50%。"):
        assert sentence in notice
    assert body_lines(notice)[-4:] == ["中国科协改革工作办公室", "（中国科协调研宣传部代章）", "2026年5月21日",
                                       "中国科协改革工作办公室2026年5月21日印发"]
    task = docx_text(pilot / "四川省科学技术协会-任务书.docx")
    for sentence in ("项目任务书", "试点单位", "绵阳市科学技术协会", "甲方（项目组织单位）：中国科协改革工作办公室",
                     "按以下方式分期拨付", "第一期", "乙方未通过中期评估的，甲方不予拨付尾款；未通过结项验收的，不予结项。",
                     "按期完成试点任务", "宣传推广试点经验", "本任务书自双方签字盖章之日起生效",
                     "组织中期评估和结项验收", "按要求报送中期报告和总结报告，配合做好中期评估和结项验收"):
        assert sentence in task, sentence


def test_a_one_stage_pilot_has_no_final_payment(tmp_path):
    program = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    program["经费"]["支付"] = [{"阶段": "项目任务书签订后", "比例": 100}]
    program["评审及组织实施"] = program["评审及组织实施"][:1]
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    rows = tmp_path / "one.yaml"
    rows.write_text(yaml.safe_dump([{"申报单位": "四川省科学技术协会", "项目名称": "试点", "负责人": "张三",
                                     "职务": "部长", "手机": "13800000000", "电子邮箱": "a@b.cn",
                                     "通讯地址": "成都", "邮编": "610000", "资助金额": 350000,
                                     "项目目标": "目标", "考核指标": "指标一"}], allow_unicode=True), encoding="utf-8")
    for args in (("通知",), ("任务书", "--data", rows)):
        result = kexie("fill", *args, "--program", tmp_path / "p.yaml", "--out", tmp_path / "out")
        assert result.exit_code == 0, result.output
    notice = docx_text(tmp_path / "out" / "通知.docx")
    task = docx_text(tmp_path / "out" / "四川省科学技术协会-任务书.docx")
    assert "尾款" not in notice and "项目任务书签订后一次性拨付。" in notice
    assert "尾款" not in task and "第一期" not in task and "于项目任务书签订后一次性拨付至乙方单位账户" in task


@pytest.mark.parametrize("counting, days, end", [("工作日", 5, "2026年10月9日"), ("自然日", 5, "2026年10月2日"),
                                                 ("自然日", 10, "2026年10月7日")])
def test_announcement_period_over_national_day_and_dated_its_issue_day(tmp_path, counting, days, end):
    """5 工作日 from 28 September skip 1–7 October; 自然日 count them (seed 001: 5 days, seed 002:
    10). The 落款 is the issue date 「公示.发布」, before the period — not the day it is printed."""
    program = yaml.safe_load((YIYANG / "program.yaml").read_text(encoding="utf-8"))
    program["公示"] = {"天数": days, "计日": counting, "开始": "2026-09-28", "发布": "2026-09-25"}
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    result = kexie("fill", "公示", "--data", YIYANG / "roster.xlsx", "--program", tmp_path / "p.yaml",
                   "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = docx_text(tmp_path / "out" / "公示.docx")
    assert f"公示期为2026年9月28日至{end}（{days}个{counting}）。" in text
    lines = body_lines(text)
    assert lines[-2:] == ["益阳市科学技术协会", "2026年9月25日"], lines[-2:]
    assert "试点" not in text


def test_an_issue_date_after_the_start_of_the_period_is_refused(tmp_path):
    text = (YIYANG / "program.yaml").read_text(encoding="utf-8")
    text = re.sub(r"  发布: 2018-07-16.*", "  发布: 2018-07-20", text)
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    result = kexie("program", "check", tmp_path / "p.yaml")
    assert result.exit_code != 0 and "「公示.发布」晚于「公示.开始」" in result.output


def test_the_wording_table_and_the_schema_name_the_same_nouns_and_kinds():
    from pipeline.program import wording_table
    from pipeline.program_schema import program_schema

    schema = program_schema().keys
    table = wording_table()
    assert sorted(table) == sorted(schema["类别"].choices)
    for kind, nouns in table.items():
        assert list(nouns) == list(schema["称谓"].keys), kind


def test_a_programme_overrides_a_noun_of_its_kind(tmp_path):
    from pipeline.program import load_program

    text = (YIYANG / "program.yaml").read_text(encoding="utf-8") + "称谓: {经验: 学会建设经验}\n"
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    nouns = load_program(tmp_path / "p.yaml")["称谓"]
    assert nouns["经验"] == "学会建设经验" and nouns["项目"] == "项目" and nouns["单位"] == "学会"
    assert load_program(PROGRAM)["称谓"]["项目"] == "试点项目"


def test_a_roster_without_a_pilot_unit_prints_no_pilot_line(tmp_path):
    """「试点单位：/」 was printed on the 任务书 cover and first page of a programme with no 试点单位."""
    rows = tmp_path / "one.yaml"
    rows.write_text(yaml.safe_dump([{"申报单位": "四川省科学技术协会", "试点单位": "/", "项目名称": "学会能力提升",
                                     "负责人": "张三", "职务": "部长", "手机": "13800000000", "电子邮箱": "a@b.cn",
                                     "通讯地址": "成都", "邮编": "610000", "资助金额": 350000,
                                     "项目目标": "目标", "考核指标": "指标一"}], allow_unicode=True), encoding="utf-8")
    result = kexie("fill", "任务书", "--data", rows, "--program", PROGRAM, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "out").glob("*.docx")
    assert "试点单位" not in docx_text(path)


def test_a_flag_that_names_the_issuer_is_not_followed_by_its_name_again(tmp_path):
    """A 部门发文 标志 is followed by the office's name; 「XX文件」 already names it."""
    program = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    program["发文机关标志"] = program["发文机关"] + "文件"
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    result = kexie("fill", "通知", "--program", tmp_path / "p.yaml", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    lines = body_lines(docx_text(tmp_path / "out" / "通知.docx"))
    title = next(i for i, line in enumerate(lines) if line.startswith("关于"))
    assert program["发文机关"] not in lines[:title], lines[:title]


def test_the_announcement_sums_amounts_a_csv_roster_gives_as_text(tmp_path):
    """A CSV roster's 资助金额 is text: the 公示's 合计 once failed with 「数据有误：类型不合预期」."""
    roster = tmp_path / "r.csv"
    roster.write_text('申报单位,项目名称,负责人,资助金额\n甲市科协,项目一,张三,"300,000"\n乙市科协,项目二,李四,250000.00\n',
                      encoding="utf-8")
    result = kexie("fill", "公示", "--data", roster, "--program", PROGRAM, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    lines = body_lines(docx_text(tmp_path / "out" / "公示.docx"))
    assert lines[lines.index("合计") + 1] == "55.00"


def test_a_long_project_name_in_the_announcement_breaks_between_words(tmp_path):
    """A 15-character 项目名称 once left 「目」 alone on the second line of its cell."""
    import docx

    roster = tmp_path / "r.csv"
    name = "引领地方学会能力提升示范项目"  # 14: one more than the column holds
    roster.write_text(f"申报单位,项目名称,负责人,资助金额\n甲市科协,{name}项,张三,300000\n", encoding="utf-8")
    result = kexie("fill", "公示", "--data", roster, "--program", PROGRAM, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    cell = docx.Document(str(tmp_path / "out" / "公示.docx")).tables[0].rows[1].cells[2]
    lines = [p.text for p in cell.paragraphs if p.text]
    assert "".join(lines) == name + "项" and len(lines) == 2 and min(map(len, lines)) >= 3, lines
