"""A person's decisions about what the reader could not tell — or told wrong — and how they win.

``kexie confirm`` records, in the workspace, a value for a field or a mark of one file (「申报单位意见
.公章=有」, a corrected phone number), with who decided, when, a note, and what the reader had
said. Every later 形式审查 report and packet reads the file's fields with the decisions applied
and shows them as 人工确认. A decision belongs to the file's content (its SHA-256): a changed file
starts without it.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageProblem
from .forms import FormDefinition
from .workspace import open_store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256  TEXT NOT NULL,     -- the file's content
    form    TEXT NOT NULL,     -- the form's name
    key     TEXT NOT NULL,     -- the field or mark decided
    value   TEXT NOT NULL,     -- the value decided, as JSON
    reader  TEXT,              -- what the reader had said, as JSON
    by      TEXT NOT NULL,     -- who decided
    note    TEXT,
    at      TEXT NOT NULL      -- when (ISO 8601)
);
CREATE INDEX IF NOT EXISTS decisions_file ON decisions (sha256, form);
"""

#: what a person may write for a mark
YES = ("有", "是", "已盖", "已签", "true", "yes", "1", "√", "✓")
NO = ("无", "否", "未盖", "未签", "false", "no", "0", "×", "✗")
_ROW_KEY = re.compile(r"^(?P<table>[^\[\]]+)\[(?P<row>\d+)\]\.(?P<column>.+)$")


@dataclass
class Decision:
    key: str
    value: object
    by: str
    at: str
    note: str = ""
    reader: object = None

    def as_dict(self) -> dict:
        return {"value": self.value, "by": self.by, "at": self.at, "note": self.note, "reader": self.reader}


class Decisions:
    """The decisions kept in a workspace file (the SQLite file ``kexie validate`` uses)."""

    def __init__(self, path):
        self.path = Path(path)
        self.db = open_store(self.path, _SCHEMA)

    def close(self) -> None:
        self.db.close()

    def record(self, sha256: str, form: str, decision: Decision) -> None:
        self.db.execute("INSERT INTO decisions (sha256, form, key, value, reader, by, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (sha256, form, decision.key, json.dumps(decision.value, ensure_ascii=False),
                         json.dumps(decision.reader, ensure_ascii=False), decision.by, decision.note, decision.at))

    def of(self, sha256: str, form: str) -> dict[str, Decision]:
        """The decisions of one file, the latest for each key."""
        rows = self.db.execute("SELECT key, value, reader, by, note, at FROM decisions WHERE sha256 = ? AND form = ?"
                               " ORDER BY id", (sha256, form)).fetchall()
        return {key: Decision(key, json.loads(value), by, at, note or "", json.loads(reader) if reader else None)
                for key, value, reader, by, note, at in rows}


def parse_assignment(text: str, form: FormDefinition) -> tuple[str, object]:
    """「申报单位意见.公章=有」 → (key, True); 「试点单位负责人.手机=13805711234」 → (key, text).

    The key must be one of the form's fields (or a row table's cell 「主要参与团队[2].单位」); a
    mark takes 有 or 无 (是/否 …)."""
    key, equals, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not equals or not key:
        raise UsageProblem(f"「{text}」应写作「字段=值」，如「申报单位意见.公章=有」")
    row = _ROW_KEY.match(key)
    base = row.group("table") if row else key
    try:
        spec = form.field(base)
    except KeyError:
        import difflib

        close = difflib.get_close_matches(key, form.keys, n=1)
        hint = f"（是否要写「{close[0]}」？）" if close else ""
        raise UsageProblem(f"「{form.name}」没有字段「{key}」{hint}") from None
    if row:
        if spec.find != "rows" or row.group("column") not in dict(spec.columns):
            raise UsageProblem(f"「{base}」没有「{row.group('column')}」列")
        return key, value
    if spec.find == "rows":
        raise UsageProblem(f"「{key}」是行表，请逐格确认，如「{key}[0].{spec.columns[0][0]}=…」")
    if spec.is_mark:
        if value.lower() in YES:
            return key, True
        if value.lower() in NO:
            return key, False
        raise UsageProblem(f"「{key}」应写「有」或「无」，现为「{value}」")
    return key, value


def apply(entry: dict, decisions: dict[str, Decision]) -> dict:
    """The entry with the decisions in its fields and marks (a new dict; the entry is kept)."""
    if not decisions:
        return entry
    entry = json.loads(json.dumps(entry, ensure_ascii=False))  # a deep copy of plain data
    fields, marks = entry.setdefault("fields", {}), entry.setdefault("marks", {})
    confidence = entry.setdefault("confidence", {})
    for key, decision in decisions.items():
        row = _ROW_KEY.match(key)
        if row:
            rows = fields.setdefault(row.group("table"), [])
            index = int(row.group("row"))
            while len(rows) <= index:
                rows.append({})
            rows[index][row.group("column")] = decision.value
            continue
        fields[key] = decision.value
        confidence[key] = 1.0
        if key in marks:
            marks[key] = dict(marks[key], present=decision.value, confidence=1.0,
                              reason=f"人工确认（{decision.by}）")
    entry["doubts"] = [d for d in entry.get("doubts") or [] if d["field"] not in decisions]
    entry["decisions"] = {key: d.as_dict() for key, d in decisions.items()}
    return entry


def reader_said(entry: dict | None, key: str):
    """What the reader had said of ``key`` in an entry: the mark as found, or the value."""
    if not entry:
        return None
    if key in (entry.get("marks") or {}):
        return entry["marks"][key]
    row = _ROW_KEY.match(key)
    if row:
        rows = (entry.get("fields") or {}).get(row.group("table")) or []
        index = int(row.group("row"))
        return rows[index].get(row.group("column")) if index < len(rows) else None
    return (entry.get("fields") or {}).get(key)


def now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


def confirm(path, assignments: list[str], form: FormDefinition, *, by: str, note: str = "",
            workspace=None) -> list[Decision]:
    """Record a person's decisions about the file at ``path`` (「字段=值」 each) in the workspace,
    with what the reader had said (read now if the workspace has not read this file yet)."""
    from .batch import DEFAULT_WORKSPACE, Workspace, form_key
    from .extract import extract_file

    path = Path(path)
    if not path.is_file():
        raise UsageProblem(f"找不到文件「{path}」")
    if not by.strip():
        raise UsageProblem("请用 --by 写明确认人的姓名")
    parsed = [parse_assignment(text, form) for text in assignments]
    if not parsed:
        raise UsageProblem("请给出要确认的「字段=值」，如「申报单位意见.公章=有」")
    store = Workspace(workspace or DEFAULT_WORKSPACE)
    try:
        digest = store.file_hash(path)
        entry = store.lookup(digest, form_key(form))
        if entry is None:
            entry = extract_file(path, form)
            if entry.get("status") != "error":
                store.store(digest, form_key(form), entry)
    finally:
        store.close()
    if entry.get("status") == "error":
        raise UsageProblem(f"文件「{path}」无法读取，无从确认：{entry['error']['message']}")
    decisions = Decisions(workspace or DEFAULT_WORKSPACE)
    made = []
    try:
        at = now()
        for key, value in parsed:
            decision = Decision(key, value, by.strip(), at, note.strip(), reader_said(entry, key))
            decisions.record(digest, form.name, decision)
            made.append(decision)
    finally:
        decisions.close()
    return made
