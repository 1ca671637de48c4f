"""Events from the files kexie already writes, for ``kexie record 事件 --data 文件``: a roster or
results.xlsx (one event per unit: 公示, 任务书 with its 资助金额 …) or a 形式审查 report (.json:
each applicant's 形式审查 with its result), so the ledger need not be typed in by hand."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from ..errors import DataFileError, KexieError, UsageProblem
from ..forms import load_form
from ..numbers import to_decimal
from ..records import load_records
from .rules import catalogue
from .store import Event


def _json_kind(path: Path) -> str:
    """「report」 (kexie validate's .json), 「manifest」 (kexie packet's manifest.json) or 「」."""
    if path.suffix.lower() != ".json":
        return ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return ""
    if isinstance(data, dict) and isinstance(data.get("files"), list) and "summary" in data:
        return "report"
    if isinstance(data, dict) and isinstance(data.get("run"), dict) and "submissions" in data["run"]:
        return "manifest"
    return ""


def events_from_data(path, kind: str, day: _dt.date | None, result: str = "", by: str = "",
                     note: str = "") -> tuple[list[Event], list[str]]:
    """(events, how to name each in a message) of one kind at ``day``, one per unit of the file
    (a packet run's manifest.json: each unit it sent to experts, on the day of the run)."""
    path = Path(path)
    cat = catalogue()
    if kind not in cat.kinds:
        raise UsageProblem(f"没有「{kind}」这种事件；可记的事件：{'、'.join(cat.kinds)}")
    shape = _json_kind(path)
    if shape == "manifest":
        return _from_manifest(path, kind, day, by, note)
    if day is None:
        raise UsageProblem(f"请用 --date 写明「{kind}」的日期")
    if shape == "report":
        return _from_report(path, kind, day, by, note)
    columns = cat.roster_columns
    amount_of = cat.kinds[kind].amount
    events, labels = [], []
    for record in load_records(path):
        unit = next((str(record.fields[c]).strip() for c in columns["单位"] if str(record.fields.get(c) or "").strip()), "")
        if not unit:
            raise UsageProblem(f"「{path}」{record.label}：没有单位（应有「{'」或「'.join(columns['单位'])}」列）")
        amount = None
        if amount_of:
            raw = next((record.fields[c] for c in columns["金额"] if str(record.fields.get(c) or "").strip()), None)
            if raw is None:
                raise UsageProblem(f"「{path}」{record.label}：{kind}须写明{amount_of}"
                                   f"（应有「{'」或「'.join(columns['金额'])}」列）")
            try:
                amount = to_decimal(raw)
            except ValueError as exc:
                raise UsageProblem(f"「{path}」{record.label}：{exc}") from None
        events.append(Event(unit, kind, day, result, None, amount, by, note))
        labels.append(f"「{path}」{record.label}")
    return events, labels


def _from_report(path: Path, kind: str, day: _dt.date, by: str, note: str) -> tuple[list[Event], list[str]]:
    from ..notice.report import load_report

    if kind != "形式审查":
        raise UsageProblem(f"「{path}」是形式审查报告，只能用来记「形式审查」，不能记「{kind}」")
    report = load_report(path)
    try:
        form = load_form(report.get("form") or "申报书")
    except KexieError as exc:  # a report of a form this kexie does not have
        raise DataFileError(path, f"报告的表单「{report.get('form')}」无法使用（{exc}）") from None
    events, labels = [], []
    for entry in report["files"]:
        unit = form.applicant_of(entry.get("fields") or {})
        if entry["status"] == "error" or not unit:
            continue  # not an application (a notice sent by mistake, an unreadable file)
        events.append(Event(unit, kind, day, catalogue().report_results[entry["status"]], None, None, by,
                            note or Path(entry["file"]).name))
        labels.append(f"「{path}」中的「{Path(entry['file']).name}」")
    return events, labels


def _from_manifest(path: Path, kind: str, day: _dt.date | None, by: str, note: str):
    from ..runs import run_from_manifest

    if kind != "评审":
        raise UsageProblem(f"「{path}」是评审包的 manifest.json，只能用来记「评审」，不能记「{kind}」")
    run = run_from_manifest(path)
    day = day or _dt.date.fromisoformat(run.created[:10])
    events, labels = [], []
    for code, submission in run.submissions.items():
        unit = next((str(submission[c]).strip() for c in catalogue().roster_columns["单位"]
                     if str(submission.get(c) or "").strip()), "")
        if unit:
            events.append(Event(unit, kind, day, "", None, None, by, note or f"评审批次{run.id}"))
            labels.append(f"「{path}」中的{code}")
    return events, labels
