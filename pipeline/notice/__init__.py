"""补正通知 (``kexie notice``): after 形式审查, one notice per applicant whose form must be corrected,
telling every defect at once (一次性告知) with the 补正 deadline, and one table for the office.

The deadline is the programme's 「补正.工作日」 (default 5) working days on the official calendar
(:mod:`pipeline.workdays`, the programme's 「节假日」 first), counted from the day after the notice
date: 「开始的当日不计入，自下一日开始计算」 (民法典第二百零一条). Applicants with 需人工核对 items
get no notice until a person has confirmed them (:mod:`pipeline.notice.report`). Everything is
checked and rendered before the first file is written; each file is written atomically.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from ..convert import convert_to_pdf
from ..errors import (
    KexieError,
    NoCorrectionNeeded,
    OutputNotOurs,
    ProgramFileError,
    UsageProblem,
)
from ..files import is_ours, move_atomic, write_atomic
from ..forms import FormDefinition, text_value
from ..naming import NameAllocator, expand_pattern, safe_filename
from ..processes import remove_folder, temporary_folder
from ..render import find_template
from ..report.pictures import Pictures, box_key
from ..validate.history import record_notice
from ..workdays import WorkCalendar, end_of_period, start_of_period
from .defects import Defect, defects_of
from .document import render_notice
from .report import STANDINGS, Standing, load_report, standings
from .summary import summary_workbook

TEMPLATE = "补正通知"
SUMMARY = "补正通知汇总.xlsx"
#: working days to correct a form when the programme does not say (「补正: {工作日: 5}」)
DEFAULT_DAYS = 5

__all__ = ["DEFAULT_DAYS", "NoticeRun", "correction_days", "correction_deadline", "load_report", "make_notices"]


@dataclass
class NoticeRun:
    """What one run did: the deadline, each file's standing, what was written."""

    date: _dt.date
    deadline: _dt.date
    days: int
    items: list[Standing] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    summary: Path | None = None

    def count(self, state: str) -> int:
        return sum(item.state == state for item in self.items)


def correction_days(program: dict, program_path=None) -> int:
    """「补正.工作日」 of the programme (the file at ``program_path``), or the default."""
    section = program.get("补正") or {}
    days = section.get("工作日", DEFAULT_DAYS) if isinstance(section, dict) else section
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ProgramFileError(program_path, f"「补正.工作日」应为正整数（现为「{days}」）")
    return days


def correction_deadline(notice_date: _dt.date, days: int, program: dict) -> _dt.date:
    """The last day to hand the corrected form in: ``days`` working days after the notice date."""
    calendar = WorkCalendar(program.get("节假日"))
    first = start_of_period(notice_date + _dt.timedelta(days=1), "工作日", calendar)
    return end_of_period(first, days, "工作日", calendar)


def make_notices(report_path, program: dict, out_dir, form: FormDefinition, *, today: _dt.date | None = None,
                 workspace=None, only=(), pdf: bool = True, program_path=None) -> NoticeRun:
    """Write the 补正通知 of ``report_path`` (a 形式审查 .json) into ``out_dir``, and the summary;
    ``program_path``: where ``program`` was read from, for the messages."""
    report = load_report(report_path, form.name)
    today = today or _dt.date.today()
    days = correction_days(program, program_path)
    run = NoticeRun(today, correction_deadline(today, days, program), days)
    spec = find_template(TEMPLATE)
    run.items = _chosen(standings(report, report_path, form, program, workspace), only)
    if not any(item.state in ("notify", "waiting") for item in run.items):
        return run  # nothing to tell anyone: nothing is written
    out_dir = Path(out_dir)
    rendered = _render_all(run, spec, form, program, workspace)
    names = NameAllocator()
    targets = {}
    for item in run.items:
        if item in rendered:
            stem = names.claim(safe_filename(expand_pattern(spec.name_pattern, {"单位": item.applicant}, spec.name,
                                                            item.applicant)), (".docx", ".pdf"))
            targets[id(item)] = out_dir / stem
    summary = out_dir / SUMMARY
    for path in [summary, *(t.with_suffix(s) for t in targets.values() for s in (".docx", ".pdf"))]:
        if not is_ours(path):  # refused before anything is written
            raise OutputNotOurs(path)
    _write(run, rendered, targets, pdf)
    if workspace:  # what was told to whom and by when, for the resubmission to be linked to
        for item, (_data, defects) in rendered.items():
            if item.state == "notify":
                record_notice(workspace, form, fields=item.entry.get("fields") or {}, file=item.file,
                              sha256=text_value(item.entry.get("sha256")), date=run.date, deadline=run.deadline,
                              defects=defects)
    rows = [_row(item, rendered.get(item, (None, []))[1], run, targets.get(id(item))) for item in run.items]
    run.summary = write_atomic(summary, summary_workbook(rows, STANDINGS))
    return run


