"""Reports of a 形式审查 that staff act on: Excel, one self-contained HTML file, JSON.

The report's suffix chooses its kind. Excel: a summary sheet, one row per submission, a sheet
of problems, colours, frozen header, autofilter. HTML: each submission with its problems and,
for each, a small picture of the page area concerned, so a clerk sees at once what is missing.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

from ..files import write_atomic

STATUS_TEXT = {"complete": "齐全", "incomplete": "不齐全", "error": "无法读取"}
KIND_TEXT = {"blank": "未填写", "missing_seal": "缺公章", "missing_signature": "缺签章", "format": "格式错误",
             "rule": "不符合规定", "duplicate": "重复"}
SEVERITY_TEXT = {"error": "错误", "warning": "提醒"}
_FILL = {"complete": "C6EFCE", "incomplete": "FFEB9C", "error": "FFC7CE"}


def problem_text(problem: dict) -> str:
    """A problem in words: 「申报单位负责人.传真：未填写（如无内容请填“/”）」."""
    page = f"（第{problem['page']}页）" if problem.get("page") else ""
    return f"{problem['field']}：{problem['message']}{page}"


def write_reports(report: dict, targets: list, title: str = "形式审查结果") -> None:
    """Write the report to every target path; the suffix chooses the kind."""
    for target in targets:
        target = Path(target)
        suffix = target.suffix.lower()
        if suffix == ".json":
            write_atomic(target, json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8"))
        elif suffix == ".xlsx":
            write_atomic(target, excel_report(report, title))
        elif suffix in (".html", ".htm"):
            write_atomic(target, html_report(report, title).encode("utf-8"))
        else:  # checked by the CLI before any work; a library caller gets a plain error
            raise ValueError(f"不支持的报告格式「{suffix}」")


def _unit(entry: dict, key: str) -> str:
    value = (entry.get("fields") or {}).get(key, "")
    return value if isinstance(value, str) else ""


# --- Excel ---------------------------------------------------------------------------------


def excel_report(report: dict, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    bold = Font(bold=True)
    summary = book.active
    summary.title = "汇总"
    summary.append([title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([])
    summary.append(["状态", "份数"])
    for status in ("complete", "incomplete", "error"):
        summary.append([STATUS_TEXT[status], report["summary"].get(status, 0)])
        summary.cell(summary.max_row, 1).fill = PatternFill("solid", fgColor=_FILL[status])
    summary.append(["合计", len(report["files"])])
    for cell in summary[3]:
        cell.font = bold
    summary.column_dimensions["A"].width = 14

    sheet = book.create_sheet("逐份结果")
    sheet.append(["文件", "申报单位", "试点单位", "状态", "问题数", "问题"])
    for entry in report["files"]:
        problems = entry.get("problems") or []
        words = "\n".join(problem_text(p) for p in problems)
        if entry.get("error"):
            words = entry["error"].get("message", "")
        sheet.append([entry["file"], _unit(entry, "申报单位"), _unit(entry, "试点单位"),
                      STATUS_TEXT.get(entry["status"], entry["status"]), len(problems), words])
        row = sheet.max_row
        sheet.cell(row, 4).fill = PatternFill("solid", fgColor=_FILL.get(entry["status"], "FFFFFF"))
        sheet.cell(row, 6).alignment = Alignment(wrap_text=True, vertical="top")
    _table_style(sheet, [40, 28, 28, 10, 8, 80])

    problems_sheet = book.create_sheet("问题清单")
    problems_sheet.append(["文件", "申报单位", "字段", "类别", "严重程度", "说明", "页"])
    for entry in report["files"]:
        for p in entry.get("problems") or []:
            problems_sheet.append([entry["file"], _unit(entry, "申报单位"), p["field"], KIND_TEXT.get(p["kind"], p["kind"]),
                                   SEVERITY_TEXT.get(p["severity"], p["severity"]), p["message"], p.get("page")])
            if p["severity"] == "error":
                problems_sheet.cell(problems_sheet.max_row, 5).fill = PatternFill("solid", fgColor=_FILL["error"])
        if entry.get("error"):
            problems_sheet.append([entry["file"], "", "（文件）", "无法读取", "错误", entry["error"].get("message", ""), None])
            problems_sheet.cell(problems_sheet.max_row, 5).fill = PatternFill("solid", fgColor=_FILL["error"])
    _table_style(problems_sheet, [40, 28, 30, 12, 10, 60, 6])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table_style(sheet, widths) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="305496")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


# --- HTML ----------------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em} .summary span{display:inline-block;margin-right:1.5em;padding:.2em .6em;border-radius:4px}
.complete{background:#c6efce}.incomplete{background:#ffeb9c}.error{background:#ffc7ce}
section{border:1px solid #ccc;border-radius:6px;margin:1em 0;padding:.6em 1em}
section h2{font-size:1.1em;margin:.2em 0} .file{color:#666;font-size:.9em}
li{margin:.5em 0} li.warning{color:#7a5b00} img{display:block;max-width:420px;border:1px solid #999;margin:.3em 0}
"""


