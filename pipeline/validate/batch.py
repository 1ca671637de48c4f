"""形式审查 of a batch: each file's verdict, the checks across files, the report as data.

``validate_files`` is the library entry of ``kexie validate``: files are read once and
remembered in the workspace (:mod:`pipeline.batch`), checked by their form's rules, then the
batch-level checks run (the same file twice, the same unit twice) and every file gets its status.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Callable

from ..batch import DEFAULT_WORKSPACE, Workspace, extract_all
from ..decisions import Decisions, apply
from ..forms import FormDefinition
from ..text import fold
from .history import History
from .problems import STATUSES, Problem, Verdict
from .rules import check_entry


def verdict_for(entry: dict, form: FormDefinition, program: dict | None, sha256: str = "") -> Verdict:
    """The verdict of one extracted file, before batch-level checks."""
    if entry.get("status") == "error":
        return Verdict(entry["file"], "error", error=entry.get("error"), sha256=sha256)
    problems = check_entry(entry, form, program)
    decided = entry.get("decisions") or {}
    for problem in problems:
        decision = decided.get(problem.field)
        if decision:
            problem.decided_by = decision["by"]
    return Verdict(entry["file"], "ok", problems, sha256=sha256, fields=entry.get("fields") or {},
                   decisions=decided)


def check_duplicates(verdicts: list[Verdict], form: FormDefinition) -> None:
    """Add ``duplicate`` problems: the same file twice (content hash), the same unit twice."""
    by_hash: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        if verdict.sha256:
            by_hash.setdefault(verdict.sha256, []).append(verdict)
    for same in by_hash.values():
        for verdict in same[1:]:
            verdict.problems.append(Problem("文件", "duplicate", f"与「{same[0].file}」是同一份文件（内容完全相同）"))
    # a byte copy, or a form its applicant replaced by a later one (pipeline.validate.history)
    seen_files = {id(v) for same in by_hash.values() for v in same[1:]} | {id(v) for v in verdicts if v.superseded_by}
    for key in ((form.checks or {}).get("duplicates") or {}).get("unique") or []:
        by_value: dict[str, list[Verdict]] = {}
        for verdict in verdicts:
            if id(verdict) in seen_files or verdict.status == "error":
                continue
            value = fold(verdict.fields.get(key) or "")
            if value and value != "/":
                by_value.setdefault(value, []).append(verdict)
        for same in by_value.values():
            if len(same) < 2:
                continue
            for verdict in same:
                others = "、".join(Path(v.file).name for v in same if v is not verdict)
                verdict.problems.append(Problem(key, "duplicate", f"同一{key}「{verdict.fields[key].strip()}」"
                                                f"在本批次中出现多次（另见：{others}）"))


def finish(verdicts: list[Verdict], form: FormDefinition) -> dict:
    """Batch checks, final statuses, and the JSON report ``{"form", "files", "summary"}``."""
    check_duplicates(verdicts, form)
    for verdict in verdicts:
        verdict.settle()
    summary = {s: sum(v.status == s for v in verdicts) for s in STATUSES}
    return {"form": form.name, "files": [v.as_dict() for v in verdicts], "summary": summary}


def validate_files(paths, form: FormDefinition, program: dict | None = None, *, workspace=None,
                   jobs: int | None = None, progress: Callable[[int], None] | None = None,
                   received: _dt.date | None = None) -> dict:
    """形式审查 of ``paths``: the report (as ``finish`` gives it, with ``history``: each
    resubmitting applicant's submissions and notices, :mod:`pipeline.validate.history`);
    ``workspace``: the SQLite file that remembers extractions (default ``outputs/kexie.sqlite``),
    so a rerun reads only new or changed files and a run killed half-way resumes;
    ``received``: the day files not seen before count as received (default today)."""
    store = Workspace(workspace or DEFAULT_WORKSPACE)
    try:
        results = extract_all([Path(p) for p in paths], form, store, jobs=jobs or os.cpu_count(),
                              progress=progress)
    finally:
        store.close()
    decisions = Decisions(workspace or DEFAULT_WORKSPACE)
    try:  # a person's decisions win over what the reader said
        results = [(apply(entry, decisions.of(digest, form.name)) if digest else entry, digest)
                   for entry, digest in results]
    finally:
        decisions.close()
    verdicts = [verdict_for(entry, form, program, digest) for entry, digest in results]
    warn_suspended(verdicts, form, program, workspace or DEFAULT_WORKSPACE)
    with History(workspace or DEFAULT_WORKSPACE, form, received or _dt.date.today()) as history:
        history.link(verdicts)
        report = finish(verdicts, form)
        report["history"] = history.record(verdicts)
    return report


def warn_suspended(verdicts: list[Verdict], form: FormDefinition, program: dict | None, workspace) -> None:
    """A warning on each applicant suspended from applying by the call's deadline (kexie status)."""
    if form.identity is None:
        return
    from ..status.suspended import suspension_problems

    on = ((program or {}).get("日期") or {}).get("截止") or _dt.date.today()
    found = suspension_problems([form.applicant_of(v.fields) for v in verdicts], workspace, on)
    for verdict, sentences in zip(verdicts, found):
        name = form.applicant_of(verdict.fields)
        verdict.problems.extend(Problem(form.identity.applicant, "rule", f"{form.identity.applicant}「{name}」{s}",
                                        severity="warning") for s in sentences)
