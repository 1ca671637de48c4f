"""The words reports use for statuses, kinds of problem and severities, and a problem in words."""

from __future__ import annotations

STATUS_TEXT = {"complete": "齐全", "incomplete": "不齐全", "review": "需人工核对", "error": "无法读取"}
KIND_TEXT = {"blank": "未填写", "missing_seal": "缺公章", "missing_signature": "缺签章", "format": "格式错误",
             "rule": "不符合规定", "duplicate": "重复", "review": "需人工核对",
             "late": "逾期补正"}
SEVERITY_TEXT = {"error": "错误", "warning": "提醒", "review": "需核对"}
#: the order files are listed in: what a person must look at first
STATUS_ORDER = {"review": 0, "incomplete": 1, "error": 2, "complete": 3}
#: the order of a file's problems: doubts first, then errors, then warnings
SEVERITY_ORDER = {"review": 0, "error": 1, "warning": 2}


def problem_text(problem: dict) -> str:
    """A problem in words: 「申报单位负责人.传真：未填写（如无内容请填“/”）（第3页）」."""
    page = f"（第{problem['page']}页）" if problem.get("page") else ""
    decided = "（人工确认）" if problem.get("decided_by") else ""
    return f"{problem['field']}：{problem['message']}{page}{decided}"


def ordered_files(report: dict) -> list[dict]:
    """The report's files, review first, each with its problems ordered the same way."""
    files = sorted(report["files"], key=lambda e: STATUS_ORDER.get(e["status"], 9))
    return [dict(e, problems=sorted(e.get("problems") or [], key=lambda p: SEVERITY_ORDER.get(p["severity"], 9)))
            for e in files]


def summary_line(report: dict) -> str:
    s = report["summary"]
    replaced = sum(bool(f.get("superseded_by")) for f in report["files"])
    counts = "，".join(f"{STATUS_TEXT[k]} {s.get(k, 0)} 份" for k in ("complete", "incomplete", "review", "error"))
    return counts + (f"（其中 {replaced} 份已由同一单位后交的材料取代）" if replaced else "") + "。"


def decision_text(key: str, decision: dict) -> str:
    """A person's decision in words: 「申报单位意见.公章 = 有（人工确认：张敏，2026-12-01 10:20；已见原件）」."""
    value = decision.get("value")
    shown = {True: "有", False: "无"}.get(value, value) if isinstance(value, bool) else (value or "（空）")
    note = f"；{decision['note']}" if decision.get("note") else ""
    return f"{key} = {shown}（人工确认：{decision.get('by', '')}，{str(decision.get('at', '')).replace('T', ' ')}{note}）"


#: the columns of the history of each resubmitting applicant (Excel sheet 「补正记录」, HTML table),
#: after the applicant's own (the form's identity.applicant)
HISTORY_COLUMNS = ("首次提交", "补正通知", "补正截止", "重新提交", "已改正", "仍未改正", "最新结论", "逾期补正")


def history_columns(form) -> list[str]:
    """The header of the history table: the form's word for the applicant, then HISTORY_COLUMNS."""
    return [form.identity.applicant if form is not None and form.identity else "单位", *HISTORY_COLUMNS]


def history_rows(report: dict) -> list[list]:
    """One row per applicant of the report's ``history`` (pipeline.validate.history), in words."""
    def handed(s: dict) -> str:
        return f"{s['received']} {s['file']}（{STATUS_TEXT.get(s['status'], s['status'])}）"

    rows = []
    for story in report.get("history") or []:
        first, *later = story["submissions"]
        late = f"是（{story['submissions'][-1]['received']}收到，截止{story['deadline']}）" if story["late"] else "否"
        rows.append([story["applicant"], handed(first), "\n".join(n["date"] for n in story["notices"]) or None,
                     "\n".join(n["deadline"] for n in story["notices"]) or None,
                     "\n".join(handed(s) for s in later) or None, "\n".join(story["fixed"]) or None,
                     "\n".join(story["open"]) or None, STATUS_TEXT.get(story["latest"]["status"], ""), late])
    return rows
