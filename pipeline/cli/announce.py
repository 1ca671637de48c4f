"""kexie announce: the 公示 of the funded projects, DOCX and PDF, with its 公示期."""

from __future__ import annotations

import sys

import click

from ..announce import announce as make_announcement
from ..errors import UsageProblem
from ..filters import cn_date
from ..program import load_program
from .common import DATE, program_option, reports_errors


@click.command()
@click.argument("results", type=click.Path(dir_okay=False), metavar="结果文件")
@program_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="outputs/公示", show_default=True,
              help="输出目录。")
@click.option("--start", type=DATE, default=None,
              help="公示开始日期（如 2026-09-28，当天计入），默认为计划文件的「公示.开始」。")
@click.option("--date", "today", type=DATE, default=None, help="落款日期（公示的发布日期，不晚于公示开始），默认为计划文件的「公示.发布」，没有时为公示开始日期。")
@click.option("--pdf/--no-pdf", default=True, help="同时用 LibreOffice 转换为 PDF（默认转换）。")
@reports_errors
def announce(results, program_path, out_dir, start, today, pdf):
    """生成资助项目的公示（DOCX 和 PDF）：读结果文件（kexie scores 的输出）的「名单」表。

    公示期按计划文件的「公示.天数」和「公示.计日」（工作日或自然日）计算，开始当天计入，
    遇法定节假日顺延；计划年份的放假安排未知时报错，可在计划文件的「节假日」中补写。

    \b
    示例：
      kexie announce results.xlsx --program samples/program.yaml --out outputs/公示
      kexie announce results.xlsx --program samples/program.yaml --start 2026-09-28 --no-pdf
    """
    if not program_path:
        raise UsageProblem("请用 --program 给出年度计划文件：公示天数和计日方式写在其中")
    program = load_program(program_path)
    made = make_announcement(results, program, out_dir, start=start, pdf=pdf,
                             today=today)
    failed = [r for r in made.results if r.status == "failed"]
    for result in failed:
        click.secho(f"失败：{result.error.message}", fg="red", err=True)
    notice = program["公示"]
    click.echo(f"公示期：{cn_date(made.start)}至{cn_date(made.end)}（{notice['天数']}个{notice['计日']}），"
               f"资助项目 {made.projects} 个" + (f"（{len(failed)} 条记录未列入，原因见上）。" if failed else "。"))
    for result in made.results:
        for path in (result.docx, result.pdf):
            if path is not None:
                click.echo(f"  {path}")
    sys.exit(1 if failed else 0)
