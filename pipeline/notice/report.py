"""The validation report a 补正通知 is made from, checked up front, and each file's standing:
to be notified, waiting for a person (需人工核对 not yet confirmed), nothing to correct, unreadable.

A review item (需人工核对) is settled by ``kexie confirm``: its decision is kept in the workspace.
When every review item of a file has a decision there, the file's problems are worked out again
from its reading (kept in the same workspace) with the decisions applied, as ``kexie validate``
would; until then the applicant gets no notice, so that every defect is told at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataFileError
from ..forms import FormDefinition, text_value
from ..messages import exception_kind
from ..report.validation import file_in_report
from ..validate import STATUSES

#: a file's standing in the summary, in the order the summary lists them
STANDINGS = {"notify": "已发补正通知", "waiting": "待人工核对后再通知", "failed": "通知生成失败",
             "unreadable": "无法读取，未发通知", "complete": "齐全，无需补正",
             "superseded": "已有后交材料，不再通知"}


@dataclass(eq=False)  # one file, one object: kept in dicts by identity
class Standing:
    """One file of the report and what the notice run does with it."""

    entry: dict
    file: Path  # the PDF, resolved against the report's folder
    applicant: str
    state: str  # a key of STANDINGS
    problems: list[dict] = field(default_factory=list)
    reason: str = ""  # waiting / unreadable / failed: why, in words


def load_report(path, form_name: str | None = None) -> dict:
    """The validation report (``kexie validate --report X.json``) at ``path``; a file that is not
    one is refused by name and reason before anything is written."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(path, "文件不存在") from None
    except IsADirectoryError:
        raise DataFileError(path, "这是一个目录，请给出形式审查报告（.json）文件") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(path, f"不是有效的 JSON 形式审查报告（{exception_kind(exc)}），"
                                  "请给出 kexie validate --report 生成的 .json 文件") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not isinstance(data.get("summary"), dict):
        raise DataFileError(path, "不是形式审查报告：应有「files」列表和「summary」汇总"
                                  "（请用 kexie validate --report 形式审查.json 生成）")
    for number, entry in enumerate(files, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) \
                or entry.get("status") not in STATUSES or not isinstance(entry.get("problems", []), list) \
                or not all(isinstance(p, dict) and "field" in p and "severity" in p for p in entry.get("problems") or []):
            raise DataFileError(path, f"不是形式审查报告：第{number}项应含「file」「status」「problems」"
                                      "（请用 kexie validate 重新生成）")
    if form_name and isinstance(data.get("form"), str) and data["form"] != form_name:
        raise DataFileError(path, f"这是「{data['form']}」的形式审查报告，不是「{form_name}」的")
    return data


def standings(report: dict, report_path, form: FormDefinition, program: dict, workspace) -> list[Standing]:
    """Each file of the report with what to do about it."""
    out = []
    for entry in report["files"]:
        file = file_in_report(entry["file"], report_path)  # relative to the report's folder
        applicant = form.applicant_of(entry.get("fields") or {}) or file.stem
        item = Standing(entry, file, applicant, "complete", list(entry.get("problems") or []))
        if entry.get("superseded_by"):  # the applicant handed in a later form (pipeline.validate.history)
            item.state, item.reason = "superseded", f"已由后交的「{entry['superseded_by']}」取代"
        elif entry["status"] == "error":
            item.state = "unreadable"
            item.reason = text_value((entry.get("error") or {}).get("message")) or "文件无法读取"
        else:
            _settle(item, form, program, workspace)
        out.append(item)
    return out


def _settle(item: Standing, form: FormDefinition, program: dict, workspace) -> None:
    review = [p for p in item.problems if p.get("severity") == "review"]
    if review:
        settled = _with_decisions(item, review, form, program, workspace)
        if settled is None:
            shown = "、".join(dict.fromkeys(str(p["field"]) for p in review))
            item.state = "waiting"
            item.reason = (f"「{shown}」需人工核对，请核对原件后用 kexie confirm 记录判断，"
                           "再重新运行 kexie validate 和 kexie notice")
            return
        item.problems = settled
    if any(p.get("severity") == "review" for p in item.problems):
        item.state = "waiting"
        item.reason = "仍有需人工核对之处，请用 kexie confirm 记录判断"
    elif any(p.get("severity") == "error" for p in item.problems):
        item.state = "notify"


def _with_decisions(item: Standing, review: list[dict], form: FormDefinition, program: dict,
                    workspace) -> list[dict] | None:
    """The file's problems with a person's decisions applied, when every review item has one;
    None while any is undecided (or the workspace does not hold the file's reading)."""
    sha256 = text_value(item.entry.get("sha256"))
    if not workspace or not sha256 or not Path(workspace).is_file():
        return None
    from ..batch import Workspace, form_key
    from ..decisions import Decisions, apply
    from ..validate import verdict_for

    decisions = Decisions(workspace)
    try:
        decided = decisions.of(sha256, form.name)
    finally:
        decisions.close()
    if not all(p["field"] in decided or str(p["field"]).split("[")[0] in decided for p in review):
        return None
    store = Workspace(workspace)
    try:
        reading = store.lookup(sha256, form_key(form))
    finally:
        store.close()
    if reading is None:
        return None
    entry = apply({"file": str(item.file), **reading}, decided)
    verdict = verdict_for(entry, form, program, sha256)
    batch_level = [p for p in item.problems if p.get("kind") == "duplicate"]  # checks across files
    return [p.as_dict() for p in verdict.problems] + batch_level
