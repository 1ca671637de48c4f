"""The 公示 of the funded projects: the 「公示」 template over the 「名单」 sheet of results.xlsx.

The 公示期 is counted by ``pipeline.workdays`` as the programme says (「公示.天数」, 「公示.计日」
工作日 or 自然日, the start day counting); the start is the one asked for, else 「公示.开始」. A year
without an official holiday schedule is refused (``CalendarYearUnknown``) unless the programme's
「节假日」 supplies it. The document is dated its issue day: ``today`` (``--date``), else
「公示.发布」, else its start day — never the day it is printed, and never after the start.

A row lacking one of ``REQUIRED_COLUMNS`` (a funded unit missing from the roster has no 项目名称
or 负责人) is left out with its reason, the others are published, and the command exits 1.
"""

from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BlankValue, UsageProblem
from .filters import cn_date
from .fill import ALL_RECORDS, FillResult, fill
from .records import load_records
from .render import find_template
from .workdays import period_from_program

TEMPLATE = "公示"
#: what each row of the 公示 shows; a blank would be published as a blank, so such a row is stopped
#: with its reason (the rest are published) and the command exits 1
REQUIRED_COLUMNS = ("申报单位", "项目名称", "负责人", "资助金额")
#: a funded unit missing from the roster has no 项目名称 or 负责人 in results.xlsx
ROSTER_HINT = "（该单位可能不在申报名单中：负责人等在 kexie scores 时用 --roster 从申报名单带入）"


@dataclass
class Announcement:
    """What ``announce`` produced: the period and the documents."""

    start: _dt.date
    end: _dt.date
    projects: int
    results: list[FillResult] = field(default_factory=list)


def announce(results_path, program: dict, out_dir, *, start: _dt.date | None = None, pdf: bool = True,
             today: _dt.date | None = None) -> Announcement:
    """Write the 公示 (DOCX, and PDF with ``pdf``) of the funded projects in ``results_path``."""
    start = start or program.get("公示", {}).get("开始")
    if start is None:
        raise UsageProblem("计划文件未写明「公示.开始」：请用 --start 给出公示开始日期（如 2026-09-28）")
    program = copy.deepcopy(program)
    program["公示"]["开始"] = start  # fill computes 公示期 from here
    if today is not None:
        program["公示"]["发布"] = today  # the 落款: the day it is issued
    issued = program["公示"].get("发布", start)
    if issued > start:
        raise UsageProblem(f"公示的落款日期{cn_date(issued)}晚于公示开始日期{cn_date(start)}：公示应在公示期开始之前或当天发布"
                           "（请改 --date 或计划文件的「公示.发布」）")
    first, last = period_from_program(program, start)
    records = load_records(results_path)
    stopped, kept = [], []
    for record in records:
        blank = [column for column in REQUIRED_COLUMNS if _blank(record.fields.get(column))]
        if blank:
            stopped.append(FillResult(record.label, "failed", error=BlankValue(TEMPLATE, blank, record=record.label,
                                                                                hint=ROSTER_HINT)))
        else:
            kept.append(record)
    documents = fill(find_template(TEMPLATE), kept, Path(out_dir), pdf=pdf, program=program,
                     today=today or start) if kept else []
    published = len(kept) - sum(1 for d in documents if d.status == "failed" and d.record != ALL_RECORDS)
    return Announcement(first, last, published, stopped + documents)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
