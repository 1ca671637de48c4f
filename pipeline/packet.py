"""Review packets: one PDF and one score sheet per expert, with the assignment and a manifest.

The workflow, as staff do it:

1. ``load_experts``: the experts file (姓名, 单位, 组别, optional 回避单位).
2. ``load_submissions``: the submissions, from a validation report (only the complete ones unless
   asked) or from PDFs read with ``pipeline.extract``; numbered S01, S02 … by file name.
3. ``prepare``: each submission's PDF opened once (for ``blind``: a redacted picture copy made
   once, ``pipeline.redact``), reused for every expert.
4. ``assign``: each submission to one 组 (its own 组别 if it names one, else the group with the
   fewest pages so far, in file-name order), and to every expert of that group except those with
   a conflict of interest (their 单位 or 回避单位 is the 申报单位 or 试点单位).
5. ``write_packets``: per expert ``<组别>-<姓名>.pdf`` (cover, 目录, each submission followed by a
   评分表 page, 汇总表; bookmarks, page labels, a watermark with the expert's name on every page)
   and ``<组别>-<姓名>.xlsx`` (``pipeline.scoresheet``); then ``assignment.xlsx`` and
   ``manifest.json`` (inputs with SHA-256, packets, exclusions with reasons).

``make_packets`` runs the five steps. Every output is written under a temporary name and renamed,
so a failed run never leaves half a file and never damages an earlier run's outputs.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataFileError, KexieError, UnreadableDocument, UsageProblem
from .files import collect_pdfs, move_atomic, sha256_file, write_atomic
from .redact import RedactionFailed, blind_copy, fold, sensitive_strings, short_forms, text_leaks

#: the five criteria of seed 000 (第十四条), equally weighted, when the programme names none
DEFAULT_CRITERIA = [{"名称": name, "权重": 20, "满分": 100} for name in
                    ("针对性", "创新性", "规范性", "实效性", "完整性")]
EXPERT_COLUMNS = ("姓名", "单位", "组别")
AVOID_COLUMN = "回避单位"
_AVOID_SPLIT = re.compile(r"[、;；\n]+")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


class ExpertsFileError(DataFileError):
    """The experts file cannot be used: a missing column, an expert without a name or group."""

    kind = "experts"


class GroupWithoutExperts(KexieError):
    """Submissions name a 组别 that no expert belongs to."""

    kind = "experts"
    exit_code = 2

    def __init__(self, group: str, files: list[str], groups: list[str]):
        self.group, self.files, self.groups = group, files, groups
        shown = "、".join(files[:3]) + ("等" if len(files) > 3 else "")
        super().__init__(f"评审组「{group}」没有评审专家，但有 {len(files)} 份申报材料分到该组（{shown}）；"
                         f"专家名单中的组别：{'、'.join(groups)}。请在专家名单中为该组添加专家，或更正组别")


# --- experts ---------------------------------------------------------------------------------


@dataclass
class Expert:
    name: str
    unit: str
    group: str
    avoid: list[str] = field(default_factory=list)
    row: int = 0  # the row in the experts file (for messages)

    @property
    def stem(self) -> str:
        """The file name (without suffix) of this expert's packet and score sheet."""
        return _UNSAFE_NAME.sub("_", f"{self.group}-{self.name}")


def load_experts(path) -> list[Expert]:
    """Read the experts file (.xlsx, .csv, .yaml or .json with the columns 姓名, 单位, 组别)."""
    from .records import load_records

    path = Path(path)
    records = load_records(path)
    columns = set()
    for record in records:
        columns.update(str(k).strip() for k in record.fields)
    for column in EXPERT_COLUMNS:
        if column not in columns:
            raise ExpertsFileError(path, f"缺少「{column}」列（专家名单应有 {'、'.join(EXPERT_COLUMNS)} 列，"
                                         f"可选「{AVOID_COLUMN}」列）；现有的列：{'、'.join(sorted(columns)) or '无'}")
    experts, seen = [], {}
    for record in records:
        row = record.index + 2  # header on row 1
        values = {str(k).strip(): _cell(v) for k, v in record.fields.items()}
        name, unit, group = values.get("姓名", ""), values.get("单位", ""), values.get("组别", "")
        if not name:
            raise ExpertsFileError(path, f"第{row}行没有填写专家姓名（「姓名」列）")
        if not group:
            raise ExpertsFileError(path, f"第{row}行的专家「{name}」没有填写组别（「组别」列），"
                                         "每位专家须属于一个评审组")
        if not unit:
            raise ExpertsFileError(path, f"第{row}行的专家「{name}」没有填写单位（「单位」列），"
                                         "无法判断是否需要回避")
        key = (group, name)
        if key in seen:
            raise ExpertsFileError(path, f"第{seen[key]}行和第{row}行是同一组「{group}」的同名专家「{name}」，"
                                         "请在姓名后加以区分（如「王伟（北京）」）")
        seen[key] = row
        avoid = [u.strip() for u in _AVOID_SPLIT.split(values.get(AVOID_COLUMN, "")) if u.strip()]
        experts.append(Expert(name=name, unit=unit, group=group, avoid=avoid, row=row))
    if not experts:
        raise ExpertsFileError(path, "名单中没有任何专家")
    return experts


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


