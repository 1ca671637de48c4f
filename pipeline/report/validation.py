"""The 形式审查 report that staff act on: Excel, one self-contained HTML page, JSON, the terminal.

The report's suffix chooses its kind. Excel: a summary sheet, one row per submission (the form's
own identity columns beside the file), a sheet of problems; what needs a person's eye first.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..files import write_atomic
from ..forms import FormDefinition, text_value
from ..xlsx import STATUS_FILLS, TITLE_FONT, add_table, fill, new_book, put, to_bytes
from .html import html_report
from .pictures import Pictures
from .wording import (
    KIND_TEXT,
    SEVERITY_TEXT,
    STATUS_TEXT,
    decision_text,
    history_columns,
    history_rows,
    ordered_files,
    problem_text,
    summary_line,
)

SUFFIXES = (".xlsx", ".html", ".htm", ".json")
#: the order of the statuses in the summary sheet: what needs a person first
_SUMMARY_ORDER = ("review", "incomplete", "error", "complete")


def write_reports(report: dict, targets: list, form: FormDefinition | None = None, title: str = "形式审查结果",
                  workspace=None) -> None:
    """Write the report to every target path (atomically); the suffix chooses the kind.
    ``workspace``: the SQLite file where the HTML report's page pictures are kept between runs."""
    targets = [Path(t) for t in targets]
    for target in targets:  # checked by the CLI before any work; a library caller gets a plain error
        if target.suffix.lower() not in _WRITERS:
            raise ValueError(f"不支持的报告格式「{target.suffix}」")
    wants_pictures = any(_WRITERS[t.suffix.lower()] is _html for t in targets)
    with Pictures(workspace if wants_pictures else None) as pictures:
        for target in targets:
            write_atomic(target, _WRITERS[target.suffix.lower()](report, form, title, pictures, target))


def _json(report, form, title, pictures, target) -> bytes:
    # each file's path relative to the report's own folder, so that kexie packet and kexie notice,
    # run from any folder, find the files (issue 13 part 7); read back with file_in_report
    files = [dict(entry, file=_relative(entry["file"], target.parent)) for entry in report["files"]]
    return json.dumps(dict(report, files=files), ensure_ascii=False, indent=2).encode("utf-8")


def _relative(file, folder: Path) -> str:
    try:
        return Path(os.path.relpath(Path(file).absolute(), folder.absolute())).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return str(Path(file).absolute())


def file_in_report(file, report_path) -> Path:
    """Where a file named in a JSON validation report is: relative to the report's folder (as
    :func:`write_reports` writes it); failing that, relative to the working folder (a report
    written by hand or by an older kexie)."""
    file = Path(file)
    if file.is_absolute():
        return file
    beside = Path(os.path.normpath(Path(report_path).parent / file))  # no 「形式审查/../../」 in messages
    return file if not beside.exists() and file.exists() else beside


def _xlsx(report, form, title, pictures, target) -> bytes:
    return excel_report(report, form, title)


def _html(report, form, title, pictures, target) -> bytes:
    return html_report(report, form, title, pictures=pictures).encode("utf-8")


def excel_report(report: dict, form: FormDefinition | None, title: str) -> bytes:
    columns = list(form.identity.columns) if form is not None and form.identity else []
    book = new_book()
    summary = book.create_sheet("汇总")
    put(summary.cell(row=1, column=1), title).font = TITLE_FONT
    counts = [("状态", "份数"), *((STATUS_TEXT[s], report["summary"].get(s, 0)) for s in _SUMMARY_ORDER),
              ("合计", len(report["files"]))]
    for row, values in enumerate(counts, start=3):  # rows by number: no sheet.max_row per row (issue 15)
        for col, value in enumerate(values, start=1):
            put(summary.cell(row=row, column=col), value)
    for row, status in enumerate(_SUMMARY_ORDER, start=4):
        summary.cell(row=row, column=1).fill = fill(STATUS_FILLS[status])
    summary.column_dimensions["A"].width = 14

    files = ordered_files(report)
    rows = []
    for entry in files:
        fields = entry.get("fields") or {}
        words = "\n".join(problem_text(p) for p in entry["problems"])
        if entry.get("error"):
            words = entry["error"].get("message", "")
        decided = "\n".join(decision_text(k, d) for k, d in (entry.get("decisions") or {}).items())
        rows.append([entry["file"], *(text_value(fields.get(k)) for k in columns),
                     STATUS_TEXT.get(entry["status"], entry["status"]), len(entry["problems"]), words, decided])
    header = ["文件", *columns, "状态", "问题数", "问题", "人工确认"]
    add_table(book, "逐份结果", header, rows, widths={"文件": 40, "状态": 12, "问题数": 8, "问题": 80, "人工确认": 50,
                                                     **{k: 28 for k in columns}},
              wrap=("问题", "人工确认"), row_style=lambda i, row: {"状态": STATUS_FILLS.get(files[i]["status"], "FFFFFF")})

    problems, styles = [], []
    applicant = columns[:1]
    for entry in files:
        fields = entry.get("fields") or {}
        unit = [text_value(fields.get(k)) for k in applicant]
        for p in entry["problems"]:
            problems.append([entry["file"], *unit, p["field"], KIND_TEXT.get(p["kind"], p["kind"]),
                             SEVERITY_TEXT.get(p["severity"], p["severity"]), p["message"], p.get("page")])
            styles.append(p["severity"])
        if entry.get("error"):
            problems.append([entry["file"], *("" for _ in applicant), "（文件）", "无法读取", "错误",
                             entry["error"].get("message", ""), None])
            styles.append("error")
    severity_fill = {"error": STATUS_FILLS["error"], "review": STATUS_FILLS["review"]}
    add_table(book, "问题清单", ["文件", *applicant, "字段", "类别", "严重程度", "说明", "页"], problems,
              widths=[40, *(28 for _ in applicant), 30, 12, 10, 60, 6],
              row_style=lambda i, row: {"严重程度": severity_fill[styles[i]]} if styles[i] in severity_fill else {})
    if report.get("history"):
        add_table(book, "补正记录", history_columns(form), history_rows(report),
                  widths=[28, 40, 12, 12, 44, 36, 36, 10, 28], wrap=("重新提交", "已改正", "仍未改正"))
    return to_bytes(book)


def terminal_summary(report: dict) -> str:
    """A short table for the terminal, what needs a person's eye first."""
    lines = [f"{'状态':<8}{'文件':<40}问题"]
    for entry in ordered_files(report):
        status = STATUS_TEXT.get(entry["status"], entry["status"])
        detail = entry["error"]["message"] if entry.get("error") else "；".join(
            problem_text(p) for p in entry["problems"]) or "—"
        if entry.get("decisions"):
            detail += "；人工确认：" + "、".join(entry["decisions"])
        lines.append(f"{status:<8}{Path(entry['file']).name:<40}{detail}")
    for row in history_rows(report):  # resubmitting applicants: what is still open, and late ones
        still = f"；仍未改正：{row[6].replace(chr(10), '、')}" if row[6] else ""
        late = f"；逾期补正{row[8][1:]}" if row[8] != "否" else ""
        lines.append(f"补正记录：{row[0]}：最新结论{row[7]}{still}{late}")
    lines.append(summary_line(report))
    return "\n".join(lines)


#: the writer of each report suffix
_WRITERS = {".json": _json, ".xlsx": _xlsx, ".html": _html, ".htm": _html}
