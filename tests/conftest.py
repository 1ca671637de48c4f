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


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Under ``pytest -n 2 --dist loadgroup`` (scripts/test.sh): keep each test module on one
    worker, and the modules that share a session fixture built in tests/ (a corpus, read once) on
    the same one, so that no corpus is built or read twice."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    uses: dict[str, set] = {}
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        find(module)
        info = getattr(item, "_fixtureinfo", None)
        for defs in (info.name2fixturedefs.values() if info else ()):
            fixturedef = defs[-1]
            func = getattr(fixturedef, "func", None)
            ours = func is not None and (func.__module__ == "conftest" or func.__module__.startswith("test_"))
            if ours and fixturedef.scope == "session":
                uses.setdefault(f"{func.__module__}.{func.__name__}", set()).add(module)
    for name, modules in uses.items():
        if name.endswith(".output_ledger"):
            continue  # every test's: a per-worker ledger is right
        first, *rest = sorted(modules)
        for other in rest:
            parent[find(other)] = find(first)
    for item in items:
        item.add_marker(pytest.mark.xdist_group(find(item.nodeid.split("::", 1)[0])))


@pytest.fixture(scope="session", autouse=True)
def output_ledger(tmp_path_factory):
    """The tests' own ledger of outputs kexie wrote (pipeline/files.py), not the user's."""
    import os

    os.environ["KEXIE_LEDGER"] = str(tmp_path_factory.mktemp("ledger") / "written.sqlite")


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


# --- the generated corpus of returned 申报书, built once for the whole session ------------------
#: 14 forms (2 of them scanned), 5 special files and a byte copy: every layout, every 形式审查
#: scenario on a text-layer form (tools/make_corpus.SCENARIOS), the seal in the wrong box
CORPUS_COUNT, CORPUS_SCANS, CORPUS_SEED = 14, 2, 2026


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """(folder, {file name: truth}, manifest) of the corpus (tools/make_corpus.py)."""
    import json
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import make_corpus

    out = tmp_path_factory.mktemp("corpus")
    make_corpus.generate(out, count=CORPUS_COUNT, scans=CORPUS_SCANS, seed=CORPUS_SEED)
    truths = {p.name.removesuffix(".truth.json") + ".pdf": json.loads(p.read_text(encoding="utf-8"))
              for p in out.glob("*.truth.json")}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, truths, manifest


@pytest.fixture(scope="session")
def validated_corpus(corpus, tmp_path_factory):
    """One ``kexie validate`` of the corpus (2 workers): result, seconds, report, workspace, folder."""
    import json
    import time
    from types import SimpleNamespace

    from pipeline.cli import main

    out = corpus[0]
    work = tmp_path_factory.mktemp("corpus-validate")
    db, report = work / "kexie.sqlite", work / "report.json"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["validate", str(out), "--program", str(PROGRAM), "--report", str(report),
                                       "--db", str(db), "--jobs", "2"], catch_exceptions=False)
    return SimpleNamespace(result=result, seconds=time.monotonic() - started, db=db, work=work,
                           report=json.loads(report.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def corpus_entries(corpus, validated_corpus):
    """{file name: extraction entry} of the corpus, as the validation read them (each file is read
    once a session); an unreadable file's entry holds the error its verdict reports."""
    from pipeline.batch import Workspace, form_key
    from pipeline.forms import load_form

    out = corpus[0]
    key = form_key(load_form("申报书"))
    verdicts = {Path(f["file"]).name: f for f in validated_corpus.report["files"]}
    workspace = Workspace(validated_corpus.db)
    entries = {}
    try:
        for path in sorted(out.glob("*.pdf")):
            digest = workspace.file_hash(path)
            entry = workspace.lookup(digest, key) if digest else None
            if entry is None:
                entry = {"file": str(path), "status": "error", "fields": {}, "marks": {},
                         "error": verdicts[path.name]["error"]}
            entries[path.name] = dict(entry, file=str(path))
    finally:
        workspace.close()
    return entries


# --- the independent corpus of returned 申报书 (tools/make_returns.py: other drawings, every way
# a form arrives), built once for the session, and read once ------------------------------------
RETURNS_SEED = 5


@pytest.fixture(scope="session")
def returns_corpus(tmp_path_factory):
    """(folder, PDFs, {file name: truth}, manifest): the default classes, the image pages being
    the pages that hold the marks (scan_pages="marks"), so that OCR stays within the suite's time."""
    import json
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import make_returns

    out = tmp_path_factory.mktemp("returns")
    paths = make_returns.generate(out, seed=RETURNS_SEED, scan_pages="marks")
    truths = {p.name: json.loads(p.with_suffix(".truth.json").read_text(encoding="utf-8")) for p in paths}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, paths, truths, manifest


@pytest.fixture(scope="session")
def read_returns(returns_corpus, tmp_path_factory):
    """``kexie validate`` of the returns corpus (2 workers) and ``kexie extract``'s JSON of what it
    read (from its workspace, each file read once); scored against the truth files by
    tools/score_returns.py: (score, validation report, extraction report, workspace)."""
    import json

    import score_returns

    from pipeline.batch import Workspace, form_key
    from pipeline.cli import main
    from pipeline.forms import load_form
    from pipeline.report.extraction import report as extraction_report
    from pipeline.report.validation import file_in_report

    out = returns_corpus[0]
    work = tmp_path_factory.mktemp("returns-read")
    db, report = work / "kexie.sqlite", work / "validate.json"
    result = CliRunner().invoke(main, ["validate", str(out), "--program", str(PROGRAM), "--report", str(report),
                                       "--db", str(db), "--jobs", "2"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    validation = json.loads(report.read_text(encoding="utf-8"))
    # the report names its files relative to itself
    validation["files"] = [dict(f, file=str(file_in_report(f["file"], report))) for f in validation["files"]]
    verdicts = {Path(f["file"]).name: f for f in validation["files"]}
    form = load_form("申报书")
    workspace = Workspace(db)
    entries = []
    try:
        for path in sorted(out.glob("*.pdf")):
            digest = workspace.file_hash(path)
            entry = workspace.lookup(digest, form_key(form)) if digest else None
            entries.append(dict(entry, file=str(path)) if entry else
                           {"file": str(path), "status": "error", "error": verdicts[path.name]["error"]})
    finally:
        workspace.close()
    extraction = extraction_report(entries)
    return score_returns.score(out, extraction, validation), validation, extraction, db