# --- submissions -----------------------------------------------------------------------------


@dataclass
class Submission:
    """One submission going into packets (or left out, with ``reason``)."""

    code: str
    file: Path
    fields: dict = field(default_factory=dict)
    group: str = ""  # the 组别 it names itself, else the one assigned
    pages: int = 0
    sha256: str = ""
    reason: str = ""  # why it was left out (empty when included)
    failed: bool = False  # left out because it could not be read (not by choice)
    source: object = None  # the prepared pikepdf.Pdf
    blind: object = None  # the BlindCopy, in blind mode

    @property
    def applicant(self) -> str:
        return _text(self.fields.get("申报单位"))

    @property
    def pilot(self) -> str:
        return _text(self.fields.get("试点单位"))

    def title(self, blind: bool) -> str:
        """The Chinese title of its bookmark, 目录 line and 评分表."""
        if blind:
            return f"申报材料 {self.code}"
        return f"{self.code} {self.applicant or self.file.stem}"


def _text(value) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()


def load_submissions(inputs, *, form: str = "申报书", include_incomplete: bool = False,
                     workers: int = 1, progress=None) -> list[Submission]:
    """All submissions named by ``inputs`` (one validation report .json, or PDFs and folders),
    numbered by file name; those left out carry their ``reason``."""
    inputs = [Path(p) for p in inputs]
    reports = [p for p in inputs if p.suffix.lower() == ".json"]
    if reports and len(reports) != len(inputs):
        raise DataFileError(reports[0], "验证报告（.json）不能与 PDF 文件或目录混在一起给出")
    entries: list[dict] = []
    if reports:
        for report in reports:
            entries += _report_entries(report)
    else:
        from .extract import extract_files
        from .forms import load_form

        files = collect_pdfs(inputs, " PDF 申报材料")
        if not files:
            raise UsageProblem("没有给出任何申报材料（验证报告 .json、PDF 文件或目录）")
        entries = extract_files(files, load_form(form), workers=workers, progress=progress)
        for entry in entries:
            entry["status"] = "complete" if entry["status"] == "ok" else entry["status"]
    entries.sort(key=lambda e: (Path(e["file"]).name, e["file"]))
    width = max(2, len(str(len(entries))))
    submissions = []
    for number, entry in enumerate(entries, start=1):
        fields = entry.get("fields") or {}
        group = _text(entry.get("组别")) or _text(fields.get("组别"))
        item = Submission(code=f"S{number:0{width}d}", file=Path(entry["file"]), fields=fields, group=group)
        status = entry.get("status")
        error = entry.get("error") or {}
        if status == "error" or error:
            item.reason = f"读取失败：{error.get('message') or '文件无法读取'}"
            item.failed = not reports  # read just now: a failure of this run
        elif status != "complete" and not (include_incomplete and status == "incomplete"):
            problems = "；".join(_problem_text(p) for p in entry.get("problems") or [])
            item.reason = f"形式审查未通过（{status}）" + (f"：{problems}" if problems else "")
        submissions.append(item)
    return submissions


