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


def _is_report(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("files"), list) and "summary" in data


def events_from_data(path, kind: str, day: _dt.date, result: str = "", by: str = "",
                     note: str = "") -> tuple[list[Event], list[str]]:
    """(events, how to name each in a message) of one kind at ``day``, one per unit of the file."""
    path = Path(path)
    cat = catalogue()
    if kind not in cat.kinds:
        raise UsageProblem(f"没有「{kind}」这种事件；可记的事件：{'、'.join(cat.kinds)}")
    if _is_report(path):
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
