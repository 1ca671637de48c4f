"""Resubmissions: each applicant's submissions and 补正通知, kept in the workspace and linked.

``kexie notice`` records every notice it sends (:func:`record_notice`): the applicant as read, the
file's SHA-256, the notice date, the 补正 deadline and the defects listed. ``kexie validate``
records every submission it sees (the date it first saw its content: 收到日期, ``--date``) and
links it to the earlier submissions and notices of the same application: the same values of the
form's identity columns (申报书: 申报单位 and 试点单位 — one 省科协 recommends several 试点单位, each
its own application), each normalised (:func:`applicant_key`: whitespace and full-width forms
folded, 「科学技术协会」 read as 「科协」).

Decided here (issue 14 part 2):

- A submission received later replaces the earlier ones of the same application: only the latest
  goes into packets, gets a notice, counts as the applicant's verdict; the earlier ones stay in the
  report, marked ``superseded_by`` with a warning naming the later file. "Later" is the date the
  workspace first saw the file (收到日期), never the file's modification time (a copy from a mail
  or a USB stick has any). Two different files of one application first seen the same day are
  not ordered by guess: both stay in the batch and the batch check reports them as the same unit
  twice (重复, an error on each, as before) — staff remove the one that does not count and rerun.
- A resubmission received after the deadline of the applicant's latest notice is flagged
  「逾期补正」 (a warning in the report, and ``kexie validate`` exits 1): staff decide, kexie
  neither refuses nor silently accepts it.
- A form whose 申报单位 cannot be read is linked to nothing; once the workspace holds notices of
  its form, it gets a 需人工核对 item, so that a person names the unit (``kexie confirm``).
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from ..filters import cn_date
from ..forms import FormDefinition, text_value
from ..text import ALIASES, fold
from ..workspace import open_store
from .problems import Problem, Verdict

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    sha256    TEXT NOT NULL,  -- the file's content
    form      TEXT NOT NULL,  -- the form's name
    applicant TEXT NOT NULL,  -- the applicant as read (the form's identity.applicant)
    unit      TEXT NOT NULL,  -- the same, normalised (applicant_key): what links submissions
    file      TEXT NOT NULL,  -- where it was last seen
    received  TEXT NOT NULL,  -- the day kexie validate first saw this content (ISO date)
    status    TEXT NOT NULL,  -- its latest verdict
    errors    TEXT NOT NULL,  -- JSON: the fields of its error problems
    PRIMARY KEY (sha256, form)
);
CREATE TABLE IF NOT EXISTS notices (
    sha256    TEXT NOT NULL,  -- the file the notice was about
    form      TEXT NOT NULL,
    applicant TEXT NOT NULL,
    unit      TEXT NOT NULL,
    file      TEXT NOT NULL,
    date      TEXT NOT NULL,  -- the notice date (ISO)
    deadline  TEXT NOT NULL,  -- the last day to hand the corrected form in (ISO)
    defects   TEXT NOT NULL,  -- JSON: [{field, words, wrong}] as the notice listed them
    PRIMARY KEY (sha256, form, date)
);
"""


def submission_key(form: FormDefinition, fields: dict) -> str:
    """What links the submissions of one application: the applicant and the form's other identity
    columns, each normalised; "" when the applicant cannot be read (then nothing is linked)."""
    if form.identity is None:
        return ""
    applicant = applicant_key(form.applicant_of(fields))
    others = [applicant_key(text_value(fields.get(k))) for k in form.identity.columns if k != form.identity.applicant]
    return "|".join([applicant, *others]) if applicant else ""


def applicant_key(name) -> str:
    """The applicant's name as submissions are linked by: folded, the 科协 short form for the long."""
    key = fold(name)
    for long, short in ALIASES:
        key = key.replace(long, short)
    return "" if key in ("", "/") else key


def record_notice(workspace, form: FormDefinition, *, fields: dict, sha256: str, file, date: _dt.date,
                  deadline: _dt.date, defects) -> None:
    """Keep one 补正通知 sent about the file with ``fields`` (a rerun on the same day replaces it)."""
    listed = [{"field": d.field, "words": d.words, "wrong": d.wrong} for d in defects]
    db = open_store(workspace, _SCHEMA)
    try:
        db.execute("INSERT OR REPLACE INTO notices VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (sha256, form.name, form.applicant_of(fields), submission_key(form, fields), str(file),
                    date.isoformat(),
                    deadline.isoformat(), json.dumps(listed, ensure_ascii=False)))
    finally:
        db.close()