def _report_entries(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(path, "文件不存在") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(path, f"不是有效的 JSON 验证报告（{type(exc).__name__}）") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(isinstance(e, dict) and "file" in e for e in files):
        raise DataFileError(path, "不是验证报告：应有「files」列表，每项含「file」「status」「fields」"
                                  "（请用 kexie validate 生成）")
    base = path.parent
    entries = []
    for entry in files:
        entry = dict(entry)
        file = Path(entry["file"])
        if not file.is_absolute() and not file.exists() and (base / file).exists():
            entry["file"] = str(base / file)  # paths relative to the report's folder
        entries.append(entry)
    return entries


def _problem_text(problem) -> str:
    if isinstance(problem, dict):
        return str(problem.get("message") or problem.get("问题") or problem)
    return str(problem)


# --- preparing each submission once ----------------------------------------------------------


def prepare(submissions: list[Submission], *, blind: bool, workers: int = 1, progress=None) -> None:
    """Open each included submission once (blind: make its redacted copy); mark failures."""
    import pikepdf

    copies = _blind_copies(submissions, workers) if blind else {}
    for item in submissions:
        if item.reason:
            if progress:
                progress(1)
            continue
        try:
            if not item.file.is_file():
                raise UnreadableDocument(item.file, "文件不存在")
            item.sha256 = sha256_file(item.file)
            if blind:
                copy = copies[item.code]
                if isinstance(copy, KexieError):
                    raise copy
                item.blind = copy
                item.source = pikepdf.open(io.BytesIO(item.blind.data))
            else:
                item.source = pikepdf.open(item.file)
            item.pages = len(item.source.pages)
            if item.pages == 0:
                raise UnreadableDocument(item.file, "PDF 中没有任何页面")
        except KexieError as exc:
            item.reason, item.failed = f"无法打入评审包：{exc.message}", True
        except (pikepdf.PdfError, OSError, ValueError) as exc:
            error = UnreadableDocument(item.file, f"PDF 无法打开，可能已损坏（{type(exc).__name__}）")
            item.reason, item.failed = f"无法打入评审包：{error.message}", True
        if progress:
            progress(1)


def _blind_copy_or_error(path: Path, fields: dict):
    """The redacted copy of one submission, or the KexieError saying why there is none."""
    try:
        if not fields or not _text(fields.get("申报单位")):
            raise RedactionFailed(path, ["（未读出申报单位，无法确定要去除哪些信息）"])
        return blind_copy(path, sensitive_strings(fields))
    except KexieError as exc:
        return exc


def _blind_copies(submissions: list[Submission], workers: int) -> dict:
    """Redacted copies of the included submissions, in a process pool when ``workers`` > 1
    (rasterising and searching pages is CPU work; each copy depends only on its file)."""
    todo = [s for s in submissions if not s.reason and s.file.is_file()]
    paths, fields = [s.file for s in todo], [s.fields for s in todo]
    if workers > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_blind_copy_or_error, paths, fields))
    else:
        results = [_blind_copy_or_error(p, f) for p, f in zip(paths, fields)]
    return {s.code: r for s, r in zip(todo, results)}


# --- assignment ------------------------------------------------------------------------------


@dataclass
class Decision:
    """One (submission, expert of its group) pair: reviewed, or withheld with the reason."""

    submission: Submission
    expert: Expert
    reason: str = ""  # 「回避：…」 when the expert must not receive it

    @property
    def reviews(self) -> bool:
        return not self.reason


@dataclass
class Plan:
    groups: list[str]
    experts: list[Expert]
    decisions: list[Decision]
    unreviewed: list[Submission]  # assigned, but every expert of the group has a conflict

    def packet_of(self, expert: Expert) -> list[Submission]:
        return [d.submission for d in self.decisions if d.expert is expert and d.reviews]


def conflict(expert: Expert, submission: Submission) -> str:
    """Why ``expert`` must not review ``submission`` (「回避：…」), or "" when free to."""
    own = _unit_keys(expert.unit)
    avoided = set().union(*(_unit_keys(u) for u in expert.avoid)) if expert.avoid else set()
    for role, unit in (("申报单位", submission.applicant), ("试点单位", submission.pilot)):
        keys = _unit_keys(unit)
        if not keys:
            continue
        if keys & own:
            return f"回避：本人单位为{role}"
        if keys & avoided:
            return f"回避：回避单位含{role}（{unit}）"
    return ""


def _unit_keys(unit: str) -> set[str]:
    """A unit compared without whitespace, and by its short form (科学技术协会 → 科协)."""
    unit = (unit or "").strip()
    if not fold(unit) or fold(unit) in ("/", "无"):
        return set()
    return {fold(unit)} | {fold(s) for s in short_forms(unit)}