def _chosen(items: list[Standing], only) -> list[Standing]:
    """The files asked for (``--file``), each refused by name when it has nothing to correct."""
    if not only:
        return items
    chosen = []
    for wanted in only:
        wanted_path = Path(wanted)
        hits = [i for i in items if i.file == wanted_path or Path(i.entry["file"]) == wanted_path
                or i.file.name == wanted_path.name]
        if not hits:
            raise UsageProblem(f"形式审查报告中没有文件「{wanted}」")
        for item in hits:
            if item.state == "complete":
                raise NoCorrectionNeeded(item.file)
            if item.state == "superseded":
                raise UsageProblem(f"文件「{item.file}」{item.reason}（同一单位重新提交），"
                                   "无需再为它发通知；请对后交的材料重新运行 kexie validate")
            if item.state == "unreadable":
                raise UsageProblem(f"文件「{item.file}」无法读取（{item.reason}），无从列出需补正的问题；"
                                   "请让申报单位重新报送可以打开的 PDF")
        chosen += [h for h in hits if h not in chosen]
    return chosen


def _render_all(run: NoticeRun, spec, form: FormDefinition, program: dict, workspace) -> dict:
    """{item: (docx bytes, defects)} for every file to be notified; a failure marks its item."""
    rendered = {}
    kept = workspace if workspace and Path(workspace).is_file() else None
    with Pictures(kept) as pictures:
        for item in run.items:
            if item.state != "notify":
                continue
            defects = defects_of(item.problems, form)
            crops = _crops(pictures, item, defects)
            listed, shown = [], []
            for number, defect in enumerate(defects, start=1):
                figure = None
                if crops.get(number):
                    shown.append((f"图{len(shown) + 1}　第{defect.page}页　{defect.words}", crops[number]))
                    figure = len(shown)
                listed.append({"序号": number, "页": defect.page, "栏目": defect.words, "问题": defect.wrong,
                               "要求": defect.write, "附图": figure})
            fields = {"单位": item.applicant, "表名": form.name, "文件": item.file.name, "问题": listed,
                      "附图": len(shown), "补正": {"截止": run.deadline, "工作日": run.days}}
            try:
                rendered[item] = (render_notice(spec, fields, program, run.date, shown, item.applicant), defects)
            except KexieError as exc:
                item.state, item.reason = "failed", exc.message
    return rendered


def _crops(pictures: Pictures, item: Standing, defects: list[Defect]) -> dict[int, str]:
    """{defect number: PNG base64} of the defects that have a place on a page (the report's pictures)."""
    placed = [(n, d) for n, d in enumerate(defects, start=1) if d.page]
    if not placed or not item.file.is_file():
        return {}
    found = pictures.of_file(item.file, text_value(item.entry.get("sha256")), [(d.page, d.bbox) for _, d in placed])
    return {n: found.get((d.page, box_key(d.bbox))) for n, d in placed}


def _write(run: NoticeRun, rendered: dict, targets: dict, pdf: bool) -> None:
    """DOCX (and PDF) of each notice into place; a notice whose PDF fails is not written at all."""
    staging = temporary_folder("kexie-notice-")
    try:
        staged = {}
        for item, (data, _defects) in rendered.items():
            if item.state != "notify":
                continue
            path = staging / targets[id(item)].with_suffix(".docx").name
            path.write_bytes(data)
            staged[item] = path
        pdfs = convert_to_pdf(list(staged.values()), staging / "pdf") if pdf and staged else {}
        for item, path in staged.items():
            produced = pdfs.get(path)
            if isinstance(produced, KexieError):
                item.state, item.reason = "failed", produced.message
                continue
            run.written.append(write_atomic(targets[id(item)].with_suffix(".docx"), path.read_bytes()))
            if produced is not None:
                run.written.append(move_atomic(produced, targets[id(item)].with_suffix(".pdf")))
    finally:
        remove_folder(staging)


def _row(item: Standing, defects: list[Defect], run: NoticeRun, target: Path | None) -> dict:
    notified = item.state == "notify"
    return {"单位": item.applicant, "文件": str(item.file), "state": item.state, "defects": defects if notified else [],
            "截止": run.deadline.isoformat() if notified else "",
            "通知": str(target.with_suffix(".docx")) if notified and target else "", "说明": item.reason}
