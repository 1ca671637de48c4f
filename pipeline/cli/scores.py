"""kexie scores: returned expert score sheets → ranking, grades, funding → results.xlsx."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..batch import DEFAULT_WORKSPACE
from ..errors import ProgramFileError, UsageProblem
from ..files import check_not_input, is_ours
from ..program import load_program
from ..report.results import write_results
from ..scores import load_roster, score
from .common import program_option, reports_errors


def _expand(paths, out: Path) -> list[Path]:
    """Files as given; a folder stands for the .xlsx files in it (not Excel's ~$ lock files, nor
    the results file of an earlier run that kexie wrote there); ``--out`` may not be a sheet."""
    found = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(p for p in sorted(path.glob("*.xlsx")) if not p.name.startswith(("~$", "."))
                         and not (p.resolve() == out.resolve() and is_ours(p)))
        else:
            found.append(path)
    if not found:
        raise UsageProblem("没有找到任何评分表（.xlsx）")
    check_not_input(out, found, "评分表")
    return found


@click.command()
@click.argument("sheets", nargs=-1, required=True, type=click.Path(), metavar="评分表...")
@program_option
@click.option("--roster", "roster_path", type=click.Path(dir_okay=False), default=None,
              help="申报名单（如 samples/roster.xlsx，按「申报单位」对应）：负责人、手机、项目目标、考核指标等列"
                   "随之带入结果，供填写公示和任务书；定额、范围资助的金额取「拟资助金额」列，没有时取「资助金额」列；"
                   "因素法的「经费.因素」从名单的列取值。")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default="results.xlsx", show_default=True,
              help="结果文件（.xlsx）：「结果」「名单」（仅资助项目）「明细」三张表。")
@click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False), default=None,
              help="该批评审包的 manifest.json（kexie packet 写出）：按其中的专家和分配核对评分表；"
                   "不给出时，按评分表中的评审批次编号在工作区中查找。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=str(DEFAULT_WORKSPACE), show_default=True,
              help="工作区数据库：kexie packet 在其中记下每批评审包的专家、分配和 manifest.json。")
@reports_errors
def scores(sheets, program_path, roster_path, out_path, manifest_path, db_path):
    """汇总专家评分表（.xlsx 文件，或存放评分表的目录）：加权总分、平均分、排名、等级、分歧和资助金额。

    只计入该批评审包（kexie packet）发给专家名单中专家、黄色单元格以外未经改动的评分表，且只计入分配给该专家的项目；
    其他批次的评分表、名单外的专家、被改动的评分表，以及回避、他组或无人申报的项目行，均不计入并逐条列出；
    分配给的专家未交或未计入评分表的项目也逐一列出。

    规则取自计划文件的「评审标准」「评审规则」「经费」：计划写明「评审规则.等级」时才评定等级；资助方式为定额、
    范围（金额取名单，须在下限至上限之间）或因素法（按得分占比分配，不超过「经费.上限」：超出时按「经费.超出上限」
    封顶再分配，或拒绝分配并列出原因）。缺分或超出范围的分数逐条列出（专家、项目、评审标准），
    只有该专家对该项目的总分不计入，其余照常汇总。结果文件的「名单」表只含资助项目，
    可直接用于 kexie fill 公示 / 任务书 和 kexie announce。

    全部正常退出码为 0；有评分问题或缺评为 1（结果仍写出）；用法错误为 2。

    \b
    示例：
      kexie scores 评分表/ --program samples/program.yaml --roster samples/roster.xlsx --out results.xlsx
      kexie fill 任务书 --data results.xlsx --program samples/program.yaml --out outputs/任务书
    """
    if not program_path:
        raise UsageProblem("请用 --program 给出年度计划文件：评审标准和资助规则写在其中")
    program = load_program(program_path)
    out = Path(out_path)
    roster = load_roster(roster_path) if roster_path else None
    try:
        results = score(_expand(sheets, out), program, roster, workspace=Path(db_path), manifest=manifest_path)
    except ProgramFileError as exc:
        if exc.path is None:  # the rules are checked without the file's name: add it
            raise ProgramFileError(program_path, exc.reason) from None
        raise
    write_results(results, out)
    for problem in results.problems:
        click.secho(f"问题：{problem.message}", fg="red", err=True)
    for warning in results.warnings:
        click.secho(f"提示：{warning}", fg="yellow", err=True)
    funded = results.funded
    total = sum(s.amount for s in funded)
    click.echo(f"评审批次 {results.run_id}：计入评分表 {len(results.experts)} 份，项目 {len(results.submissions)} 个；"
               f"{results.method}资助 {len(funded)} 项，合计 {total:,} 元。结果：{out}")
    for s in results.submissions:
        if s.rank is None:
            continue
        amount = f"{s.amount:,}元" if s.amount is not None else ""
        flag = "  分歧" if s.disputed else ""
        grade = f"  {s.grade}" if results.graded else ""
        click.echo(f"  {s.rank:>3}  {s.average:>6}{grade}  {s.funded}  {amount:>12}  {s.label}{flag}")
    if results.problems:
        click.secho(f"共 {len(results.problems)} 个问题，请核对后重新汇总。", fg="red", err=True)
    sys.exit(1 if results.problems else 0)
