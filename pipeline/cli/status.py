"""kexie record and kexie status: the project ledger of a programme through its year."""

from __future__ import annotations

import datetime as _dt

import click

from ..batch import DEFAULT_WORKSPACE
from ..errors import UsageProblem
from ..files import write_atomic
from ..numbers import to_decimal
from ..program import load_program
from ..records import load_records
from ..status import (
    Event,
    catalogue,
    event_from_fields,
    ledger,
    load_events,
    record_events,
    rules_of,
    terminal,
    workbook,
)
from ..status.imports import events_from_data
from .common import DATE, Count, program_option, reports_errors

db_option = click.option("--db", "db_path", type=click.Path(dir_okay=False), default=str(DEFAULT_WORKSPACE),
                         show_default=True, help="工作区数据库（与 kexie validate、kexie packet 的 --db 相同）。")


def _program(path):
    if not path:
        raise UsageProblem("请用 --program 指明计划文件：台账按计划记录，拨付、延期和暂停申报的规则也取自计划文件")
    return load_program(path)


@click.command()
@click.argument("kind", required=False, metavar="事件")
@click.option("--unit", default=None, help="单位名称（与申报书、名单中的写法相同）。")
@click.option("--date", "day", type=DATE, default=None, help="发生的日期，如 2027-01-15 或 2027年1月15日。")
@click.option("--result", default="", help="结论：中期为 通过/不通过；验收为计划文件「验收.结论」之一（默认 通过验收/暂缓验收/验收不通过）。")
@click.option("--months", type=Count(1, 120), default=None, help="延期结项的月数（默认为计划文件规定的每次月数）。")
@click.option("--amount", default=None, help="金额（元）：任务书为资助金额，拨款为本次拨付金额。")
@click.option("--file", "events_file", type=click.Path(dir_okay=False), default=None,
              help="一次记录多条：事件表（.xlsx、.csv、.yaml），列为 单位、事件、日期、结论、月数、金额、说明。")
@click.option("--data", "data_file", type=click.Path(dir_okay=False), default=None,
              help="为名单中每个单位各记一条该事件：名单或 results.xlsx（单位、资助金额取自其中），"
                   "或形式审查报告（.json，按各申报单位的审查结论记「形式审查」），"
                   "或评审包的 manifest.json（记「评审」，日期默认为生成评审包之日）。")