class History:
    """The workspace's submissions and notices of one form, for one ``kexie validate`` run."""

    def __init__(self, workspace, form: FormDefinition, received: _dt.date):
        self.db = open_store(workspace, _SCHEMA)
        self.form = form
        self.today = received.isoformat()
        self.received: dict[str, str] = {}  # sha256 → the day first seen
        self.latest: dict[str, Verdict] = {}  # submission key → the application's latest form in this run

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _unit(self, verdict: Verdict) -> str:
        return submission_key(self.form, verdict.fields) if verdict.status != "error" else ""

    def link(self, verdicts: list[Verdict]) -> None:
        """Before the batch checks: the earlier forms of each applicant in this run replaced by its
        latest, a late resubmission flagged, a form without a readable applicant noted."""
        for verdict in verdicts:
            if verdict.sha256 and verdict.sha256 not in self.received:
                row = self.db.execute("SELECT received FROM submissions WHERE sha256 = ? AND form = ?",
                                      (verdict.sha256, self.form.name)).fetchone()
                self.received[verdict.sha256] = row[0] if row else self.today
        has_notices = self.db.execute("SELECT 1 FROM notices WHERE form = ? LIMIT 1", (self.form.name,)).fetchone()
        groups: dict[str, list[Verdict]] = {}
        for verdict in verdicts:
            unit = self._unit(verdict)
            if unit:
                groups.setdefault(unit, []).append(verdict)
            elif verdict.status != "error" and has_notices and self.form.identity:
                key = self.form.identity.applicant
                verdict.problems.append(Problem(key, "review", f"未能读出{key}，无法与此前的提交和补正通知对应，"
                                                               f"请核对原件后用 kexie confirm 记录{key}", "review"))
        for unit, group in groups.items():
            self.latest[unit] = self._supersede(group)
            for verdict in group:  # each form of the latest day (two of one day are both flagged)
                if not verdict.superseded_by:
                    self._flag_late(unit, verdict)

    def _supersede(self, group: list[Verdict]) -> Verdict:
        """Mark the forms of one application received before its latest day as replaced (one per
        content: a byte copy is the batch check's duplicate); the one the history follows."""
        distinct = list({v.sha256 or id(v): v for v in reversed(group)}.values())
        ordered = sorted(distinct, key=self._arrival)
        latest = ordered[-1]
        day = self._arrival(latest)[0]
        for verdict in (v for v in ordered if self._arrival(v)[0] < day):
            verdict.superseded_by = Path(latest.file).name
            verdict.problems.append(Problem("文件", "duplicate", f"已由后交的「{Path(latest.file).name}」取代"
                                                                 "（同一单位重新提交），不再评审和通知", "warning"))
        return latest

    def _arrival(self, verdict: Verdict) -> tuple:
        """(the day received, the file name): the name only orders forms for the history's display."""
        return self.received.get(verdict.sha256, self.today), Path(verdict.file).name, verdict.file

    def _latest_notice(self, unit: str, sha256: str, received: str):
        """The applicant's latest notice before ``received`` about another file than this one."""
        return self.db.execute("SELECT date, deadline, file, defects FROM notices WHERE form = ? AND unit = ?"
                               " AND sha256 != ? AND date <= ? ORDER BY date DESC LIMIT 1",
                               (self.form.name, unit, sha256, received)).fetchone()

    def _flag_late(self, unit: str, latest: Verdict) -> None:
        received = self.received.get(latest.sha256, self.today)
        notice = self._latest_notice(unit, latest.sha256, received)
        if notice and received > notice[1]:
            date, deadline = (_dt.date.fromisoformat(d) for d in notice[:2])
            latest.problems.append(Problem("补正期限", "late", f"逾期补正：补正通知（{cn_date(date)}）要求"
                                                             f"{cn_date(deadline)}前报送，本材料"
                                                             f"{cn_date(_dt.date.fromisoformat(received))}收到",
                                           "warning"))

    def record(self, verdicts: list[Verdict]) -> list[dict]:
        """After the verdicts are settled: keep this run's submissions, and the history of every
        applicant of the run that has more than one submission or a notice."""
        units = {}
        for verdict in verdicts:
            unit = self._unit(verdict)
            if verdict.status == "error" or not verdict.sha256:
                continue  # kept even without a readable applicant: the day received, once it is read
            errors = sorted({p.field for p in verdict.problems if p.severity == "error"})
            self.db.execute("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256, form) DO"
                            " UPDATE SET applicant = excluded.applicant, unit = excluded.unit, file = excluded.file,"
                            " status = excluded.status, errors = excluded.errors",
                            (verdict.sha256, self.form.name, self.form.applicant_of(verdict.fields), unit,
                             str(Path(verdict.file).absolute()), self.received[verdict.sha256], verdict.status,
                             json.dumps(errors, ensure_ascii=False)))
            if unit:
                units[unit] = self.latest.get(unit, verdict)
        out = []
        for unit, latest in units.items():
            story = self._story(unit, latest)
            if len(story["submissions"]) > 1 or story["notices"]:
                out.append(story)
        return out

    def _story(self, unit: str, latest: Verdict) -> dict:
        rows = self.db.execute("SELECT sha256, file, received, status FROM submissions WHERE form = ? AND unit = ?"
                               " ORDER BY received, rowid", (self.form.name, unit)).fetchall()
        rows = [r for r in rows if r[0] != latest.sha256] + [r for r in rows if r[0] == latest.sha256]
        submissions = [{"file": Path(f).name, "sha256": s, "received": d, "status": st} for s, f, d, st in rows]
        notices = [{"file": Path(f).name, "sha256": s, "date": d, "deadline": dl, "defects": json.loads(ds)}
                   for s, f, d, dl, ds in self.db.execute(
                       "SELECT sha256, file, date, deadline, defects FROM notices WHERE form = ? AND unit = ?"
                       " ORDER BY date", (self.form.name, unit))]
        received = self.received.get(latest.sha256, self.today)
        notice = self._latest_notice(unit, latest.sha256, received)
        still = {p.field for p in latest.problems if p.severity == "error"}
        told = json.loads(notice[3]) if notice else []
        return {"applicant": self.form.applicant_of(latest.fields), "submissions": submissions, "notices": notices,
                "fixed": [d["words"] for d in told if d["field"] not in still],
                "open": [d["words"] for d in told if d["field"] in still],
                "deadline": notice[1] if notice else None,  # of the notice the latest submission answers
                "late": bool(notice and received > notice[1]),
                "latest": {"file": Path(latest.file).name, "status": latest.status}}
