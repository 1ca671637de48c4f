"""kexie's own faults: each logged with its traceback, and named to the user in Chinese.

A bug must never be reported as a damaged file (「文件可能已损坏」), nor end a batch: the file it
struck gets an ``internal`` error entry, the others go on, and the command ends with exit 3.
The log is ``$KEXIE_LOG`` or ``outputs/kexie.log`` (appended to; one block per fault).
"""

from __future__ import annotations

import datetime as _dt
import os
import traceback
from pathlib import Path

from .errors import InternalError
from .messages import exception_kind


def log_path() -> Path:
    return Path(os.environ.get("KEXIE_LOG") or Path("outputs") / "kexie.log")


def internal_error(exc: BaseException, where: str) -> InternalError:
    """Log ``exc`` with its traceback and return the InternalError that names it to the user."""
    path = log_path()
    detail = exception_kind(exc)  # the class and text are in the log, for the maintainer
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        block = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with path.open("a", encoding="utf-8") as log:
            log.write(f"=== {_dt.datetime.now().isoformat(timespec='seconds')} pid {os.getpid()} {where}\n{block}\n")
        shown = str(path)
    except OSError:
        shown = None  # no log where we may write: the message still names the fault
    return InternalError(where, detail[:200], shown)
