"""The results workbook of ``kexie scores``: 「结果」 (every submission, by rank), 「名单」 (funded
only: what ``kexie fill 任务书 --data results.xlsx`` reads) and 「明细」 (every expert's scores)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..files import write_atomic
from ..scores import RESULT_COLUMNS, ScoreResults, SubmissionResult
from ..xlsx import add_table, new_book, to_bytes

_CENT = Decimal("0.01")
_WIDTHS = {"申报单位": 24, "试点单位": 24, "项目名称": 36, "分歧": 18, "评分表": 24}
_FORMATS = {"平均分": "0.00", "加权总分": "0.00"}


def result_row(submission: SubmissionResult, extra_columns: list[str]) -> dict:
    """A submission as one row of 「结果」 / 「名单」."""
    counted = [e for e in submission.experts if e.total is not None]
    row = {
        "排名": submission.rank,
        **{key: submission.fields.get(key, "") for key in RESULT_COLUMNS[1:6]},
        "专家数": len(counted),
        "平均分": float(submission.average) if submission.average is not None else None,
        "等级": submission.grade,
        "分歧": f"是（极差{submission.spread.quantize(_CENT, rounding=ROUND_HALF_UP)}分）"
                if submission.disputed else "",
        "是否资助": submission.funded,
        "资助金额": submission.amount,
    }
    for key in extra_columns:
        row[key] = submission.fields.get(key, "")
    return row


def write_results(results: ScoreResults, path) -> Path:
    """Write 结果, 名单 and 明细 to an .xlsx at ``path`` (atomically)."""
    book = new_book()
    columns = results.columns  # 等级 only when the programme grades

    def table(title, header, rows):
        add_table(book, title, header, [[row.get(h) for h in header] for row in rows], widths=_WIDTHS,
                  number_formats=_FORMATS)

    table("结果", columns, [result_row(s, results.extra_columns) for s in results.submissions])
    table("名单", columns, [result_row(s, results.extra_columns) for s in results.funded])
    names = [c["名称"] for c in results.criteria]
    detail = []
    for submission in results.submissions:
        for e in submission.experts:
            row = {"编号": submission.fields.get("编号", ""), "申报单位": submission.fields.get("申报单位", ""),
                   "评审专家": e.expert, "评审组别": e.group, "评分表": e.file, "计入": e.counted,
                   "加权总分": float(e.total.quantize(_CENT, rounding=ROUND_HALF_UP)) if e.total is not None else None}
            row.update({n: float(e.scores[n]) if e.scores.get(n) is not None else None for n in names})
            detail.append(row)
    table("明细", ["编号", "申报单位", "评审专家", "评审组别", *names, "加权总分", "计入", "评分表"], detail)
    return write_atomic(path, to_bytes(book))
