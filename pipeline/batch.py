"""Extraction over many files, remembered in a SQLite workspace keyed by content hash.

A rerun extracts only new or changed files; a run killed half-way (kill -9) keeps every file
finished before, because each is committed as it arrives. The extraction of one file is a pure
function of its bytes and the form definition, so it runs in a process pool (and could run on a
cluster engine) while this process alone writes the workspace.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import as_completed
from pathlib import Path
from typing import Callable

from .extract import extract_file
from .files import sha256_bytes, sha256_file
from .forms import FormDefinition
from .read.ocr import share_cores
from .workspace import open_store
from .processes import worker_pool
from .messages import exception_kind

DEFAULT_WORKSPACE = Path("outputs") / "kexie.sqlite"
#: bump when extraction changes in a way that makes stored results stale
EXTRACTOR_VERSION = "2"  # 2: marks with confidence and reason, fields with confidence, doubts

_SCHEMA = """
CREATE TABLE IF NOT EXISTS extractions (
    sha256  TEXT NOT NULL,     -- the file's content
    form    TEXT NOT NULL,     -- hash of the form definition and the extractor version
    entry   TEXT NOT NULL,     -- the extraction entry as JSON (without the file path)
    PRIMARY KEY (sha256, form)
);
CREATE TABLE IF NOT EXISTS files (
    path    TEXT PRIMARY KEY,  -- last seen path of a file
    sha256  TEXT NOT NULL,
    size    INTEGER NOT NULL,
    mtime   REAL NOT NULL
);
"""


class Workspace:
    """The SQLite file that remembers extractions between runs."""

    def __init__(self, path=DEFAULT_WORKSPACE):
        self.path = Path(path)
        self.db = open_store(self.path, _SCHEMA)

    def close(self) -> None:
        self.db.close()

    def file_hash(self, path: Path) -> str:
        """The content hash, reusing the stored one while size and mtime are unchanged."""
        try:
            stat = path.stat()
        except OSError:
            return ""
        row = self.db.execute("SELECT sha256, size, mtime FROM files WHERE path = ?", (str(path),)).fetchone()
        if row and row[1] == stat.st_size and row[2] == stat.st_mtime:
            return row[0]
        try:
            digest = sha256_file(path)
        except OSError:
            return ""
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                        (str(path), digest, stat.st_size, stat.st_mtime))
        return digest

    def lookup(self, digest: str, form_key: str) -> dict | None:
        row = self.db.execute("SELECT entry FROM extractions WHERE sha256 = ? AND form = ?",
                              (digest, form_key)).fetchone()
        return json.loads(row[0]) if row else None

    def store(self, digest: str, form_key: str, entry: dict) -> None:
        data = {k: v for k, v in entry.items() if k != "file"}
        self.db.execute("INSERT OR REPLACE INTO extractions VALUES (?, ?, ?)",
                        (digest, form_key, json.dumps(data, ensure_ascii=False)))


def form_key(form: FormDefinition) -> str:
    return sha256_bytes(form.path.read_bytes() + EXTRACTOR_VERSION.encode())


def extract_all(paths: list[Path], form: FormDefinition, workspace: Workspace, *, jobs: int | None = None,
                progress: Callable[[int], None] | None = None) -> list[tuple[dict, str]]:
    """(entry, sha256) for every path, in order: from the workspace, or extracted now."""
    key = form_key(form)
    results: list[tuple[dict, str] | None] = [None] * len(paths)
    todo = []
    for i, path in enumerate(paths):
        digest = workspace.file_hash(path)
        cached = workspace.lookup(digest, key) if digest else None
        if cached is not None:
            results[i] = ({"file": str(path), **cached}, digest)
            if progress:
                progress(1)
        else:
            todo.append((i, path, digest))
    jobs = jobs or os.cpu_count() or 1
    attempts = {i: 0 for i, _p, _d in todo}
    while todo:
        # A worker that dies (a file that crashes the PDF library) breaks the whole pool; the
        # files in flight are retried in a new pool, and a file that breaks it twice is reported.
        retry = []
        workers = max(1, min(jobs, len(todo)))
        with worker_pool(workers, share_cores, (workers,)) as pool:
            futures = {pool.submit(extract_file, path, form): (i, path, digest) for i, path, digest in todo}
            for future in as_completed(futures):
                i, path, digest = futures[future]
                try:
                    entry = future.result()
                except Exception as exc:  # BrokenProcessPool, or a bug: the batch must go on
                    attempts[i] += 1
                    if attempts[i] < 2:
                        retry.append((i, path, digest))
                        continue
                    entry = _crashed(path, form, exc)
                results[i] = _finish(workspace, key, entry, digest, progress)
        todo = retry
    return results  # type: ignore[return-value]


def _crashed(path: Path, form: FormDefinition, exc: Exception) -> dict:
    from .errors import UnreadableDocument

    error = UnreadableDocument(path, f"处理时程序异常退出，文件可能已损坏（{exception_kind(exc)}）")
    return {"file": str(path), "form": form.name, "status": "error", "source": None,
            "fields": {}, "marks": {}, "error": {"kind": error.kind, "message": error.message}}


def _finish(workspace, key, entry, digest, progress):
    # Unreadable files are not remembered: the reason may be on our side (a missing tool),
    # and a fixed machine should try them again.
    if digest and entry.get("status") != "error":
        workspace.store(digest, key, entry)
    if progress:
        progress(1)
    return entry, digest
