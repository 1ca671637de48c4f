"""Check a template before anything is written: its variables, the data's gaps, broken tags.

Word often breaks a tag typed into a document: it splits ``{{ 申报单位 }}`` across several runs
(after a spelling mark or a format change) or replaces straight quotes with smart ones. docxtpl
repairs some of these silently and fails on others; here each is named with its paragraph so
the author can retype it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .needs import parse_needs, read_needs, variable_paths  # noqa: F401 — part of the API
from .render import TemplateSpec, document_parts, template_source

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_SMART = "“”‘’"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class TagProblem:
    """A tag Word damaged: where it is and what happened."""

    where: str
    tag: str
    problem: str


@dataclass
class CheckReport:
    """The outcome of ``check_template``."""

    template: str
    variables: list[str] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)  # variable -> record labels
    blank: dict[str, list[str]] = field(default_factory=dict)  # variable -> record labels
    failures: list[tuple[str, str]] = field(default_factory=list)  # (record, message) of a trial render
    tags: list[TagProblem] = field(default_factory=list)
    syntax_error: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.missing or self.blank or self.failures or self.tags or self.syntax_error)


def check_template(spec: TemplateSpec, records=None, program: dict | None = None, today=None) -> CheckReport:
    """Inspect ``spec``; with ``records`` or ``program``, also what each record (or the programme)
    lacks, by the very steps ``fill`` takes — a template check passed is one fill renders."""
    from .errors import TemplateError
    from .fill import rehearse

    report = CheckReport(template=spec.name)
    document, parts = document_parts(spec)
    for where, element in parts:
        report.tags.extend(_damaged_tags(where, element))
    try:
        needs = parse_needs(spec, template_source(document, parts))
    except TemplateError as exc:
        report.syntax_error = exc.reason
        return report
    report.variables = list(needs.variables)
    if records is None and program is None:
        return report
    for job in rehearse(spec, records, program, today, needs):
        for variable in job.missing:
            report.missing.setdefault(variable, []).append(job.record)
        for variable in job.blank:
            report.blank.setdefault(variable, []).append(job.record)
        if job.error is not None and not (job.missing or job.blank):
            reason = job.error.reason if isinstance(job.error, TemplateError) else job.error.message
            report.failures.append((job.record, reason))
    return report


def _damaged_tags(where: str, body) -> list[TagProblem]:
    problems = []
    for number, paragraph in enumerate(body.iter(f"{_W}p"), start=1):
        pieces = [t.text or "" for t in paragraph.iter(f"{_W}t")]
        text = "".join(pieces)
        if "{" not in text:
            continue
        run_of = []  # index of the piece holding each character
        for i, piece in enumerate(pieces):
            run_of.extend([i] * len(piece))
        place = f"{where}第{number}段"
        for match in _TAG.finditer(text):
            tag = match.group(0)
            if run_of[match.start()] != run_of[match.end() - 1]:
                problems.append(TagProblem(place, tag, "标签被 Word 拆分到几个文字段中，请删除后整段重新输入"))
            if any(q in tag for q in _SMART):
                problems.append(TagProblem(place, tag, "标签中有中文弯引号（Word 自动更正所致），请改为直引号"))
        stripped = _TAG.sub("", text)
        for opener in ("{{", "{%"):
            if opener in stripped:
                problems.append(TagProblem(place, text.strip()[:60], f"「{opener}」没有对应的结束符"))
    return problems
