"""kexie workdays: the last day of N working days from a start date, for notices written by hand."""

from __future__ import annotations

import datetime as _dt

import click

from ..errors import UsageProblem
from ..filters import cn_date
from ..program import load_program
from ..workdays import WorkCalendar, end_of_period, start_of_period
from .common import DATE, reports_errors

_WEEKDAYS = "一二三四五六日"


def _day(day: _dt.date) -> str:
    return f"{day.isoformat()}  {cn_date(day)}（星期{_WEEKDAYS[day.weekday()]}）"


@click.command()
@click.argument("start", type=DATE, metavar="起始日")
@click.argument("days", type=int, metavar="天数")
@click.option("--program", "program_path", type=click.Path(dir_okay=False),
              help="年度计划文件：其「节假日」补充 chinesecalendar 尚未收录的年份。")
@click.option("-v", "--verbose", is_flag=True, help="逐日列出计入的工作日。")
@reports_errors
def workdays(start, days, program_path, verbose):
    """从起始日（如 2026-09-28，当天计入）起数「天数」个工作日，打印最后一天。

    按国务院办公厅的放假和调休安排计算；起始日不是工作日时从其后第一个工作日起算。
    年份的安排未知时报错（退出码 1），可在计划文件的「节假日」中补写。

    \b
    示例：
      kexie workdays 2025-09-26 5
      kexie workdays 2026-09-28 5 --verbose
    """
    if days < 1:
        raise UsageProblem(f"工作日数应为正整数，现为{days}")
    program = load_program(program_path) if program_path else {}
    calendar = WorkCalendar(program.get("节假日"))
    first = start_of_period(start, "工作日", calendar)
    last = end_of_period(first, days, "工作日", calendar)
    click.echo(last.isoformat())
    click.echo(f"{days}个工作日：{cn_date(first)}至{cn_date(last)}")
    if first != start:
        click.echo(f"（{cn_date(start)}不是工作日，自{cn_date(first)}起算）")
    if verbose:
        day, n = first, 0
        while day <= last:
            if calendar.is_workday(day):
                n += 1
                note = "  调休上班" if day.weekday() >= 5 else ""
                click.echo(f"  {n:>3}. {_day(day)}{note}")
            day += _dt.timedelta(days=1)
