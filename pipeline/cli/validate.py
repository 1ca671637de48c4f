"""kexie validate: bulk 形式审查 of returned forms, with reports staff act on."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..batch import DEFAULT_WORKSPACE
from ..errors import UsageProblem
from ..files import check_not_input, collect_pdfs
from ..forms import load_form
from ..program import load_program
from ..report.validation import SUFFIXES, terminal_summary, write_reports
from ..validate import validate_files
from .common import DATE, Count, program_option, progress_bar, reports_errors


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(), metavar="输入...")
@click.option("--form", "form_name", default="申报书", show_default=True, help="表单名称或表单定义文件。")
@program_option
@click.option("--report", "reports", multiple=True, type=click.Path(dir_okay=False),
              help="报告文件，可给多个；扩展名决定格式：.xlsx、.html、.json。")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="没有 --report 时输出到终端的格式。")
@click.option("--jobs", type=Count(1, 64), default=None, help="并行进程数（默认为 CPU 核数）。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=str(DEFAULT_WORKSPACE), show_default=True,
              help="工作区数据库：记住已读过的文件和人工确认，重跑只处理新的或改过的文件。")
@click.option("--date", "received", type=DATE, default=None,
              help="收到日期（如 2026-10-09），默认为今天：首次见到的文件记为此日收到，与补正期限比较。")
@reports_errors
def validate(inputs, form_name, program_path, reports, fmt, jobs, db_path, received):
    """形式审查：检查交回的表（PDF）是否填写完整、签章齐全、格式正确（输入为文件或目录）。

    规则见表单定义（所有空表均需填写，如无内容请填“/”；意见栏须签章、盖章、写日期；手机、邮编、
    电话、日期格式；省级试点不填试点单位意见）和计划文件（试点期间、周期、截止日期）。读表时无法
    判断的（如黑白扫描件上的公章）标为「需人工核对」，并附页面截图。
    同一申报单位再次交来的材料（补正后重新提交）与此前的提交和补正通知关联：报告列出每家的补正记录，
    后交的取代先交的（只有后交的进入评审包），补正期限之后收到的标为「逾期补正」。
    全部齐全退出码为 0；有不齐全、需人工核对、无法读取或逾期补正的为 1；用法错误为 2；程序内部错误为 3。

    \b
    示例：
      kexie validate 回收/ --program samples/program.yaml --report outputs/形式审查.xlsx --report outputs/形式审查.html
      kexie validate 中期报告/ --form 中期报告 --program samples/program.yaml --report outputs/中期.xlsx
    """
    for target in reports:
        if Path(target).suffix.lower() not in SUFFIXES:
            raise UsageProblem(f"报告「{target}」的扩展名应为 .xlsx、.html 或 .json")
    missing = [p for p in inputs if not Path(p).exists()]
    if missing:
        raise UsageProblem(f"找不到输入：{'、'.join(missing)}")
    form = load_form(form_name)
    program = load_program(program_path) if program_path else None
    paths = collect_pdfs(inputs)
    if not paths:
        raise UsageProblem("输入中没有 PDF 文件")
    for target in reports:
        check_not_input(target, paths, "要审查的文件")
    with progress_bar(len(paths), "形式审查") as bar:
        report = validate_files(paths, form, program, workspace=db_path, jobs=jobs, progress=bar.update,
                                received=received)
    if reports:
        write_reports(report, list(reports), form, title=f"{form.title or form.name}形式审查结果", workspace=db_path)
        click.echo(terminal_summary(report).splitlines()[-1] + "报告：" + "、".join(reports), err=True)
    elif fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(terminal_summary(report))
    late = [h for h in report["history"] if h["late"]]
    for story in late:
        click.secho(f"逾期补正：{story['applicant']}（{story['latest']['file']}），请核对后决定是否受理", fg="yellow", err=True)
    internal = any((f.get("error") or {}).get("kind") == "internal" for f in report["files"])
    # a form its applicant replaced by a later one needs no one's attention (pipeline.validate.history)
    settled = sum(f["status"] == "complete" or bool(f.get("superseded_by")) for f in report["files"])
    sys.exit(3 if internal else 0 if settled == len(paths) and not late else 1)