def assign(submissions: list[Submission], experts: list[Expert]) -> Plan:
    """Each included submission to one group, and to that group's experts without a conflict."""
    groups = list(dict.fromkeys(e.group for e in experts))
    members = {g: [e for e in experts if e.group == g] for g in groups}
    included = [s for s in submissions if not s.reason]
    missing: dict[str, list[str]] = {}
    for item in included:
        if item.group and item.group not in members:
            missing.setdefault(item.group, []).append(item.file.name)
    if missing:
        group, files = next(iter(missing.items()))
        raise GroupWithoutExperts(group, files, groups)
    load = {g: [0, 0] for g in groups}  # pages, submissions
    for item in included:
        if item.group:
            load[item.group][0] += item.pages
            load[item.group][1] += 1
    for item in included:  # already in file-name order
        if item.group:
            continue
        order = sorted(groups, key=lambda g: (load[g][0], load[g][1], groups.index(g)))
        # Prefer a group where someone may review it; balance by pages, then by count.
        free = [g for g in order if any(not conflict(e, item) for e in members[g])]
        item.group = (free or order)[0]
        load[item.group][0] += item.pages
        load[item.group][1] += 1
    decisions, unreviewed = [], []
    for item in included:
        pairs = [Decision(item, expert, conflict(expert, item)) for expert in members[item.group]]
        decisions += pairs
        if not any(d.reviews for d in pairs):
            unreviewed.append(item)
    return Plan(groups=groups, experts=experts, decisions=decisions, unreviewed=unreviewed)


# --- writing the packets ---------------------------------------------------------------------


@dataclass
class PacketResult:
    """What a run wrote and what it left out."""

    out_dir: Path
    packets: list[dict] = field(default_factory=list)  # manifest entries of the written packets
    excluded: list[Submission] = field(default_factory=list)
    failed: list[Submission] = field(default_factory=list)  # excluded because unreadable now
    unreviewed: list[Submission] = field(default_factory=list)
    idle: list[Expert] = field(default_factory=list)  # experts with nothing to review
    errors: list[KexieError] = field(default_factory=list)  # packets refused (redaction check)
    manifest: Path | None = None
    assignment: Path | None = None

    @property
    def ok(self) -> bool:
        return not (self.failed or self.unreviewed or self.errors)


def make_packets(inputs, experts_path, out_dir, *, program: dict | None = None, program_path=None,
                 blind: bool = False, include_incomplete: bool = False, form: str = "申报书",
                 today: _dt.date | None = None, workers: int = 1, progress=None) -> PacketResult:
    """The whole command: experts, submissions, preparation, assignment, packets, manifest."""
    experts = load_experts(experts_path)  # a bad experts file stops the run before any work
    submissions = load_submissions(inputs, form=form, include_incomplete=include_incomplete,
                                   workers=workers)
    prepare(submissions, blind=blind, workers=workers)
    plan = assign(submissions, experts)
    return write_packets(plan, submissions, out_dir, program=program or {}, blind=blind,
                         today=today or _dt.date.today(), inputs={"experts": experts_path,
                                                                   "program": program_path},
                         progress=progress)


def criteria_of(program: dict) -> list[dict]:
    criteria = program.get("评审标准") or DEFAULT_CRITERIA
    return [dict(c, 满分=c.get("满分") if c.get("满分") is not None else 100) for c in criteria]


def write_packets(plan: Plan, submissions: list[Submission], out_dir, *, program: dict, blind: bool,
                  today: _dt.date, inputs: dict | None = None, progress=None) -> PacketResult:
    """Write every expert's packet and score sheet, then assignment.xlsx and manifest.json."""
    import pikepdf

    from .pdfpages import score_pages
    from .scoresheet import write_score_sheet

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = PacketResult(out_dir=out, unreviewed=list(plan.unreviewed))
    result.excluded = [s for s in submissions if s.reason]
    result.failed = [s for s in submissions if s.failed]
    criteria = criteria_of(program)
    included = [s for s in submissions if not s.reason]
    scores = pikepdf.open(io.BytesIO(score_pages([s.title(blind) for s in included], criteria)))
    score_page = {s.code: scores.pages[i] for i, s in enumerate(included)}
    for expert in plan.experts:
        packet = plan.packet_of(expert)
        if not packet:  # nothing to review: no empty packet to send
            result.idle.append(expert)
            if progress:
                progress(1)
            continue
        try:
            entry = _write_packet(out, expert, packet, score_page, program=program, criteria=criteria,
                                  blind=blind, today=today)
            sheet = out / f"{expert.stem}.xlsx"
            write_score_sheet(sheet, expert.name, expert.group, [_sheet_row(s, blind) for s in packet],
                              criteria, title=f"{program.get('名称') or ''}专家评审评分表".strip())
            entry["score_sheet"] = sheet.name
            result.packets.append(entry)
        except RedactionFailed as exc:
            result.errors.append(exc)
        if progress:
            progress(1)
    result.assignment = _write_assignment(out, plan, submissions, blind)
    result.manifest = _write_manifest(out, plan, submissions, result, program, blind, today, inputs or {})
    for item in submissions:
        if item.source is not None:
            item.source.close()
    scores.close()
    return result


