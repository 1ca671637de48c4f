"""What the office keeps of a packet run: ``assignment.xlsx`` (who got what, who had to abstain
and why, what was left out) and ``manifest.json`` (every input and output with its SHA-256)."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from ..files import sha256_file, write_atomic
from ..xlsx import add_table, new_book, to_bytes


def write_assignment(out: Path, plan, submissions, blind: bool) -> Path:
    """The assignment table (for the office: it names the units even in blind mode)."""
    keys = [key for key, _ in submissions[0].columns] if submissions else []
    rows = []
    for d in plan.decisions:
        s = d.submission
        rows.append([s.code, s.file.name, *(v for _, v in s.columns), s.group, d.expert.name, d.expert.unit,
                     "是" if d.reviews else "否", d.reason])
    for s in plan.unreviewed:
        rows.append([s.code, s.file.name, *(v for _, v in s.columns), s.group, "", "", "否",
                     "本组专家均须回避，无人评审：请调整组别或增补专家"])
    book = new_book()
    add_table(book, "分配表", ["编号", "文件", *keys, "组别", "评审专家", "专家单位", "是否分发", "说明"], rows,
              widths={"编号": 8, "文件": 30, "组别": 10, "评审专家": 10, "专家单位": 26, "是否分发": 9, "说明": 36,
                      **{k: 26 for k in keys}})
    add_table(book, "未纳入", ["编号", "文件", *keys, "原因"],
              [[s.code, str(s.file), *(v for _, v in s.columns), s.reason] for s in submissions if s.reason],
              widths={"编号": 8, "文件": 40, "原因": 60, **{k: 26 for k in keys}}, wrap=("原因",))
    return write_atomic(out / "assignment.xlsx", to_bytes(book))


def write_manifest(out: Path, plan, submissions, result, program: dict, blind: bool, today: _dt.date,
                   inputs: dict, packets_folder: str = "") -> Path:
    """The manifest in ``out`` (the office's folder); ``packets_folder``: where the experts'
    files it names (``packets[].file``, ``packets[].score_sheet``) are, relative to ``out``."""
    by_code = {s.code: s for s in submissions}

    def described(s) -> dict:
        entry = {"code": s.code, "file": str(s.file), "sha256": s.sha256 or _hash_or_none(s.file),
                 **dict(s.columns), "group": s.group or None, "pages": s.pages}
        if s.blind is not None:
            entry["blind"] = {"pages_withheld": s.blind.withheld, "pages_scanned": s.blind.scanned,
                              "boxes_painted": s.blind.painted, "ocr": s.blind.ocr,
                              "pages_read_back": s.blind.read_back}
        return entry

    packets = []
    for entry in result.packets:
        entry = dict(entry)
        codes = entry.pop("submissions")
        entry["inputs"] = [{"code": c, "file": str(by_code[c].file), "sha256": by_code[c].sha256}
                           for c in codes]
        entry["withheld"] = [{"code": d.submission.code, "file": str(d.submission.file), "reason": d.reason}
                             for d in plan.decisions if d.expert.name == entry["expert"]
                             and d.expert.group == entry["group"] and not d.reviews]
        packets.append(entry)
    manifest = {
        "programme": program.get("名称"),
        "form": submissions[0].form.name if submissions else None,
        "date": today.isoformat(),
        "blind": blind,
        "packets_folder": packets_folder,
        "inputs": {k: {"file": str(v), "sha256": _hash_or_none(v)} for k, v in inputs.items() if v},
        "groups": plan.groups,
        "submissions": [described(s) for s in submissions if not s.reason],
        "excluded": [dict(described(s), reason=s.reason, failed=s.failed) for s in submissions if s.reason],
        "unreviewed": [{"code": s.code, "file": str(s.file), "group": s.group} for s in plan.unreviewed],
        "assignment": [{"code": d.submission.code, "expert": d.expert.name, "group": d.expert.group,
                        "reviews": d.reviews, "reason": d.reason} for d in plan.decisions],
        "packets": packets,
        "experts_without_submissions": [{"expert": e.name, "group": e.group} for e in result.idle],
        "refused": [e.message for e in result.errors],
        "run": result.run.as_dict() if result.run else None,  # what kexie scores checks sheets against
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    return write_atomic(out / "manifest.json", text.encode("utf-8"))


def _hash_or_none(path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None
