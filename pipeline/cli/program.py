"""kexie program: the programme file's reference (--schema) and a check of one file."""

from __future__ import annotations

import sys

import click

from ..program import inspect_program
from ..program_schema import describe, example_file
from .common import reports_errors


@click.group(invoke_without_command=True)
@click.option("--schema", is_flag=True, help="列出计划文件的全部键：类型、是否必填、含义和示例。")
@click.option("--example", is_flag=True, help="打印一个写全了各键的计划文件示例（可另存为 .yaml 后修改）。")
@click.pass_context
def program(ctx, schema, example):
    """年度计划文件（YAML）：查看全部键的说明，或检查一个计划文件。

    \b
    示例：
      kexie program --schema
      kexie program --example > 计划.yaml
      kexie program check samples/program.yaml
    """
    if example:
        click.echo(example_file(), nl=False)
    elif schema:
        click.echo("计划文件（YAML，键用中文）的全部键；缩进的是上一键的下级键：")
        for line in describe():
            click.echo(line)
    elif ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@program.command()
@click.argument("path", type=click.Path(dir_okay=False), metavar="计划文件")
@reports_errors
def check(path):
    """检查计划文件：一次列出全部问题，并写明应有的下级键和示例。

    没有问题时退出码为 0，发现问题为 1，文件无法读取为 2。

    \b
    示例：
      kexie program check samples/program.yaml
    """
    _program, problems = inspect_program(path)
    if not problems:
        click.echo(f"计划文件「{path}」检查通过。")
        sys.exit(0)
    click.secho(f"计划文件「{path}」有 {len(problems)} 处问题：", fg="red")
    for number, problem in enumerate(problems, 1):
        click.echo(f"  {number}. {problem}")
    click.echo("全部键的说明见 kexie program --schema。")
    sys.exit(1)
