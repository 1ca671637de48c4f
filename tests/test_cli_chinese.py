"""The CLI speaks Chinese: every command's help, and Click's own usage errors, with no English word
but names the user types or reads in files (commands, options, formats, file names, status values)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pipeline.cli import main

#: words a user types or finds in kexie's files: commands, format names, products, status values
ALLOWED = {
    "kexie", "fill", "check", "extract", "validate", "confirm", "scores", "announce", "workdays", "packet", "notice", "program",
    "PDF", "pdf", "DOCX", "docx", "YAML", "yaml", "JSON", "json", "CSV", "csv", "xlsx", "Excel", "html",
    "Word", "LibreOffice", "CPU", "chinesecalendar", "table", "complete", "incomplete", "error", "review",
    "results", "manifest", "assignment",
}


def english_words(text: str) -> set[str]:
    text = re.sub(r"'[^']*'", " ", text)  # what the user typed, quoted back
    text = re.sub(r"(?<![A-Za-z])--?[a-z][a-z-]*", " ", text)  # options
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths
    text = re.sub(r"\.[a-z]{2,5}\b", " ", text)  # extensions
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED}


COMMANDS = [[]] + [[name] for name in sorted(main.commands)]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if c else "kexie")
def test_help_is_chinese(command):
    result = CliRunner().invoke(main, command + ["--help"], prog_name="kexie")
    assert result.exit_code == 0
    assert "用法：" in result.output and "选项：" in result.output
    assert not english_words(result.output), (english_words(result.output), result.output)


@pytest.mark.parametrize("args, says", [
    (["bogus"], "没有命令"),
    (["extract"], "缺少参数"),
    (["extract", "--bogus", "x.pdf"], "没有选项"),
    (["extract", "x.pdf", "--jobs", "many"], "不是有效的整数"),
    (["workdays", "2026-13-45", "3"], "不符合格式"),
    (["extract", "x.pdf", "--format", "doc"], "不是以下之一"),
    (["extract", "x.pdf", "--out"], "需要一个值"),
])
def test_usage_errors_are_chinese_and_exit_2(args, says):
    result = CliRunner().invoke(main, args, prog_name="kexie")
    assert result.exit_code == 2, result.output
    assert says in result.output and "错误：" in result.output
    assert not english_words(result.output), result.output


def test_the_installed_command_speaks_chinese_too():
    """The console script goes through the same start-up as the library's ``main``."""
    run = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--bogus"], capture_output=True, text=True)
    assert run.returncode == 2
    assert "没有选项" in run.stderr and "Usage" not in run.stderr
