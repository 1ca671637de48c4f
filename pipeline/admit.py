"""Which returned score sheets count: those of the packet run's experts, as the run wrote them.

A sheet counts only when, in this order:

1. it is a score sheet on the programme's criteria;
2. it carries a packet run's id, and the run is the one being tallied (``--manifest``, else the
   latest run the sheets name that the workspace keeps): a sheet of another run is refused;
3. its expert id is one of the run's experts who was sent a sheet (an expert not on the list:
   refused);
4. nothing outside its yellow input cells differs from what ``kexie packet`` wrote: the expert,
   the group, every row's 编号 and names, the header, the 满分, the formulas; no row added;
5. no sheet of the same expert came before it.

A row counts only for a submission the run gave that expert. Rows for anything else — a
submission withheld from him for 回避, one of another group, one nobody applied for — are named one
by one, also when the whole sheet is refused for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import DataFileError, InputFileError
from .messages import exception_kind
from .runs import PacketRun, find_run
from .scoresheet import EXPERT_CELLS, changed_cells, read_score_sheet, read_stamp

#: at most this many changed cells are named in a message (then 「等N处」)
SHOWN_CHANGES = 5


@dataclass
class ScoreProblem:
    """A score or a sheet that could not be counted, with where it is."""

    file: str
    reason: str
    expert: str | None = None
    submission: str | None = None
    criterion: str | None = None

    @property
    def message(self) -> str:
        parts = [f"评分表「{self.file}」"] if self.file else []
        if self.expert:
            parts.append(f"专家「{self.expert}」")
        if self.submission:
            parts.append(f"项目「{self.submission}」")
        if self.criterion:
            parts.append(f"评审标准「{self.criterion}」")
        return "，".join(parts) + "：" + self.reason


@dataclass
class ReturnedSheet:
    """A score sheet as read: what it says and what it carries."""

    file: str
    expert: str  # the name in the sheet (B2)
    group: str
    rows: list[dict]
    run_id: str | None
    expert_id: str | None
    cells: dict[str, str]


@dataclass
class AdmittedSheet:
    """A sheet that counts: its expert as the run knows him, and the rows that count."""

    file: str
    expert_id: str
    expert: str  # the run's name for him (with the group when two share a name)
    group: str
    rows: list[dict]


def admit_sheets(paths, criteria: list[dict], problems: list[ScoreProblem], *, workspace,
                 manifest=None) -> tuple[PacketRun, list[AdmittedSheet]]:
    """Read the sheets at ``paths``, find their packet run and keep what counts; everything else
    becomes a problem naming the sheet, the expert and the submission."""
    returned = [sheet for sheet in (_read(Path(p), criteria, problems) for p in paths) if sheet]
    run = find_run([s.run_id for s in returned], workspace, manifest)
    admitted, seen = [], {}
    for sheet in returned:
        kept = _admit(sheet, run, seen, problems)
        if kept is not None:
            admitted.append(kept)
    return run, admitted


def _read(path: Path, criteria: list[dict], problems: list[ScoreProblem]) -> ReturnedSheet | None:
    names = [c["名称"] for c in criteria]
    try:
        expert, group, rows = read_score_sheet(path)
        try:
            run_id, expert_id, cells = read_stamp(path)
        except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds on damaged files (records.read_sheet)
            raise DataFileError(path, f"Excel 文件已损坏，无法打开（{exception_kind(exc)}）") from None
    except InputFileError as exc:
        problems.append(ScoreProblem(path.name, exc.reason))
        return None
    columns = list(rows[0]["评分"]) if rows else []
    missing = [n for n in names if n not in columns]
    unknown = [c for c in columns if c not in names]
    if rows and (missing or unknown):
        detail = []
        if missing:
            detail.append(f"缺少评审标准「{'、'.join(missing)}」")
        if unknown:
            detail.append(f"有计划文件中没有的评审标准「{'、'.join(unknown)}」")
        problems.append(ScoreProblem(path.name, "；".join(detail) + "：整张评分表未计入，请用本计划生成的评分表",
                                     expert=expert))
        return None
    if not rows:
        problems.append(ScoreProblem(path.name, "评分表中没有任何项目", expert=expert))
        return None
    return ReturnedSheet(path.name, expert, group, rows, run_id, expert_id, cells)


def _admit(sheet: ReturnedSheet, run: PacketRun, seen: dict, problems: list) -> AdmittedSheet | None:
    def refuse(reason: str, expert: str | None = None) -> None:
        codes = "、".join(dict.fromkeys(row.get("编号") or f"第{row['行号']}行" for row in sheet.rows))
        problems.append(ScoreProblem(sheet.file, reason, expert=expert or sheet.expert, submission=codes))

    if not sheet.run_id:
        return refuse("没有评审批次编号：不是 kexie packet 生成的评分表，未计入（请用评审包中的评分表）")
    if sheet.run_id != run.id:
        return refuse(f"来自另一批评审包（批次「{sheet.run_id}」），本次汇总的是批次「{run.id}」：未计入"
                      "（要汇总的若是另一批，请用 --manifest 指明其 manifest.json）")
    eid = sheet.expert_id or ""
    expected = run.sheets.get(eid)
    if eid not in run.experts:
        return refuse(f"专家编号「{eid}」不在该批评审的专家名单中：未计入")
    if expected is None:
        return refuse("该专家在该批评审中没有分到材料，也没有发出评分表：未计入")
    name = run.experts[eid]["name"]
    label = run.expert_label(eid) if sheet.expert == name else sheet.expert
    changes = changed_cells(sheet.cells, expected)
    foreign = _foreign_rows(sheet, run, eid, label, problems)
    if changes:
        shown = "；".join(_change(ref, before, after) for ref, before, after in changes[:SHOWN_CHANGES])
        more = f"等{len(changes)}处" if len(changes) > SHOWN_CHANGES else ""
        return refuse(f"黄色单元格以外的内容与 kexie packet 生成时不同（{shown}{more}）：整张评分表未计入，"
                      "请在原评分表的黄色单元格中打分后交回", label)
    if eid in seen:
        return refuse(f"与评分表「{seen[eid]}」是同一位专家：本表未计入", label)
    seen[eid] = sheet.file
    rows = [row for row in sheet.rows if not any(row is other for other in foreign)]
    return AdmittedSheet(sheet.file, eid, label, run.experts[eid]["group"], rows)


def _foreign_rows(sheet: ReturnedSheet, run: PacketRun, eid: str, label: str, problems: list) -> list[dict]:
    """The rows for submissions the run did not give this expert, each named as a problem."""
    assigned = set(run.assigned(eid))
    foreign = []
    for row in sheet.rows:
        code = row.get("编号") or ""
        if code in assigned:
            continue
        foreign.append(row)
        if not code:
            reason = f"第{row['行号']}行没有编号：本行未计入"
        elif code not in run.submissions:
            reason = f"该批评审包中没有编号为「{code}」的材料（无人申报）：本行未计入"
        else:
            reason = f"该项目未分配给该专家（{run.withheld(eid, code)}）：本行未计入"
        problems.append(ScoreProblem(sheet.file, reason, expert=label, submission=submission_label(run, code, row)))
    return foreign


def submission_label(run: PacketRun, code: str, row: dict | None = None) -> str:
    """「S01 某某市科协」: the code and the first name column the run (else the row) gives."""
    entry = run.submissions.get(code) or row or {}
    names = [str(v) for k, v in entry.items() if k not in ("编号", "组别", "行号", "评分") and v]
    return " ".join([code] + names[:1]).strip() or "（无编号）"


def _change(ref: str, before: str | None, after: str | None) -> str:
    what = f"{ref}（评审专家）" if ref == EXPERT_CELLS[1] else ref
    was = f"「{before}」" if before is not None else "空"
    now = f"「{after}」" if after is not None else "空"
    return f"{what} 原为{was}，现为{now}"
