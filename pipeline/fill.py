"""Fill a template from records: one document per record (or one from all), DOCX and PDF.

The batch never stops at a bad record: each failure is kept with its reason and the others
are still rendered. Outputs are written atomically. A small SQLite manifest in the output folder
remembers what was written, so a rerun skips documents already done (resume after a crash),
regenerates its own outputs when the data changed, and never overwrites a file it did not
write or that someone has since edited — such a name gets a number instead.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .convert import convert_to_pdf
from .errors import KexieError
from .files import move_atomic, sha256_bytes, sha256_file, write_atomic
from .naming import NameAllocator, expand_pattern, safe_filename
from .needs import ROWS, Needs, read_needs, record_error
from .program import check_template_name, derived_values
from .records import Record
from .render import TemplateSpec, build_context, check_encodable, default_name, make_environment, render_docx
from .workspace import open_store
from .processes import worker_pool

MANIFEST = ".kexie-fill.sqlite"
#: the label of the one document an aggregate template (汇总) makes from all records
ALL_RECORDS = "全部记录"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS outputs (
    name   TEXT PRIMARY KEY,   -- file name inside the output folder
    input  TEXT NOT NULL,      -- hash of template + context: same input, same document
    sha256 TEXT NOT NULL       -- hash of the bytes written
);
-- every version ever written under a name: a file whose hash is not here was made or edited
-- by someone else. Recorded before the rename, so a crash in between still knows the file.
CREATE TABLE IF NOT EXISTS written (
    name   TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (name, sha256)
);
"""


@dataclass
class FillResult:
    """What happened to one record."""

    record: str
    status: str  # "written" | "updated" | "unchanged" | "failed"
    docx: Path | None = None
    pdf: Path | None = None
    error: KexieError | None = None