def _sheet_row(item: Submission, blind: bool) -> dict:
    if blind:
        return {"编号": item.code, "申报单位": "（匿名）", "试点单位": "（匿名）", "项目名称": ""}
    return {"编号": item.code, "申报单位": item.applicant, "试点单位": item.pilot,
            "项目名称": _text(item.fields.get("项目名称"))}


def _write_packet(out: Path, expert: Expert, packet: list[Submission], score_page: dict, *,
                  program: dict, criteria: list[dict], blind: bool, today: _dt.date) -> dict:
    import pikepdf
    from pikepdf import Array, Dictionary, Name, OutlineItem

    from .pdfpages import contents_page_count, front_and_summary, summary_page_count

    date = f"{today.year}年{today.month}月{today.day}日"
    n_contents = contents_page_count(len(packet) + 1)
    n_summary = summary_page_count(len(packet))
    # Physical page numbers (1-based) of each submission's first page, its 评分表, the 汇总表.
    starts, page = [], 1 + n_contents + 1
    for item in packet:
        starts.append(page)
        page += item.pages + 1
    summary_start = page
    contents = [(item.title(blind), f"{item.code}-1", start) for item, start in zip(packet, starts)]
    contents.append(("评分汇总表", "汇总表", summary_start))
    front = pikepdf.open(io.BytesIO(front_and_summary(
        programme=str(program.get("名称") or "专家评审"), issuer=str(program.get("发文机关") or ""),
        group=expert.group, expert=expert.name, date=date, blind=blind, contents=contents,
        summary=[(s.code, "（匿名）" if blind else (s.applicant or s.file.stem)) for s in packet],
        criteria=criteria)))
    pdf = pikepdf.Pdf.new()
    pdf.pages.extend(front.pages[:1 + n_contents])
    labels = [0, Dictionary(P="封面"), 1,
              Dictionary(P="目录") if n_contents == 1 else Dictionary(P="目录-", S=Name.D)]
    for item in packet:
        labels += [len(pdf.pages), Dictionary(P=f"{item.code}-", S=Name.D, St=1)]
        pdf.pages.extend(item.source.pages)
        labels += [len(pdf.pages), Dictionary(P=f"{item.code}-评分表")]
        pdf.pages.append(score_page[item.code])
    labels += [len(pdf.pages), Dictionary(P="汇总表") if n_summary == 1 else Dictionary(P="汇总表-", S=Name.D)]
    pdf.pages.extend(front.pages[1 + n_contents:])
    assert len(pdf.pages) == summary_start - 1 + n_summary  # our own arithmetic, not user data
    pdf.Root.PageLabels = pdf.make_indirect(Dictionary(Nums=Array(labels)))
    pdf.Root.PageMode = Name.UseOutlines

    with pdf.open_outline() as outline:
        outline.root.append(OutlineItem("封面", 0))
        outline.root.append(OutlineItem("目录", 1))
        for item, start in zip(packet, starts):
            node = OutlineItem(item.title(blind), start - 1)
            node.children.append(OutlineItem("评分表", start - 1 + item.pages))
            outline.root.append(node)
        outline.root.append(OutlineItem("评分汇总表", summary_start - 1))

    _watermark(pdf, expert, date)
    pdf.docinfo = pdf.make_indirect(Dictionary(
        Title=f"{program.get('名称') or '专家评审'} 评审材料（{expert.group} {expert.name}）", Creator="kexie"))
    if "/Metadata" in pdf.Root:
        del pdf.Root.Metadata
    target = out / f"{expert.stem}.pdf"
    tmp = out / f".tmp-{expert.stem}.pdf"
    try:
        pdf.save(tmp)
        pdf.close()
        front.close()
        if blind:
            strings = [s for item in packet for s in sensitive_strings(item.fields)
                       if fold(s) != fold(expert.name)]
            found = text_leaks(tmp.read_bytes(), strings, plumber=False)
            if found:
                raise RedactionFailed(target, found, where="评审包")
        move_atomic(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return {"expert": expert.name, "unit": expert.unit, "group": expert.group, "file": target.name,
            "pages": summary_start - 1 + n_summary, "sha256": sha256_file(target),
            "submissions": [item.code for item in packet]}


def _watermark(pdf, expert: Expert, date: str) -> None:
    """Overlay the expert's watermark on every page (one overlay object per page size)."""
    import pikepdf
    from pikepdf import Rectangle

    from .pdfpages import watermark_pages

    sizes, keys = [], []
    for page in pdf.pages:
        box = Rectangle(page.mediabox)
        key = (round(box.width, 1), round(box.height, 1))
        keys.append((key, box))
        if key not in sizes:
            sizes.append(key)
    marks = pikepdf.open(io.BytesIO(watermark_pages(expert.name, sizes, date)))
    forms = {key: pdf.copy_foreign(marks.pages[i].as_form_xobject()) for i, key in enumerate(sizes)}
    for page, (key, box) in zip(pdf.pages, keys):
        page.add_overlay(forms[key], box)
    marks.close()


def _write_assignment(out: Path, plan: Plan, submissions: list[Submission], blind: bool) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "分配表"
    sheet.append(["编号", "文件", "申报单位", "试点单位", "组别", "评审专家", "专家单位", "是否分发", "说明"])
    for d in plan.decisions:
        s = d.submission
        sheet.append([s.code, s.file.name, s.applicant, s.pilot, s.group, d.expert.name, d.expert.unit,
                      "是" if d.reviews else "否", d.reason])
    for s in plan.unreviewed:
        sheet.append([s.code, s.file.name, s.applicant, s.pilot, s.group, "", "", "否",
                      "本组专家均须回避，无人评审：请调整组别或增补专家"])
    excluded = book.create_sheet("未纳入")
    excluded.append(["编号", "文件", "申报单位", "试点单位", "原因"])
    for s in submissions:
        if s.reason:
            excluded.append([s.code, str(s.file), s.applicant, s.pilot, s.reason])
    for ws, widths in ((sheet, (8, 30, 26, 26, 10, 10, 26, 9, 36)), (excluded, (8, 40, 26, 26, 60))):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = w
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(out / "assignment.xlsx", buffer.getvalue())


def _write_manifest(out: Path, plan: Plan, submissions: list[Submission], result: PacketResult,
                    program: dict, blind: bool, today: _dt.date, inputs: dict) -> Path:
    by_code = {s.code: s for s in submissions}

    def described(s: Submission) -> dict:
        entry = {"code": s.code, "file": str(s.file), "sha256": s.sha256 or _hash_or_none(s.file),
                 "申报单位": s.applicant, "试点单位": s.pilot, "group": s.group or None, "pages": s.pages}
        if s.blind is not None:
            entry["blind"] = {"pages_withheld": s.blind.withheld, "pages_scanned": s.blind.scanned,
                              "boxes_painted": s.blind.painted, "ocr": s.blind.ocr}
        return entry

    packets = []
    for entry in result.packets:
        entry = dict(entry)
        codes = entry.pop("submissions")
        entry["inputs"] = [{"code": c, "file": str(by_code[c].file), "sha256": by_code[c].sha256}
                           for c in codes]
        entry["withheld"] = [{"code": d.submission.code, "file": str(d.submission.file), "reason": d.reason}
                             for d in plan.decisions if d.expert.name == entry["expert"]
                             and d.expert.group == entry["group"] and not d.reviews]
        packets.append(entry)
    manifest = {
        "programme": program.get("名称"),
        "date": today.isoformat(),
        "blind": blind,
        "inputs": {k: {"file": str(v), "sha256": _hash_or_none(v)} for k, v in inputs.items() if v},
        "groups": plan.groups,
        "submissions": [described(s) for s in submissions if not s.reason],
        "excluded": [dict(described(s), reason=s.reason, failed=s.failed) for s in submissions if s.reason],
        "unreviewed": [{"code": s.code, "file": str(s.file), "group": s.group} for s in plan.unreviewed],
        "assignment": [{"code": d.submission.code, "expert": d.expert.name, "group": d.expert.group,
                        "reviews": d.reviews, "reason": d.reason} for d in plan.decisions],
        "packets": packets,
        "experts_without_submissions": [{"expert": e.name, "group": e.group} for e in result.idle],
        "refused": [e.message for e in result.errors],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    return write_atomic(out / "manifest.json", text.encode("utf-8"))


def _hash_or_none(path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None
