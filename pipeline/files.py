"""Writing outputs atomically, never over what kexie did not write, and hashing inputs.

The one rule for every command's outputs (the fill manifest's rule): a file is replaced only if
kexie wrote it and nobody has edited it since. A ledger (``$KEXIE_LEDGER``, else
``~/.local/state/kexie/written.sqlite``) keeps every version kexie wrote at each absolute path,
recorded *before* the rename, so a crash in between still knows the file; an existing file whose
hash is not in the ledger was made or edited by a person and is refused
(:class:`~pipeline.errors.OutputNotOurs`). The ledger lives outside the output folders: a folder
of packets sent to experts must not carry a list of every expert's file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import OutputNotOurs, UsageProblem, WriteFailed
from .processes import done_with_file, partial_file

_LEDGER_SCHEMA = """
CREATE TABLE IF NOT EXISTS written (
    path   TEXT NOT NULL,      -- the absolute path of an output
    sha256 TEXT NOT NULL,      -- a version kexie wrote there
    PRIMARY KEY (path, sha256)
);
"""


def ledger_path() -> Path:
    if os.environ.get("KEXIE_LEDGER"):
        return Path(os.environ["KEXIE_LEDGER"])
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return state / "kexie" / "written.sqlite"


def _ledger():
    from .workspace import open_store

    return open_store(ledger_path(), _LEDGER_SCHEMA)


def _key(path: Path) -> str:
    return str(path.parent.resolve() / path.name)


def _recorded(db, path: Path) -> bool:
    """Whether the ledger holds the version now at ``path`` as one kexie wrote there."""
    return db.execute("SELECT 1 FROM written WHERE path = ? AND sha256 = ?",
                      (_key(path), sha256_file(path))).fetchone() is not None


def is_ours(path) -> bool:
    """True when ``path`` does not exist, or holds a version kexie wrote there and nobody edited."""
    path = Path(path)
    if not path.exists():
        return True
    if not path.is_file() or not ledger_path().is_file():
        return False
    db = _ledger()
    try:
        return _recorded(db, path)
    finally:
        db.close()


def claim_output(path, digest: str) -> None:
    """Refuse to replace a file kexie did not write; record ``digest`` as ours before the rename
    (one look at the ledger for both)."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise OutputNotOurs(path)
    db = _ledger()
    try:
        if path.exists() and not _recorded(db, path):
            raise OutputNotOurs(path)
        db.execute("INSERT OR IGNORE INTO written VALUES (?, ?)", (_key(path), digest))
    finally:
        db.close()


def write_atomic(path, data: bytes, *, guard: bool = True) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half a file, and
    (``guard``) never over a file kexie did not write or a person edited since."""
    path = Path(path)
    with _writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        if guard:
            claim_output(path, sha256_bytes(data))
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
        partial_file(tmp)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        finally:
            done_with_file(tmp)
    return path


def move_atomic(src, dest, *, guard: bool = True) -> Path:
    """Move a finished file into place (same file system: an atomic rename), with the same guard."""
    dest = Path(dest)
    with _writing(dest):
        dest.parent.mkdir(parents=True, exist_ok=True)
        if guard:
            claim_output(dest, sha256_file(src))
        try:
            os.replace(src, dest)
        except OSError:  # another file system: copy to a temporary name beside dest, then rename
            write_atomic(dest, Path(src).read_bytes(), guard=False)
            Path(src).unlink(missing_ok=True)
    return dest


class _writing:
    """Turn the operating system's refusals while writing ``path`` into a Chinese WriteFailed."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, _tb):
        if isinstance(exc, OSError):
            raise WriteFailed(self.path, exc) from None
        if isinstance(exc, sqlite3.OperationalError):  # the ledger
            if "full" in str(exc):
                raise WriteFailed(ledger_path(), OSError(errno.ENOSPC, str(exc))) from None
            raise WriteFailed(ledger_path(), OSError(errno.EACCES, str(exc))) from None
        return False


def check_unzipped(source, limit: int, error) -> None:
    """Refuse, before opening, a zip (.docx, .xlsx) whose members unpack past ``limit`` bytes:
    ``error(source, reason)`` names the file. The sizes are the zip's own records."""
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the reader that follows says so in its own words
    if total > limit:
        raise error(source, f"解压后达 {total / 1048576:,.0f} MB，超过上限 {limit // 1048576} MB，"
                            "疑为恶意构造的文件，已拒绝打开")


def check_not_input(out, inputs: Iterable, what: str = "输入文件") -> None:
    """``--out`` may never be one of the inputs (nor overwrite a file the command reads)."""
    if out is None:
        return
    target = Path(out).resolve()
    for item in inputs:
        if Path(item).resolve() == target:
            raise UsageProblem(f"输出文件「{out}」就是{what}之一，写出会覆盖它；请用 --out 另指定一个文件")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def collect_pdfs(paths: Iterable, what: str = " PDF 文件") -> list[Path]:
    """Files as given, and every *.pdf directly inside a folder (sorted), each once.

    A missing file stays in the list, so that it is reported as a failed file rather than
    silently skipped; a folder without PDFs is a usage error.
    """
    from .errors import UsageProblem

    files: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".pdf" and p.is_file())
            if not found:
                raise UsageProblem(f"目录「{path}」中没有{what}")
        else:
            found = [path]
        for item in found:
            key = item.resolve()
            if key not in seen:
                seen.add(key)
                files.append(item)
    return files
