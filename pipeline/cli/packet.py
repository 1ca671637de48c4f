"""kexie packet: one review packet (PDF) and one score sheet per expert."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .. import packet as packets
from ..batch import DEFAULT_WORKSPACE
from ..forms import load_form
from ..program import load_program
from .common import DATE, Count, program_option, progress_bar, reports_errors


@click.command()
@click.argument("submissions", nargs=-1, required=True, type=click.Path(), metavar="材料...")
@click.option("--experts", "experts_path", required=True, type=click.Path(dir_okay=False),
              help="专家名单（.xlsx 等），列：姓名、单位、组别，可选「回避单位」（多个用、或；分隔）。")
@program_option
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="输出目录：其下「评审包/」是发给专家的文件（每位专家一份「组别-姓名.pdf」和评分表"
                   "「组别-姓名.xlsx」），「办公室/」是留在办公室的分配表 assignment.xlsx 和 manifest.json。")
@click.option("--blind", is_flag=True,
              help="匿名评审：去除表单定义所列的单位（连同简称、所在省市）、负责人和成员的姓名、联系方式"
                   "（页面转为图片），涂去的页面再经文字识别复核，仍能读出的材料不予打入。")
@click.option("--include-incomplete", is_flag=True,
              help="验证报告中「不齐全」和「需人工核对」的材料也纳入评审包（「无法读取」的除外）。")
@click.option("--form", "form_name", default=None,
              help="表单定义（默认：验证报告中记录的表单；给出 PDF 时为申报书）。")
@click.option("--date", "today", type=DATE, default=None,
              help="封面上的发放日期（如 2026-07-10），默认为当天。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=str(DEFAULT_WORKSPACE), show_default=True,
              help="工作区数据库：给出 PDF 时，按其中的人工确认（kexie confirm）读取字段；"
                   "本批评审包（批次编号、专家、分配、manifest.json）记在其中，供 kexie scores 核对评分表。")
@click.option("--jobs", "-j", type=Count(min=0), default=0,
              help="读取 PDF 字段、生成匿名副本的并行进程数（默认按 CPU 核数）。")
@reports_errors
def packet(submissions, experts_path, program_path, out_dir, blind, include_incomplete, form_name,
           today, db_path, jobs):
    """为每位评审专家生成评审包：「材料」为验证报告（.json，只取形式审查「齐全」的材料），
    或申报书 PDF 文件与目录（逐份读取字段，全部纳入）。

    每份材料分到一个评审组（材料写明组别的按组别，否则按页数均衡分配），由该组专家评审；
    专家本人单位或回避单位是材料所列单位（如申报单位、试点单位）的，不分发给该专家（分配表写明回避原因）。

    材料只带页面进入评审包：其中的脚本、自动执行的动作、启动程序的链接、嵌入文件和表单脚本一律去除。

    全部成功退出码为 0；有材料无法读取或无法安全打入而未纳入（逐一列出）为 1；专家名单等用法错误为 2。

    \b
    示例：
      kexie packet 验证报告.json --experts 专家.xlsx --program samples/program.yaml --out 评审
      kexie packet 收到的申报书/ --experts 专家.xlsx --program samples/program.yaml --out 匿名评审 --blind
    """
    if Path(out_dir).name == packets.PACKETS_DIR:  # the old layout's habit: the office's folder would sit inside
        click.secho(f"注意：输出目录名为「{packets.PACKETS_DIR}」，其中的「{packets.OFFICE_DIR}/」列有全部单位和专家，"
                    f"请只把「{Path(out_dir) / packets.PACKETS_DIR}」发给专家", fg="yellow", err=True)
    program = load_program(program_path) if program_path else None
    workers = jobs or (os.cpu_count() or 1)
    experts = packets.load_experts(experts_path)
    form = load_form(form_name or _reported_form(submissions) or "申报书")
    items = packets.load_submissions(submissions, form, include_incomplete=include_incomplete, workers=workers,
                                     workspace=db_path)
    with progress_bar(len(items), "准备申报材料") as bar:
        packets.prepare(items, blind=blind, workers=workers, progress=bar.update)
    plan = packets.assign(items, experts)
    with progress_bar(len(experts), "生成评审包") as bar:
        result = packets.write_packets(plan, items, out_dir, program=program or {}, blind=blind,
                                       today=today or _today(),
                                       inputs={"experts": experts_path, "program": program_path},
                                       progress=bar.update, workspace=db_path)
    for item in result.excluded:
        colour = "red" if item.failed else "yellow"
        click.secho(f"未纳入：{item.code} {item.file}：{item.reason}", fg=colour, err=True)
    for item in result.unreviewed:
        click.secho(f"无人评审：{item.code} {item.file}：「{item.group}」组的专家均须回避，"
                    "请调整组别或增补专家", fg="red", err=True)
    for error in result.errors:
        click.secho(f"失败：{error.message}", fg="red", err=True)
    reviewed = sum(1 for s in items if not s.reason)
    click.echo(f"评审包（批次 {result.run.id}）：{len(result.packets)} 位专家，纳入材料 {reviewed} 份，"
               f"未纳入 {len(result.excluded)} 份{'（匿名评审）' if blind else ''}。发给专家：{Path(out_dir) / packets.PACKETS_DIR}；"
               f"留存（勿发给专家）：{Path(out_dir) / packets.OFFICE_DIR}")
    sys.exit(0 if result.ok else 1)


def _reported_form(inputs) -> str | None:
    """The form a validation report was made for (its 「form」), when the inputs are reports."""
    import json

    for name in inputs:
        if Path(name).suffix.lower() == ".json":
            try:
                form = json.loads(Path(name).read_text(encoding="utf-8")).get("form")
            except (OSError, ValueError, AttributeError):
                return None  # load_submissions reports the file's problem in Chinese
            if isinstance(form, str):
                return form
    return None


def _today():
    import datetime

    return datetime.date.today()
