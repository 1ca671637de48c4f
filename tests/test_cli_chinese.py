"""The CLI speaks Chinese: every command's help, and Click's own usage errors, with no English word
but names the user types or reads in files (commands, options, formats, file names, status values)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import make_template

from pipeline.cli import main

#: words a user types or finds in kexie's files: commands, format names, products, --format values.
#: Status words (complete, incomplete, review, error) are JSON data, never words of a sentence.
ALLOWED = {
    "kexie", "fill", "check", "extract", "validate", "confirm", "scores", "announce", "workdays", "packet", "notice", "program", "record", "status",
    "PDF", "DOCX", "YAML", "JSON", "CSV", "Excel", "HTML", "Word", "LibreOffice", "CPU", "chinesecalendar",
    "table", "json", "csv", "xlsx", "html",  # values of --format
}
_FILE = r"[\w.\-/\\*]*\.(?:json|xlsx|xls|pdf|docx|yaml|yml|csv|html|htm|sqlite|txt)\b"


def english_words(text: str, typed=()) -> set[str]:
    """ASCII words of three or more letters in ``text`` that are none of: what the user typed
    (``typed``, quoted back), an option, a path or file name, a word of :data:`ALLOWED`."""
    for word in sorted(map(str, typed), key=len, reverse=True):
        text = text.replace(word, " ")
    text = re.sub(r"(?<![A-Za-z])--?[a-z][a-z-]*", " ", text)  # options
    text = re.sub(_FILE, " ", text)  # file names
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED}


COMMANDS = [[]] + [[name] for name in sorted(main.commands)]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if c else "kexie")
def test_help_is_chinese(command):
    result = CliRunner().invoke(main, command + ["--help"], prog_name="kexie")
    assert result.exit_code == 0
    assert "用法：" in result.output and "选项：" in result.output
    assert not english_words(result.output), (english_words(result.output), result.output)
    assert not re.search(r"\bx\s*[<>]=|%[YmdHMS]", result.output), result.output  # 「[x>=0]」「[%Y-%m-%d]」


@pytest.mark.parametrize("args, says", [
    (["bogus"], "没有命令"),
    (["extract"], "缺少参数"),
    (["extract", "--bogus", "x.pdf"], "没有选项"),
    (["extract", "x.pdf", "--jobs", "many"], "不是有效的整数"),
    (["workdays", "2026-13-45", "3"], "日期不存在"),
    (["extract", "x.pdf", "--format", "doc"], "不是以下之一"),
    (["extract", "x.pdf", "--out"], "需要一个值"),
])
def test_usage_errors_are_chinese_and_exit_2(args, says):
    result = CliRunner().invoke(main, args, prog_name="kexie")
    assert result.exit_code == 2, result.output
    assert says in result.output and "错误：" in result.output
    assert not english_words(result.output, typed=args), result.output


def hostile_files(folder: Path) -> dict[str, Path]:
    """Files a user might hand kexie by mistake, made here: each should draw a Chinese reason."""
    files = {
        "not_json": folder / "形式审查.json",
        "not_xlsx": folder / "专家.xlsx",
        "bad_yaml": folder / "计划.yaml",
        "not_pdf": folder / "申报书.pdf",
        "bad_template": folder / "模板.docx",
    }
    files["not_json"].write_text("{这不是 JSON", encoding="utf-8")
    files["not_xlsx"].write_bytes(b"PK\x03\x04 not really a workbook")
    files["bad_yaml"].write_bytes("名称: [未闭合\n".encode("utf-8"))
    files["not_pdf"].write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj trailer <<>>\n%%EOF")
    make_template(files["bad_template"], [["{{ 申报单位 }"], ["{% if 试点单位 %}没有结束"]])
    files["day_template"] = folder / "落款.docx"
    make_template(files["day_template"], [["{{ 申报单位 }}"], ["{{ 签订日期|cn_date }}"]])
    files["share_template"] = folder / "分摊.docx"
    make_template(files["share_template"], [["{{ 申报单位 }}每份{{ 金额 / 份数 }}元"]])
    files["zero_shares"] = folder / "分摊数据.yaml"
    files["zero_shares"].write_text("- 申报单位: 甲科协\n  金额: 100\n  份数: 0\n", encoding="utf-8")
    files["prying_template"] = folder / "窥探.docx"
    make_template(files["prying_template"], [["{{ 申报单位.__class__.__mro__ }}"]])
    files["bad_json_data"] = folder / "名单.json"
    files["bad_json_data"].write_text('[{"申报单位": 甲}]', encoding="utf-8")
    files["experts"] = folder / "专家名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "单位", "组别"])
    book.active.append(["王五", "清华大学", "第一组"])
    book.save(files["experts"])
    files["bad_day"] = folder / "名单.yaml"
    files["bad_day"].write_text("- 申报单位: 甲科协\n  签订日期: 2026-02-30\n", encoding="utf-8")
    return files


#: what the hostile files themselves hold, which a message may quote back
QUOTED_FROM_FILES = ("__class__", "__mro__")

#: (arguments, a Chinese phrase the answer must hold); {name} is a file of :func:`hostile_files`
BAD_INVOCATIONS = [
    (["workdays", "2026-02-30", "3"], "日期不存在"),
    (["workdays", "2026年6月31日", "3"], "日期不存在"),
    (["workdays", "2026-13-45", "3"], "日期不存在"),
    (["workdays", "明天", "3"], "不是日期"),
    (["workdays", "2026-09-28", "0"], "正整数"),
    (["packet"], "缺少参数"),
    (["packet", "{not_json}"], "缺少选项"),
    (["packet", "{not_json}", "--experts", "{not_xlsx}", "--out", "o", "--date", "2026-06-31"], "日期不存在"),
    (["packet", "{not_json}", "--experts", "{not_xlsx}", "--out", "o"], "专家"),
    (["packet", "{not_json}", "--experts", "{not_xlsx}", "--out", "o", "--jobs", "-1"], "取值无效"),
    (["fill", "任务书", "--date", "2026-02-30"], "日期不存在"),
    (["fill", "没有这个模板"], "找不到模板"),
    (["fill", "{bad_template}", "--name", "甲"], "模板语法错误"),
    (["check", "{bad_template}"], "模板语法错误"),
    (["fill", "任务书", "--data", "{not_xlsx}"], "Excel"),
    (["fill", "任务书", "--data", "{bad_yaml}"], "方括号"),
    (["fill", "任务书", "--data", "{bad_json_data}"], "JSON 格式错误"),
    (["packet", "{not_json}", "--experts", "{experts}", "--out", "o"], "不是有效的 JSON"),
    (["fill", "{day_template}", "--data", "{bad_day}", "--name", "{{申报单位}}"], "日期不存在"),
    (["fill", "{prying_template}", "--data", "{bad_day}", "--name", "{{申报单位}}"], "不允许的内部属性"),
    (["fill", "{share_template}", "--data", "{zero_shares}", "--name", "{{申报单位}}"], "除数为零"),
    (["fill", "通知", "--program", "{bad_yaml}"], "计划"),
    (["announce", "{not_xlsx}", "--start", "2026-06-31"], "日期不存在"),
    (["announce", "{not_xlsx}"], "--program"),
    (["validate", "{not_pdf}", "--report", "r.txt"], "扩展名"),
    (["validate", "没有的文件.pdf"], "找不到"),
    (["extract", "{not_pdf}", "--out", "读出.json"], "PDF 结构损坏"),
    (["scores", "{not_xlsx}"], "--program"),
    (["confirm"], "缺少参数"),
    (["confirm", "{not_pdf}", "bogus", "--by", "张敏", "--db", "k.sqlite"], "应写作「字段=值」"),
    (["confirm", "{not_pdf}", "申报单位意见.公章=也许", "--by", "张敏", "--db", "k.sqlite"], "应写「有」或「无」"),
    (["extract", "x.pdf", "--format"], "需要一个值"),
    (["validate", "x.pdf", "--format", "doc"], "不是以下之一"),
    (["validate", "x.pdf", "--jobs", "99"], "超出范围（1至64）"),
]


@pytest.mark.parametrize("args, says", BAD_INVOCATIONS, ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_bad_invocations_answer_in_chinese(args, says, tmp_path, monkeypatch):
    """Every command, given a wrong value or a wrong file, says what is wrong in Chinese: no word
    of Click, Jinja, Python or a library's exception text reaches the user (issue 13 part 6)."""
    monkeypatch.chdir(tmp_path)
    files = hostile_files(tmp_path)
    args = [a.format(**files) if a.startswith("{") else a for a in args]
    result = CliRunner().invoke(main, args, prog_name="kexie")
    assert result.exit_code in (1, 2), result.output
    assert says in result.output, result.output
    assert not english_words(result.output, typed=[*args, *QUOTED_FROM_FILES]), result.output


