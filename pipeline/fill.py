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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .convert import convert_to_pdf
from .errors import KexieError
from .files import move_atomic, sha256_bytes, sha256_file, write_atomic
from .naming import NameAllocator, expand_pattern, safe_filename
from .program import announcement_period
from .records import Record
from .render import TemplateSpec, build_context, check_encodable, make_environment, render_docx
from .workspace import open_store
from .processes import worker_pool

MANIFEST = ".kexie-fill.sqlite"
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
    pattern = name_pattern or spec.name_pattern
    template_hash = sha256_bytes(spec.blob)
    extra = _derived(program)
    for leftover in out_dir.glob(".tmp-*"):  # half-written files of a run that was killed
        leftover.unlink(missing_ok=True)
    store = open_store(out_dir / MANIFEST, _SCHEMA)
    try:
        allocator = NameAllocator(_foreign_names(out_dir, store))
        results: list[FillResult] = []
        pending: list[tuple[FillResult, dict, str, bool]] = []
        for label, context in _jobs(spec, records, program, extra, today):
            try:
                check_encodable(spec, context, label)
                stem = allocator.claim(safe_filename(expand_pattern(pattern, context, spec.name, label)),
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


def _jobs(spec, records, program, extra, today):
    """(label, context) pairs: one per record, or a single one holding all records."""
    if spec.aggregate:
        rows = [r.fields for r in records]
        context = build_context(spec, {"记录": rows}, program, extra, today)
        return [("全部记录", context)]
    return [(r.label, build_context(spec, r.fields, program, extra, today)) for r in records]


def _derived(program: dict | None) -> dict:
    """Values computed from the programme that templates may use (公示期)."""
    if program and program.get("公示", {}).get("开始"):
        start, end = announcement_period(program)
        return {"公示期": {"开始": start, "结束": end}}
    return {}


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
