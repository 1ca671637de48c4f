"""Writing the packets: per expert one PDF (cover, 目录, each submission followed by its 评分表
page, 汇总表; bookmarks, page labels, the expert's watermark on every page) and one score sheet,
each written under a temporary name and renamed. The run gets an id, stamped on every score sheet,
and is recorded (experts, assignment, each sheet's fixed cells, the manifest's path and hash) in
the manifest and in the workspace, for ``kexie scores`` (:mod:`pipeline.runs`).

The run's folder holds two folders: :data:`PACKETS_DIR` with what is sent to experts (each one's
PDF and score sheet) and :data:`OFFICE_DIR` beside it with what stays in the office
(assignment.xlsx and manifest.json name every unit and expert, even in blind mode), so that
sending a folder to the experts never sends the office's files along."""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KexieError, RedactionFailed
from ..files import move_atomic, sha256_file
from ..runs import PacketRun, expert_ids, new_run_id, record_run
from ..text import fold
from .assign import Plan
from .experts import Expert
from .redact import sensitive_strings, text_leaks
from .submissions import Submission
from .tables import write_assignment, write_manifest

#: the folders of a run's output: what goes to the experts, and what stays in the office
PACKETS_DIR = "评审包"
OFFICE_DIR = "办公室"

#: the five criteria of seed 000 (第十四条), equally weighted, when the programme names none
DEFAULT_CRITERIA = [{"名称": name, "权重": 20, "满分": 100} for name in
                    ("针对性", "创新性", "规范性", "实效性", "完整性")]


@dataclass
class PacketResult:
    """What a run wrote and what it left out."""

    out_dir: Path  # the run's folder, holding PACKETS_DIR and OFFICE_DIR
    packets: list[dict] = field(default_factory=list)  # manifest entries of the written packets
    excluded: list[Submission] = field(default_factory=list)
    failed: list[Submission] = field(default_factory=list)  # excluded because unreadable now
    unreviewed: list[Submission] = field(default_factory=list)
    idle: list[Expert] = field(default_factory=list)  # experts with nothing to review
    errors: list[KexieError] = field(default_factory=list)  # packets refused (redaction check)
    manifest: Path | None = None
    assignment: Path | None = None
    run: PacketRun | None = None

    @property
    def ok(self) -> bool:
        return not (self.failed or self.unreviewed or self.errors)


def criteria_of(program: dict) -> list[dict]:
    criteria = program.get("评审标准") or DEFAULT_CRITERIA
    return [dict(c, 满分=c.get("满分") if c.get("满分") is not None else 100) for c in criteria]


def write_packets(plan: Plan, submissions: list[Submission], out_dir, *, program: dict, blind: bool,
                  today: _dt.date, inputs: dict | None = None, progress=None, workspace=None) -> PacketResult:
    """Write every expert's packet and score sheet into ``out_dir/评审包``, then assignment.xlsx
    and manifest.json into ``out_dir/办公室``; the run is recorded in the manifest and, when
    given, in ``workspace``."""
    import pikepdf

    from ..scoresheet import expected_cells, write_score_sheet
    from .pages import score_pages

    root = Path(out_dir)
    out, office = root / PACKETS_DIR, root / OFFICE_DIR
    out.mkdir(parents=True, exist_ok=True)
    office.mkdir(parents=True, exist_ok=True)
    result = PacketResult(out_dir=root, unreviewed=list(plan.unreviewed))
    result.excluded = [s for s in submissions if s.reason]
    result.failed = [s for s in submissions if s.failed]
    criteria = criteria_of(program)
    included = [s for s in submissions if not s.reason]
    scores = pikepdf.open(io.BytesIO(score_pages([s.title(blind) for s in included], criteria)))
    score_page = {s.code: scores.pages[i] for i, s in enumerate(included)}
    ids = dict(zip(map(id, plan.experts), expert_ids(plan.experts)))  # Expert objects → E01 …
    result.run = run = _new_run(plan, included, ids)
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
                              criteria, title=f"{program.get('名称') or ''}专家评审评分表".strip(),
                              columns=("编号", *(key for key, _ in packet[0].columns)),
                              run_id=run.id, expert_id=ids[id(expert)])
            run.sheets[ids[id(expert)]] = expected_cells(sheet)
            entry["score_sheet"], entry["expert_id"] = sheet.name, ids[id(expert)]
            result.packets.append(entry)
        except RedactionFailed as exc:
            result.errors.append(exc)
        if progress:
            progress(1)
    result.assignment = write_assignment(office, plan, submissions, blind)
    result.manifest = write_manifest(office, plan, submissions, result, program, blind, today, inputs or {},
                                     packets_folder=f"../{PACKETS_DIR}")
    run.manifest, run.manifest_sha256 = str(result.manifest.resolve()), sha256_file(result.manifest)
    if workspace is not None:
        record_run(workspace, run)
    for item in submissions:
        if item.source is not None:
            item.source.close()
    scores.close()
    return result


def _new_run(plan: Plan, included: list[Submission], ids: dict) -> PacketRun:
    """The run's record before its sheets are written: experts by id, the assignment, the submissions."""
    return PacketRun(
        id=new_run_id(), created=_dt.datetime.now().isoformat(timespec="seconds"),
        experts={ids[id(e)]: {"name": e.name, "unit": e.unit, "group": e.group} for e in plan.experts},
        assignment=[{"code": d.submission.code, "expert": ids[id(d.expert)], "reviews": d.reviews,
                     "reason": d.reason} for d in plan.decisions],
        submissions={s.code: {"编号": s.code, **dict(s.columns), "组别": s.group} for s in included})


def _sheet_row(item: Submission, blind: bool) -> dict:
    """A submission's row of the score sheet: its code, then the form's identity columns."""
    return {"编号": item.code, **{key: "（匿名）" if blind else value for key, value in item.columns}}


def _write_packet(out: Path, expert: Expert, packet: list[Submission], score_page: dict, *,
                  program: dict, criteria: list[dict], blind: bool, today: _dt.date) -> dict:
    import pikepdf
    from pikepdf import Array, Dictionary, Name, OutlineItem

    from .pages import contents_page_count, front_and_summary, summary_page_count

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
            # kexie's own pages name the expert, his group and the programme (「2026年度上海市科协…」
            # names the province of every applicant): what they say is no leak of a submission's
            own = fold(" ".join(str(v or "") for v in (expert.name, expert.group, program.get("名称"),
                                                     program.get("发文机关"))))
            strings = [s for item in packet for s in sensitive_strings(item.fields, item.form)
                       if fold(s) not in own]
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

    from .pages import watermark_pages

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