def test_the_installed_command_speaks_chinese_too():
    """The console script goes through the same start-up as the library's ``main``."""
    run = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--bogus"], capture_output=True, text=True)
    assert run.returncode == 2
    assert "没有选项" in run.stderr and "Usage" not in run.stderr


def test_the_extract_table_words_status_source_and_error_in_chinese(tmp_path, monkeypatch):
    """The CSV a clerk opens in Excel says 已读出/无法读取, 文字层, 文件损坏或无法解析 — not ok, text,
    unreadable (those stay in the JSON, as its documented data)."""
    from conftest import SAMPLES

    monkeypatch.chdir(tmp_path)
    files = hostile_files(tmp_path)
    good = tmp_path / "江苏省科学技术协会.pdf"
    good.write_bytes((SAMPLES / "returned" / good.name).read_bytes())
    result = CliRunner().invoke(main, ["extract", str(good), str(files["not_pdf"]), "--format", "csv", "--out", "表.csv"])
    assert result.exit_code == 1, result.output
    rows = list(csv.reader(io.StringIO((tmp_path / "表.csv").read_text(encoding="utf-8-sig"))))
    table = {Path(row[0]).name: dict(zip(rows[0], row)) for row in rows[1:]}
    assert [table[good.name][k] for k in ("状态", "来源", "错误类型")] == ["已读出", "文字层", ""]
    assert [table["申报书.pdf"][k] for k in ("状态", "错误类型")] == ["无法读取", "文件损坏或无法解析"]
    for row in rows[1:]:
        assert not english_words(" ".join(row[1:6])), row[:6]
