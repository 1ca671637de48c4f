"""The 公示 of the funded projects: the 「公示」 template over the 「名单」 sheet of results.xlsx.

The 公示期 is counted by ``pipeline.workdays`` as the programme says (「公示.天数」, 「公示.计日」
工作日 or 自然日, the start day counting); the start is the one asked for, else 「公示.开始」. A year
without an official holiday schedule is refused (``CalendarYearUnknown``) unless the programme's
「节假日」 supplies it. The document is dated its start day unless told otherwise.
"""

from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataFileError, UsageProblem
from .fill import FillResult, fill
from .records import load_records
from .render import find_template
from .workdays import period_from_program

TEMPLATE = "公示"
#: what each row of the 公示 shows; a blank would be published as a blank
REQUIRED_COLUMNS = ("申报单位", "项目名称", "负责人", "资助金额")


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
    first, last = period_from_program(program, start)
    records = load_records(results_path)
    gaps = [f"{record.label}缺少「{column}」" for record in records for column in REQUIRED_COLUMNS
            if record.fields.get(column) in (None, "")]
    if gaps:
        raise DataFileError(results_path, "；".join(gaps) + "（负责人等可在 kexie scores 时用 --roster 从申报名单带入）")
    documents = fill(find_template(TEMPLATE), records, Path(out_dir), pdf=pdf, program=program,
                     today=today or start)
    return Announcement(first, last, len(records), documents)
