"""kexie program: the programme file's schema is the one truth — printed, and every problem at once."""

from __future__ import annotations

import yaml

from conftest import PROGRAM

from pipeline.program_schema import program_schema


def write(tmp_path, text: str, name: str = "p.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# A newcomer's first 益阳 programme file (issue 13): 文号 as one string, a payment as a number,
# a day that does not exist, a wrong choice, a missing phone, a misspelt key, limits reversed.
NEWCOMER = """\
名称: 益阳市科协学会服务能力提升计划
发文机关: 益阳市科学技术协会
文号: 益科协发〔2026〕5号
标题: 关于申报2026年度益阳市科协学会服务能力提升计划项目的通知
日期:
  发布: 2026-04-01
  截止: 2026-04-31
经费:
  下限: 50000
  上限: 30000
  支付:
    - 100
公示:
  天数: 5
  计日: 工作天
联系人:
  - 姓名: 张三
补证: {工作日: 5}
"""


def test_check_reports_every_problem_at_once_with_the_expected_sub_keys(run, tmp_path):
    path = write(tmp_path, NEWCOMER)
    result = run("program", "check", path)
    assert result.exit_code == 1, result.output
    out = result.output
    assert "有 7 处问题" in out
    assert "「文号」应写成 {前缀, 年份, 序号}，例如 {前缀: 科协调函改字, 年份: 2026, 序号: 3}" in out
    assert "「经费.支付.1」应写成 {阶段, 比例, 条件}，例如 {阶段: 项目任务书签订后, 比例: 50}" in out
    assert "「日期.截止」日期不存在（该月没有这一天），现为「2026-04-31」" in out
    assert "「公示.计日」只能是工作日或自然日，现为「工作天」" in out
    assert "「联系人.1」缺少必填的键「电话」" in out and "电话: 010-68572088" in out
    assert "未知的键「补证」，是否想写「补正」？" in out
    assert "「经费.下限」大于「经费.上限」" in out


def test_other_commands_refuse_the_file_naming_every_problem(run, tmp_path):
    path = write(tmp_path, NEWCOMER)
    result = run("fill", "通知", "--program", path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "p.yaml" in result.output and "7 处问题" in result.output
    assert "前缀, 年份, 序号" in result.output and "阶段, 比例" in result.output


def test_a_good_file_passes_and_the_agreed_correction_key_is_known(run, tmp_path):
    data = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    data["补正"] = {"工作日": 5}
    path = write(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    result = run("program", "check", path)
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output
    data["补正"] = {"工作日": "五天"}
    path = write(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    result = run("program", "check", path)
    assert result.exit_code == 1 and "「补正.工作日」应为整数" in result.output


def test_schema_lists_every_key_and_sub_key_in_chinese(run):
    result = run("program", "--schema")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()

    def walk(key, depth):
        for sub in key.keys.values():
            assert any(line.startswith("  " * depth + sub.name + "（") for line in lines), sub.name
            inner = sub.item if sub.item is not None else sub
            walk(inner, depth + 1)

    walk(program_schema(), 0)
    assert "补正（键值对，可不写）" in result.output
    assert "  工作日（整数，必填）" in result.output
    assert not any(word in result.output for word in ("str", "int", "number", "Usage", "Options"))


def test_every_key_of_the_sample_programme_is_in_the_schema_and_documented(tmp_path):
    """The sample is written from the schema alone: each of its keys has a meaning there."""
    data = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    schema = program_schema()

    def walk(value, key):
        if isinstance(value, dict) and key.keys:
            for name, item in value.items():
                assert name in key.keys, name
                assert key.keys[name].meaning, name
                walk(item, key.keys[name])
        elif isinstance(value, list) and key.item is not None:
            for item in value:
                walk(item, key.item)

    walk(data, schema)


def test_the_example_written_from_the_schema_is_a_working_programme(run, tmp_path):
    """A fourth programme written from the reference alone: the example passes check, and the
    notice and the task books are made from it in one try."""
    from conftest import ROSTER

    result = run("program", "--example")
    assert result.exit_code == 0
    (tmp_path / "新计划.yaml").write_text(result.output, encoding="utf-8")
    data = yaml.safe_load(result.output)
    assert set(data) == set(program_schema().keys) - {"节假日"}  # holidays only in a comment
    assert run("program", "check", "新计划.yaml").exit_code == 0
    notice = run("fill", "通知", "--program", "新计划.yaml", "--out", "通知")
    assert notice.exit_code == 0, notice.output
    books = run("check", "任务书", "--data", ROSTER, "--program", "新计划.yaml")
    assert books.exit_code == 0, books.output
