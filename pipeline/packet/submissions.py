"""The submissions going into packets: read from a validation report or from PDFs, numbered,
those left out with the reason, and each prepared once (its blind copy made once)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import (
    ActiveContentLeft,
    DataFileError,
    KexieError,
    NoIdentity,
    UnreadableDocument,
    UsageProblem,
)
from ..files import collect_pdfs, sha256_file
from ..forms import FormDefinition, text_value
from ..messages import exception_kind
from ..processes import worker_pool
from ..report.validation import file_in_report
from ..report.wording import STATUS_TEXT
from .clean import active_parts, strip_active
from .redact import blind_copy, sensitive_strings


@dataclass
class Submission:
    """One submission going into packets (or left out, with ``reason``)."""

    code: str
    file: Path
    form: FormDefinition
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
        """The unit that handed it in (the form's ``identity.applicant``)."""
        return self.form.applicant_of(self.fields)

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(key, value) of the form's identity columns: what tables show beside the submission."""
        keys = self.form.identity.columns if self.form.identity else ()
        return [(key, text_value(self.fields.get(key))) for key in keys]

    @property
    def units(self) -> list[tuple[str, str]]:
        """(key, value) of the units an expert of which must not review it."""
        keys = self.form.identity.conflicts if self.form.identity else ()
        return [(key, text_value(self.fields.get(key))) for key in keys]

    def title(self, blind: bool) -> str:
        """The Chinese title of its bookmark, 目录 line and 评分表."""
        if blind:
            return f"申报材料 {self.code}"
        return f"{self.code} {self.applicant or self.file.stem}"


def load_submissions(inputs, form: FormDefinition, *, include_incomplete: bool = False,
                     workers: int = 1, progress=None, workspace=None) -> list[Submission]:
    """All submissions named by ``inputs`` (one validation report .json, or PDFs and folders),
    numbered by file name; those left out carry their ``reason``. PDFs are read with a person's
    decisions of ``workspace`` (kexie confirm) applied, as a validation report already has them."""
    inputs = [Path(p) for p in inputs]
    reports = [p for p in inputs if p.suffix.lower() == ".json"]
    if reports and len(reports) != len(inputs):
        raise DataFileError(reports[0], "验证报告（.json）不能与 PDF 文件或目录混在一起给出")
    entries: list[dict] = []
    if reports:
        for report in reports:
            entries += _report_entries(report, form)
    else:
        from ..extract import extract_files

        files = collect_pdfs(inputs, " PDF 申报材料")
        if not files:
            raise UsageProblem("没有给出任何申报材料（验证报告 .json、PDF 文件或目录）")
        entries = extract_files(files, form, workers=workers, progress=progress)
        if workspace is not None and Path(workspace).is_file():
            entries = _decided(entries, form, workspace)
        for entry in entries:
            entry["status"] = "complete" if entry["status"] == "ok" else entry["status"]
    entries.sort(key=lambda e: (Path(e["file"]).name, e["file"]))
    width = max(2, len(str(len(entries))))
    submissions = []
    for number, entry in enumerate(entries, start=1):
        fields = entry.get("fields") or {}
        group = text_value(entry.get("组别")) or text_value(fields.get("组别"))
        item = Submission(code=f"S{number:0{width}d}", file=Path(entry["file"]), form=form, fields=fields, group=group)
        status = entry.get("status")
        error = entry.get("error") or {}
        if entry.get("superseded_by"):  # the applicant handed in a later form (pipeline.validate.history)
            item.reason = f"已由后交的「{entry['superseded_by']}」取代（同一单位重新提交），不纳入评审"
        elif status == "error" or error:
            item.reason = f"读取失败：{error.get('message') or '文件无法读取'}"
            item.failed = True  # unreadable, now or already in 形式审查: exit 1, as --help says
        elif status != "complete" and not (include_incomplete and status in ("incomplete", "review")):
            problems = "；".join(_problem_text(p) for p in entry.get("problems") or [])
            item.reason = f"形式审查未通过（{STATUS_TEXT.get(status, '状态不明')}）" + (f"：{problems}" if problems else "")
        submissions.append(item)
    return submissions


def _decided(entries: list[dict], form: FormDefinition, workspace) -> list[dict]:
    """The entries with the decisions recorded for their files applied."""
    from ..decisions import Decisions, apply

    decisions = Decisions(workspace)
    try:
        return [apply(e, decisions.of(sha256_file(e["file"]), form.name)) if e.get("status") != "error" else e
                for e in entries]
    finally:
        decisions.close()


def _report_entries(path: Path, form: FormDefinition) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(path, "文件不存在") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(path, f"不是有效的 JSON 验证报告（{exception_kind(exc)}）") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(isinstance(e, dict) and "file" in e for e in files):
        raise DataFileError(path, "不是验证报告：应有「files」列表，每项含「file」「status」「fields」"
                                  "（请用 kexie validate 生成）")
    if isinstance(data.get("form"), str) and data["form"] != form.name:
        raise DataFileError(path, f"这是「{data['form']}」的验证报告，不是「{form.name}」的（请用 --form {data['form']}）")
    return [dict(entry, file=str(file_in_report(entry["file"], path))) for entry in files]


def _problem_text(problem) -> str:
    if isinstance(problem, dict):
        return str(problem.get("message") or problem.get("问题") or problem)
    return str(problem)


def prepare(submissions: list[Submission], *, blind: bool, workers: int = 1, progress=None) -> None:
    """Open each included submission once (blind: make its redacted copy), keep only what draws
    its pages (:mod:`pipeline.packet.clean`); mark failures."""
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
            # pages, not programs: no action, script or embedded file reaches an expert (blind or not)
            strip_active(item.source)
            left = active_parts(item.source)
            if left:
                raise ActiveContentLeft(item.file, left)
            item.pages = len(item.source.pages)
            if item.pages == 0:
                raise UnreadableDocument(item.file, "PDF 中没有任何页面")
        except KexieError as exc:
            item.reason, item.failed = f"无法打入评审包：{exc.message}", True
        except (pikepdf.PdfError, OSError, ValueError) as exc:
            error = UnreadableDocument(item.file, f"PDF 无法打开，可能已损坏（{exception_kind(exc)}）")
            item.reason, item.failed = f"无法打入评审包：{error.message}", True
        if progress:
            progress(1)


def _blind_copy_or_error(path: Path, fields: dict, form: FormDefinition):
    """The redacted copy of one submission, or the KexieError saying why there is none."""
    try:
        if form.identity is None or not form.applicant_of(fields or {}):
            raise NoIdentity(path, form.identity.applicant if form.identity else "交表单位（表单定义中没有 identity）")
        return blind_copy(path, sensitive_strings(fields, form), form)
    except KexieError as exc:
        return exc


def _blind_copies(submissions: list[Submission], workers: int) -> dict:
    """Redacted copies of the included submissions, in a process pool when ``workers`` > 1
    (rasterising and searching pages is CPU work; each copy depends only on its file)."""
    todo = [s for s in submissions if not s.reason and s.file.is_file()]
    paths, fields, forms = [s.file for s in todo], [s.fields for s in todo], [s.form for s in todo]
    if workers > 1 and len(todo) > 1:
        from ..read.ocr import share_cores

        # each worker's OCR threads get its share of the cores (the read-back of painted pages)
        with worker_pool(workers, initializer=share_cores, initargs=(workers,)) as pool:
            results = list(pool.map(_blind_copy_or_error, paths, fields, forms))
    else:
        results = [_blind_copy_or_error(p, f, m) for p, f, m in zip(paths, fields, forms)]
    return {s.code: r for s, r in zip(todo, results)}

