"""Fixtures many tests share: the CLI runner, sample paths, ad-hoc Word templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PROGRAM = SAMPLES / "program.yaml"
ROSTER = SAMPLES / "roster.xlsx"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke ``kexie`` in a temporary working directory; returns the Click result."""
    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def docx_text(path) -> str:
    """All text of a .docx: paragraphs and table cells, in document order, one per line."""
    import docx

    document = docx.Document(str(path))
    lines = []
    body = document.element.body
    for element in body.iter():
        if element.tag.endswith("}p"):
            text = "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
            lines.append(text)
    for section in document.sections:
        for part in (section.header, section.footer):
            lines.extend(p.text for p in part.paragraphs)
    return "\n".join(lines)


def make_template(path, paragraphs, sidecar: str | None = None):
    """Write a .docx whose paragraphs are given as lists of run texts (to split tags on purpose)."""
    import docx

    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text in ([runs] if isinstance(runs, str) else runs):
            paragraph.add_run(text)
    document.save(str(path))
    if sidecar is not None:
        Path(path).with_suffix(".yaml").write_text(sidecar, encoding="utf-8")
    return Path(path)