@click.option("--by", default="", help="记录人姓名。")
@click.option("--note", default="", help="说明，如文号或会议纪要。")
@program_option
@db_option
@reports_errors
def record(kind, unit, day, result, months, amount, events_file, data_file, by, note, program_path, db_path):
    """记录项目的一个事件（签订任务书、中期评审、结项验收、延期结项、拨款、弄虚作假等），供 kexie status 汇总。

    事件：申报、形式审查、补正、评审、公示、任务书、中期、验收、延期、拨款、弄虚作假。
    按计划文件的规则检查后才记入工作区：没有任务书（责任书）的单位不能记中期、验收、延期、拨款；
    延期超过计划规定的次数、拨款超过应拨付的金额（如中期评审未通过时的尾款）不予记录。
    用 --file 或 --data 一次记录多条时，只要有一条不符合，全部不记录，并指出是哪一条。
    工作区中已有完全相同的记录（单位、事件、日期、结论、月数、金额都相同）时不再重复记录，重跑无妨。

    \b
    示例：
      kexie record 任务书 --unit 某某市科协 --amount 350000 --date 2026-10-20 --program samples/program.yaml
      kexie record 中期 --unit 某某市科协 --result 不通过 --date 2027-01-15 --program samples/program.yaml
      kexie record 验收 --unit 某某市科协 --result 验收不通过 --date 2027-07-10 --program samples/program.yaml
      kexie record 延期 --unit 某某市科协 --months 6 --date 2027-06-01 --program samples/program.yaml
      kexie record 拨款 --unit 某某市科协 --amount 175000 --date 2026-10-30 --program samples/program.yaml
      kexie record --file 事件.xlsx --program samples/program.yaml --by 张敏
      kexie record 形式审查 --data outputs/形式审查.json --date 2026-06-15 --program samples/program.yaml
      kexie record 评审 --data outputs/评审/办公室/manifest.json --program samples/program.yaml
      kexie record 任务书 --data outputs/results.xlsx --date 2026-10-20 --program samples/program.yaml
    """
    rules = rules_of(_program(program_path))
    if events_file and data_file:
        raise UsageProblem("--file 和 --data 只能用一个")
    if data_file:
        if unit or not kind:
            raise UsageProblem("用 --data 时写明事件和 --date、不写 --unit（单位取自文件），"
                               "如 kexie record 任务书 --data results.xlsx --date 2026-10-20")
        events, labels = events_from_data(data_file, kind.strip(), day, result.strip(), by, note)
    elif events_file:
        if kind or unit:
            raise UsageProblem("用 --file 时不再写事件和 --unit：每一行写明单位、事件、日期")
        records = load_records(events_file)
        labels = [f"「{events_file}」{r.label}" for r in records]
        events = [event_from_fields(r.fields, label, by) for r, label in zip(records, labels)]
    else:
        missing = [name for name, value in (("事件", kind), ("--unit", unit), ("--date", day)) if not value]
        if missing:
            raise UsageProblem(f"请写明{'、'.join(missing)}，如 kexie record 中期 --unit 某某市科协 --result 通过 "
                               f"--date 2027-01-15；可记的事件：{'、'.join(catalogue().kinds)}")
        try:
            money = to_decimal(amount) if amount is not None else None
        except ValueError as exc:
            raise UsageProblem(f"--amount：{exc}") from None
        events, labels = [Event(unit.strip(), kind.strip(), day, result.strip(), months, money, by, note)], None
    kept, again = record_events(db_path, rules, events, labels)
    for event in again:
        click.echo(f"已有相同记录，未重复记录：{event.unit} {event.kind}（{event.date.isoformat()}）")
    for event in kept:
        extra = "".join(f"，{text}" for text in (event.result, f"{event.months}个月" if event.months else "",
                                                 f"{event.amount:,.2f}元" if event.amount is not None else "",
                                                 f"暂停申报资格至{event.suspended_until.isoformat()}"
                                                 if event.suspended_until else "") if text)
        click.echo(f"已记录：{event.unit} {event.kind}（{event.date.isoformat()}{extra}）")


@click.command()
@program_option
@db_option
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None, help="台账 Excel 文件（.xlsx）。")
@click.option("--date", "day", type=DATE, default=None, help="台账截至的日期（默认今天）。")
@reports_errors
def status(program_path, db_path, out_path, day):
    """项目台账：计划中每个项目的阶段（申报→形式审查→补正→评审→公示→任务书→中期→结项）及日期、
    资助金额、已拨付、待拨付和不予拨付的金额、中期评审和验收结论、延期次数、暂停申报资格的单位。

    事件由 kexie record 记入工作区；拨付条件取计划文件「经费.支付」各期的「条件」，
    延期和暂停申报的规则取「验收」。打印到终端，--out 另存为 Excel（项目台账、暂停申报、事件三张表）。

    \b
    示例：
      kexie status --program samples/program.yaml
      kexie status --program samples/program.yaml --out outputs/项目台账.xlsx --date 2027-12-31
    """
    if out_path and not out_path.lower().endswith(".xlsx"):
        raise UsageProblem(f"「{out_path}」的扩展名应为 .xlsx")
    rules = rules_of(_program(program_path))
    on = day or _dt.date.today()
    events = load_events(db_path, rules.program)
    rows, barred = ledger(events, rules, on)
    if out_path:
        write_atomic(out_path, workbook(rows, barred, [e for e in events if e.date <= on]))
    click.echo(terminal(rows, barred, rules.program, on))
    if out_path:
        click.echo(f"台账：{out_path}", err=True)
