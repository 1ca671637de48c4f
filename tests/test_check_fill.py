"""kexie check TEMPLATE --program P reports what fill will need: a check passed is a fill that
renders, a check failed names what fill would stop on (issue 13: 益阳's 通知 failed in fill on
「发文机关标志」 after check had said 检查通过)."""

from __future__ import annotations

import copy

import pytest
import yaml

from conftest import PROGRAM, ROSTER

from pipeline.program_schema import program_schema

SAMPLE = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
OPTIONAL = [name for name, key in program_schema().keys.items() if not key.required and name in SAMPLE]
#: (template, its data): the notice from the programme alone, the others from the roster
TEMPLATES = [("通知", None), ("任务书", ROSTER), ("公示", ROSTER)]


@pytest.fixture(scope="module")
def one_row(tmp_path_factory):
    """The roster cut to its first unit: what a programme key does to a record it does to each, and
    the check ⇔ fill cases below render every record twice."""
    import openpyxl

    book = openpyxl.load_workbook(ROSTER)
    for sheet in book.worksheets:
        if sheet.max_row > 2:
            sheet.delete_rows(3, sheet.max_row - 2)
    path = tmp_path_factory.mktemp("roster") / "名单.xlsx"
    book.save(path)
    return path


def write(tmp_path, program: dict):
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    return path


def check_and_fill(run, template, data, program):
    extra = ("--data", data) if data else ()
    checked = run("check", template, *extra, "--program", program)
    filled = run("fill", template, *extra, "--program", program, "--out", f"out-{template}", "--date", "2026-09-25")
    return checked, filled


def test_yiyang_notice_without_an_issuer_mark_fails_in_check_as_in_fill(run, tmp_path):
    program = copy.deepcopy(SAMPLE)
    del program["发文机关标志"]
    checked, filled = check_and_fill(run, "通知", None, write(tmp_path, program))
    assert checked.exit_code == 1, checked.output
    assert "计划文件缺少「发文机关标志」" in checked.output and "发文机关标志: 中国科协部门发文" in checked.output
    assert "检查通过" not in checked.output
    assert filled.exit_code == 1 and "计划文件缺少「发文机关标志」" in filled.output


@pytest.mark.parametrize("template,data", TEMPLATES, ids=[t for t, _d in TEMPLATES])
@pytest.mark.parametrize("key", OPTIONAL)
def test_check_agrees_with_fill_when_an_optional_key_is_left_out(run, tmp_path, template, data, key, one_row):
    data = one_row if data else None
    program = copy.deepcopy(SAMPLE)
    del program[key]
    checked, filled = check_and_fill(run, template, data, write(tmp_path, program))
    assert checked.exit_code in (0, 1) and filled.exit_code in (0, 1), (checked.output, filled.output)
    assert (checked.exit_code == 0) == (filled.exit_code == 0), (checked.output, filled.output)


@pytest.mark.parametrize("template,data", TEMPLATES, ids=[t for t, _d in TEMPLATES])
@pytest.mark.parametrize("key", ["名称", "发文机关", "标题", "主送", "正文", "申报方式"])
def test_check_agrees_with_fill_when_a_text_is_blank(run, tmp_path, template, data, key, one_row):
    data = one_row if data else None
    program = copy.deepcopy(SAMPLE)
    program[key] = " "
    checked, filled = check_and_fill(run, template, data, write(tmp_path, program))
    assert (checked.exit_code == 0) == (filled.exit_code == 0), (checked.output, filled.output)
    if checked.exit_code:
        assert f"计划文件中「{key}」为空" in checked.output and "为空" in filled.output


def test_the_sample_programme_passes_check_and_fills(run, tmp_path):
    for template, data in TEMPLATES:
        checked, filled = check_and_fill(run, template, data, PROGRAM)
        assert checked.exit_code == 0 and "检查通过" in checked.output, checked.output
        assert filled.exit_code == 0, filled.output


def test_names_the_template_makes_itself_are_not_asked_of_the_data(run, tmp_path):
    """range(), a macro and its parameter, {% set %}, |default: check and fill both pass."""
    from conftest import make_template

    make_template(tmp_path / "t.docx", [
        "{% macro 行(n) %}第{{ n }}项{% endmacro %}{% set 合计 = 2 %}",
        "{% for i in range(合计) %}{{ 行(i) }}{% endfor %}",
        "{{ 备注|default('无') }}：{{ 单位 }}",
    ])
    (tmp_path / "d.yaml").write_text("- {单位: 甲}\n", encoding="utf-8")
    checked = run("check", "t.docx", "--data", "d.yaml")
    filled = run("fill", "t.docx", "--data", "d.yaml", "--out", "out")
    assert checked.exit_code == 0, checked.output
    assert filled.exit_code == 0, filled.output
    for name in ("range", "行", "合计", "n\n"):
        assert f"    {name}" not in checked.output, name


def test_announcement_checked_against_the_programme_alone_names_the_start_of_the_period(run, tmp_path):
    program = copy.deepcopy(SAMPLE)
    del program["公示"]["开始"]
    path = write(tmp_path, program)
    checked = run("check", "公示", "--program", path)
    assert checked.exit_code == 1, checked.output
    assert "计划文件缺少「公示.开始」（模板中的「公示期」由它算出）" in checked.output
    filled = run("fill", "公示", "--data", ROSTER, "--program", path, "--out", "out")
    assert filled.exit_code == 1 and "计划文件缺少「公示.开始」" in filled.output
    assert run("check", "公示", "--program", PROGRAM).exit_code == 0
