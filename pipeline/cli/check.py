"""kexie check: a template's variables, what the data lacks, and tags Word broke."""

from __future__ import annotations

import sys

import click

from ..check import check_template
from ..program import DERIVED_FROM, load_program, program_key_hint
from ..records import load_records
from ..render import find_template
from .common import program_option, reports_errors


@click.command()
@click.argument("template", metavar="模板")
@click.option("--data", "data_path", type=click.Path(dir_okay=False), help="要核对的数据文件。")
@program_option
@reports_errors
def check(template, data_path, program_path):
    """检查模板：列出变量，指出数据缺少的变量，找出被 Word 拆分或自动改成弯引号的标签。

    不写任何文件。没有问题时退出码为 0，发现问题为 1。

    \b
    示例：
      kexie check 任务书 --data samples/roster.xlsx --program samples/program.yaml
    """
    spec = find_template(template)
    program = load_program(program_path) if program_path else None
    records = load_records(data_path) if data_path else None
    report = check_template(spec, records, program)
    click.echo(f"模板「{spec.name}」（{spec.title}）")
    if report.syntax_error:
        click.secho(f"  {report.syntax_error}", fg="red")
    click.echo(f"  变量（{len(report.variables)} 个）：")
    for variable in report.variables:
        click.echo(f"    {variable}")
    for problem in report.tags:
        click.secho(f"  标签问题：{problem.where}「{problem.tag}」：{problem.problem}", fg="red")
    planned = sorted({v for v in report.missing if v.startswith("计划.")})
    if planned and program is None:
        click.secho(f"  模板要用计划文件中的 {len(planned)} 项（如「{planned[0]}」）：请用 --program 给出计划文件",
                    fg="red")
    shown_derived = set()
    for variable, labels in report.missing.items():
        root = variable.split(".")[0]
        if root in DERIVED_FROM and program is not None:
            if root not in shown_derived:
                shown_derived.add(root)
                source = DERIVED_FROM[root]
                click.secho(f"  计划文件缺少「{source}」（模板中的「{root}」由它算出）：{program_key_hint(source)}",
                            fg="red")
        elif variable.startswith("计划."):
            if program is not None:
                click.secho(f"  计划文件缺少「{variable[3:]}」：{program_key_hint(variable[3:])}", fg="red")
        else:
            click.secho(f"  数据缺少变量「{variable}」：{_shown(labels)}", fg="red")
    for variable, labels in report.blank.items():
        if variable.startswith("计划."):
            click.secho(f"  计划文件中「{variable[3:]}」为空（文书中不能留空白）", fg="red")
        else:
            click.secho(f"  数据中「{variable}」为空（文书中不能留空白）：{_shown(labels)}", fg="red")
    for label, reason in report.failures:
        click.secho(f"  记录「{label}」无法生成：{reason}", fg="red")
    if records is not None and report.ok:
        click.echo(f"  数据（{len(records)} 条记录）齐全。")
    click.echo("检查通过。" if report.ok else "发现问题，请修改后再生成。")
    sys.exit(0 if report.ok else 1)


def _shown(labels: list[str]) -> str:
    return "、".join(labels[:5]) + (f" 等 {len(labels)} 条" if len(labels) > 5 else "")