def html_report(report: dict, title: str, crop: bool = True) -> str:
    """One self-contained HTML page: pictures are embedded as data URIs."""
    parts = [f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1><p class='summary'>"]
    for status in ("complete", "incomplete", "error"):
        parts.append(f"<span class='{status}'>{STATUS_TEXT[status]}：{report['summary'].get(status, 0)} 份</span>")
    parts.append("</p>")
    order = {"error": 0, "incomplete": 1, "complete": 2}
    for entry in sorted(report["files"], key=lambda e: order.get(e["status"], 3)):
        unit = _unit(entry, "申报单位") or Path(entry["file"]).name
        parts.append(f"<section><h2><span class='{entry['status']}'>{STATUS_TEXT.get(entry['status'], '')}</span> "
                     f"{html.escape(unit)}</h2><div class='file'>{html.escape(entry['file'])}</div>")
        if entry.get("error"):
            parts.append(f"<p>{html.escape(entry['error'].get('message', ''))}</p>")
        problems = entry.get("problems") or []
        if problems:
            parts.append("<ol>")
            for p in problems:
                parts.append(f"<li class='{p['severity']}'>{html.escape(problem_text(p))}")
                if crop and p.get("page"):
                    picture = page_picture(entry["file"], p["page"], p.get("bbox"))
                    if picture:
                        parts.append(f"<img alt='第{p['page']}页' src='data:image/png;base64,{picture}'>")
                parts.append("</li>")
            parts.append("</ol>")
        elif not entry.get("error"):
            parts.append("<p>未发现问题。</p>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


def page_picture(path, page: int, bbox=None, dpi: int = 72, margin: float = 36) -> str | None:
    """A PNG (base64) of the page area concerned, with the area outlined; None if unreadable."""
    try:
        import pypdfium2 as pdfium
        from PIL import ImageDraw

        document = pdfium.PdfDocument(str(path))
        try:
            image = document[page - 1].render(scale=dpi / 72).to_pil().convert("RGB")
        finally:
            document.close()
    except Exception:  # the report must not fail on a picture; the problem text stands alone
        return None
    scale = dpi / 72
    if bbox:
        xs, ys = sorted((bbox[0] * scale, bbox[2] * scale)), sorted((bbox[1] * scale, bbox[3] * scale))
        x0, x1, top, bottom = xs[0], xs[1], ys[0], ys[1]
        ImageDraw.Draw(image).rectangle([x0, top, x1, bottom], outline=(220, 0, 0), width=3)
        m = margin * scale
        image = image.crop((max(0, x0 - m), max(0, top - m), min(image.width, x1 + m), min(image.height, bottom + m)))
    image.thumbnail((420, 420))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return base64.b64encode(out.getvalue()).decode("ascii")


def terminal_summary(report: dict) -> str:
    """A short table for the terminal."""
    lines = [f"{'状态':<8}{'文件':<40}问题"]
    for entry in report["files"]:
        status = STATUS_TEXT.get(entry["status"], entry["status"])
        detail = entry["error"]["message"] if entry.get("error") else "；".join(
            problem_text(p) for p in entry.get("problems") or []) or "—"
        lines.append(f"{status:<8}{Path(entry['file']).name:<40}{detail}")
    s = report["summary"]
    lines.append(f"齐全 {s['complete']} 份，不齐全 {s['incomplete']} 份，无法读取 {s['error']} 份。")
    return "\n".join(lines)
