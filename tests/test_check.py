"""kexie check: variables, the data's gaps and tags damaged by Word, before anything is written."""

from __future__ import annotations

import json

from conftest import PROGRAM, ROSTER, make_template


def test_lists_the_variables_of_the_task_book(run):
    result = run("check", "任务书", "--data", ROSTER, "--program", PROGRAM)
    assert result.exit_code == 0, result.output
    for variable in ("申报单位", "资助金额", "考核指标", "计划.发文机关", "计划.协议.名称", "计划.试点期间.开始"):
        assert f"    {variable}\n" in result.output, variable
    assert "数据（24 条记录）齐全" in result.output


def test_names_what_the_data_lacks_and_writes_nothing(run, tmp_path):
    rows = [{"申报单位": "甲科协", "项目名称": "x"}, {"申报单位": "乙科协"}]
    (tmp_path / "d.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    result = run("check", "任务书", "--data", "d.json", "--program", PROGRAM)
    assert result.exit_code == 1
    assert "数据缺少变量「资助金额」：第1条（申报单位=甲科协）、第2条（申报单位=乙科协）" in result.output
    assert "数据缺少变量「项目名称」：第2条（申报单位=乙科协）" in result.output
    assert list(tmp_path.iterdir()) == [tmp_path / "d.json"]


def test_row_loop_variables_are_reported_through_their_list(run):
    result = run("check", "申报书")
    assert result.exit_code == 0, result.output
    assert "    主要参与团队[].职务职称\n" in result.output
    assert "    申报单位负责人.办公电话\n" in result.output


def test_finds_tags_split_across_runs_and_smart_quotes(run, tmp_path):
    make_template(tmp_path / "t.docx", [
        ["申报单位：{{ 申报", "单位 }}"],                # Word split the tag after a spelling mark
        ["{{ 名称|default(“无”) }}"],                    # autocorrected quotes
        ["{", "{ 年份 }}"],                              # the opening braces themselves split
        ["项目：{{ 项目名称 }}"],                        # a clean tag
    ])
    result = run("check", "t.docx")
    assert result.exit_code == 1
    assert "正文第1段「{{ 申报单位 }}」：标签被 Word 拆分" in result.output
    assert "正文第2段「{{ 名称|default(“无”) }}」：标签中有中文弯引号" in result.output
    assert "正文第3段「{{ 年份 }}」：标签被 Word 拆分" in result.output
    assert "第4段" not in result.output


def test_a_clean_template_passes(run, tmp_path):
    make_template(tmp_path / "t.docx", ["项目：{{ 项目名称 }}", "{% for r in 行 %}{{ r.姓名 }}{% endfor %}"])
    (tmp_path / "d.yaml").write_text("项目名称: x\n行:\n  - {姓名: 甲}\n", encoding="utf-8")
    result = run("check", "t.docx", "--data", "d.yaml")
    assert result.exit_code == 0, result.output
    assert "    行[].姓名\n" in result.output and "    项目名称\n" in result.output


def test_syntax_error_is_reported(run, tmp_path):
    make_template(tmp_path / "t.docx", ["{% for r in 行 %}{{ r.姓名 }}"])
    result = run("check", "t.docx")
    assert result.exit_code == 1 and "模板语法错误" in result.output
