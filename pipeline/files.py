"""Writing outputs atomically and hashing inputs."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterable


def write_atomic(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def move_atomic(src, dest) -> Path:
    """Move a finished file into place (same file system: an atomic rename)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dest)
    except OSError:  # another file system: copy to a temporary name beside dest, then rename
        write_atomic(dest, Path(src).read_bytes())
        Path(src).unlink(missing_ok=True)
    return dest


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
