"""The report of ``kexie extract``: every file's fields and marks as JSON, or one row per file as
CSV (UTF-8 with BOM, for Excel) or Excel."""

from __future__ import annotations

import json
from pathlib import Path

from ..files import write_atomic
from ..forms import FormDefinition
from ..xlsx import add_table, csv_text, new_book, to_bytes

FORMATS = ("json", "csv", "xlsx")

#: the keys of a file's entry in ``kexie extract``'s JSON, in order; ``locations`` (where each
#: answer is on the page) stays internal, for validation reports and their pictures
ENTRY_KEYS = ("file", "form", "status", "source", "fields", "marks", "confidence", "doubts", "error")
#: the first columns of the CSV and Excel tables
COLUMNS = ("文件", "表单", "状态", "来源", "错误类型", "错误信息")
#: how the tables word what the JSON keeps as data (its documented values stay as they are there)
STATUS_TEXT = {"ok": "已读出", "error": "无法读取"}
SOURCE_TEXT = {"text": "文字层", "ocr": "文字识别（扫描件）"}
ERROR_TEXT = {"unreadable": "文件损坏或无法解析", "encrypted": "已加密", "not_this_form": "不是本表",
              "internal": "程序内部错误", "input": "输入有误"}


def report(entries: list[dict]) -> dict:
    """The JSON report: ``{"files": [entry, …]}``."""
    defaults = {"confidence": {}, "doubts": []}
    return {"files": [{key: entry.get(key, defaults.get(key)) for key in ENTRY_KEYS} for entry in entries]}


def table(entries: list[dict], form: FormDefinition) -> tuple[list[str], list[list]]:
    """One row per file, one column per field; a row table's rows joined in one cell."""
    keys = [spec.key for spec in form.fields]
    header = list(COLUMNS) + keys
    rows = []
    for entry in entries:
        error = entry.get("error") or {}
        kind = error.get("kind", "")
        row = [entry["file"], entry["form"], STATUS_TEXT.get(entry["status"], "状态不明"),
               SOURCE_TEXT.get(entry.get("source"), ""), ERROR_TEXT.get(kind, "其他错误" if kind else ""),
               error.get("message", "")]
        for key in keys:
            value = entry["fields"].get(key, "")
            if isinstance(value, list):
                value = "\n".join("，".join(str(v) for v in item.values()) for item in value)
            elif isinstance(value, bool):
                value = "是" if value else "否"
            elif value is None:
                value = "需人工核对"
            row.append(value)
        rows.append(row)
    return header, rows


def write_report(entries: list[dict], form: FormDefinition, fmt: str, out) -> None:
    """Write the report in ``fmt`` to a path (atomically) or a text stream."""
    if fmt == "json":
        _write_text(out, json.dumps(report(entries), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        _write_text(out, csv_text(*table(entries, form)), bom=isinstance(out, (str, Path)))
    elif fmt == "xlsx":
        book = new_book()
        header, rows = table(entries, form)
        add_table(book, form.name, header, rows, widths={"文件": 40, "错误信息": 40})
        write_atomic(out, to_bytes(book))
    else:
        raise ValueError(f"unknown report format {fmt!r}")


def _write_text(out, text: str, bom: bool = False) -> None:
    if isinstance(out, (str, Path)):
        write_atomic(out, text.encode("utf-8-sig" if bom else "utf-8"))
    else:
        out.write(text)
