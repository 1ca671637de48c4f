"""The project events kept in the workspace (the SQLite file of ``--db``), one row per event.

``kexie record`` adds events in one transaction: a batch with one bad row leaves nothing written.
A suspension's end is kept with the event that brings it, so ``kexie validate`` of another year's
call needs no other programme file to know who may not apply.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..errors import DataFileError
from ..messages import exception_kind
from ..text import fold
from ..workspace import open_store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS project_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    program   TEXT NOT NULL,     -- the programme's 名称
    unit      TEXT NOT NULL,     -- the unit as written
    unit_key  TEXT NOT NULL,     -- the unit folded (full-width, spaces), for matching
    kind      TEXT NOT NULL,     -- 任务书, 中期, 验收, 延期, 拨款 … (pipeline/data/project_events.yaml)
    date      TEXT NOT NULL,     -- when it happened (ISO 8601)
    result    TEXT,              -- 通过, 验收不通过 …
    months    INTEGER,           -- an extension's months
    amount    TEXT,              -- yuan, as a decimal string
    suspended_until TEXT,        -- the unit may not apply before this day (ISO), when the event suspends
    by        TEXT,
    note      TEXT,
    at        TEXT NOT NULL      -- when it was recorded
);
CREATE INDEX IF NOT EXISTS project_events_unit ON project_events (program, unit_key);
"""


@dataclass
class Event:
    """One thing that happened to a project."""

    unit: str
    kind: str
    date: _dt.date
    result: str = ""
    months: int | None = None
    amount: Decimal | None = None
    by: str = ""
    note: str = ""
    program: str = ""
    suspended_until: _dt.date | None = None

    @property
    def key(self) -> str:
        return fold(self.unit)


def open_events(workspace):
    """The workspace file with its events table; a file that is no SQLite database is refused."""
    try:
        return open_store(Path(workspace), _SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise DataFileError(workspace, f"不是 kexie 的工作区数据库（SQLite：{exception_kind(exc)}），"
                                       "请用 --db 指明 kexie validate、kexie record 所用的工作区") from None


def _event(row) -> Event:
    program, unit, kind, date, result, months, amount, until, by, note = row
    return Event(unit, kind, _dt.date.fromisoformat(date), result or "", months,
                 Decimal(amount) if amount is not None else None, by or "", note or "", program,
                 _dt.date.fromisoformat(until) if until else None)


_COLUMNS = "program, unit, kind, date, result, months, amount, suspended_until, by, note"


def read_events(db, program: str | None = None) -> list[Event]:
    """The events of ``program`` (all programmes: None), in the order they happened."""
    where, args = ("WHERE program = ?", (program,)) if program is not None else ("", ())
    rows = db.execute(f"SELECT {_COLUMNS} FROM project_events {where} ORDER BY date, id", args).fetchall()
    return [_event(row) for row in rows]


def load_events(workspace, program: str | None = None) -> list[Event]:
    """The events kept in a workspace file (none when the file does not exist)."""
    if not Path(workspace).is_file():
        return []
    db = open_events(workspace)
    try:
        return read_events(db, program)
    finally:
        db.close()


def insert_event(db, event: Event) -> None:
    db.execute(f"INSERT INTO project_events ({_COLUMNS}, unit_key, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (event.program, event.unit, event.kind, event.date.isoformat(), event.result or None,
                event.months, str(event.amount) if event.amount is not None else None,
                event.suspended_until.isoformat() if event.suspended_until else None, event.by or None,
                event.note or None, event.key, _dt.datetime.now().isoformat(timespec="seconds")))
