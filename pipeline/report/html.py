"""The 形式审查 report as one self-contained HTML page (pictures embedded as data URIs), from the
Jinja template ``templates/validation.html``: what a person must look at first comes first, each
problem with a picture of the page area it is about."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..forms import FormDefinition, text_value
from .pictures import Pictures, box_key
from .wording import STATUS_TEXT, decision_text, history_columns, history_rows, ordered_files, problem_text

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_environment = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=select_autoescape(["html"]),
                           trim_blocks=False, lstrip_blocks=False)


def html_report(report: dict, form: FormDefinition | None, title: str, crop: bool = True,
                pictures: Pictures | None = None) -> str:
    """The page as text; ``crop``: embed a picture of each problem's page area, taken from
    ``pictures`` (kept in the workspace) when given, else drawn now."""
    columns = form.identity.columns if form is not None and form.identity else ()
    pictures = pictures or Pictures()
    files = []
    for entry in ordered_files(report):
        fields = entry.get("fields") or {}
        name = (form.applicant_of(fields) if form is not None else "") or Path(entry["file"]).name
        areas = [(p["page"], p.get("bbox")) for p in entry["problems"] if p.get("page")] if crop else []
        drawn = pictures.of_file(entry["file"], entry.get("sha256") or "", areas) if areas else {}
        problems = []
        for problem in entry["problems"]:
            picture = drawn.get((int(problem["page"]), box_key(problem.get("bbox")))) if problem.get("page") else None
            problems.append(dict(problem, text=problem_text(problem), picture=picture))
        files.append({"status": entry["status"], "name": name, "file": entry["file"], "error": entry.get("error"),
                      "columns": [(key, text_value(fields.get(key))) for key in columns if text_value(fields.get(key))],
                      "problems": problems,
                      "decisions": [decision_text(k, d) for k, d in (entry.get("decisions") or {}).items()]})
    return _environment.get_template("validation.html").render(
        title=title, statuses=("complete", "incomplete", "review", "error"), status_text=STATUS_TEXT,
        summary=report["summary"], files=files, history_columns=history_columns(form), history=history_rows(report))
