"""A packet run: who was given what to score, kept so that returned score sheets can be checked.

``kexie packet`` gives each run an id (written into every score sheet it makes), numbers the
experts E01, E02 … in the experts file's order (two 王伟 of two groups stay two experts) and
records the run in the workspace (the SQLite file of ``--db``): the experts, the assignment with
every 回避 and its reason, the submissions, each score sheet's fixed cells (everything outside its
yellow input cells), and the path and SHA-256 of ``manifest.json``, which carries the same record
under 「run」. ``kexie scores`` finds the run by the id in the sheets (or takes ``--manifest``) and
counts only what the run gave each expert (:mod:`pipeline.admit`).
"""

from __future__ import annotations

import datetime as _dt
import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import DataFileError, UsageProblem
from .files import sha256_file
from .messages import exception_kind
from .workspace import open_store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS packet_runs (
    id              TEXT PRIMARY KEY,  -- the run id written into every score sheet of the run
    created         TEXT NOT NULL,     -- when (ISO 8601)
    manifest        TEXT,              -- where manifest.json was written
    manifest_sha256 TEXT,              -- its content as written
    run             TEXT NOT NULL      -- the record (PacketRun.as_dict) as JSON
);
"""


@dataclass
class PacketRun:
    """One ``kexie packet`` run as ``kexie scores`` needs it."""

    id: str
    created: str
    experts: dict[str, dict] = field(default_factory=dict)  # id → {name, unit, group}
    assignment: list[dict] = field(default_factory=list)  # {code, expert (id), reviews, reason}
    submissions: dict[str, dict] = field(default_factory=dict)  # code → {编号, identity columns…}
    sheets: dict[str, dict] = field(default_factory=dict)  # expert id → {file, inputs, cells}
    manifest: str | None = None
    manifest_sha256: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> PacketRun:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})

    def assigned(self, expert_id: str) -> list[str]:
        """The codes the run gave ``expert_id`` to score, in the run's order."""
        return [a["code"] for a in self.assignment if a["expert"] == expert_id and a["reviews"]]

    def reviewers(self, code: str) -> list[str]:
        """The experts (ids) the run gave submission ``code`` to."""
        return [a["expert"] for a in self.assignment if a["code"] == code and a["reviews"]]

    def withheld(self, expert_id: str, code: str) -> str:
        """Why the run did not give ``code`` to ``expert_id`` (「回避：…」, another group), or ""."""
        for a in self.assignment:
            if a["expert"] == expert_id and a["code"] == code:
                return "" if a["reviews"] else a["reason"]
        group = self.submissions.get(code, {}).get("组别")
        return f"该项目由「{group}」评审" if group else "该项目未分配给该专家"

    def expert_label(self, expert_id: str) -> str:
        """The expert's name, with the group when another expert of the run has the same name."""
        expert = self.experts.get(expert_id)
        if expert is None:
            return expert_id
        same = [e for e in self.experts.values() if e["name"] == expert["name"]]
        return f"{expert['name']}（{expert['group']}）" if len(same) > 1 else expert["name"]


def new_run_id(now: _dt.datetime | None = None) -> str:
    """A run id people can read and say: when, and a random part so two runs never share one."""
    now = now or _dt.datetime.now()
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def expert_ids(experts) -> list[str]:
    """E01, E02 … for the experts in the experts file's order."""
    return [f"E{i:02d}" for i in range(1, len(experts) + 1)]


def record_run(workspace, run: PacketRun) -> None:
    """Keep ``run`` in the workspace (a rerun of the same id replaces it)."""
    db = open_store(workspace, _SCHEMA)
    try:
        db.execute("INSERT OR REPLACE INTO packet_runs (id, created, manifest, manifest_sha256, run)"
                   " VALUES (?, ?, ?, ?, ?)", (run.id, run.created, run.manifest, run.manifest_sha256,
                                               json.dumps(run.as_dict(), ensure_ascii=False)))
    finally:
        db.close()


def load_run(workspace, run_id: str) -> PacketRun | None:
    """The run ``run_id`` kept in the workspace, or None (a workspace that does not exist has none)."""
    if not Path(workspace).is_file():
        return None
    db = open_store(workspace, _SCHEMA)
    try:
        row = db.execute("SELECT run FROM packet_runs WHERE id = ?", (run_id,)).fetchone()
    finally:
        db.close()
    return PacketRun.from_dict(json.loads(row[0])) if row else None


def run_from_manifest(path, workspace=None) -> PacketRun:
    """The run a ``manifest.json`` records; refused when the workspace kept the same run with
    another manifest (the file was changed after ``kexie packet`` wrote it)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(path, "文件不存在") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataFileError(path, f"不是有效的 manifest.json（{exception_kind(exc)}）") from None
    record = data.get("run") if isinstance(data, dict) else None
    if not isinstance(record, dict) or not record.get("id"):
        raise DataFileError(path, "没有评审批次记录（「run」）：不是本版 kexie packet 写的 manifest.json，"
                                  "请重新生成评审包")
    run = PacketRun.from_dict(record)
    kept = load_run(workspace, run.id) if workspace else None
    if kept is not None and kept.manifest_sha256 and kept.manifest_sha256 != sha256_file(path):
        raise DataFileError(path, f"与工作区记录的评审批次「{run.id}」的 manifest.json 不一致：生成后被改动过，"
                                  f"请用 kexie packet 写出的原文件（{kept.manifest}）")
    run.manifest, run.manifest_sha256 = str(path), sha256_file(path)
    return run


def find_run(run_ids, workspace, manifest=None) -> PacketRun:
    """The run the sheets belong to: the one ``manifest`` names, else the latest of the runs the
    sheets name that the workspace keeps. Sheets of other runs are refused later, one by one."""
    if manifest:
        return run_from_manifest(manifest, workspace)
    named = list(dict.fromkeys(r for r in run_ids if r))
    kept = [run for run in (load_run(workspace, r) for r in named) if run is not None]
    if kept:
        return max(kept, key=lambda run: run.created)
    if named:
        raise UsageProblem(f"评分表所属的评审批次「{'、'.join(named)}」不在工作区「{workspace}」中：请用 --db "
                           "指明生成评审包时所用的工作区，或用 --manifest 指明该批评审包的 manifest.json")
    raise UsageProblem("评分表中都没有评审批次编号（不是 kexie packet 生成的评分表）：无法核对专家和分配。"
                       "请收回 kexie packet 生成的评分表，或用 --manifest 指明该批评审包的 manifest.json")
