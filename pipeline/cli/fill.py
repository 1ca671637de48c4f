"""kexie fill: one document per record, DOCX and optionally PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import fill as filling
from ..program import load_program
from ..records import Record, load_records
from ..render import find_template
from .common import DATE, program_option, progress_bar, reports_errors

_STATUS = {"written": "新生成", "updated": "已更新", "unchanged": "未变（跳过）", "failed": "失败"}


@click.command()
@click.argument("template", metavar="模板")
@click.option("--data", "data_path", type=click.Path(dir_okay=False),
              help="数据文件：YAML、JSON、CSV 或 Excel（.xlsx，中文表头），每条记录生成一份文书。")
@program_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="输出目录（默认 outputs/模板名）。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 转换为 PDF。")
@click.option("--date", "today", type=DATE, default=None,
              help="文书中「今天」的日期（如 2026-09-25），默认为当天。")
@click.option("--name", "name_pattern", default=None,
              help="文件名模式，用{字段}引用记录中的值，如「{申报单位}-任务书」。")
@reports_errors
def fill(template, data_path, program_path, out_dir, pdf, today, name_pattern):
    """用数据填写模板（模板名如「任务书」，或 .docx 文件路径）。

    没有 --data 时，只用计划文件生成一份（如通知），或生成空白表（如申报书）。

    任务书和责任书是同一模板：用计划文件「协议.名称」写明的那个名字。
    全部成功退出码为 0；部分记录失败为 1（逐条列出原因，其余照常生成）；用法错误为 2。

    \b
    示例：
      kexie fill 任务书 --data samples/roster.xlsx --program samples/program.yaml --out outputs/任务书 --pdf
      kexie fill 通知 --program samples/program.yaml --pdf
      kexie fill 申报书 --out outputs/空白表 --pdf
    """
    spec = find_template(template)
    program = load_program(program_path) if program_path else None
    if data_path:
        records = load_records(data_path)
    else:
        records = [Record(fields={}, label="计划文件" if program else "空白表")]
    out = Path(out_dir) if out_dir else Path("outputs") / spec.name
    documents = 1 if spec.aggregate else len(records)
    steps = documents * (2 if pdf else 1)
    with progress_bar(steps, f"生成{spec.title or spec.name}") as bar:
        results = filling.fill(spec, records, out, pdf=pdf, name_pattern=name_pattern,
                               program=program, today=today,
                               progress=bar.update)
    failed = [r for r in results if r.status == "failed"]
    for result in failed:
        click.secho(f"失败：{result.error.message}", fg="red", err=True)
    # an aggregate document (汇总) leaves out the records it cannot show: those are not documents
    left_out = [r for r in failed if spec.aggregate and r.record != filling.ALL_RECORDS]
    made = [r for r in results if r not in left_out]
    counts = {s: sum(r.status == s for r in made) for s in _STATUS}
    summary = "，".join(f"{_STATUS[s]} {n} 份" for s, n in counts.items() if n)
    if left_out:
        summary += f"；{len(left_out)} 条记录未列入（原因见上）"
    click.echo(f"{spec.title or spec.name}：共 {len(made)} 份，{summary}。输出目录：{out}")
    sys.exit(1 if failed else 0)
