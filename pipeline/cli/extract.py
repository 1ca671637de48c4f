"""kexie extract: read returned forms back into their fields, as JSON, CSV or XLSX."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import click

from ..errors import UsageProblem
from ..extract import extract_files
from ..files import check_not_input, collect_pdfs
from ..forms import load_form
from ..report.extraction import FORMATS, write_report
from .common import Count, progress_bar, reports_errors


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="文件或目录...")
@click.option("--form", "form_name", default="申报书", show_default=True,
              help="表单定义名（pipeline/forms/ 下的 YAML），或表单定义文件路径。")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="输出格式：json（完整结果），csv 或 xlsx（每份文件一行）。")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="输出文件（默认 JSON/CSV 写到标准输出；xlsx 必须指定）。")
@click.option("--jobs", "-j", type=Count(min=0), default=0,
              help="并行进程数（默认按 CPU 核数，少于 4 份文件时不并行）。")
@reports_errors
def extract(paths, form_name, fmt, out_path, jobs):
    """读回填好的表单（PDF 文件或目录，目录取其中全部 *.pdf），输出各字段、公章和签章。

    整批总会处理完：无法读取、加密或不是本表的文件各记一条错误（读取失败），其余照常读出。
    全部成功退出码为 0；有文件失败为 1；用法错误为 2；程序内部错误（已记入日志）为 3。

    \b
    示例：
      kexie extract 收到的申报书/ --form 申报书 --out 申报书.json
      kexie extract 收到的申报书/ --format xlsx --out 申报书汇总.xlsx
    """
    if fmt == "xlsx" and not out_path:
        raise UsageProblem("xlsx 格式须用 --out 指定输出文件")
    form = load_form(form_name)
    files = collect_pdfs(paths)
    check_not_input(out_path, files, "要读取的文件")
    if not jobs:
        jobs = (os.cpu_count() or 1) if len(files) >= 4 else 1
    with progress_bar(len(files), f"读取{form.name}") as bar:
        entries = extract_files(files, form, workers=jobs, progress=bar.update)
    if out_path:
        write_report(entries, form, fmt, Path(out_path))
    else:
        buffer = io.StringIO()
        write_report(entries, form, fmt, buffer)
        click.echo(buffer.getvalue(), nl=False)
    failed = [e for e in entries if e["status"] != "ok"]
    for entry in failed:
        click.secho(f"失败：{entry['error']['message']}", fg="red", err=True)
    click.echo(f"{form.name}：共 {len(entries)} 份，读出 {len(entries) - len(failed)} 份，"
               f"失败 {len(failed)} 份。" + (f"结果：{out_path}" if out_path else ""), err=True)
    internal = any(e["error"]["kind"] == "internal" for e in failed)
    sys.exit(3 if internal else 1 if failed else 0)
