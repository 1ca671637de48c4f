"""kexie validate: bulk 形式审查 of returned 申报书 PDFs, with reports staff act on."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ..batch import DEFAULT_WORKSPACE, Workspace, extract_all
from ..files import collect_pdfs
from ..errors import UsageProblem
from ..forms import load_form
from ..program import load_program
from ..report.validation import terminal_summary, write_reports
from ..validate import finish, verdict_for
from .common import progress_bar, program_option, reports_errors

REPORT_SUFFIXES = (".xlsx", ".html", ".htm", ".json")


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--form", "form_name", default="申报书", show_default=True, help="表单名称或表单定义文件。")
@program_option
@click.option("--report", "reports", multiple=True, type=click.Path(dir_okay=False),
              help="报告文件，可给多个；扩展名决定格式：.xlsx、.html、.json。")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="没有 --report 时输出到终端的格式。")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="并行进程数（默认为 CPU 核数）。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=str(DEFAULT_WORKSPACE), show_default=True,
              help="工作区数据库：记住已读过的文件，重跑只处理新的或改过的文件。")
@reports_errors
def validate(inputs, form_name, program_path, reports, fmt, jobs, db_path):
    """形式审查：检查交回的申报书 PDF 是否填写完整、签章齐全、格式正确（INPUTS 为文件或目录）。

    规则见表单定义（所有空表均需填写，如无内容请填“/”；意见栏须签章、盖章、写日期；手机、邮编、
    电话、日期格式；省级试点不填试点单位意见）和计划文件（试点期间、周期、截止日期）。
    全部齐全退出码为 0；有不齐全或无法读取的为 1；用法错误为 2。

    \b
    示例：
      kexie validate 回收/ --program samples/program.yaml --report outputs/形式审查.xlsx --report outputs/形式审查.html
    """
    for target in reports:
        if Path(target).suffix.lower() not in REPORT_SUFFIXES:
            raise UsageProblem(f"报告「{target}」的扩展名应为 .xlsx、.html 或 .json")
    missing = [p for p in inputs if not Path(p).exists()]
    if missing:
        raise UsageProblem(f"找不到输入：{'、'.join(missing)}")
    form = load_form(form_name)
    program = load_program(program_path) if program_path else None
    paths = collect_pdfs(inputs)
    if not paths:
        raise UsageProblem("输入中没有 PDF 文件")
    workspace = Workspace(db_path)
    try:
        with progress_bar(len(paths), "形式审查") as bar:
            results = extract_all(paths, form, workspace, jobs=jobs or os.cpu_count(), progress=bar.update)
    finally:
        workspace.close()
    report = finish([verdict_for(entry, form, program, digest) for entry, digest in results], form)
    if reports:
        write_reports(report, list(reports))
        click.echo(terminal_summary(report).splitlines()[-1] + "报告：" + "、".join(reports), err=True)
    elif fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(terminal_summary(report))
    sys.exit(0 if report["summary"]["complete"] == len(paths) else 1)