def fill(spec: TemplateSpec, records: list[Record], out_dir, *, pdf: bool = False,
         name_pattern: str | None = None, program: dict | None = None,
         today: _dt.date | None = None, jobs: int | None = None,
         progress: Callable[[int], None] | None = None) -> list[FillResult]:
    """Render ``records`` through ``spec`` into ``out_dir``; return one result per document.

    Rendering runs in a pool of ``jobs`` processes (default: the core count) for batches;
    files are written and recorded by this process only, one at a time, as each finishes.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    needs = read_needs(spec)
    pattern = name_pattern or spec.name_pattern
    template_hash = sha256_bytes(spec.blob)
    for leftover in out_dir.glob(".tmp-*"):  # half-written files of a run that was killed
        leftover.unlink(missing_ok=True)
    store = open_store(out_dir / MANIFEST, _SCHEMA)
    try:
        allocator = NameAllocator(_foreign_names(out_dir, store))
        results: list[FillResult] = []
        pending: list[tuple[FillResult, dict, str, bool]] = []
        for job in _jobs(spec, records, program, today, needs):
            label, context = job.record, job.context
            try:
                if job.error is not None:
                    raise job.error
                check_encodable(spec, context, label)
                stem = allocator.claim(safe_filename(expand_pattern(pattern or job.name, context, spec.name, label)),
                                       (".docx", ".pdf"))
            except KexieError as exc:
                results.append(FillResult(label, "failed", error=exc))
                continue
            result = FillResult(label, "written", docx=out_dir / f"{stem}.docx")
            results.append(result)
            input_hash = _input_hash(template_hash, context)
            row = store.execute("SELECT input FROM outputs WHERE name = ?", (result.docx.name,)).fetchone()
            if row and row[0] == input_hash and result.docx.is_file():
                result.status = "unchanged"
            else:
                pending.append((result, context, input_hash, row is not None))
        if progress:
            progress(len(results) - len(pending))
        outcomes = _render_all(spec, [(r.record, c) for r, c, _h, _e in pending], jobs)
        for (result, _context, input_hash, existed), outcome in zip(pending, outcomes):
            if isinstance(outcome, KexieError):
                result.status, result.error, result.docx = "failed", outcome, None
            else:
                _record_output(store, out_dir, result.docx, outcome, input_hash)
                result.status = "updated" if existed else "written"
            if progress:
                progress(1)
        if pdf:
            _convert(results, out_dir, store, progress)
    finally:
        store.close()
    return results


@dataclass
class Job:
    """One document to make: its record label, context, default name, and what stops it."""

    record: str
    context: dict | None
    name: str = ""
    missing: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)
    error: KexieError | None = None


def _jobs(spec, records, program, today, needs: Needs) -> list[Job]:
    """One job per record, or one holding all records (and one failed job per record it leaves
    out): a record lacking a value, or leaving one blank, is stopped with its reason."""
    check_template_name(spec, program)  # 任务书 or 责任书, as the programme signs
    extra = derived_values(program)
    if spec.aggregate:
        rows = [v for v in needs.variables if v.startswith(ROWS)]
        jobs, kept = [], []
        for record in records:
            fields = dict(record.fields)
            missing, blank, error = record_error(spec.name, needs, fields, record.label,
                                                 [v[len(ROWS):] for v in rows])
            if error is not None:
                jobs.append(Job(record.label, None, missing=missing, blank=blank, error=error))
            else:
                kept.append(record.fields)
        if records and not kept:
            return jobs
        context = build_context(spec, {"记录": kept}, program, extra, today)
        others = [v for v in needs.variables if not v.startswith(ROWS)]
        missing, blank, error = record_error(spec.name, needs, context, ALL_RECORDS, others)
        return jobs + [Job(ALL_RECORDS, context, spec.name, missing, blank, error)]
    jobs = []
    for position, record in enumerate(records, 1):
        context = build_context(spec, record.fields, program, extra, today)
        missing, blank, error = record_error(spec.name, needs, context, record.label)
        # a blank stops the record here; for an absent value the render itself is the judge (Jinja's
        # strict undefined), so a name the reading of the template mistook for data never stops one
        jobs.append(Job(record.label, context, default_name(spec, record.fields, position, len(records)),
                        missing, blank, error if blank else None))
    return jobs


def rehearse(spec: TemplateSpec, records, program: dict | None, today=None, needs: Needs | None = None,
             ) -> list[Job]:
    """Take every step ``fill`` takes for each document, in memory, writing nothing; each job's
    ``error`` is what fill would stop it with. ``records`` None: the programme alone is checked."""
    needs = needs or read_needs(spec)
    only_program = records is None
    if only_program:  # as fill without --data: one document from the programme (none rows in a 汇总)
        records = [] if spec.aggregate else [Record(fields={}, label="计划文件")]
    jobs = _jobs(spec, records, program, today, needs)
    env = make_environment()
    planned = lambda paths: [v for v in paths if v.split(".")[0] in ("计划", "公示期")]  # noqa: E731
    for job in jobs:
        if only_program:  # without data, only what the programme must supply is asked of it
            job.missing, job.blank = planned(job.missing), planned(job.blank)
            if job.error is not None and not job.blank:
                job.error = None
            if _needs_data(needs):  # no trial without the data the template reads
                continue
        if job.error is not None:
            continue
        try:
            check_encodable(spec, job.context, job.record)
            expand_pattern(spec.name_pattern or job.name, job.context, spec.name, job.record)
            render_docx(spec, job.context, record=job.record, env=env)
        except KexieError as exc:
            job.error = exc
            variable = getattr(exc, "variable", None)
            if variable and variable not in job.missing:
                job.missing.append(variable)
        else:
            job.missing = []  # rendered: nothing it needs is absent
    return jobs


def _needs_data(needs: Needs) -> bool:
    """Whether the template reads values only a data file can give (so no trial without one)."""
    return any(v.split(".")[0].split("[")[0] not in ("计划", "公示期", "今天", "loop") for v in needs.variables)


def _foreign_names(out_dir: Path, store) -> set[str]:
    """Names in the folder we must not overwrite: not ours, or edited since we wrote them."""
    ours: dict[str, set[str]] = {}
    for name, digest in store.execute("SELECT name, sha256 FROM written"):
        ours.setdefault(name, set()).add(digest)
    taken = set()
    for path in out_dir.iterdir():
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.name not in ours or sha256_file(path) not in ours[path.name]:
            taken.add(path.name)
    return taken


def _record_output(store, out_dir: Path, target: Path, data: bytes, input_hash: str) -> None:
    digest = sha256_bytes(data)
    store.execute("INSERT OR IGNORE INTO written VALUES (?, ?)", (target.name, digest))
    write_atomic(target, data, guard=False)  # fill's manifest is this folder's own ledger
    store.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?)", (target.name, input_hash, digest))
    # a stale PDF of an earlier version must not survive beside the new DOCX
    pdf_name = f"{target.stem}.pdf"
    if store.execute("DELETE FROM outputs WHERE name = ?", (pdf_name,)).rowcount:
        (out_dir / pdf_name).unlink(missing_ok=True)


#: below this many documents a process pool costs more than it saves
POOL_THRESHOLD = 16
_worker: dict = {}


def _render_all(spec: TemplateSpec, items: list[tuple[str, dict]], jobs: int | None):
    """Yield, in order, the .docx bytes or the KexieError of each (label, context)."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(items) < POOL_THRESHOLD:
        _init_worker(spec)
        for item in items:
            yield _render_one(item)
        return
    with worker_pool(jobs, _init_worker, (spec,)) as pool:
        yield from pool.map(_render_one, items, chunksize=4)


def _init_worker(spec: TemplateSpec) -> None:
    _worker.update(spec=spec, env=make_environment(), blob=spec.blob)


def _render_one(item: tuple[str, dict]):
    label, context = item
    try:
        return render_docx(_worker["spec"], context, record=label, env=_worker["env"], blob=_worker["blob"])
    except KexieError as exc:
        return exc


def _input_hash(template_hash: str, context: dict) -> str:
    payload = json.dumps(context, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((template_hash + payload).encode("utf-8")).hexdigest()


def _convert(results: list[FillResult], out_dir: Path, store, progress) -> None:
    """Add PDFs for every rendered document that lacks one, in one LibreOffice run.

    PDFs are made in a hidden staging folder beside the outputs, recorded, then renamed into
    place: a crash at any point leaves either no PDF or one the manifest knows.
    """
    pending = {}
    for result in results:
        if result.docx is None:
            continue
        pdf_path = out_dir / f"{result.docx.stem}.pdf"
        if result.status == "unchanged" and pdf_path.is_file():
            result.pdf = pdf_path
            if progress:
                progress(1)
        else:
            pending[result.docx] = result
    staging = out_dir / ".kexie-pdf"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        outcome = convert_to_pdf(list(pending), staging, on_done=(lambda _p: progress(1)) if progress else None)
        for docx, produced in outcome.items():
            result = pending[docx]
            if isinstance(produced, KexieError):
                result.status, result.error = "failed", produced
                continue
            digest = sha256_file(produced)
            store.execute("INSERT OR IGNORE INTO written VALUES (?, ?)", (produced.name, digest))
            result.pdf = move_atomic(produced, out_dir / produced.name, guard=False)
            store.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?)", (produced.name, "pdf", digest))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
