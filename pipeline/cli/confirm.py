"""kexie confirm: a person's decision about a field or a mark the reader could not tell."""

from __future__ import annotations

import json

import click

from ..batch import DEFAULT_WORKSPACE
from ..decisions import confirm as record
from ..forms import load_form
from .common import reports_errors


@click.command()
@click.argument("file", type=click.Path(), metavar="文件")
@click.argument("assignments", nargs=-1, required=True, metavar="字段=值...")
@click.option("--by", "by", required=True, help="确认人姓名（记入工作区）。")
@click.option("--note", default="", help="说明，如「已电话核实，原件盖有公章」。")
@click.option("--form", "form_name", default="申报书", show_default=True, help="表单名称或表单定义文件。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=str(DEFAULT_WORKSPACE), show_default=True,
              help="工作区数据库（与 kexie validate 的 --db 相同）。")
@reports_errors
def confirm(file, assignments, by, note, form_name, db_path):
    """人工确认：记录对某份文件中某一字段或公章、签章的判断（读表结果「需人工核对」或读错时）。

    记录确认人、时间、说明和读表原来的结果；之后的形式审查报告和评审包以人工确认为准，
    报告中标为「人工确认」。文件内容改变（重新提交）后，原确认不再适用。
    公章、签章写「有」或「无」；其他字段写正确的值；行表写「表名[行号].列=值」（行号从 0 起）。

    \b
    示例：
      kexie confirm 回收/吉林省科学技术协会.pdf 申报单位意见.公章=有 --by 张敏 --note 黑白扫描，已见原件
      kexie confirm 回收/某单位.pdf 试点单位负责人.手机=13805711234 --by 张敏
    """
    form = load_form(form_name)
    for decision in record(file, list(assignments), form, by=by, note=note, workspace=db_path):
        shown = {True: "有", False: "无"}.get(decision.value, decision.value) if isinstance(decision.value, bool) \
            else decision.value
        said = decision.reader
        if isinstance(said, dict):
            present = said.get("present")
            said = {True: "有", False: "无", None: "需人工核对"}[present] + (f"（{said['reason']}）" if said.get("reason") else "")
        click.echo(f"已记录：{file}「{decision.key}」= {shown or '（空）'}；读表结果：{json.dumps(said, ensure_ascii=False) if not isinstance(said, str) else said}；"
                   f"确认人：{decision.by}，{decision.at}")
