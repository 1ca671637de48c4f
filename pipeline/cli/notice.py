"""kexie notice: a 补正通知 for each applicant whose form failed 形式审查, and the office's table."""

from __future__ import annotations

import sys

import click

from ..batch import DEFAULT_WORKSPACE
from ..errors import UsageProblem
from ..filters import cn_date
from ..forms import load_form
from ..notice import make_notices
from ..notice.report import STANDINGS
from ..program import load_program
from .common import DATE, program_option, reports_errors



@click.command()
@click.argument("report", type=click.Path(dir_okay=False), metavar="形式审查.json")
@program_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="outputs/补正通知", show_default=True,
              help="输出目录（每家一份通知，另有「补正通知汇总.xlsx」）。")
@click.option("--date", "today", type=DATE, default=None, help="通知日期（如 2026-09-29），默认为今天；补正期限由此起算。")
@click.option("--file", "only", multiple=True, metavar="文件",
              help="只为报告中的这份申报材料发通知（可多次给出）。")
@click.option("--form", "form_name", default="申报书", show_default=True, help="表单名称或表单定义文件。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=str(DEFAULT_WORKSPACE), show_default=True,
              help="工作区数据库（与 kexie validate、kexie confirm 的 --db 相同）：人工确认和页面截图。")
@click.option("--pdf/--no-pdf", default=True, help="同时用 LibreOffice 转换为 PDF（默认转换）。")
@reports_errors
def notice(report, program_path, out_dir, today, only, form_name, db_path, pdf):
    """形式审查补正通知：为每个形式审查未通过的申报单位生成一份补正通知（DOCX 和 PDF）。

    通知一次性列出全部问题（页码、栏目、存在问题、填写要求）并附每处问题的页面截图；
    补正期限为通知日期之后的「补正.工作日」个工作日（计划文件中写明，默认 5 个，遇法定节假日顺延）；
    联系方式取计划文件的「联系人」。有「需人工核对」之处的单位，待用 kexie confirm 确认后才发通知，
    汇总表中列为待核对。

    \b
    示例：
      kexie notice outputs/形式审查.json --program samples/program.yaml --out outputs/补正通知
      kexie notice outputs/形式审查.json --program samples/program.yaml --date 2026-09-29 --no-pdf
    """
    if not program_path:
        raise UsageProblem("请用 --program 给出年度计划文件：补正期限和联系人写在其中")
    program = load_program(program_path)
    run = make_notices(report, program, out_dir, load_form(form_name), today=today,
                       workspace=db_path, only=list(only), pdf=pdf, program_path=program_path)
    if run.summary is None:
        click.echo(f"形式审查报告「{report}」中没有需要补正的申报材料，未生成补正通知。")
        sys.exit(1 if run.count("unreadable") else 0)
    click.echo(f"通知日期：{cn_date(run.date)}；补正截止：{cn_date(run.deadline)}（{run.days}个工作日）。")
    for item in run.items:
        if item.state in ("waiting", "failed", "unreadable"):
            click.secho(f"{STANDINGS[item.state]}：{item.file}（{item.applicant}）：{item.reason}", fg="yellow", err=True)
    click.echo(f"已发补正通知 {run.count('notify')} 份，待人工核对 {run.count('waiting')} 份，"
               f"生成失败 {run.count('failed')} 份，无法读取 {run.count('unreadable')} 份，"
               f"齐全 {run.count('complete')} 份。")
    for path in run.written:
        click.echo(f"  {path}")
    click.echo(f"汇总表：{run.summary}")
    sys.exit(1 if any(run.count(s) for s in ("waiting", "failed", "unreadable")) else 0)
